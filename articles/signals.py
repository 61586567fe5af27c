"""Model signals for what lives beside articles and is edited as plain rows (the admin's ModelForms,
fixtures, the shell): they clear the site chrome, announce the change to readers' pages
(articles.events) and reindex the articles whose search text holds a renamed name.
Articles themselves are written only through articles.services, which does all of this itself.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag

from articles import events, tasks
from articles.breaking import clear_breaking_news
from articles.chrome import clear_site_chrome
from articles.models import ApiKey, Article, ArticleKind, Author, BreakingNews, Page, Publication, Publisher, Section
from articles.tags import fix_slug
from newsroom.tasks import enqueue_on_commit

# Everything that every reader page shows: the masthead, the section menu, the footer's pages.
EVERYWHERE = {Publication: events.PUBLICATION_CHANGED, Section: events.TAXONOMY_CHANGED, Page: events.PAGE_CHANGED}

# Names that appear on the cards and pages of their articles, with the list page of each.
LISTED = {Tag: ("tag", "tags"), Author: ("author", "authors"), Publisher: ("publisher", "publisher")}


@receiver([post_save, post_delete], sender=Publication)
@receiver([post_save, post_delete], sender=Section)
@receiver([post_save, post_delete], sender=Page)
def chrome_changed(sender, instance, **kwargs):
    clear_site_chrome()
    events.emit(EVERYWHERE[sender], objects=[events.object_key(instance)], everything=True)


def _public_articles(sender, instance):
    return (
        Article.objects.published()
        .filter(**{LISTED[sender][1]: instance})
        .select_related("section", "publisher")
        .distinct()
    )


@receiver(pre_save, sender=Tag)
@receiver(pre_save, sender=Author)
@receiver(pre_save, sender=Publisher)
def remember_old_slug(sender, instance, **kwargs):
    if instance.pk is not None:
        instance._stored_slug = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()


@receiver(pre_save, sender=Tag)
def tag_slug_usable(sender, instance, **kwargs):
    """taggit makes slugs itself (an empty one for "😀😀"); a slug that no address can hold is replaced."""
    fix_slug(instance)


@receiver(post_save, sender=Tag)
@receiver(post_save, sender=Author)
@receiver(post_save, sender=Publisher)
def listed_name_changed(sender, instance, created, **kwargs):
    """A renamed tag, author or publisher: its page (at its old and new address) and its articles' pages."""
    if created:
        return
    url_name = LISTED[sender][0]
    paths = events.list_paths(url_name, instance.slug)
    old_slug = getattr(instance, "_stored_slug", None)
    if old_slug and old_slug != instance.slug:
        paths |= events.list_paths(url_name, old_slug)
    _announce_listed(sender, instance, paths)
    article_ids = list(_public_articles(sender, instance).values_list("pk", flat=True))
    if article_ids:
        enqueue_on_commit(tasks.reindex_articles, article_ids)


@receiver(pre_delete, sender=Tag)
@receiver(pre_delete, sender=Author)
@receiver(pre_delete, sender=Publisher)
def listed_name_deleted(sender, instance, **kwargs):
    _announce_listed(sender, instance, events.list_paths(LISTED[sender][0], instance.slug))


def _announce_listed(sender, instance, paths):
    article_paths = events.articles_paths(_public_articles(sender, instance))
    if article_paths is None:
        events.emit(events.TAXONOMY_CHANGED, objects=[events.object_key(instance)], everything=True)
    else:
        events.emit(events.TAXONOMY_CHANGED, paths=paths | article_paths, objects=[events.object_key(instance)])


@receiver([post_save, post_delete], sender=ApiKey)
def api_key_changed(sender, instance, **kwargs):
    """A revoked or changed key takes effect at once, not when its cached record expires."""
    from articles.api.access import forget_key

    forget_key(instance)


@receiver([post_save, post_delete], sender=ArticleKind)
def kind_changed(sender, instance, **kwargs):
    """A kind's label or type is on every card and article of that kind: few writes, so everything."""
    clear_site_chrome()  # the kinds are kept with the chrome (articles.chrome)
    events.emit(events.TAXONOMY_CHANGED, objects=[events.object_key(instance)], everything=True)


@receiver(pre_save, sender=BreakingNews)
def remember_banner_state(sender, instance, **kwargs):
    stored = BreakingNews.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._was_live = bool(stored and stored.is_live)


@receiver(post_save, sender=BreakingNews)
def banner_saved(sender, instance, **kwargs):
    """Every reader page shows the banner: a change readers can see now says so for everything; its start
    and end, still to come, are announced by jobs planned for those moments."""
    transaction.on_commit(clear_breaking_news)
    if instance.is_live or getattr(instance, "_was_live", False):
        events.emit(events.BREAKING_NEWS_CHANGED, objects=[events.object_key(instance)], everything=True)
    tasks.plan_moments_on_commit(tasks.announce_breaking_news, instance.pk, instance.starts_at, instance.ends_at)


@receiver(post_delete, sender=BreakingNews)
def banner_deleted(sender, instance, **kwargs):
    transaction.on_commit(clear_breaking_news)
    if instance.is_live:
        events.emit(events.BREAKING_NEWS_CHANGED, objects=[events.object_key(instance)], everything=True)
