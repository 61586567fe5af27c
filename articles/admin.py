from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from articles.forms import ArticleAdminForm, PublicationAdminForm, PublisherAdminForm
from articles.models import Article, Author, Byline, Publication, Publisher, Section
from articles.views import query_text

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom admin")
admin.site.index_title = _("Newsroom desk")


def image_preview(image, *, height=120):
    if not image:
        return "—"
    return format_html('<img src="{}" alt="" class="admin-image-preview" height="{}">', image.url, height)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    form = PublicationAdminForm
    list_display = ["name", "issn", "tagline", "language"]
    readonly_fields = ["logo_preview"]
    fields = ["name", "tagline", "issn", "description", "site_url", "language", "logo", "logo_preview"]

    def has_add_permission(self, request):
        """The site presents one publication; edit it rather than adding a second."""
        return not Publication.objects.exists() and super().has_add_permission(request)

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
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "user"]
    search_fields = ["name", "title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


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


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = _("byline")
    verbose_name_plural = _("bylines (authors, in order)")


class TagFilter(admin.SimpleListFilter):
    title = _("tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return Tag.objects.filter(article__isnull=False).distinct().order_by("name").values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "status",
        "is_published",
        "section",
        "publisher",
        "byline_names",
        "published_at",
        "updated_at",
    ]
    list_display_links = ["headline"]
    list_filter = ["status", "section", "publisher", TagFilter, "published_at", "comment_policy"]
    list_select_related = ["section", "publisher"]
    search_fields = ["headline", "dek", "body", "slug", "authors__name", "tags__name", "publisher__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "publisher"]
    readonly_fields = ["image_preview", "created_at", "updated_at"]
    inlines = [BylineInline]
    actions = ["publish_now", "unpublish"]
    save_on_top = True
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "section", "tags", "comment_policy", "comments_close_after_days"]},
        ),
        (
            _("Featured image"),
            {"fields": ["image", "image_preview", "image_alt", "image_caption", "image_credit"]},
        ),
        (
            _("Syndication"),
            {
                "fields": ["publisher", "original_url", "rights"],
                "description": _("For an article first published elsewhere: credit the publisher."),
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        js = ["admin/js/tag_autocomplete.js"]
        css = {"all": ["admin/css/newsroom.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    def get_urls(self):
        return [
            path(
                "tag-suggestions/",
                self.admin_site.admin_view(self.tag_suggestions),
                name="articles_article_tag_suggestions",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions(self, request):
        """Existing tag names starting with ?q=, for the tag field's autocomplete."""
        prefix = query_text(request.GET.get("q", ""), max_length=100)
        tags = Tag.objects.order_by("name")
        if prefix:
            tags = tags.filter(name__istartswith=prefix)
        return JsonResponse({"results": list(tags.values_list("name", flat=True)[:20])})

    @admin.display(description=_("authors"))
    def byline_names(self, obj):
        return ", ".join(byline.author.name for byline in obj.bylines.all())

    @admin.display(description=_("preview"))
    def image_preview(self, obj):
        return image_preview(obj.image, height=180)

    @admin.action(description=_("Publish selected articles now"), permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        queryset.filter(Q(published_at__isnull=True) | Q(published_at__gt=now)).update(published_at=now)
        updated = queryset.update(status=Article.Status.PUBLISHED, updated_at=now)
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", updated) % updated,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["change"])
    def unpublish(self, request, queryset):
        updated = queryset.filter(status=Article.Status.PUBLISHED).update(
            status=Article.Status.UNPUBLISHED, updated_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%d article unpublished.", "%d articles unpublished.", updated) % updated,
            messages.SUCCESS,
        )
