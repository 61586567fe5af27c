"""Cache invalidation and search indexing only; the editorial flow calls its functions directly."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from articles.chrome import clear_site_chrome
from articles.models import Article, Author, Byline, Page, Publication, Publisher, Section
from articles.search import update_search_vectors, uses_full_text
from articles.tags import fix_slug


@receiver([post_save, post_delete], sender=Publication)
@receiver([post_save, post_delete], sender=Section)
@receiver([post_save, post_delete], sender=Page)
def chrome_changed(sender, **kwargs):
    clear_site_chrome()


def reindex(article_ids, using):
    """Rebuild the search vectors of these articles (PostgreSQL only; one small UPDATE)."""
    if uses_full_text(using):
        update_search_vectors(article_ids, using=using)


@receiver(post_save, sender=Article)
def article_saved(sender, instance, using, update_fields=None, **kwargs):
    if update_fields is not None and not {"headline", "dek", "body", "publisher"} & set(update_fields):
        return
    reindex([instance.pk], using)


@receiver(m2m_changed, sender=TaggedItem)
def article_tags_changed(sender, instance, action, using, **kwargs):
    if isinstance(instance, Article) and action in {"post_add", "post_remove", "post_clear"}:
        reindex([instance.pk], using)


@receiver([post_save, post_delete], sender=Byline)
def byline_changed(sender, instance, using, **kwargs):
    reindex([instance.article_id], using)


@receiver(post_save, sender=Author)
def author_renamed(sender, instance, using, created, **kwargs):
    if not created:
        reindex(instance.bylines.values_list("article_id", flat=True), using)


@receiver(post_save, sender=Publisher)
def publisher_renamed(sender, instance, using, created, **kwargs):
    if not created:
        reindex(instance.articles.values_list("pk", flat=True), using)


@receiver(pre_save, sender=Tag)
def tag_slug_usable(sender, instance, **kwargs):
    """taggit makes slugs itself (an empty one for "😀😀"); a slug that no address can hold is replaced."""
    fix_slug(instance)


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance, using, created, **kwargs):
    if not created:
        tagged = TaggedItem.objects.filter(
            tag=instance, content_type__app_label="articles", content_type__model="article"
        ).values_list("object_id", flat=True)
        reindex(tagged, using)
