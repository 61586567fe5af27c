from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget

from articles.models import Article, Publication, Publisher


def validate_upload_size(upload):
    """Refuse an oversized upload with a message naming the limit, before Pillow opens it."""
    if upload and getattr(upload, "size", 0) > settings.MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("This file is %(size)s; the largest allowed is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)},
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
        return validate_upload_size(self.cleaned_data.get("image"))

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
