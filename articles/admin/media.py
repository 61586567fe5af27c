"""The media library in the admin, and the endpoints the body editor's media extension calls
(static/admin/js/prose_media.js): search the library, upload without leaving the story, check an embed URL.

Every write goes through articles.media. Originals are private: staff see one through original_view,
never through a storage URL.
"""

import mimetypes

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.http import FileResponse, Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import embeds, media, workflow
from articles.admin.states import state_label
from articles.forms import ImageAdminForm, ImageUploadForm
from articles.models import Article, BodyImage, Image, ImageTag

LIBRARY_PAGE_SIZE = 24


class RightsFilter(admin.SimpleListFilter):
    title = _("usage rights")
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [
            ("expired", _("Expired")),
            ("expiring", _("Expiring within 30 days")),
            ("restricted", _("With restrictions")),
            ("unknown", _("Licence unknown")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "expired":
            return queryset.rights_expired()
        if value == "expiring":
            return queryset.rights_expiring(30)
        if value == "restricted":
            return queryset.exclude(restrictions="")
        if value == "unknown":
            return queryset.filter(licence=Image.Licence.UNKNOWN)
        return queryset


class UsageFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("used", _("Used in a story")), ("unused", _("Not used anywhere"))]

    def queryset(self, request, queryset):
        if self.value() == "used":
            return queryset.in_use()
        if self.value() == "unused":
            return queryset.unused()
        return queryset


class ImageTagFilter(admin.SimpleListFilter):
    title = _("image tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return ImageTag.objects.filter(tagged_images__isnull=False).distinct().values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


def thumbnail_url(image):
    """A small rendition for the library's lists and the editor; the staff-only original before there is one."""
    images = image.crop("square") or image.renditions()
    if images:
        return images.closest(160).url
    return reverse("admin:articles_image_original", args=[image.pk])


def preview_url(image):
    images = image.renditions()
    if images:
        return images.closest(960).url
    return reverse("admin:articles_image_original", args=[image.pk])


def summary(image):
    """What the body editor knows of a library image."""
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.alt,
        "is_decorative": image.is_decorative,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "thumbnail": thumbnail_url(image),
        "preview": preview_url(image),
        "rights_expired": image.is_rights_expired(),
        "admin_url": reverse("admin:articles_image_change", args=[image.pk]),
    }


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The media library: upload once, use anywhere; find pictures by words, rights and use."""

    form = ImageAdminForm
    list_display = ["thumbnail", "title", "credit", "licence", "rights", "dimensions", "use_count", "created_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = [RightsFilter, UsageFilter, "licence", "is_decorative", ImageTagFilter, "created_at"]
    search_fields = ["title", "alt", "caption", "credit", "source", "tags__name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "original_file",
        "focal_point_picker",
        "used_in",
        "dimensions",
        "renditions_state",
        "uploaded_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["file", "original_file", "title", "focal_point_picker", ("focal_x", "focal_y")]}),
        (_("What readers see"), {"fields": ["alt", "is_decorative", "caption", "credit"]}),
        (_("Rights"), {"fields": ["source", "licence", "restrictions", "rights_expire_at"]}),
        (
            _("In the library"),
            {
                "fields": [
                    "tags",
                    "used_in",
                    "dimensions",
                    "renditions_state",
                    "uploaded_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    list_per_page = 40
    view_on_site = False
    save_on_top = True

    class Media:
        js = ["admin/js/focal_point.js"]
        css = {"all": ["admin/css/media.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("uploaded_by")
            .annotate(featured_total=Count("featured_in", distinct=True), body_total=Count("body_uses", distinct=True))
            .order_by("-created_at", "-pk")  # an aggregate drops Meta.ordering
        )

    def get_fieldsets(self, request, obj=None):
        """A new image shows only what can be typed in; a read-only page shows the staff-only link to the original
        (which has no public URL) instead of the file field."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            hidden = {
                "original_file",
                "used_in",
                "dimensions",
                "renditions_state",
                "uploaded_by",
                "created_at",
                "updated_at",
            }
        elif self.has_change_permission(request, obj):
            return fieldsets
        else:
            hidden = {"file"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def has_change_permission(self, request, obj=None):
        """Editors change every image; reporters the ones they uploaded."""
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or workflow.can_publish(request.user):
            return allowed
        return obj.uploaded_by_id == request.user.pk

    # Saving through articles.media.

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related() hands the image and its tags to articles.media.image_save in one call."""

    def save_related(self, request, form, formsets, change):
        media.image_save(image=form.instance, user=request.user, tags=form.cleaned_data.get("tags"), validate=False)

    def delete_model(self, request, obj):
        media.image_delete(image=obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            media.image_delete(image=image)

    # Columns and read-only fields.

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        if not obj.has_renditions:
            return format_html('<span class="media-processing">{}</span>', gettext("Processing…"))
        return format_html('<img src="{}" alt="" class="media-thumbnail" width="80" height="80">', thumbnail_url(obj))

    @admin.display(description=_("rights"), ordering="rights_expire_at")
    def rights(self, obj):
        if obj.rights_expire_at is None:
            return "—"
        when = date_format(obj.rights_expire_at, "DATE_FORMAT")
        if obj.is_rights_expired():
            return format_html('<strong class="media-rights-expired">{}</strong>', gettext("Expired on %s") % when)
        return gettext("Until %s") % when

    @admin.display(description=_("original"))
    def original_file(self, obj):
        if obj is None or obj.pk is None or not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a> <span class="help">{}</span>',
            reverse("admin:articles_image_original", args=[obj.pk]),
            obj.file.name.rsplit("/", 1)[-1],
            gettext("Private, with its metadata: staff only. Readers get re-encoded renditions."),
        )

    @admin.display(description=_("size"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "—"

    @admin.display(description=_("used in"))
    def use_count(self, obj):
        return getattr(obj, "featured_total", 0) + getattr(obj, "body_total", 0)

    @admin.display(description=_("renditions"))
    def renditions_state(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        if obj.renditions_are_current:
            return gettext("Ready")
        if obj.has_renditions:
            return gettext("Being remade for the new version; readers see the previous ones meanwhile.")
        return gettext("Being made; the image appears on pages once they are ready.")

    @admin.display(description=_("used in"))
    def used_in(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        featured = set(obj.featured_in.values_list("pk", flat=True))
        articles = list(media.articles_using(obj).order_by("-updated_at")[:100])
        if not articles:
            return gettext("Not used in any story yet.")
        rows = [
            (
                reverse("admin:articles_article_change", args=[article.pk]),
                article.headline,
                gettext("featured image") if article.pk in featured else gettext("in the text"),
                state_label(article),
            )
            for article in articles
        ]
        return format_html(
            '<ul class="media-used-in">{}</ul>', format_html_join("", '<li><a href="{}">{}</a> ({}; {})</li>', rows)
        )

    @admin.display(description=_("focal point"))
    def focal_point_picker(self, obj):
        """The picture to click on: JS (admin/js/focal_point.js) moves the marker, fills the two fields below
        and previews the crops. On a new image it shows the chosen file before it is uploaded."""
        src = preview_url(obj) if obj is not None and obj.pk else ""
        previews = format_html_join(
            "",
            '<figure class="focal-preview focal-preview-{}"><div class="focal-preview-frame"></div>'
            "<figcaption>{}</figcaption></figure>",
            [
                ("card", gettext("Card 3:2")),
                ("square", gettext("Square")),
                ("social", gettext("Social 1200×630")),
                ("wide", gettext("Lead 16:9")),
            ],
        )
        return format_html(
            '<div class="focal-picker" data-src="{}" data-x-input="id_focal_x" data-y-input="id_focal_y" '
            'data-file-input="id_file"><p class="focal-empty">{}</p></div>'
            '<p class="help">{}</p><div class="focal-previews" aria-hidden="true">{}</div>',
            src,
            gettext("Choose a file to set its focal point."),
            gettext(
                "Click the part of the picture that must stay in every crop (a face, the subject), "
                "or type the position in the two fields below. Renditions are remade when it moves."
            ),
            previews,
        )

    # Endpoints: the staff-only original, and the body editor's library, upload and embed check.

    def get_urls(self):
        def view(function, pattern, name):
            return path(pattern, self.admin_site.admin_view(function), name=f"articles_image_{name}")

        return [
            view(self.library_view, "library/", "library"),
            view(self.upload_view, "upload/", "upload"),
            view(self.embed_check_view, "embed-check/", "embed_check"),
            view(self.original_view, "<int:object_id>/original/", "original"),
            *super().get_urls(),
        ]

    def original_view(self, request, object_id):
        """The original file, for staff only (never cached, never a public URL)."""
        image = get_object_or_404(Image, pk=object_id)
        if not self.has_view_permission(request, image):
            raise PermissionDenied
        try:
            handle = image.file.storage.open(image.file.name, "rb")
        except (OSError, ValueError):
            raise Http404 from None
        content_type = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
        if not content_type.startswith("image/") or content_type == "image/svg+xml":
            content_type = "application/octet-stream"
        response = FileResponse(handle, content_type=content_type)
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def library_view(self, request):
        """Library images as JSON: ?q= words, or ?ids=1,2,3; 24 a page (?page=)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = Image.objects.order_by("-created_at", "-pk")
        if ids := request.GET.get("ids"):
            wanted = [int(one) for one in ids.split(",")[:100] if one.strip().isdigit()]
            found = {image.pk: image for image in queryset.filter(pk__in=wanted)}
            return JsonResponse({"results": [summary(found[pk]) for pk in wanted if pk in found], "next": None})
        words = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:200]
        if words:
            queryset = queryset.search(words)
        page = Paginator(queryset, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
        return JsonResponse(
            {
                "results": [summary(image) for image in page],
                "next": page.next_page_number() if page.has_next() else None,
            }
        )

    def upload_view(self, request):
        """A new library image from the body editor; 201 with its summary, or 400 with the form's errors."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImageUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        with transaction.atomic():
            image = media.image_save(image=form.instance, user=request.user, tags=[], validate=False)
        return JsonResponse({"image": summary(image)}, status=201)

    def embed_check_view(self, request):
        """Whether a pasted URL (or <iframe> code) is an embed of a known provider; no network call."""
        if not (request.user.has_perm("articles.add_article") or request.user.has_perm("articles.change_article")):
            raise PermissionDenied
        spec = embeds.match(embeds.clean_input(request.GET.get("url", "")[:4000]))
        return JsonResponse(embeds.as_json_ready(spec))


class ImageRightsFilter(admin.SimpleListFilter):
    """Articles showing a library image whose usage rights have expired (the desk's flag)."""

    title = _("image rights")
    parameter_name = "image_rights"

    def lookups(self, request, model_admin):
        return [("expired", _("Shows an image whose rights expired"))]

    def queryset(self, request, queryset):
        if self.value() == "expired":
            return queryset.filter(pk__in=articles_with_expired_images().values("pk"))
        return queryset

    @staticmethod
    def expired_for(article):
        return articles_with_expired_images().filter(pk=article.pk).exists()


def articles_with_expired_images(today=None):
    """Articles whose featured image or body shows an image whose rights ended before `today`."""
    expired = Image.objects.rights_expired(today)
    return Article.objects.filter(
        Exists(expired.filter(pk=OuterRef("image_id")))
        | Exists(BodyImage.objects.filter(article=OuterRef("pk"), image__in=expired))
    )
