"""Admin for who publishes: the publication, sections, authors, publishers and their pages."""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin.media import preview_url
from articles.admin.widgets import SafeAutocompleteMixin
from articles.forms import (
    AuthorAdminForm,
    PageAdminForm,
    PublicationAdminForm,
    PublisherAdminForm,
)
from articles.models import ArticleKind, Author, Page, Publication, Publisher, Section


def image_preview(image, *, height=120):
    if not image:
        return "—"
    return format_html('<img src="{}" alt="" class="admin-image-preview" height="{}">', image.url, height)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    form = PublicationAdminForm
    list_display = ["name", "issn", "tagline", "language"]
    readonly_fields = ["logo_preview"]
    fields = ["name", "tagline", "issn", "description", "language", "logo", "logo_preview"]

    def has_add_permission(self, request):
        """The site presents one publication; edit it rather than adding a second."""
        return not Publication.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        """Never the only one: without it the masthead, the ISSN and the structured data would vanish."""
        return Publication.objects.count() > 1 and super().has_delete_permission(request, obj)

    @admin.display(description=_("logo preview"))
    def logo_preview(self, obj):
        return image_preview(obj.logo)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "article_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # An aggregate drops Meta.ordering; keep the navigation order (and stable autocomplete pages).
        return super().get_queryset(request).annotate(article_total=Count("articles")).order_by("position", "name")

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(Author)
class AuthorAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "title", "user", "has_photo"]
    search_fields = ["name", "title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user", "photo"]
    list_select_related = ["user", "photo"]
    readonly_fields = ["photo_preview"]
    fields = ["name", "slug", "title", "bio", "photo", "photo_preview", "links", "user"]

    @admin.display(description=_("photo"), boolean=True)
    def has_photo(self, obj):
        return obj.photo_id is not None

    @admin.display(description=_("photo preview"))
    def photo_preview(self, obj):
        if obj.photo is None:
            return "—"
        return format_html('<img src="{}" alt="" class="admin-image-preview" height="120">', preview_url(obj.photo))


@admin.register(ArticleKind)
class ArticleKindAdmin(admin.ModelAdmin):
    list_display = ["name", "schema_type", "show_label", "is_sponsored", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "schema_type", "show_label", "is_sponsored", "disclosure", "position"]


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    form = PublisherAdminForm
    list_display = ["name", "description", "website"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["logo_preview"]

    @admin.display(description=_("logo preview"))
    def logo_preview(self, obj):
        return image_preview(obj.logo)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageAdminForm
    list_display = ["title", "kind", "slug", "is_published", "is_in_footer", "position", "updated_at"]
    list_editable = ["is_in_footer", "position"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "kind", "summary", "body", "is_published", "is_in_footer", "position"]
