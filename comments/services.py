"""Comment writes with side effects: submitting, moderating, replying, erasing.

Each is a keyword-only function named <entity>_<action>. Views, the admin and the
management commands call these; models stay free of mail and cross-model writes.
Mail goes out from jobs enqueued after commit (comments.tasks), and every change to what
readers see announces itself with the content-changed event (articles.events).
`base_url` is the site's origin for links in mail (articles.chrome.site_root(request)).
"""

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import events
from articles.chrome import site_root
from articles.models import Article
from comments import notifications, tasks
from comments.models import (
    BODY_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    URL_MAX_LENGTH,
    Comment,
    CommenterBan,
    CommentFlag,
    CommentSettings,
    ModerationEvent,
)
from comments.moderation import comments_open, normalized, verdict
from newsroom.tasks import enqueue_on_commit

ACTION_FOR_STATUS = {
    Comment.Status.APPROVED: ModerationEvent.Action.APPROVED,
    Comment.Status.PENDING: ModerationEvent.Action.UNAPPROVED,
    Comment.Status.SPAM: ModerationEvent.Action.SPAM,
    Comment.Status.TRASH: ModerationEvent.Action.TRASH,
}
ANONYMOUS = "Anonymous"
# How many of an author's latest comments on the same thread a new one is compared with.
DUPLICATE_WINDOW = 50


class CommentRefused(Exception):
    """A comment that is not saved, with the reader-facing reason and the HTTP status WordPress uses."""

    def __init__(self, code, message, status):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def _event(comment, *, action, actor=None, from_status="", to_status="", note=""):
    return ModerationEvent(
        comment=comment,
        comment_label=ModerationEvent.label_for(comment),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=(actor.get_username() if actor is not None and actor.is_authenticated else "")[:150],
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=str(note)[:300],
    )


def comment_paths(articles):
    """The reader pages that show the comments of `articles`: each public article's pages (its comment
    count is on every card; its comment feeds come through the hook in comments.apps) and the comment feeds."""
    paths = set()
    for article in {article.pk: article for article in articles}.values():
        if article.is_published():
            paths |= events.article_paths(article)
    if paths:
        paths |= {reverse("comments:feed"), reverse("comments:feed_atom")}
    return paths


def _announce(kind, comments):
    """One content-changed event for these comments, if readers could see any of them."""
    comments = list(comments)
    paths = comment_paths(comment.article for comment in comments)
    if paths:
        events.emit(kind, paths=paths, objects=[events.object_key(comment) for comment in comments])


