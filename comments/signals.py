"""The moderation rules are cached and shown on every article page (the form, the thread depth):
a change clears the cache and tells readers' pages. The comment flow calls comments.services directly."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles import events
from comments.models import SETTINGS_CACHE_KEY, CommentSettings
from newsroom import per_request


@receiver([post_save, post_delete], sender=CommentSettings)
def settings_changed(sender, instance, **kwargs):
    per_request.delete(SETTINGS_CACHE_KEY)
    events.emit(events.COMMENT_SETTINGS_CHANGED, objects=[events.object_key(instance)], everything=True)
