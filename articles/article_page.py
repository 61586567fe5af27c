"""What an article's page shows, in one place: the reader view, the desk's preview and the comment
form's re-render (comments.views) all build it here instead of instantiating each other's views."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from articles import structured_data
from articles.images import renditions
from articles.models import Article

TEMPLATE = "articles/article_detail.html"
RELATED_ARTICLES = 4


def article_page_queryset(queryset=None):
    """Articles with what their page shows prefetched (bylines, tags, corrections, the listing annotations)."""
    return (queryset if queryset is not None else Article.objects.all()).for_listing().prefetch_related("corrections")


def article_page_context(request, article, **extra):
    image_set = renditions(article.image)
    social_image_set = renditions(article.social_image) if article.social_image else None
    return {
        "article": article,
        "object": article,
        "image_set": image_set,
        # Shared links show the social image when there is one, else the featured image.
        "social_image_set": social_image_set or image_set,
        "social_image_alt": article.social_image_alt if social_image_set else article.image_alt,
        "related_articles": list(Article.objects.published().related_to(article)[:RELATED_ARTICLES]),
        "structured_data": structured_data.news_article(article, request, image_set=image_set),
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