def _advisory_key(text):
    """A signed 64-bit number for pg_advisory_xact_lock, from any string."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def _lock_submission(*, article, ip_address, email):
    """Serialise submissions that could flood or duplicate each other, until the transaction ends.

    Check-then-insert races (WordPress lets two simultaneous posts through): on PostgreSQL, take
    transaction-scoped advisory locks on the article, the IP and the email, always in the same
    order so two posts never deadlock. SQLite already serialises writers (BEGIN IMMEDIATE, see
    newsroom.env.database_config); other databases lock the article row.
    """
    if connection.vendor == "postgresql":
        keys = [f"comments:article:{article.pk}", f"comments:ip:{ip_address or ''}", f"comments:email:{email}"]
        with connection.cursor() as cursor:
            for key in sorted({_advisory_key(key.lower()) for key in keys}):
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    else:
        list(Article.objects.select_for_update().filter(pk=article.pk).values_list("pk", flat=True))


def _refuse_duplicate(comment):
    """The same text (compared normalized) by the same author (name or email) on the same article and parent,
    not trashed."""
    same_author = Q(author_name=comment.author_name)
    if comment.author_email:
        same_author |= Q(author_email__iexact=comment.author_email)
    earlier = (
        Comment.objects.filter(article=comment.article, parent=comment.parent)
        .exclude(status=Comment.Status.TRASH)
        .filter(same_author)
        .order_by("-created_at")
        .values_list("body", flat=True)[:DUPLICATE_WINDOW]
    )
    text = normalized(comment.body)
    if any(normalized(body) == text for body in earlier):
        raise CommentRefused(
            "duplicate", _("Duplicate comment detected; it looks as though you’ve already said that!"), 409
        )


def _refuse_flood(comment, *, seconds):
    """Another comment from the same IP address or email within `seconds`."""
    if not seconds:
        return
    who = Q()
    if comment.ip_address:
        who |= Q(ip_address=comment.ip_address)
    if comment.author_email:
        who |= Q(author_email__iexact=comment.author_email)
    if not who:
        return
    since = timezone.now() - timedelta(seconds=seconds)
    if Comment.objects.filter(created_at__gte=since).filter(who).exists():
        raise CommentRefused(
            "flood",
            _("You are posting comments too quickly. Please wait %(seconds)d seconds and try again.")
            % {"seconds": seconds},
            429,
        )


def _refuse_site_flood():
    """More than COMMENTS_PER_MINUTE comments from everyone together in the last minute (many machines)."""
    limit = settings.COMMENTS_PER_MINUTE
    if limit and Comment.objects.filter(created_at__gte=timezone.now() - timedelta(minutes=1))[:limit].count() >= limit:
        raise CommentRefused(
            "site_flood",
            _("So many comments are arriving just now that yours cannot be taken. Please try again in a minute."),
            429,
        )


def comment_submit(
    *,
    article,
    author_name,
    author_email,
    body,
    author_url="",
    parent=None,
    notify_replies=False,
    ip_address=None,
    user_agent="",
    user=None,
    base_url,
    proven_comment_ids=(),
):
    """Save a reader's comment with the status the moderation rules give it; the emails it needs go out after commit.

    Raises CommentRefused (nothing saved) when comments are closed (403), or the comment is a
    duplicate (409) or comes too soon after the same IP's or email's previous one (429).
    """
    rules = CommentSettings.objects.current()
    if not comments_open(article, rules):
        raise CommentRefused("closed", _("Comments are closed on this article."), 403)
    is_moderator = bool(user is not None and user.is_authenticated and user.has_perm("comments.change_comment"))
    comment = Comment(
        article=article,
        parent=parent,
        user=user if user is not None and user.is_authenticated and user.is_staff else None,
        author_name=author_name,
        author_email=author_email,
        author_url=author_url,
        body=body,
        notify_replies=notify_replies,
        ip_address=ip_address,
        user_agent=(user_agent or "")[:255],
    )
    with transaction.atomic():
        _lock_submission(article=article, ip_address=ip_address, email=author_email)
        _refuse_duplicate(comment)
        if not is_moderator:
            _refuse_flood(comment, seconds=rules.flood_seconds)
            _refuse_site_flood()
        decision = verdict(comment, rules=rules, is_moderator=is_moderator, proven_comment_ids=proven_comment_ids)
        comment.status = decision.status
        comment.created_at = timezone.now()
        comment.save()
        _event(
            comment, action=ModerationEvent.Action.SUBMITTED, actor=user, to_status=comment.status, note=decision.note
        ).save()
        if comment.is_pending and rules.notify_moderators:
            enqueue_on_commit(tasks.send_moderation_request, comment.pk, base_url)
        if comment.is_public():
            _announce(events.COMMENT_APPROVED, [comment])
            if comment.parent_id:
                enqueue_on_commit(tasks.send_reply_notice, comment.pk, base_url)
    return comment


def comments_set_status(*, comments, status, actor, base_url=None, note=""):
    """Move comments to `status` (approve, unapprove, spam, trash), record each move, send notices.

    A comment approved here tells its author (if they asked) and the author of the comment it
    answers, after commit. Returns how many comments changed.
    """
    with transaction.atomic():
        # Re-select by pk: the admin's queryset may carry DISTINCT or ordering that FOR UPDATE refuses.
        changing = list(
            Comment.objects.filter(pk__in=comments.values("pk"))
            .exclude(status=status)
            .select_for_update(of=("self",))
            .select_related("article", "parent")
        )
        if not changing:
            return 0
        Comment.objects.filter(pk__in=[comment.pk for comment in changing]).update(status=status)
        ModerationEvent.objects.bulk_create(
            _event(
                comment,
                action=ACTION_FOR_STATUS[status],
                actor=actor,
                from_status=comment.status,
                to_status=status,
                note=note,
            )
            for comment in changing
        )
        if status == Comment.Status.APPROVED:
            if actor is not None:  # a moderator looked at it: readers' earlier reports are answered
                CommentFlag.objects.filter(comment__in=changing).delete()
            base_url = base_url or site_root()
            _announce(events.COMMENT_APPROVED, changing)
            for comment in changing:
                enqueue_on_commit(tasks.send_approval_notice, comment.pk, base_url)
                if comment.parent_id:
                    enqueue_on_commit(tasks.send_reply_notice, comment.pk, base_url)
        else:
            _announce(events.COMMENT_REMOVED, [comment for comment in changing if comment.is_public()])
    for comment in changing:
        comment.status = status
    return len(changing)


class FlagOutcome:
    RECORDED = "recorded"
    ALREADY = "already"
    HELD = "held"


def reporter_key(ip_address, user_agent=""):
    """Who reported, as a keyed hash: tells readers apart without storing their address."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"comments.flag:{ip_address or ''}:{user_agent or ''}".encode(), hashlib.sha256
    ).hexdigest()


