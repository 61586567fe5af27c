"""Background jobs of the articles app, enqueued after commit by articles.services and the signals."""

from django.db.models.fields.files import ImageFieldFile

from articles import events, images
from articles.models import Article
from articles.search import update_search_vectors
from newsroom.tasks import background_task, enqueue_on_commit


@background_task
def reindex_articles(article_ids):
    """Rebuild the search vectors of these articles (PostgreSQL; one UPDATE, nothing elsewhere)."""
    update_search_vectors(article_ids)


@background_task
def make_renditions(name):
    """Make the renditions of an uploaded image before any reader asks for them."""
    field = Article._meta.get_field("image")
    images.renditions(ImageFieldFile(instance=None, field=field, name=name))


@background_task
def announce_go_live(article_id, goes_live_at):
    """A scheduled (or embargoed) article has just become public with no write: say so.

    Enqueued for the moment the article goes live; does nothing if the article's time moved
    since (the save that moved it enqueued another) or it is not public after all.
    """
    article = Article.objects.select_related("section", "publisher").filter(pk=article_id).first()
    if article is None or not article.is_published() or article.goes_live_at.isoformat() != goes_live_at:
        return
    events.emit(events.ARTICLE_PUBLISHED, paths=events.article_paths(article), objects=[events.object_key(article)])


def announce_go_live_on_commit(article):
    """Plan announce_go_live for the moment `article` goes live (its publication time or embargo end)."""
    enqueue_on_commit(announce_go_live, article.pk, article.goes_live_at.isoformat(), run_after=article.goes_live_at)
