"""The desk's working records: who has an article open (soft locks), autosaved drafts, notifications."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article

# A lock whose holder's page has not called in for this long has expired by itself (closed tab, lost laptop).
LOCK_TIMEOUT = timedelta(minutes=2)


class EditLock(models.Model):
    """Who has an article open in the editor, since when, and when their page last called in (heartbeat).

    A soft lock: it warns the next person before they type; the stale-save refusal of
    articles.services still protects against two saves. See articles.locks.
    """

    article = models.OneToOneField(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("editing"), on_delete=models.CASCADE)
    started_at = models.DateTimeField(_("since"), default=timezone.now)
    seen_at = models.DateTimeField(_("last heartbeat"), default=timezone.now)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("edit lock")
        verbose_name_plural = _("edit locks")

    def __str__(self):
        return f"{self.user} – {self.article_id}"

    @property
    def is_fresh(self):
        return timezone.now() - self.seen_at < LOCK_TIMEOUT


class ArticleAutosave(models.Model):
    """The latest autosave of one person's unsaved edits to an article: one row, updated in place every
    30 seconds, shown in the article's history and removed by that person's next real save, so the
    revision history gets no noise. Never changes the article or what readers see."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="autosaves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.CASCADE, related_name="+")
    based_on_version = models.PositiveIntegerField(_("edited from version"))
    saved_at = models.DateTimeField(_("autosaved"), default=timezone.now)
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["-saved_at"]
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="one_autosave_per_person")]

    def __str__(self):
        return f"{self.article} – {self.user} ({self.saved_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("admin:articles_article_autosave", args=[self.article_id, self.pk])


class DeskNotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class DeskNotification(models.Model):
    """Tells a reporter what happened to their piece: sent back (with the editor's note), scheduled, published.
    Shown on the desk until read; mailed through the task queue (articles.notifications)."""

    class Kind(models.TextChoices):
        RETURNED = "returned", _("Sent back")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for"),
        on_delete=models.CASCADE,
        related_name="desk_notifications",
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="desk_notifications"
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True, editable=False)

    objects = DeskNotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("desk notification")
        verbose_name_plural = _("desk notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="desk_note_unread_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"

    def get_absolute_url(self):
        return reverse("admin:articles_article_change", args=[self.article_id])
