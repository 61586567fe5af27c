"""Inlines on the article form: bylines in order, corrections appended."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.admin.widgets import SafeAutocompleteMixin
from articles.forms import (
    CorrectionInlineForm,
)
from articles.models import Byline, Correction


class BylineInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = _("byline")
    verbose_name_plural = _("bylines (authors, in order)")

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_edit(request.user, obj)


class CorrectionInline(admin.StackedInline):
    """Editors append dated notes; once saved a note stays as written (only a superuser may delete one)."""

    model = Correction
    form = CorrectionInlineForm
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    verbose_name = _("correction or update")
    verbose_name_plural = _("corrections and updates (shown to readers, dated)")

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
