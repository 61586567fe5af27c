"""What the Content API shows and how: the visible querysets and each object's representation.

The same functions build the API's responses and the webhooks' payloads (request=None there: absolute
URLs then start with NEWSROOM_SITE_URL). A representation reads only what the querysets below fetched,
so a list costs the same few queries whatever its length.
"""

import functools

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.module_loading import import_string
from taggit.models import Tag

from articles.chrome import absolute_url
from articles.models import Article, Author, Correction, Page, Publisher, Section, TaggedArticle

NAMESPACE = "api-v1"


@functools.cache
def api_root():
    """The API's path prefix, e.g. "/api/v1/"."""
    return reverse(f"{NAMESPACE}:index")


def api_path(kind, pk=None, *extra):
    """ "/api/v1/articles", "/api/v1/articles/7", "/api/v1/articles/7/comments"..."""
    parts = [kind, *([str(pk)] if pk is not None else []), *extra]
    return api_root() + "/".join(parts)


# What each caller may see --------------------------------------------------------------------------------


def visible_articles(access=None):
    """Public articles (Article.objects.published()); with a key that sees them, scheduled and embargoed
    articles too. Never drafts, articles in review or unpublished ones."""
    if access is not None and access.sees_scheduled:
        return Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)
    return Article.objects.published()


def api_articles(access=None):
    """Visible articles with everything their representation shows: 4 queries for any number of them."""
    return (
        visible_articles(access)
        .for_listing()
        .prefetch_related(Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "pk")))
    )


def visible_tags(access=None):
    """Tags on visible articles only: a tag made for a draft can say more than the draft's headline."""
    tagged = TaggedArticle.objects.filter(content_object__in=visible_articles(access).values("pk"))
    return Tag.objects.filter(pk__in=tagged.values("tag_id"))


def visible_pages():
    return Page.objects.published()


# Representations -----------------------------------------------------------------------------------------


def _link(request, obj, kind, url):
    return {
        "id": obj.pk,
        "name": obj.name,
        "slug": obj.slug,
        "url": absolute_url(request, url),
        "api_url": absolute_url(request, api_path(kind, obj.pk)),
    }


def section_link(request, section):
    return _link(request, section, "sections", section.get_absolute_url())


def tag_link(request, tag):
    return _link(request, tag, "tags", reverse("articles:tag", args=[tag.slug]))


def author_link(request, author):
    return {**_link(request, author, "authors", author.get_absolute_url()), "title": author.title}


def publisher_link(request, publisher):
    return {**_link(request, publisher, "publishers", publisher.get_absolute_url()), "website": publisher.website}


def articles_of(request, parameter, obj):
    return absolute_url(request, f"{api_path('articles')}?{parameter}={obj.slug}")


def section_data(request, section):
    return {
        **section_link(request, section),
        "description": section.description,
        "position": section.position,
        "articles_api_url": articles_of(request, "section", section),
    }


def tag_data(request, tag):
    return {**tag_link(request, tag), "articles_api_url": articles_of(request, "tag", tag)}


def author_data(request, author):
    return {
        **author_link(request, author),
        "bio": author.bio,
        "articles_api_url": articles_of(request, "author", author),
    }


def publisher_data(request, publisher):
    return {
        **publisher_link(request, publisher),
        "description": publisher.description,
        "logo": absolute_url(request, publisher.logo.url) if publisher.logo else None,
        "articles_api_url": articles_of(request, "publisher", publisher),
    }


def page_data(request, page):
    return {
        "id": page.pk,
        "title": page.title,
        "slug": page.slug,
        "kind": page.kind,
        "summary": page.summary,
        "body_html": page.body,
        "updated_at": page.updated_at,
        "url": absolute_url(request, page.get_absolute_url()),
        "api_url": absolute_url(request, api_path("pages", page.pk)),
    }


def publication_data(request, publication):
    return {
        "name": publication.name,
        "tagline": publication.tagline,
        "issn": publication.issn,
        "language": publication.language,
        "description": publication.description,
        "logo": absolute_url(request, publication.logo.url) if publication.logo else None,
        "url": absolute_url(request, reverse("articles:front")),
    }


def image_data(request, article):
    """The featured image with its renditions and credits, or None (no image, or one that cannot be read).

    The one place that knows where an article's image lives: the media library changes only this.
    """
    image = article.image
    image_set = image.renditions() if image else None
    if image_set is None:
        return None
    largest = image_set.largest
    return {
        "url": absolute_url(request, largest.url),
        "width": largest.width,
        "height": largest.height,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "renditions": [
            {"url": absolute_url(request, item.url), "width": item.width, "height": item.height, "type": item.mime}
            for item in (*image_set.webp, *image_set.fallback)
        ],
    }


def availability(article):
    if article.is_published():
        return "public"
    return "embargoed" if article.is_embargoed else "scheduled"


def article_data(request, article):
    """An article from api_articles(): everything a reader sees of it, nothing the desk keeps to itself."""
    page_url = absolute_url(request, article.get_absolute_url())
    return {
        "id": article.pk,
        "slug": article.slug,
        "headline": article.headline,
        "standfirst": article.dek,
        "body_html": article.body,
        "kind": article.kind.slug if article.kind_id else None,
        "availability": availability(article),
        "published_at": article.published_at,
        "goes_live_at": article.goes_live_at,
        "embargo_until": article.embargo_until,
        "updated_at": article.updated_at,
        "section": section_link(request, article.section),
        "tags": [tag_link(request, tag) for tag in sorted(article.tag_list, key=lambda tag: (tag.name, tag.pk))],
        "authors": [author_link(request, author) for author in article.authors_in_order],
        "publisher": publisher_link(request, article.publisher) if article.publisher_id else None,
        "original_url": article.original_url,
        "rights": article.rights,
        "url": page_url,
        "canonical_url": article.canonical_url or page_url,
        "api_url": absolute_url(request, api_path("articles", article.pk)),
        "image": image_data(request, article),
        "corrections": [
            {"id": note.pk, "kind": note.kind, "text": note.text, "created_at": note.created_at}
            for note in article.corrections.all()
        ],
        "comment_count": getattr(article, "comment_count", 0) or 0,
    }


# Webhook payloads: the current public representation of a changed object, by its model label.


def _one(queryset, pk, build):
    obj = queryset.filter(pk=pk).first()
    return None if obj is None else build(None, obj)


REPRESENTATIONS = {
    "articles.article": ("articles", lambda pk: _one(api_articles(), pk, article_data)),
    "articles.section": ("sections", lambda pk: _one(Section.objects.all(), pk, section_data)),
    "taggit.tag": ("tags", lambda pk: _one(visible_tags(), pk, tag_data)),
    "articles.author": ("authors", lambda pk: _one(Author.objects.all(), pk, author_data)),
    "articles.publisher": ("publishers", lambda pk: _one(Publisher.objects.all(), pk, publisher_data)),
    "articles.page": ("pages", lambda pk: _one(visible_pages(), pk, page_data)),
}


def represent(label, pk):
    """(API path, public representation or None when gone or not public) of the object, or None if the
    API does not show objects of that kind. Apps hanging off articles add theirs through articles.hooks."""
    from articles import hooks

    if label in hooks.api_representations:
        return import_string(hooks.api_representations[label])(pk)
    if label not in REPRESENTATIONS:
        return None
    kind, build = REPRESENTATIONS[label]
    return api_path(kind, pk), build(pk)
