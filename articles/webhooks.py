"""Webhooks: other systems hear of every change that readers can see, signed, in order, retried.

The content-changed event (articles.events) is heard here after the write has committed, and all the
work is done by background jobs, never inside a save:

1. prepare_deliveries() writes one WebhookDelivery per subscription that asked for the event and per
   changed object, whose body is the event, the object's API URL and its current public representation
   (null when it is gone or no longer public), as the Content API would show it.
2. send_deliveries() POSTs a subscription's waiting deliveries one at a time, oldest first, so a receiver
   sees events in the order they happened. A failed delivery is tried again after
   NEWSROOM_WEBHOOK_RETRY_SECONDS, doubling each time, until NEWSROOM_WEBHOOK_GIVE_UP_HOURS have passed;
   the later ones wait behind it. Then it is given up, the subscription is disabled and its owner told.

Every request carries X-Newsroom-Timestamp (Unix seconds) and X-Newsroom-Signature: "sha256=" and the hex
HMAC-SHA256, keyed with the subscription's secret, of the timestamp, a dot and the body (the scheme of
GitHub and Stripe): receivers check it and refuse old timestamps (README, "Webhooks").
"""

import hashlib
import hmac
import http.client
import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import mail_admins, send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import events, outbound
from articles.chrome import absolute_url
from articles.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from newsroom.tasks import background_task, enqueue_on_commit

logger = logging.getLogger(__name__)

USER_AGENT = "Newsroom-Webhooks/1.0"
# While a worker sends a subscription's deliveries no other worker does; a worker that died frees it after this.
SENDING_LOCK = timedelta(minutes=5)
BUSY_RETRY = timedelta(seconds=15)

# The content-changed kinds that subscribers can hear, as the events they subscribe to.
EVENT_FOR_KIND = {
    events.ARTICLE_PUBLISHED: WebhookEvent.ARTICLE_PUBLISHED,
    events.ARTICLE_UPDATED: WebhookEvent.ARTICLE_UPDATED,
    events.ARTICLE_UNPUBLISHED: WebhookEvent.ARTICLE_UNPUBLISHED,
    events.ARTICLE_DELETED: WebhookEvent.ARTICLE_UNPUBLISHED,
    events.ARTICLE_CORRECTED: WebhookEvent.ARTICLE_CORRECTED,
    events.COMMENT_APPROVED: WebhookEvent.COMMENT_APPROVED,
    events.TAXONOMY_CHANGED: WebhookEvent.TAXONOMY_CHANGED,
}

OBJECT_TYPES = {
    "articles.article": "article",
    "comments.comment": "comment",
    "articles.section": "section",
    "taggit.tag": "tag",
    "articles.author": "author",
    "articles.publisher": "publisher",
}


def sign(secret, timestamp, body):
    """The X-Newsroom-Signature value for `body` (bytes) sent at `timestamp` (a string of Unix seconds)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@receiver(events.content_changed)
def hear_change(sender, change, **kwargs):
    """After commit: leave the work to a job (the writer's request only asks whether anyone listens)."""
    event = EVENT_FOR_KIND.get(change.kind)
    objects = [[label, pk] for label, pk in change.objects if label in OBJECT_TYPES]
    if event is None or not objects or not WebhookSubscription.objects.active().exists():
        return
    enqueue_on_commit(prepare_deliveries, str(event), objects, timezone.now().isoformat())


@background_task
def prepare_deliveries(event, objects, occurred_at):
    """One delivery per subscription wanting `event` and per object, then a sending job per subscription."""
    from articles.api.content import represent

    subscriptions = WebhookSubscription.objects.wanting(event)
    if not subscriptions:
        return
    for label, pk in objects:
        represented = represent(label, pk)
        if represented is None:
            continue
        api_path, data = represented
        dedupe_key = hashlib.sha256(f"{event}|{label}|{pk}|{occurred_at}".encode()).hexdigest()
        for subscription in subscriptions:
            delivery = WebhookDelivery(
                subscription=subscription,
                event=event,
                object_type=OBJECT_TYPES[label],
                object_id=str(pk),
                dedupe_key=dedupe_key,
            )
            delivery.payload = json.dumps(
                {
                    "id": str(delivery.uuid),
                    "event": event,
                    "occurred_at": occurred_at,
                    "object": {"type": delivery.object_type, "id": pk, "api_url": absolute_url(None, api_path)},
                    "data": data,
                },
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
            )
            try:
                with transaction.atomic():
                    delivery.save()
            except IntegrityError:  # this job ran before: the delivery is there already
                continue
    for subscription in subscriptions:
        enqueue_on_commit(send_deliveries, subscription.pk)


def _claim(subscription_id):
    now = timezone.now()
    return (
        WebhookSubscription.objects.filter(pk=subscription_id, is_active=True)
        .filter(Q(sending_until__isnull=True) | Q(sending_until__lt=now))
        .update(sending_until=now + SENDING_LOCK)
    )


@background_task
def send_deliveries(subscription_id):
    """Send the subscription's waiting deliveries, oldest first, stopping at the first that fails or is not due."""
    if not _claim(subscription_id):
        if WebhookSubscription.objects.filter(pk=subscription_id, is_active=True).exists():
            # Another worker is sending: look again shortly, in case it finished before our delivery was written.
            enqueue_on_commit(send_deliveries, subscription_id, run_after=timezone.now() + BUSY_RETRY)
        return
    try:
        while True:
            delivery = (
                WebhookDelivery.objects.filter(
                    subscription_id=subscription_id,
                    status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
                )
                .select_related("subscription")
                .order_by("pk")
                .first()
            )
            if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > timezone.now()):
                return
            if not attempt(delivery):
                return
            WebhookSubscription.objects.filter(pk=subscription_id).update(sending_until=timezone.now() + SENDING_LOCK)
    finally:
        WebhookSubscription.objects.filter(pk=subscription_id).update(sending_until=None)