def comment_flag(*, comment, ip_address, user_agent="", base_url=None):
    """A reader reports a published comment. After CommentSettings.flags_to_hold reports from different
    readers it goes back to moderation (hidden from readers, the moderators told by the usual mail).

    Returns FlagOutcome.RECORDED, ALREADY (this reader reported it before) or HELD (this report hid it).
    Raises CommentRefused when reporting is off or the comment is not public.
    """
    rules = CommentSettings.objects.current()
    if not rules.flags_to_hold:
        raise CommentRefused("flags_off", _("Reporting comments is turned off on this site."), 403)
    with transaction.atomic():
        approved = Comment.objects.filter(pk=comment.pk, status=Comment.Status.APPROVED)
        locked = approved.select_for_update(of=("self",)).select_related("article").first()
        if locked is None or not locked.article.is_published():
            raise CommentRefused("not_public", _("This comment is no longer shown."), 404)
        _flag, created = CommentFlag.objects.get_or_create(
            comment=locked, reporter_key=reporter_key(ip_address, user_agent)
        )
        if not created:
            return FlagOutcome.ALREADY
        reports = locked.flags.count()
        if reports < rules.flags_to_hold:
            return FlagOutcome.RECORDED
        note = _("reported by %(count)d readers") % {"count": reports}
        comments_set_status(
            comments=Comment.objects.filter(pk=locked.pk), status=Comment.Status.PENDING, actor=None, note=note
        )
        if rules.notify_moderators:
            enqueue_on_commit(tasks.send_moderation_request, locked.pk, base_url or site_root())
    return FlagOutcome.HELD


def commenter_ban(*, actor, email="", ip_network="", note=""):
    """Ban a commenter by email, IP address or network: their new comments go straight to spam.

    Returns (ban, created); an existing ban for the same email or address is returned as it is.
    Raises ValidationError for an unusable address.
    """
    ban = CommenterBan(email=email, ip_network=ip_network, note=note[:300])
    ban.clean()
    existing = CommenterBan.objects.filter(email=ban.email, ip_network=ban.ip_network).first()
    if existing is not None:
        return existing, False
    ban.created_by = actor if actor is not None and actor.is_authenticated else None
    ban.save()
    return ban, True


def comment_approve(*, comment, actor, base_url=None):
    return comments_set_status(
        comments=Comment.objects.filter(pk=comment.pk), status=Comment.Status.APPROVED, actor=actor, base_url=base_url
    )


def comment_unapprove(*, comment, actor):
    return comments_set_status(
        comments=Comment.objects.filter(pk=comment.pk), status=Comment.Status.PENDING, actor=actor
    )


def comment_mark_spam(*, comment, actor):
    return comments_set_status(comments=Comment.objects.filter(pk=comment.pk), status=Comment.Status.SPAM, actor=actor)


def comment_trash(*, comment, actor):
    return comments_set_status(comments=Comment.objects.filter(pk=comment.pk), status=Comment.Status.TRASH, actor=actor)


def comments_delete(*, comments, actor):
    """Delete comments for good; the history keeps a line for each (replies stay, as top-level comments)."""
    with transaction.atomic():
        doomed = list(comments.select_related("article"))
        ModerationEvent.objects.bulk_create(
            _event(comment, action=ModerationEvent.Action.DELETED, actor=actor, from_status=comment.status)
            for comment in doomed
        )
        _announce(events.COMMENT_REMOVED, [comment for comment in doomed if comment.is_public()])
        Comment.objects.filter(pk__in=[comment.pk for comment in doomed]).delete()
    return len(doomed)


