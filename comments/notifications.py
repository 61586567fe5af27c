"""Comment emails: moderation requests to staff, approval and reply notices to commenters.

They are sent by jobs (comments.tasks), never inside a reader's or a moderator's request; a failure
to send raises, so the job is tried again later. `base_url` is the site's origin (articles.chrome.site_root).
Header values are built from reader input, so they pass through one_line() (no CR/LF can start a new header).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from articles.chrome import site_chrome
from comments.display import comment_page_url
from comments.forms import one_line

UNSUBSCRIBE_SALT = "comments.unsubscribe"


# An unsubscribe link works this long after its email was sent.
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 180


def unsubscribe_token(comment):
    """A signed, unguessable, timestamped token naming one comment; JSON inside, never pickle."""
    return signing.dumps({"c": comment.pk}, salt=UNSUBSCRIBE_SALT)


def comment_id_from_unsubscribe_token(token):
    """The comment pk in a token, or None for a forged, damaged, foreign or expired token."""
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_token_expired(token):
    """True for a genuine token older than UNSUBSCRIBE_MAX_AGE."""
    try:
        signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired:
        return True
    except (signing.BadSignature, TypeError, ValueError):
        return False
    return False


def moderator_emails():
    """Active staff who may moderate (Moderators, Editors, superusers) and have an address; else ADMINS."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    try:
        permission = Permission.objects.get(content_type__app_label="comments", codename="change_comment")
    except Permission.DoesNotExist:
        moderators = users.filter(is_superuser=True)
    else:
        moderators = users.filter(
            Q(is_superuser=True) | Q(groups__permissions=permission) | Q(user_permissions=permission)
        )
    emails = sorted(set(moderators.values_list("email", flat=True)))
    return emails or [address for _name, address in settings.ADMINS]


def _subject(text):
    publication = one_line(site_chrome()["publication"].name)
    return one_line(f"[{publication}] {text}")[:250]


def _send(messages):
    get_connection().send_messages(messages)
    return True


def _context(comment, base_url):
    root = base_url
    return {
        "comment": comment,
        "article": comment.article,
        "publication": site_chrome()["publication"],
        "comment_url": root + comment_page_url(comment),
        "article_url": root + comment.article.get_absolute_url(),
        "author_name": one_line(comment.author_name),
        "admin_change_url": root + reverse("admin:comments_comment_change", args=[comment.pk]),
        "admin_pending_url": root + reverse("admin:comments_comment_changelist") + "?status=pending",
    }


def send_moderation_request(comment, *, base_url):
    """Tell moderators a comment waits for them, with the text, the article and links to the admin."""
    recipients = moderator_emails()
    if not recipients:
        return False
    context = _context(comment, base_url)
    subject = _subject(
        _("Please moderate: “%(headline)s”") % {"headline": Truncator(comment.article.headline).chars(120)}
    )
    body = render_to_string("comments/email/moderation_request.txt", context)
    reply_to = [comment.author_email] if comment.author_email else []
    messages = [EmailMessage(subject, body, to=[address], reply_to=reply_to) for address in recipients]
    return _send(messages)


def _commenter_message(comment, subject, template, context):
    unsubscribe_url = context["base_url"] + reverse("comments:unsubscribe", args=[unsubscribe_token(comment)])
    context = {**context, "unsubscribe_url": unsubscribe_url}
    return EmailMessage(
        _subject(subject),
        render_to_string(template, context),
        to=[comment.author_email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def send_approval_notice(comment, *, base_url):
    """Tell a commenter who asked for notices that a moderator approved their comment."""
    if not (comment.notify_replies and comment.author_email):
        return False
    context = {**_context(comment, base_url), "base_url": base_url}
    headline = Truncator(comment.article.headline).chars(120)
    message = _commenter_message(
        comment,
        _("Your comment on “%(headline)s” is published") % {"headline": headline},
        "comments/email/approved.txt",
        context,
    )
    return _send([message])


def send_reply_notice(reply, *, base_url):
    """Tell the author of the comment `reply` answers, if they asked and it is not their own reply."""
    parent = reply.parent
    if parent is None or not (parent.notify_replies and parent.author_email and parent.is_public()):
        return False
    if reply.author_email and reply.author_email.lower() == parent.author_email.lower():
        return False
    context = {**_context(reply, base_url), "parent": parent, "base_url": base_url}
    headline = Truncator(reply.article.headline).chars(120)
    message = _commenter_message(
        parent,
        _("New reply to your comment on “%(headline)s”") % {"headline": headline},
        "comments/email/reply.txt",
        context,
    )
    return _send([message])
