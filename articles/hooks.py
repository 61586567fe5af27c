"""Where apps that hang off articles plug in, so that articles never imports them.

The comments app (comments/apps.py) registers the approved-comment count that list cards show,
the pages of its own that show an article (its comment feeds) and its demo threads.
Register in AppConfig.ready().
"""

# name -> function returning a query expression; ArticleQuerySet.for_listing() annotates each.
listing_annotations = {}

# functions(article) -> iterable of reader paths that also show `article` (see articles.events).
article_page_providers = []

# functions(now=) -> objects created, run by `manage.py load_demo` after the articles exist.
demo_loaders = []


def register_listing_annotation(name, expression):
    listing_annotations[name] = expression


def register_article_pages(provider):
    if provider not in article_page_providers:
        article_page_providers.append(provider)


def register_demo_loader(loader):
    if loader not in demo_loaders:
        demo_loaders.append(loader)
