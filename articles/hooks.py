"""Where apps that hang off articles plug in, so that articles never imports them.

The comments app (comments/apps.py) registers the approved-comment count that list cards show,
the pages of its own that show an article (its comment feeds), its demo threads, its Content API
endpoints and the representation of a comment in webhook payloads. Register in AppConfig.ready().
"""

# name -> function returning a query expression; ArticleQuerySet.for_listing() annotates each.
listing_annotations = {}

# functions(article) -> iterable of reader paths that also show `article` (see articles.events).
article_page_providers = []

# functions(now=) -> objects created, run by `manage.py load_demo` after the articles exist.
demo_loaders = []


def register_listing_annotation(name, expression):
    listing_annotations[name] = expression
    _built_listing_annotations.clear()


_built_listing_annotations = {}


def listing_annotation_expressions():
    """The registered listing annotations' expressions, each built once per process and shared by every query:
    a query copies an expression before resolving it, so sharing one is safe, and building a subquery (a
    queryset and its clones) cost more than compiling it on every list page."""
    if len(_built_listing_annotations) != len(listing_annotations):
        _built_listing_annotations.update({name: build() for name, build in listing_annotations.items()})
    return _built_listing_annotations


def register_article_pages(provider):
    if provider not in article_page_providers:
        article_page_providers.append(provider)


def register_demo_loader(loader):
    if loader not in demo_loaders:
        demo_loaders.append(loader)


# The Content API (articles.api): (prefix, dotted path of a ninja Router) pairs mounted under /api/v1/, and, per
# model label ("comments.comment"), the dotted path of a function(pk) -> (api_path, public representation or
# None) for webhook payloads. Dotted paths, imported when the API is first used, so that registering them does
# not load django-ninja into every worker.
api_routers = []
api_representations = {}


def register_api_router(prefix, router_path):
    if (prefix, router_path) not in api_routers:
        api_routers.append((prefix, router_path))


def register_api_representation(label, function_path):
    api_representations[label] = function_path