def attempt(delivery):
    """POST the delivery once and record how it went; plan the next try or give up. True when delivered."""
    subscription = delivery.subscription
    body = delivery.payload.encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Newsroom-Event": delivery.event,
        "X-Newsroom-Delivery": str(delivery.uuid),
        "X-Newsroom-Timestamp": timestamp,
        "X-Newsroom-Signature": sign(subscription.secret, timestamp, body),
    }
    started = time.monotonic()
    code, excerpt, error = None, "", ""
    try:
        code, excerpt = outbound.post(subscription.target_url, body, headers, timeout=settings.WEBHOOK_TIMEOUT)
    except outbound.UnsafeTarget as refused:
        error = str(refused)
    except (OSError, http.client.HTTPException, ValueError) as failure:
        error = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.duration_ms = round((time.monotonic() - started) * 1000)
    delivery.response_code = code
    delivery.response_excerpt = excerpt
    delivery.error = (
        error or ("" if code and 200 <= code < 300 else _("The receiver answered %(code)s.") % {"code": code})
    )[:500]
    if not delivery.error:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.save()
        return True
    deadline = delivery.created_at + timedelta(hours=settings.WEBHOOK_GIVE_UP_HOURS)
    if now >= deadline:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        delivery.save()
        disable(
            subscription,
            _("A delivery kept failing for %(hours)s hours: %(error)s")
            % {
                "hours": settings.WEBHOOK_GIVE_UP_HOURS,
                "error": delivery.error,
            },
        )
        return False
    delay = timedelta(seconds=settings.WEBHOOK_RETRY_SECONDS * 2 ** (delivery.attempts - 1))
    delivery.status = WebhookDelivery.Status.RETRYING
    delivery.next_attempt_at = min(now + delay, deadline)
    delivery.save()
    enqueue_on_commit(send_deliveries, subscription.pk, run_after=delivery.next_attempt_at)
    return False


def disable(subscription, reason):
    """Stop sending to a subscription that keeps failing; its waiting deliveries are failed and its owner told."""
    now = timezone.now()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=False, disabled_at=now, disabled_reason=reason[:300]
    )
    WebhookDelivery.objects.filter(
        subscription=subscription, status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING]
    ).update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None, error=_("The subscription was disabled."))
    logger.warning("Webhook subscription %s (%s) disabled: %s", subscription.pk, subscription.target_url, reason)
    enqueue_on_commit(notify_disabled, subscription.pk)


@background_task
def notify_disabled(subscription_id):
    """Tell the subscription's owner (or the site's admins) that it was disabled and how to turn it back on."""
    subscription = WebhookSubscription.objects.select_related("owner").filter(pk=subscription_id).first()
    if subscription is None or subscription.is_active:
        return
    subject = _("Webhook “%(name)s” disabled") % {"name": subscription.name}
    message = _(
        "Deliveries to %(url)s failed for too long, so the subscription “%(name)s” was disabled.\n\n"
        "Why: %(reason)s\n\n"
        "The delivery log shows each try. Once the receiver works again, tick “active” on the subscription:\n"
        "%(admin_url)s\n"
    ) % {
        "url": subscription.target_url,
        "name": subscription.name,
        "reason": subscription.disabled_reason,
        "admin_url": absolute_url(None, subscription.get_absolute_url()),
    }
    owner_email = subscription.owner.email if subscription.owner else ""
    if owner_email:
        send_mail(subject, message, None, [owner_email])
    else:
        mail_admins(subject, message)


def redeliver(deliveries):
    """Queue deliveries again from now on (the admin's "Send again"), keeping their bodies."""
    now = timezone.now()
    subscription_ids = set()
    for delivery in deliveries:
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_attempt_at = None
        delivery.created_at = now
        delivery.save(update_fields=["status", "next_attempt_at", "created_at"])
        subscription_ids.add(delivery.subscription_id)
    for subscription_id in subscription_ids:
        enqueue_on_commit(send_deliveries, subscription_id)
    return len(subscription_ids)
