"""The publication's own pages: About, Contact and the policies."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from articles.richtext import EDITOR_EXTENSIONS, sanitize_html
from articles.validators import validate_page_slug
from newsroom.reverse import reverse


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_footer(self):
        return self.published().filter(is_in_footer=True)


class Page(models.Model):
    """One of the publication's own pages (About, Contact, policies), edited in the admin, shown at /<slug>/."""

    class Kind(models.TextChoices):
        ABOUT = "about", _("About us")
        CONTACT = "contact", _("Contact")
        PRIVACY = "privacy", _("Privacy policy")
        CORRECTIONS = "corrections", _("Corrections policy")
        ETHICS = "ethics", _("Ethics policy")
        OTHER = "other", _("Other page")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        validators=[validate_page_slug],
        help_text=_("The page's address: “about” gives /about/."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_(
            "Search engines learn from the kind which page holds the corrections and ethics policies "
            "(the Trust Project's indicators). One page of each kind, except “Other”."
        ),
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One sentence for search results and link previews.")
    )
    body = ProseEditorField(
        _("body"),
        config={"extensions": EDITOR_EXTENSIONS},
        blank=True,
        help_text=_("Formatting is limited to what the toolbar offers; anything else is removed on save."),
    )
    is_published = models.BooleanField(_("published"), default=True, help_text=_("Readers see only published pages."))
    is_in_footer = models.BooleanField(_("link in the footer"), default=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first in the footer.")
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=~models.Q(kind="other"),
                name="unique_page_kind",
                violation_error_code="kind_taken",
                violation_error_message=_("There is already a page of this kind."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:page", kwargs={"slug": self.slug})
