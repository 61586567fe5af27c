"""What other systems use to read the newsroom: Content API keys, webhook subscriptions and their deliveries.

An API key is shown once when it is made and stored only as a SHA-256 digest (keys are long random
strings, so a fast digest is as safe as a password hash and costs nothing per request). A webhook
subscription names a target URL, a signing secret and the events it wants; every event sent to it
is a WebhookDelivery row, the delivery log shown in the admin (articles.webhooks sends them).
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "nr_"


def hash_key(raw_key):
    """The stored form of an API key: the SHA-256 hex digest of the key as sent."""
    return hashlib.sha256(raw_key.encode("utf-8", "surrogatepass")).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A key for the Content API: sent as the X-API-Key header by an app or a partner."""

    name = models.CharField(_("name"), max_length=120, help_text=_("Who or what uses it, e.g. “iOS app”, “AFP”."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="api_keys",
        help_text=_("The staff member responsible for this key."),
    )
    prefix = models.CharField(
        _("key starts with"), max_length=16, editable=False, help_text=_("Enough of the key to recognise it.")
    )
    hashed_key = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    sees_scheduled = models.BooleanField(
        _("sees scheduled and embargoed articles"),
        default=False,
        help_text=_(
            "For partners who receive copy before release, as news agencies do: scheduled and embargoed "
            "articles are included, marked with the time they go live. Drafts are never shown."
        ),
    )
    rate_limit = models.PositiveIntegerField(
        _("requests per minute"),
        null=True,
        blank=True,
        help_text=_("Empty: the site-wide limit for keys (NEWSROOM_API_KEY_PER_MINUTE)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def get_absolute_url(self):
        return reverse("admin:articles_apikey_change", args=[self.pk])

    @admin.display(boolean=True, description=_("active"))
    def is_active(self):
        return self.revoked_at is None

    def set_new_key(self):
        """Give the key a new random value; returns it. Only its digest is stored: show it now or never."""
        raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix = raw_key[:10]
        self.hashed_key = hash_key(raw_key)
        return raw_key


class WebhookEvent(models.TextChoices):
    """The events a subscription can ask for (articles.webhooks maps the content-changed kinds onto them)."""

    ARTICLE_PUBLISHED = "article.published", _("Article published")
    ARTICLE_UPDATED = "article.updated", _("Article updated")
    ARTICLE_UNPUBLISHED = "article.unpublished", _("Article unpublished or deleted")
    ARTICLE_CORRECTED = "article.corrected", _("Article corrected")
    COMMENT_APPROVED = "comment.approved", _("Comment approved")
    TAXONOMY_CHANGED = "taxonomy.changed", _("Section, tag, author or publisher changed")


def new_secret():
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookSubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def wanting(self, event):
        """Active subscriptions that asked for `event` (filtered in Python: the list is short and JSON
        containment lookups differ between SQLite and PostgreSQL)."""
        return [subscription for subscription in self.active() if event in subscription.events]


class WebhookSubscription(models.Model):
    """A system to tell of changes: each event it asked for is POSTed to its URL, signed with its secret."""

    name = models.CharField(_("name"), max_length=120)
    target_url = models.URLField(
        _("target URL"),
        max_length=500,
        help_text=_("Where events are POSTed, e.g. https://partner.example.com/hooks/newsroom."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=128,
        default=new_secret,
        help_text=_(
            "Shared with the receiver, who checks the X-Newsroom-Signature header with it. "
            "At least 24 characters; a random one is filled in."
        ),
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhook_subscriptions",
        help_text=_("Told by email when the subscription is disabled after failing for too long."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True, editable=False)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # Set while a worker sends this subscription's deliveries, so that they go out one at a time, in order.
    sending_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:articles_webhooksubscription_change", args=[self.pk])


class WebhookDelivery(models.Model):
    """One event for one subscription: the exact body sent, and how each try went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        RETRYING = "retrying", _("Failed, will retry")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40)
    # One delivery per subscription for each (event, object, moment): a job that runs twice adds no duplicate.
    dedupe_key = models.CharField(max_length=64, editable=False)
    payload = models.TextField(_("payload"), help_text=_("The JSON body, sent byte for byte on every try."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(_("last try"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["subscription", "status", "id"], name="webhook_queue_idx")]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "dedupe_key"], name="unique_webhook_delivery"),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription}"

    def get_absolute_url(self):
        return reverse("admin:articles_webhookdelivery_change", args=[self.pk])

    @property
    def is_waiting(self):
        return self.status in {self.Status.PENDING, self.Status.RETRYING}
