"""Telling reporters what happened to their piece: sent back with a note, scheduled, published.

articles.services calls notify_transition() inside the save's transaction; each notification is a
row shown on the desk until read, and a mail sent by a job after commit (articles.tasks is not
involved: the job lives here with its template). The people told are the article's starter and
the accounts behind its bylines, never the person who made the change.
"""

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.chrome import site_chrome, site_root
from articles.models import Article, DeskNotification
from newsroom.tasks import background_task, enqueue_on_commit

Status = Article.Status
Kind = DeskNotification.Kind


def recipients(article, actor=None):
    """The article's people: who started it and whose author profile is on its byline; active, not the actor."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk=article.created_by_id) | Q(author_profile__bylines__article=article))
    )
    if actor is not None and actor.is_authenticated:
        users = users.exclude(pk=actor.pk)
    return list(users.distinct())


def what_happened(old_status, article, actor):
    """The kind of notification a save calls for, or None."""
    if old_status == Status.IN_REVIEW and article.status == Status.DRAFT:
        is_editor = actor is None or actor.has_perm("articles.publish_article")
        return Kind.RETURNED if is_editor else None
    if article.status == Status.PUBLISHED and old_status != Status.PUBLISHED:
        return Kind.SCHEDULED if article.is_scheduled else Kind.PUBLISHED
    return None


def notify_transition(*, article, old_status, actor):
    """Record (and mail, after commit) what a save did to the article, for the people whose piece it is."""
    kind = what_happened(old_status, article, actor)
    if kind is not None:
        notify(article=article, kind=kind, actor=actor)


def notify(*, article, kind, actor=None):
    person = actor if actor is not None and actor.is_authenticated else None
    note = article.desk_note if kind == Kind.RETURNED else ""
    created = DeskNotification.objects.bulk_create(
        DeskNotification(recipient=user, article=article, kind=kind, actor=person, note=note)
        for user in recipients(article, actor)
    )
    for notification in created:
        enqueue_on_commit(send_desk_notification, notification.pk)
    return created


def notify_gone_live(article):
    """A scheduled piece has gone live by itself: tell its people once (called by the go-live job)."""
    last = article.desk_notifications.filter(kind__in=[Kind.SCHEDULED, Kind.PUBLISHED]).order_by("-created_at").first()
    if last is None or last.kind == Kind.SCHEDULED:
        notify(article=article, kind=Kind.PUBLISHED)


def headline_text(notification):
    """One line for the desk and the mail's subject."""
    headline = notification.article.headline
    if notification.kind == Kind.RETURNED:
        return _("“%(headline)s” was sent back to you") % {"headline": headline}
    if notification.kind == Kind.SCHEDULED:
        article = notification.article
        when = date_format(timezone.localtime(article.goes_live_at), "DATETIME_FORMAT") if article.goes_live_at else ""
        return _("“%(headline)s” is scheduled for %(when)s") % {"headline": headline, "when": when}
    return _("“%(headline)s” is published") % {"headline": headline}


@background_task
def send_desk_notification(notification_id):
    """Mail one notification, once (a retried job finds it marked sent)."""
    notification = (
        DeskNotification.objects.select_related("article", "recipient", "actor")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.email:
        return
    root = site_root()
    context = {
        "notification": notification,
        "line": headline_text(notification),
        "who": person_name(notification.actor),
        "article_url": root + reverse("admin:articles_article_change", args=[notification.article_id]),
        "public_url": root + notification.article.get_absolute_url() if notification.article.is_published() else "",
        "publication": site_chrome()["publication"],
    }
    body = render_to_string("articles/email/desk_notification.txt", context)
    subject = " ".join(f"[{context['publication'].name}] {context['line']}".split())[:250]
    EmailMessage(subject=subject, body=body, to=[notification.recipient.email]).send()
    DeskNotification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def person_name(user):
    if user is None:
        return _("the desk")
    return user.get_full_name() or user.get_username()
