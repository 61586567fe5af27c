"""What an article's page shows, in one place: the reader view, the desk's preview and the comment
form's re-render (comments.views) all build it here instead of instantiating each other's views."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from articles import body, structured_data
from articles.models import Article

TEMPLATE = "articles/article_detail.html"
RELATED_ARTICLES = 4


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
        "related_articles": list(Article.objects.published().related_to(article, RELATED_ARTICLES)),
        "structured_data": structured_data.news_article(article, request),
        "feed_urls": {
            "rss": reverse("articles:section-feed", args=[article.section.slug]),
            "atom": reverse("articles:section-feed-atom", args=[article.section.slug]),
        },
        **extra,
    }


def preview_response(request, article, *, status=200, **extra):
    """The article as readers will see it, marked as a preview: never cached, never indexed."""
    response = render(
        request, TEMPLATE, article_page_context(request, article, is_preview=True, **extra), status=status
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
