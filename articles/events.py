"""The "content changed" event: one way to hear that what readers see has changed.

Every write that changes a reader page emits one ContentChange after its transaction commits:
the article service, the comment services, and the signals below for the publication's identity,
sections, pages, tags, publishers, authors, article kinds and breaking news, and articles.curation
for the fronts. What changes with no write at all is announced by a job planned for that moment
(articles.tasks): a scheduled article going live, an article expiring, a pin or a breaking-news
banner starting or ending.

Subscribers (the page cache, a CDN purge, webhooks) connect to `content_changed` and act on
`change.paths` (or on everything when `change.everything`), so none of them needs to know which
page shows what. A path names a reader page with any query string (`/tag/japan/` covers
`/tag/japan/?page=2`).
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from articles import hooks
from newsroom import per_request

logger = logging.getLogger(__name__)

content_changed = Signal()

# A generation every content-changed event renews (newsroom.generations): what is kept under it (whether a list
# is longer than the pagination cap: articles.cards) is made again after any change.
CONTENT_GENERATION_KEY = "content-generation"

# Above this many articles, a renamed tag, author or publisher changes so many pages that saying
# "everything" is both cheaper and truer.
MANY_ARTICLES = 200


@dataclass(frozen=True)
class ContentChange:
    """What changed (kind, and the objects as "app_label.model" and pk) and which reader paths show it."""

    kind: str
    paths: frozenset = field(default_factory=frozenset)
    objects: tuple = ()
    everything: bool = False

    def affects(self, path):
        return self.everything or path in self.paths


# The kinds of change, for subscribers that filter (webhooks).
ARTICLE_PUBLISHED = "article.published"
ARTICLE_UPDATED = "article.updated"
ARTICLE_UNPUBLISHED = "article.unpublished"
ARTICLE_CORRECTED = "article.corrected"
ARTICLE_DELETED = "article.deleted"
ARTICLE_EXPIRED = "article.expired"
COMMENT_APPROVED = "comment.approved"
COMMENT_REMOVED = "comment.removed"
COMMENT_UPDATED = "comment.updated"
COMMENT_SETTINGS_CHANGED = "comment.settings_changed"
TAXONOMY_CHANGED = "taxonomy.changed"
PAGE_CHANGED = "page.changed"
PUBLICATION_CHANGED = "publication.changed"
FRONT_CHANGED = "front.changed"
BREAKING_NEWS_CHANGED = "breaking_news.changed"
# Many articles written as one change (an import batch, see articles.services.article_batch): every page.
ARTICLES_IMPORTED = "articles.imported"

_collecting = ContextVar("events_collecting", default=None)


@contextmanager
def collected(kind):
    """Inside the block, emit() only notes its change; when the block ends normally, one ContentChange of
    `kind` with everything=True (and all the noted objects) is emitted instead, after commit as always.

    For writes of many objects at once (an import), where one event per object would flush the page
    cache and purge the CDN thousands of times. Nested blocks fold into the outermost one.
    """
    if _collecting.get() is not None:
        yield
        return
    noted = []
    token = _collecting.set(noted)
    try:
        yield
    finally:
        _collecting.reset(token)
    if noted:
        objects = dict.fromkeys(key for change in noted for key in change.objects)
        emit(kind, objects=list(objects), everything=True)


def is_collecting():
    """True inside collected(): a writer of many objects may then skip working out their paths."""
    return _collecting.get() is not None


IMAGE_CHANGED = "image.changed"  # a library image's caption, credit, alt text or renditions (every story using it)
EMBED_UPDATED = "embed.updated"  # an embed's placeholder gained a title or thumbnail


def emit(kind, *, paths=(), objects=(), everything=False):
    """Send one ContentChange once the current transaction commits (at once outside one).

    A subscriber that fails is logged and the others still hear the event: the write has committed.
    """
    change = ContentChange(kind=kind, paths=frozenset(paths), objects=tuple(objects), everything=everything)
    noted = _collecting.get()
    if noted is not None:
        noted.append(change)
        return change

    def send():
        for receiver, result in content_changed.send_robust(sender=ContentChange, change=change):
            if isinstance(result, Exception):
                logger.error("A content_changed subscriber (%r) failed", receiver, exc_info=result)

    transaction.on_commit(send)
    return change


def object_key(obj):
    return (obj._meta.label_lower, obj.pk)


def sitemap_paths():
    return {
        reverse("articles:sitemap"),
        reverse("articles:sitemap-news"),
        *(reverse("articles:sitemap-section", args=[name]) for name in SITEMAP_NAMES),
    }


SITEMAP_NAMES = ["site", "articles", "news", "sections", "tags", "publishers", "authors"]


def list_paths(url_name, slug):
    """A list page and its two feeds."""
    return {
        reverse(f"articles:{url_name}", args=[slug]),
        reverse(f"articles:{url_name}-feed", args=[slug]),
        reverse(f"articles:{url_name}-feed-atom", args=[slug]),
    }


def article_paths(article, *, has_corrections=None):
    """Every reader page that shows `article` while it is public: its own page, the front page and the
    lists it appears in (section, tags, publisher, authors, date archives), their feeds, the sitemaps,
    search, the corrections page when it has corrections, and what other apps register (its comment feeds).

    Reads the article's tags, bylines and corrections (a few queries): call it from writes, never from a page.
    """
    paths = {
        article.get_absolute_url(),
        reverse("articles:front"),
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:search"),
        reverse("articles:archive"),
        *sitemap_paths(),
        *list_paths("section", article.section.slug),
    }
    if article.published_at:
        local = timezone.localtime(article.published_at)
        paths |= {
            reverse("articles:archive-year", args=[local.year]),
            reverse("articles:archive-month", args=[local.year, local.month]),
        }
    if article.publisher_id:
        paths |= list_paths("publisher", article.publisher.slug)
    for tag in article.tags.all():
        paths |= list_paths("tag", tag.slug)
    for byline in article.bylines.select_related("author"):
        paths |= list_paths("author", byline.author.slug)
    if has_corrections is None:
        has_corrections = article.corrections.filter(kind="correction").exists()
    if has_corrections:
        paths.add(reverse("articles:corrections"))
    for provider in hooks.article_page_providers:
        paths |= set(provider(article))
    return paths


def articles_paths(articles):
    """The union of article_paths() for public articles, or None when there are too many to list."""
    articles = list(articles[: MANY_ARTICLES + 1])
    if len(articles) > MANY_ARTICLES:
        return None
    paths = set()
    for article in articles:
        paths |= article_paths(article)
    return paths


def _renew_content_generation(sender=None, **kwargs):
    per_request.delete(CONTENT_GENERATION_KEY)


content_changed.connect(_renew_content_generation, dispatch_uid="content-generation")
