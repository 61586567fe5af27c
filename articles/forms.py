from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget

from articles.models import Article, Page, Publication, Publisher
from articles.search import QUERY_MAX_LENGTH, clean_query


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


class ArticleAdminForm(forms.ModelForm):
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

    def clean_image(self):
        return validate_image_pixels(validate_upload_size(self.cleaned_data.get("image")))

    def clean_headline(self):
        headline = " ".join(self.cleaned_data["headline"].split())
        if not headline:
            raise forms.ValidationError(_("A headline needs some words."), code="blank_headline")
        return headline


class PublicationAdminForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = "__all__"

    def clean_logo(self):
        return validate_upload_size(self.cleaned_data.get("logo"))


class PublisherAdminForm(forms.ModelForm):
    class Meta:
        model = Publisher
        fields = "__all__"

    def clean_logo(self):
        return validate_upload_size(self.cleaned_data.get("logo"))


class PageAdminForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = "__all__"

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


class SearchForm(forms.Form):
    """The reader's search: words, and optional filters by section and publication date.

    Never invalid as a whole: a bad filter is reported and ignored, and the words are
    cleaned (control characters dropped, length capped) rather than refused.
    """

    SORT_CHOICES = [("relevance", _("Best match")), ("newest", _("Newest first"))]

    q = forms.CharField(label=_("Search articles"), required=False, strip=False)
    section = forms.ChoiceField(label=_("Section"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
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

    def value(self, name):
        """A filter's cleaned value, or None when it was missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            return None
        return self.cleaned_data.get(name) or None
