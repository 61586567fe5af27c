"""What editors put on top: curated fronts (the front page and each section's page) and the breaking-news banner.

A Front holds pins: articles in the order the editors chose, each shown from an optional start
time until an optional end time. The first live pin is the lead; the others are the top
stories; the rest of the page fills itself newest first (ArticleQuerySet.curated(), one query).
Every change of the order is kept as a FrontChange: who, when, what the order became.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from articles.models.publication import Section
from articles.validators import validate_site_link


class FrontQuerySet(models.QuerySet):
    def home(self):
        """The front page's Front, made on first use."""
        front = self.filter(section__isnull=True).first()
        return front or Front.objects.create(section=None)

    def for_section(self, section):
        return self.get_or_create(section=section)[0]


class Front(models.Model):
    """The curated top of one reader page: the front page (no section) or a section's page."""

    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fronts",
        help_text=_("Empty: the front page."),
    )
    updated_at = models.DateTimeField(_("order changed"), null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("order changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = FrontQuerySet.as_manager()

    class Meta:
        ordering = [models.F("section").asc(nulls_first=True)]
        verbose_name = _("curated front")
        verbose_name_plural = _("curated fronts")
        constraints = [models.UniqueConstraint(Coalesce("section", Value(0)), name="one_front_per_page")]

    def __str__(self):
        if self.section_id is None:
            return str(_("Front page"))
        return str(_("Section: %(name)s") % {"name": self.section.name})

    def get_absolute_url(self):
        return self.section.get_absolute_url() if self.section_id else reverse("articles:front")


class FrontPinQuerySet(models.QuerySet):
    def live(self, now=None):
        """Pins showing now: started (or no start time) and not ended."""
        now = now or timezone.now()
        return self.filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now)).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class FrontPin(models.Model):
    """One article placed on a front by the editors, at a position, optionally for a time."""

    front = models.ForeignKey(Front, verbose_name=_("front"), on_delete=models.CASCADE, related_name="pins")
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="pins")
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("The first is the lead."))
    starts_at = models.DateTimeField(
        _("from"), null=True, blank=True, help_text=_("Empty: from now (or from when the article goes live).")
    )
    ends_at = models.DateTimeField(_("until"), null=True, blank=True, help_text=_("Empty: until taken off."))

    objects = FrontPinQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pinned article")
        verbose_name_plural = _("pinned articles (the first is the lead)")
        constraints = [models.UniqueConstraint(fields=["front", "article"], name="one_pin_per_article_per_front")]
        indexes = [models.Index(fields=["article", "front"], name="pin_article_front_idx")]

    def __str__(self):
        return f"{self.position}. {self.article}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": ValidationError(_("The end must come after the start."), code="ends_before_start")}
            )

    def is_live(self, now=None):
        now = now or timezone.now()
        return (self.starts_at is None or self.starts_at <= now) and (self.ends_at is None or self.ends_at > now)


class FrontChange(models.Model):
    """The record of one change of a front's order: who, when, and the order it became."""

    front = models.ForeignKey(Front, verbose_name=_("front"), on_delete=models.CASCADE, related_name="changes")
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.CharField(_("change"), max_length=500)
    order = models.JSONField(_("order"), default=list, help_text=_("The pins after the change."))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("change of order")
        verbose_name_plural = _("changes of order")

    def __str__(self):
        return self.summary


class BreakingNewsQuerySet(models.QuerySet):
    def live(self, now=None):
        """Banners showing now: started and neither ended nor taken down."""
        now = now or timezone.now()
        return self.filter(starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))

    def upcoming(self, now=None):
        return self.filter(starts_at__gt=now or timezone.now())


class BreakingNews(models.Model):
    """A line shown above every reader page, from its start until it expires or is taken down.

    When several are live, readers see the most recently started one. articles.breaking caches the
    current banner until its next change of state; signals and jobs announce each change to caches.
    """

    class Level(models.TextChoices):
        BREAKING = "breaking", _("Breaking news")
        LIVE = "live", _("Live")
        DEVELOPING = "developing", _("Developing story")
        NOTICE = "notice", _("Notice")

    text = models.CharField(
        _("text"), max_length=200, help_text=_("One line, e.g. “Polls have closed: follow the count live”.")
    )
    url = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[validate_site_link],
        help_text=_(
            "Where the line leads: an article's address on this site (/articles/…) or a full https:// address."
        ),
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.BREAKING)
    starts_at = models.DateTimeField(_("show from"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("show until"),
        null=True,
        blank=True,
        help_text=_("Empty: until taken down (the “Take down now” action)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("breaking-news banner")
        verbose_name_plural = _("breaking-news banners")

    def __str__(self):
        return self.text

    def clean(self):
        self.text = " ".join((self.text or "").split())
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": ValidationError(_("The end must come after the start."), code="ends_before_start")}
            )

    @property
    def is_live(self):
        now = timezone.now()
        return self.starts_at <= now and (self.ends_at is None or self.ends_at > now)
