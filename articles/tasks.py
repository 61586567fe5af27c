"""Background jobs of the articles app, enqueued after commit by articles.services and the signals.

Several announce, at their moment, a change that needs no write (a scheduled article going live,
an article expiring, a pin or a banner starting or ending): each is planned with run_after,
re-reads the database when it runs and does nothing if the moment moved since (the save that
moved it planned another).
"""

from datetime import UTC

from django.utils import timezone

from articles import events, images, media
from articles.models import Article, BreakingNews, Front
from articles.search import update_search_vectors
from newsroom.tasks import background_task, enqueue_on_commit


@background_task
def reindex_articles(article_ids):
    """Rebuild the search vectors of these articles (PostgreSQL; one UPDATE, nothing elsewhere)."""
    update_search_vectors(article_ids)


@background_task
def make_image_renditions(image_id):
    """Make the renditions of a library image's current version (after an upload or a new focal point)."""
    media.refresh_renditions(image_id)


@background_task
def delete_renditions(names):
    """Delete renditions that newer ones replaced a while ago."""
    images.delete_files(names)


@background_task
def fetch_embed(url, article_ids):
    """Ask an embed's provider for a title and a thumbnail (optional; a failure changes nothing)."""
    media.refresh_embed(url, article_ids)


@background_task
def announce_go_live(article_id, goes_live_at):
    """A scheduled (or embargoed) article has just become public with no write: say so.

    Enqueued for the moment the article goes live; does nothing if the article's time moved
    since (the save that moved it enqueued another) or it is not public after all.
    """
    article = Article.objects.select_related("section", "publisher").filter(pk=article_id).first()
    if article is None or not article.is_published() or _iso(article.goes_live_at) != goes_live_at:
        return
    events.emit(events.ARTICLE_PUBLISHED, paths=events.article_paths(article), objects=[events.object_key(article)])
    from articles.notifications import notify_gone_live

    notify_gone_live(article)


def announce_go_live_on_commit(article):
    """Plan announce_go_live for the moment `article` goes live (its publication time or embargo end)."""
    enqueue_on_commit(announce_go_live, article.pk, _iso(article.goes_live_at), run_after=article.goes_live_at)


@background_task
def announce_expiry(article_id, expires_at):
    """An article has just left public view at its expiry time, with no write: say so, so caches drop it."""
    article = Article.objects.select_related("section", "publisher").filter(pk=article_id).first()
    if article is None or _iso(article.expires_at) != expires_at:
        return
    if article.status != Article.Status.PUBLISHED or not article.is_expired:
        return
    events.emit(events.ARTICLE_EXPIRED, paths=events.article_paths(article), objects=[events.object_key(article)])


def plan_expiry_on_commit(article):
    """Plan announce_expiry for the moment `article` leaves public view."""
    if article.expires_at and article.expires_at > timezone.now():
        enqueue_on_commit(announce_expiry, article.pk, _iso(article.expires_at), run_after=article.expires_at)


@background_task
def announce_front_change(front_id, moment):
    """A pin of a front has just started or ended, with no write: the page it is on has changed."""
    front = Front.objects.select_related("section").filter(pk=front_id).first()
    if front is None:
        return
    if not any(moment in (_iso(pin.starts_at), _iso(pin.ends_at)) for pin in front.pins.all()):
        return
    events.emit(events.FRONT_CHANGED, paths=front_paths(front), objects=[events.object_key(front)])


def front_paths(front):
    """The reader pages a front's order shows on: the front page, or the section's page (any page number)."""
    return {front.get_absolute_url()}


@background_task
def announce_breaking_news(banner_id, moment):
    """A breaking-news banner has just started or ended, with no write: every reader page has changed."""
    from articles.breaking import clear_breaking_news

    banner = BreakingNews.objects.filter(pk=banner_id).first()
    if banner is None or moment not in (_iso(banner.starts_at), _iso(banner.ends_at)):
        return
    clear_breaking_news()
    events.emit(events.BREAKING_NEWS_CHANGED, objects=[events.object_key(banner)], everything=True)


def plan_moments_on_commit(job, obj_id, *moments):
    """Plan `job(obj_id, moment)` for each moment still to come."""
    now = timezone.now()
    for moment in sorted({moment for moment in moments if moment is not None and moment > now}):
        enqueue_on_commit(job, obj_id, _iso(moment), run_after=moment)


def _iso(moment):
    """A moment as text that compares equal however it was read (a form's local time, the database's UTC)."""
    return moment.astimezone(UTC).isoformat() if moment else None
