"""Article kinds (News, Analysis, Opinion, Review, Explainer, Sponsored...): what a reader is reading.

The six standard kinds are made by a data migration; editors add others in the admin. A kind
decides the label on cards and on the article, the schema.org type in the JSON-LD, and, for
paid content, the disclosure line and rel="sponsored" on the article's links.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.Model):
    class SchemaType(models.TextChoices):
        NEWS = "NewsArticle", _("News report (NewsArticle)")
        ANALYSIS = "AnalysisNewsArticle", _("Analysis (AnalysisNewsArticle)")
        OPINION = "OpinionNewsArticle", _("Opinion (OpinionNewsArticle)")
        REVIEW = "ReviewNewsArticle", _("Review (ReviewNewsArticle)")
        BACKGROUND = "BackgroundNewsArticle", _("Explainer or background (BackgroundNewsArticle)")
        REPORTAGE = "ReportageNewsArticle", _("Reportage (ReportageNewsArticle)")
        ASK_PUBLIC = "AskPublicNewsArticle", _("Question to readers (AskPublicNewsArticle)")
        SATIRE = "SatiricalArticle", _("Satire (SatiricalArticle)")
        ADVERTISER = "AdvertiserContentArticle", _("Paid content (AdvertiserContentArticle)")

    name = models.CharField(_("name"), max_length=40, unique=True, help_text=_("The label readers see, e.g. Opinion."))
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    schema_type = models.CharField(
        _("type for search engines"),
        max_length=32,
        choices=SchemaType.choices,
        default=SchemaType.NEWS,
        help_text=_("The schema.org type given to search engines in the article's structured data."),
    )
    show_label = models.BooleanField(
        _("show the label"),
        default=True,
        help_text=_("Show the name on cards and on the article. Usually off for plain news only."),
    )
    is_sponsored = models.BooleanField(
        _("paid content"),
        default=False,
        help_text=_(
            "Articles of this kind show the disclosure below and name their sponsor; their links get "
            "rel=“sponsored”, as search engines require for paid links."
        ),
    )
    disclosure = models.TextField(
        _("disclosure"),
        max_length=500,
        blank=True,
        help_text=_(
            "Shown above the article, e.g. “This content was paid for by an advertiser. "
            "The newsroom did not write or edit it.”"
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Order in the editors' menu."))

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("article kind")
        verbose_name_plural = _("article kinds")

    def __str__(self):
        return self.name

    def clean(self):
        if self.is_sponsored and not self.disclosure.strip():
            raise ValidationError(
                {
                    "disclosure": ValidationError(
                        _("Paid content needs a disclosure for readers."), code="disclosure_required"
                    )
                }
            )
