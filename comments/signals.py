"""Cache invalidation only; the comment flow calls comments.services directly."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from comments.models import SETTINGS_CACHE_KEY, CommentSettings


@receiver([post_save, post_delete], sender=CommentSettings)
def settings_changed(sender, **kwargs):
    cache.delete(SETTINGS_CACHE_KEY)
