"""What an article's page shows, in one place: the reader view, the desk's preview and the comment
form's re-render (comments.views) all build it here instead of instantiating each other's views."""

from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from articles import body, structured_data
from articles.models import Article

TEMPLATE = "articles/article_detail.html"
RELATED_ARTICLES = 4
# How long the ranking of an article's related articles is kept (a page-cached article page is as old).
RELATED_SECONDS = 10 * 60


def article_page_queryset(queryset=None):
    """Articles with what their page shows prefetched (bylines, tags, corrections, the listing annotations)."""
    return (queryset if queryset is not None else Article.objects.all()).for_listing().prefetch_related("corrections")


def article_page_context(request, article, **extra):
    image = article.image  # loaded with the article (for_listing)
    shared = article.social_image or image  # what a shared link shows: the social image, else the featured one
    return {
        "article": article,
        "object": article,
        "image_set": image.renditions() if image else None,
        "social_image": shared.crop("social") if shared else None,
        "social_image_alt": shared.alt_text if shared else "",
        # The body's images and embeds: from the cache, else one query for all of them.
        "body_html": body.render_for_article(article),
        "related_articles": related_articles(article),
        "structured_data": structured_data.news_article(article, request),
        "feed_urls": {
            "rss": reverse("articles:section-feed", args=[article.section.slug]),
            "atom": reverse("articles:section-feed-atom", args=[article.section.slug]),
        },
        **extra,
    }


def related_articles(article):
    """The articles sharing the most tags with `article` (ArticleQuerySet.related_to), for its page.

    Which ones is kept RELATED_SECONDS under the article, its section and its tags (the ranking is most of
    the cost); the articles themselves are read through published() every time, so an edited or withdrawn
    one shows at once and a newly published one within RELATED_SECONDS, as a page cache would show it.
    """
    key = related_key(article)
    ranking = cache.get(key)
    if ranking is None:
        related = list(Article.objects.published().related_to(article, RELATED_ARTICLES))
        cache.set(key, [other.pk for other in related], RELATED_SECONDS)
        return related
    found = Article.objects.published().for_related_list().in_bulk(ranking)
    return [found[pk] for pk in ranking if pk in found]


def related_key(article):
    return f"related:{article.pk}:{article.section_id}:{','.join(str(tag.pk) for tag in article.tag_list)}"


def preview_response(request, article, *, status=200, **extra):
    """The article as readers will see it, marked as a preview: never cached, never indexed."""
    response = render(
        request, TEMPLATE, article_page_context(request, article, is_preview=True, **extra), status=status
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
