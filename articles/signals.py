"""Cache invalidation only; the editorial flow calls its functions directly."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.chrome import clear_site_chrome
from articles.models import Publication, Section


@receiver([post_save, post_delete], sender=Publication)
@receiver([post_save, post_delete], sender=Section)
def chrome_changed(sender, **kwargs):
    clear_site_chrome()
