"""The newsroom's record of an article: corrections, revisions and old addresses."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from articles.models.common import SLUG_MAX_LENGTH


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections (not updates) on articles readers can see, newest first: the /corrections/ page."""
        return (
            self.filter(kind=Correction.Kind.CORRECTION, article__in=Article.objects.published())
            .select_related("article", "article__section")
            .order_by("-created_at", "-pk")
        )


class Correction(models.Model):
    """A dated note an editor appends to an article; published facts are never changed silently."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        _("note"),
        max_length=2000,
        help_text=_(
            "What was wrong and what is right, e.g. “An earlier version of this article misstated the date of the "
            "vote. It was 12 March.” Readers see it under the article, dated."
        ),
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()}, {date_format(timezone.localtime(self.created_at), 'j M Y')}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"


class ArticleRevision(models.Model):
    """The full content of an article after one save: who, when, what (see articles.workflow.snapshot)."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("saved"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["-version"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="unique_article_revision")]

    def __str__(self):
        return f"{self.article} – {self.version}"

    def get_absolute_url(self):
        return reverse("admin:articles_article_revision", args=[self.article_id, self.version])


class SlugRedirect(models.Model):
    """An address a published article used to have; the detail view answers it with a 301 to the current one."""

    old_slug = models.SlugField(_("old slug"), max_length=SLUG_MAX_LENGTH, unique=True)
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.old_slug})