def comment_update(*, comment, actor, changed_fields, previous_status, base_url=None):
    """Save a moderator's edit of a comment; a status change is recorded and notified like a bulk action."""
    new_status = comment.status
    comment.status = previous_status
    with transaction.atomic():
        comment.save()
        edited = [name for name in changed_fields if name != "status"]
        if edited:
            note = _("changed: %(fields)s") % {"fields": ", ".join(edited)}
            _event(comment, action=ModerationEvent.Action.EDITED, actor=actor, note=note).save()
            if comment.is_public():
                _announce(events.COMMENT_UPDATED, [comment])
    if new_status != previous_status:
        comments_set_status(
            comments=Comment.objects.filter(pk=comment.pk), status=new_status, actor=actor, base_url=base_url
        )
        comment.status = new_status


def comment_reply(*, parent, user, body, base_url):
    """A staff member's reply from the admin, published at once; a held parent is approved with it."""
    if parent.status != Comment.Status.APPROVED:
        comment_approve(comment=parent, actor=user, base_url=base_url)
        parent.refresh_from_db()
    with transaction.atomic():
        reply = Comment.objects.create(
            article=parent.article,
            parent=parent,
            user=user,
            author_name=(user.get_full_name() or user.get_username())[:245],
            author_email=user.email,
            body=body.replace("\r\n", "\n").strip(),
            status=Comment.Status.APPROVED,
        )
        ModerationEvent.objects.bulk_create(
            [
                _event(reply, action=ModerationEvent.Action.SUBMITTED, actor=user, to_status=reply.status),
                _event(parent, action=ModerationEvent.Action.REPLIED, actor=user, note=f"#{reply.pk}"),
            ]
        )
        _announce(events.COMMENT_APPROVED, [reply])
        enqueue_on_commit(tasks.send_reply_notice, reply.pk, base_url)
    return reply


def commenter_erase(*, email, actor=None, dry_run=False):
    """Anonymise every comment written with `email`, as WordPress's personal-data eraser does.

    Name becomes "Anonymous"; email, website, IP address and user agent are removed. Returns the count.
    """
    comments = Comment.objects.by_email(email)
    with transaction.atomic():
        erased = list(comments.select_related("article"))
        if dry_run or not erased:
            return len(erased)
        ModerationEvent.objects.bulk_create(
            _event(comment, action=ModerationEvent.Action.ERASED, actor=actor) for comment in erased
        )
        _announce(events.COMMENT_UPDATED, [comment for comment in erased if comment.is_public()])
        Comment.objects.filter(pk__in=[comment.pk for comment in erased]).update(
            author_name=ANONYMOUS, author_email="", author_url="", ip_address=None, user_agent="", notify_replies=False
        )
    return len(erased)


def commenter_export(*, email):
    """Every comment written with `email`, as plain data for a personal-data export."""
    comments = Comment.objects.by_email(email).select_related("article").order_by("created_at", "pk")
    return [
        {
            "id": comment.pk,
            "article": comment.article.headline,
            "article_url": comment.article.get_absolute_url(),
            "in_reply_to": comment.parent_id,
            "name": comment.author_name,
            "email": comment.author_email,
            "website": comment.author_url,
            "comment": comment.body,
            "status": comment.status,
            "submitted_at": comment.created_at.isoformat(),
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
            "notify_replies": comment.notify_replies,
        }
        for comment in comments
    ]


def comments_purge_metadata(*, days=None, dry_run=False):
    """Clear IP addresses and user agents of comments older than `days` (default: the retention setting).

    Returns how many comments were (or, with dry_run, would be) cleared; 0 days keeps everything.
    """
    if days is None:
        days = CommentSettings.objects.current().personal_data_days
    if not days:
        return 0
    old = Comment.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).filter(
        Q(ip_address__isnull=False) | ~Q(user_agent="")
    )
    if dry_run:
        return old.count()
    return old.update(ip_address=None, user_agent="")


def comment_unsubscribe(*, token):
    """Stop reply and approval emails to the address behind a signed token; returns comments changed or None."""
    comment_id = notifications.comment_id_from_unsubscribe_token(token)
    if comment_id is None:
        return None
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None or not comment.author_email:
        return 0
    return Comment.objects.by_email(comment.author_email).filter(notify_replies=True).update(notify_replies=False)


@dataclass
class ImportedComment:
    """A comment brought from another system (the WordPress import), as it was there.

    key: its ID there, for replies to name it; parent_key: the key of the comment it answers, in the same
    call; parent_id: or the pk of a comment imported earlier; comment: the Comment an earlier import made
    of it, to be updated. body is plain text, as readers write it here.
    """

    key: object
    article: Article
    author_name: str
    author_email: str
    author_url: str
    ip_address: str
    body: str
    status: str
    created_at: datetime
    parent_key: object = None
    parent_id: int | None = None
    comment: Comment | None = None


