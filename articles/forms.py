import re
from datetime import date
from pathlib import PurePath
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import FileExtensionValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from PIL import Image as PILImage
from taggit.forms import TagWidget

from articles import media, services, share_links, workflow
from articles.images import ALLOWED_EXTENSIONS, RenditionError, open_upload, reencode
from articles.models import (
    Article,
    ArticleKind,
    Author,
    Correction,
    Image,
    Page,
    Publication,
    Publisher,
    SlugRedirect,
)
from articles.search import QUERY_MAX_LENGTH, clean_query
from articles.tags import TAG_NAME_MAX_LENGTH, clean_tag_name

# Control characters (bar tab and newline): invisible, and feeds (XML) cannot hold them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def validate_upload_size(upload):
    """Refuse an oversized upload with a message naming the limit, before Pillow opens it."""
    if upload and getattr(upload, "size", 0) > settings.MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("This file is %(size)s; the largest allowed is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)},
        )
    return upload


def validate_image_pixels(upload):
    """Refuse an image with more pixels than renditions are made from (a decompression bomb, or a
    huge scan): its file may be small, but decoding it would take gigabytes of memory."""
    image = getattr(upload, "image", None)  # set by forms.ImageField once Pillow has checked the file
    if image is not None and image.width * image.height > settings.IMAGE_MAX_PIXELS:
        raise forms.ValidationError(
            _("This image is %(width)s×%(height)s pixels; the largest allowed is %(limit)s megapixels."),
            code="image_too_large",
            params={"width": image.width, "height": image.height, "limit": settings.IMAGE_MAX_PIXELS // 1_000_000},
        )
    return upload


class LibraryImageField(forms.FileField):
    """An upload for the media library: JPEG, PNG, WebP or GIF, opened by Pillow with only those decoders
    (articles.media.check_file), within the size and pixel limits. Each refusal has a code and a message."""

    default_validators = [FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif"])]

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        upload.facts = media.check_file(upload)
        return upload


class ImageAdminForm(forms.ModelForm):
    """The library's form: the file, what readers see with it, the rights, and the focal point."""

    file = LibraryImageField(
        label=_("file"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=Image._meta.get_field("file").help_text,
    )

    class Meta:
        model = Image
        fields = [
            "file",
            "title",
            "alt",
            "is_decorative",
            "caption",
            "credit",
            "source",
            "licence",
            "restrictions",
            "rights_expire_at",
            "tags",
            "focal_x",
            "focal_y",
        ]
        widgets = {
            "alt": forms.TextInput(attrs={"size": 80}),
            "caption": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "restrictions": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "rights_expire_at": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:  # absent when the page is read-only
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Empty: made from the file's name.")

    def clean_title(self):
        return " ".join(self.cleaned_data.get("title", "").split())

    def _post_clean(self):
        if not self.cleaned_data.get("title") and self.cleaned_data.get("file"):
            self.cleaned_data["title"] = media.title_from(self.cleaned_data["file"].name)
        super()._post_clean()


class ImageUploadForm(ImageAdminForm):
    """An upload from inside the body editor (articles.admin.media's upload endpoint): the essentials only."""

    class Meta(ImageAdminForm.Meta):
        fields = ["file", "title", "alt", "is_decorative", "caption", "credit", "source", "licence"]
        widgets = {}


class SafeImageField(forms.ImageField):
    """An image upload that only JPEG, PNG, WebP and GIF decoders ever read, stored re-encoded.

    In order: the size limit (nothing read), the format (Pillow opens the header with the four
    allowed plugins only: an EPS, TIFF, BMP, SVG... is refused unread), the pixel limit (nothing
    decoded yet), the file name's extension, then the pixels are decoded and written anew with
    no metadata (no GPS, no EXIF, no XMP, no comments). What is stored, and served, is that copy.
    """

    default_validators = []

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        validate_upload_size(upload)
        upload.seek(0)
        raw = upload.read()
        try:
            opened = open_upload(raw)
        except PILImage.DecompressionBombError:
            raise forms.ValidationError(
                _("This image has far too many pixels; the largest allowed is %(limit)s megapixels."),
                code="image_too_large",
                params={"limit": settings.IMAGE_MAX_PIXELS // 1_000_000},
            ) from None
        except Exception:  # any other decoder error means "not an image we accept"
            raise forms.ValidationError(self.error_messages["invalid_image"], code="invalid_image") from None
        upload.image = opened
        validate_image_pixels(upload)
        FileExtensionValidator(allowed_extensions=ALLOWED_EXTENSIONS)(upload)
        try:
            clean = reencode(raw)
        except RenditionError:
            raise forms.ValidationError(self.error_messages["invalid_image"], code="invalid_image") from None
        stem = PurePath(upload.name).stem[:80] or "image"
        stored = SimpleUploadedFile(f"{stem}.{clean.extension}", clean.data, content_type=clean.mime)
        stored.image = opened
        return stored


class ArticleAdminForm(forms.ModelForm):
    """The desk's article form: role-limited states, transition buttons, and no lost edits.

    ArticleAdmin.get_form sets `user`. The hidden `version` is the article's version when the
    form was opened; a save from an older version is refused (see clean()).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    minor_edit = forms.BooleanField(
        label=_("Minor change"),
        required=False,
        help_text=_("A typo or a tag: readers are not told “Updated”. Corrections and new facts are never minor."),
    )
    # A new featured image, straight into the library (instead of choosing one there).
    new_image = LibraryImageField(
        label=_("or upload a new image"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=_("Added to the media library with the alt text, caption and credit below."),
    )
    new_image_alt = forms.CharField(
        label=_("its alt text"),
        required=False,
        max_length=400,
        help_text=_("Required with a new image unless it is decorative: describe it for readers who cannot see it."),
        widget=forms.TextInput(attrs={"size": 80}),
    )
    new_image_is_decorative = forms.BooleanField(label=_("it is decorative"), required=False)
    new_image_caption = forms.CharField(label=_("its caption"), required=False, max_length=600)
    new_image_credit = forms.CharField(label=_("its credit"), required=False, max_length=200)
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = self.instance if self.instance.pk else None
        if existing is not None:
            self.fields["version"].initial = existing.version
        elif "kind" in self.fields:
            self.fields["kind"].initial = ArticleKind.objects.filter(slug="news").values_list("pk", flat=True).first()
        if self.user is not None and "status" in self.fields:
            self.fields["status"].choices = workflow.status_choices(self.user, existing)

    class Meta:
        model = Article
        fields = "__all__"
        widgets = {
            "tags": TagWidget(
                attrs={
                    "data-suggest-url": reverse_lazy("admin:articles_article_tag_suggestions"),
                    "autocomplete": "off",
                    "size": 60,
                }
            )
        }

    def clean_new_image_alt(self):
        return " ".join(self.cleaned_data.get("new_image_alt", "").split())

    def clean_headline(self):
        headline = " ".join(CONTROL_CHARACTERS.sub(" ", self.cleaned_data["headline"]).split())
        if not headline:
            raise forms.ValidationError(_("A headline needs some words."), code="blank_headline")
        return headline

    def clean_dek(self):
        return CONTROL_CHARACTERS.sub("", self.cleaned_data.get("dek") or "").strip()

    def clean_tags(self):
        """Tag names as stored (invisible characters removed, NFC), each short enough for its column."""
        names = {}
        for raw in self.cleaned_data.get("tags") or []:
            name = clean_tag_name(raw)
            if len(name) > TAG_NAME_MAX_LENGTH:
                raise forms.ValidationError(
                    _("The tag “%(start)s…” is %(length)d characters long; a tag has at most %(limit)d."),
                    code="tag_too_long",
                    params={"start": name[:30], "length": len(name), "limit": TAG_NAME_MAX_LENGTH},
                )
            if name:
                names.setdefault(name.casefold(), name)
        return list(names.values())

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug:
            redirect = SlugRedirect.objects.filter(old_slug=slug).select_related("article").first()
            if redirect and redirect.article_id != self.instance.pk:
                raise forms.ValidationError(
                    _("“%(slug)s” is an old address of “%(headline)s” and still takes readers there. Choose another."),
                    code="slug_redirects",
                    params={"slug": slug, "headline": redirect.article.headline},
                )
        return slug

    def clean(self):
        cleaned_data = super().clean()
        transition = self.data.get("_transition")
        if transition and self.user is not None:
            existing = self.instance if self.instance.pk else None
            if transition in dict(workflow.status_choices(self.user, existing)):
                cleaned_data["status"] = transition
            else:
                raise forms.ValidationError(_("You may not make that change of state."), code="transition_denied")
        if cleaned_data.get("new_image"):
            if self.user is not None and not self.user.has_perm("articles.add_image"):
                self.add_error("new_image", forms.ValidationError(_("You may not add images."), code="denied"))
            elif not cleaned_data.get("new_image_alt") and not cleaned_data.get("new_image_is_decorative"):
                self.add_error(
                    "new_image_alt",
                    forms.ValidationError(
                        _("Describe the image for readers who cannot see it, or mark it as decorative."),
                        code="alt_required",
                    ),
                )
        if self.instance.pk:
            self.refuse_stale_save()
        return cleaned_data

    def refuse_stale_save(self):
        """Refuse a save made from an older version than the stored one: never overwrite silently.

        The row stays locked until the admin's transaction ends, so two saves cannot both pass.
        After a refusal the form carries the current version: saving again is a deliberate choice.
        """
        submitted = self.cleaned_data.get("version")
        with transaction.atomic():
            current = services.lock_version(self.instance)
        if submitted == current:
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current
        latest = self.instance.revisions.filter(version=current).select_related("created_by").first()
        if latest is not None and submitted and self.instance.revisions.filter(version=submitted).exists():
            changes_url = reverse("admin:articles_article_compare", args=[self.instance.pk])
            changes_url += "?" + urlencode({"from": submitted, "to": current})
        else:
            changes_url = reverse("admin:articles_article_history", args=[self.instance.pk])
        if latest is not None:
            who = latest.created_by.get_full_name() or latest.created_by.get_username() if latest.created_by else None
            saved = _("%(who)s saved this article at %(when)s, after you opened it.") % {
                "who": who or _("Someone else"),
                "when": date_format(timezone.localtime(latest.created_at), "DATETIME_FORMAT"),
            }
        else:
            saved = _("Someone else saved this article after you opened it.")
        raise forms.ValidationError(
            format_html(
                '{} {} <a href="{}" target="_blank" rel="noopener">{}</a>. {}',
                saved,
                _("Your changes are below, not saved."),
                changes_url,
                _("See what changed"),
                _("Then copy your edits into the current version, or save again to replace theirs with yours."),
            ),
            code="edit_conflict",
        )


class PublicationAdminForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = "__all__"
        field_classes = {"logo": SafeImageField}


class PublisherAdminForm(forms.ModelForm):
    class Meta:
        model = Publisher
        fields = "__all__"
        field_classes = {"logo": SafeImageField}


class AuthorAdminForm(forms.ModelForm):
    class Meta:
        model = Author
        fields = "__all__"
        widgets = {"links": forms.Textarea(attrs={"rows": 4, "cols": 60})}

    def clean_links(self):
        return "\n".join(line.strip() for line in self.cleaned_data.get("links", "").splitlines() if line.strip())


class PageAdminForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = "__all__"

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


# Search date filters stay well inside what datetime can hold in any time zone (9999-12-31 plus a day overflows).
SEARCH_DATE_MIN = date(1000, 1, 1)
SEARCH_DATE_MAX = date(9000, 12, 31)


def validate_search_date(value):
    if value is not None and not SEARCH_DATE_MIN <= value <= SEARCH_DATE_MAX:
        raise forms.ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": date_format(SEARCH_DATE_MIN), "last": date_format(SEARCH_DATE_MAX)},
        )


FILTERS = ("section", "start", "end", "sort")
FILTERS_TEMPLATE = "articles/_search_filters.html"
KEPT_FILTERS_MAX = 256
_kept_filters = {}


class SearchForm(forms.Form):
    """The reader's search: words, and optional filters by section and publication date.

    Never invalid as a whole: a bad filter is reported and ignored, and the words are
    cleaned (control characters dropped, length capped) rather than refused.
    """

    SORT_CHOICES = [("relevance", _("Best match")), ("newest", _("Newest first"))]

    q = forms.CharField(label=_("Search articles"), required=False, strip=False)
    section = forms.ChoiceField(label=_("Section"), required=False)
    start = forms.DateField(
        label=_("From"),
        required=False,
        validators=[validate_search_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        validators=[validate_search_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = forms.ChoiceField(label=_("Order"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {section.slug: section for section in sections}
        self.fields["section"].choices = [("", _("All sections"))] + [
            (section.slug, section.name) for section in sections
        ]
        self.fields["q"].widget.attrs.update({"maxlength": QUERY_MAX_LENGTH, "type": "search"})
        # clean_q removes NUL and other control characters instead of refusing the search.
        self.fields["q"].validators = []

    def clean_q(self):
        return clean_query(self.cleaned_data.get("q"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", forms.ValidationError(_("The end date is before the start date."), code="date_order"))
        return cleaned

    def filters_html(self):
        """The filters' fieldset. Django's widgets took about 1.5 ms to render its selects and dates, and a spike's
        searches are mostly the same few: it is kept per process under all it is made from (the language, the
        sections offered and the filters' submitted values, from which their errors follow)."""
        key = (
            translation.get_language(),
            tuple((slug, section.name) for slug, section in self.sections.items()),
            tuple(self.data.get(name) for name in FILTERS) if self.is_bound else None,
        )
        html = _kept_filters.get(key)
        if html is None:
            if len(_kept_filters) >= KEPT_FILTERS_MAX:
                _kept_filters.clear()
            html = _kept_filters[key] = render_to_string(FILTERS_TEMPLATE, {"form": self})
        return mark_safe(html)  # noqa: S308 (rendered by the template)

    def value(self, name):
        """A filter's cleaned value, or None when it was missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            return None
        return self.cleaned_data.get(name) or None


class ShareLinkForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("valid for"),
        coerce=int,
        choices=[
            (days, ngettext_lazy("%(count)d day", "%(count)d days", days) % {"count": days})
            for days in share_links.SHARE_DURATIONS
        ],
        initial=3,
    )


class CorrectionInlineForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write what was corrected or updated."), code="blank_note")
        return text
