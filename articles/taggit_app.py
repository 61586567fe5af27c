"""django-taggit's app, named "Tags" in the admin instead of "Taggit" (settings.INSTALLED_APPS uses it).

In a module of its own: articles/apps.py must keep a single AppConfig for Django to pick.
"""

from django.utils.translation import gettext_lazy as _
from taggit.apps import TaggitAppConfig


class TagsConfig(TaggitAppConfig):
    verbose_name = _("Tags")
