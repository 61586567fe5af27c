from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wordpress.models import ImportedItem, LegacyRedirect


@admin.register(LegacyRedirect)
class LegacyRedirectAdmin(admin.ModelAdmin):
    """The old WordPress addresses: editors may correct or remove one; the import makes them."""

    list_display = ["old_path", "target_display", "created_at"]
    search_fields = ["old_path"]
    autocomplete_fields = ["article", "section", "author"]
    raw_id_fields = ["tag"]
    list_per_page = 100

    @admin.display(description=_("now at"))
    def target_display(self, obj):
        return obj.target() or _("(not public)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "section", "author", "tag")


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    """What the import remembers, read-only: which WordPress object became what."""

    list_display = ["kind", "wp_id", "source", "article", "is_sticky", "updated_at"]
    list_filter = ["kind", "is_sticky", "source"]
    search_fields = ["guid", "wp_id", "url", "file_path"]
    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