_url_validator = URLValidator(schemes=["http", "https"])


def _imported_fields(entry, *, keep_ip_after):
    """The entry's fields as a native comment would store them; personal data that is not valid is dropped
    (and named in the returned problems), an IP address older than the retention period is not kept."""
    problems = []
    email = (entry.author_email or "").strip()
    if email:
        try:
            validate_email(email)
            if len(email) > EMAIL_MAX_LENGTH:
                raise ValidationError("too long")
        except ValidationError:
            problems.append("email")
            email = ""
    url = (entry.author_url or "").strip()
    if url:
        try:
            _url_validator(url)
            if len(url) > URL_MAX_LENGTH:
                raise ValidationError("too long")
        except ValidationError:
            problems.append("website")
            url = ""
    ip = (entry.ip_address or "").strip() or None
    if ip:
        try:
            ip = str(ipaddress.ip_address(ip))
        except ValueError:
            problems.append("IP address")
            ip = None
    if ip and keep_ip_after and entry.created_at < keep_ip_after:
        ip = None
    fields = {
        "article": entry.article,
        "author_name": " ".join((entry.author_name or "").split())[:NAME_MAX_LENGTH] or ANONYMOUS,
        "author_email": email,
        "author_url": url,
        "ip_address": ip,
        "body": (entry.body or "").strip()[:BODY_MAX_LENGTH],
        "status": entry.status,
        "created_at": entry.created_at,
    }
    return fields, problems


IMPORTED_FIELDS = ["author_name", "author_email", "author_url", "ip_address", "body", "status", "created_at", "parent"]


def comments_import(*, entries, note="Imported"):
    """Write comments brought from another system, with their status, dates, threading and personal data,
    kept private exactly as native comments are. No mail goes out; the moderation history records each.

    New entries are created and those with a `comment` updated, in bulk; replies are linked to their
    parents. IP addresses older than the retention period (purge_comment_metadata) are not brought in.
    Readers' pages hear of it through one content-changed event (folded into the caller's batch event
    inside events.collected()). Returns ({key: Comment}, [(key, [fields dropped as not valid])]).
    """
    entries = list(entries)
    if not entries:
        return {}, []
    days = CommentSettings.objects.current().personal_data_days
    keep_ip_after = timezone.now() - timedelta(days=days) if days else None
    saved, problems, created, updated, status_moves = {}, [], [], [], []
    with transaction.atomic():
        for entry in entries:
            fields, dropped = _imported_fields(entry, keep_ip_after=keep_ip_after)
            if dropped:
                problems.append((entry.key, dropped))
            if entry.comment is not None:
                comment = entry.comment
                if comment.status != fields["status"]:
                    status_moves.append((comment, comment.status))
                for name, value in fields.items():
                    setattr(comment, name, value)
                updated.append(comment)
            else:
                comment = Comment(**fields)
                created.append(comment)
            saved[entry.key] = comment
        Comment.objects.bulk_create(created)
        for entry in entries:
            comment = saved[entry.key]
            parent = saved.get(entry.parent_key) if entry.parent_key is not None else None
            comment.parent_id = parent.pk if parent is not None else entry.parent_id
        Comment.objects.bulk_update([comment for comment in created if comment.parent_id], ["parent"], batch_size=500)
        Comment.objects.bulk_update(updated, IMPORTED_FIELDS, batch_size=500)
        ModerationEvent.objects.bulk_create(
            [
                *(
                    _event(comment, action=ModerationEvent.Action.SUBMITTED, to_status=comment.status, note=note)
                    for comment in created
                ),
                *(
                    _event(
                        comment,
                        action=ACTION_FOR_STATUS[comment.status],
                        from_status=old,
                        to_status=comment.status,
                        note=note,
                    )
                    for comment, old in status_moves
                ),
            ],
            batch_size=500,
        )
        changed = [comment for comment in created + updated if comment.is_public()] + [
            comment for comment, old in status_moves if old == Comment.Status.APPROVED
        ]
        if changed and events.is_collecting():
            events.emit(
                events.COMMENT_UPDATED, objects=[events.object_key(comment) for comment in changed], everything=True
            )
        elif changed:
            _announce(events.COMMENT_UPDATED, changed)
    return saved, problems
