"""The Django admin, the editors' home. Importing the modules registers their ModelAdmins."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin import article, curation, identity, integrations, media  # noqa: F401

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom admin")
admin.site.index_title = _("Desk")
