"""The editorial workflow: who may do what to an article, and the writes that carry side effects.

Roles are groups made by a data migration (articles/migrations/0005_editorial_groups.py):

- Reporters (add/change article, no "publish") write and edit their own articles while they
  are drafts and submit them for review; they may withdraw a submission; they see their
  published pieces read-only and never see other people's work.
- Editors ("articles.publish_article") edit every article, publish, schedule and unpublish.
- Superusers hold every permission.

Writes go through the functions below (called by the admin) so that every save bumps the
lock version, records a revision, and keeps old addresses of published articles working.
"""

import secrets
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, ArticleRevision, SlugRedirect
from articles.revisions import apply_snapshot, snapshot

Status = Article.Status

REPORTERS = "Reporters"
EDITORS = "Editors"

# Editors may move an article between any two of these states; reporters only along REPORTER_MOVES.
EDITOR_MOVES = {
    Status.DRAFT: [Status.IN_REVIEW, Status.PUBLISHED],
    Status.IN_REVIEW: [Status.DRAFT, Status.PUBLISHED],
    Status.PUBLISHED: [Status.UNPUBLISHED, Status.DRAFT],
    Status.UNPUBLISHED: [Status.PUBLISHED, Status.DRAFT],
}
REPORTER_MOVES = {
    Status.DRAFT: [Status.IN_REVIEW],
    Status.IN_REVIEW: [Status.DRAFT],
}


def can_publish(user):
    return user.has_perm("articles.publish_article")


def is_owner(user, article):
    """`user` started the article or has a byline on it (bylines use the admin's prefetch)."""
    if not user.is_authenticated:
        return False
    if article.created_by_id == user.pk:
        return True
    return any(byline.author.user_id == user.pk for byline in article.bylines.all())


def can_view(user, article):
    """May see the article in the admin and preview it: editors always, reporters their own."""
    if can_publish(user):
        return True
    has_perm = user.has_perm("articles.view_article") or user.has_perm("articles.change_article")
    return has_perm and is_owner(user, article)


def can_share(user, article):
    """A share link makes sense for an article readers cannot see yet, and not for a withdrawn one."""
    return can_view(user, article) and not article.is_published() and article.status != Status.UNPUBLISHED


def can_edit(user, article):
    """May change the article's content: editors always, reporters their own drafts only."""
    if article is None:
        return user.has_perm("articles.add_article")
    if not user.has_perm("articles.change_article"):
        return False
    if can_publish(user):
        return True
    return article.status == Status.DRAFT and is_owner(user, article)


def next_statuses(user, article):
    """The states `user` may move `article` (None: a new one) to, the current one excluded."""
    current = article.status if article else Status.DRAFT
    if can_publish(user):
        return list(EDITOR_MOVES.get(current, []))
    if article is not None and not (user.has_perm("articles.change_article") and is_owner(user, article)):
        return []
    if article is None and not user.has_perm("articles.add_article"):
        return []
    return list(REPORTER_MOVES.get(current, []))


def status_choices(user, article):
    """Choices for the admin's status field: where the article is now and where `user` may take it."""
    current = article.status if article else Status.DRAFT
    allowed = {current, *next_statuses(user, article)}
    return [(value, label) for value, label in Status.choices if value in allowed]


def transition_buttons(user, article):
    """The submit-row buttons for the moves `user` may make, as (status, label, is_primary).

    "Publish" reads "Schedule" when the article's publication time is in the future
    (static/admin/js/workflow.js keeps the label in step with the date typed in the form).
    """
    current = article.status if article else Status.DRAFT
    scheduled = bool(article and article.is_scheduled)
    buttons = []
    for target in next_statuses(user, article):
        if target == Status.IN_REVIEW:
            buttons.append((target, gettext_lazy("Submit for review"), True))
        elif target == Status.PUBLISHED:
            future = bool(article and article.published_at and article.published_at > timezone.now())
            if current == Status.UNPUBLISHED:
                label = gettext_lazy("Publish again")
            else:
                label = gettext_lazy("Schedule") if future else gettext_lazy("Publish")
            buttons.append((target, label, True))
        elif target == Status.DRAFT and current == Status.IN_REVIEW:
            label = gettext_lazy("Return to reporter") if can_publish(user) else gettext_lazy("Withdraw from review")
            buttons.append((target, label, False))
        elif target == Status.DRAFT and scheduled:
            buttons.append((target, gettext_lazy("Cancel schedule"), False))
        elif target == Status.UNPUBLISHED and not scheduled:
            buttons.append((target, gettext_lazy("Unpublish"), False))
    return buttons


def state_label(article):
    """The state as an editor thinks of it: Draft, In review, Scheduled, Embargoed, Published, Unpublished."""
    if article.status == Status.PUBLISHED and article.is_scheduled:
        when = date_format(timezone.localtime(article.goes_live_at), "DATETIME_FORMAT")
        if article.is_embargoed and article.embargo_until >= article.published_at:
            return _("Embargoed until %(when)s") % {"when": when}
        return _("Scheduled for %(when)s") % {"when": when}
    return str(article.get_status_display())


def describe_change(old_status, article, *, created=False):
    """A one-line summary of what a save did, for the revision list."""
    if article.status == old_status and not created:
        return _("Edited")
    if article.status == Status.IN_REVIEW:
        return _("Submitted for review")
    if article.status == Status.PUBLISHED:
        if article.is_scheduled:
            return _("Scheduled for %(when)s") % {
                "when": date_format(timezone.localtime(article.goes_live_at), "DATETIME_FORMAT")
            }
        return _("Published")
    if article.status == Status.UNPUBLISHED:
        return _("Unpublished")
    if created:
        return _("Created")
    if old_status == Status.IN_REVIEW:
        return _("Returned to draft")
    return _("Moved back to draft")


def lock_version(article):
    """Lock the article's row until the transaction ends and return its stored version."""
    return Article.objects.select_for_update().values_list("version", flat=True).get(pk=article.pk)


def article_store(*, article, user):
    """Save `article` (a new one or a change) as `user`: bumps the lock version, keeps old addresses working.

    Call inside a transaction; the admin's change form is one, and its form has already locked
    and checked the version (see ArticleAdminForm.clean).
    """
    if article.pk is None:
        if article.created_by_id is None and user is not None and user.is_authenticated:
            article.created_by = user
        article.version = 1
        article.save()
        return article
    stored = Article.objects.select_for_update().values("version", "slug", "status", "share_key").get(pk=article.pk)
    if not ArticleRevision.objects.filter(article_id=article.pk, version=stored["version"]).exists():
        keep_baseline(article.pk)
    article.version = stored["version"] + 1
    article.share_key = stored["share_key"]  # changed only by the share-link functions, never by an edit
    article.save()
    if stored["slug"] != article.slug:
        remember_old_slug(article, old_slug=stored["slug"], was_published=stored["status"] == Status.PUBLISHED)
    return article


def keep_baseline(article_pk):
    """Keep the stored state of an article that never went through the desk (an import, the demo loader)
    as its first revision, so its history and diffs start from what readers saw before the first edit."""
    original = Article.objects.select_related("section", "publisher").get(pk=article_pk)
    ArticleRevision.objects.create(
        article=original,
        version=original.version,
        created_at=original.updated_at,
        summary=_("As it was before its first edit on the desk"),
        content=snapshot(original),
    )


def remember_old_slug(article, *, old_slug, was_published):
    """A published article moved from `old_slug`: answer the old address with a 301 from now on."""
    SlugRedirect.objects.filter(old_slug=article.slug).delete()
    if was_published:
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})


def revision_record(*, article, user, summary):
    """Keep the article's full content as it is now (after its tags and bylines are saved)."""
    return ArticleRevision.objects.update_or_create(
        article=article,
        version=article.version,
        defaults={
            "created_by": user if user is not None and user.is_authenticated else None,
            "created_at": timezone.now(),
            "summary": summary[:255],
            "content": snapshot(article),
        },
    )[0]


@transaction.atomic
def article_transition(*, article, user, to_status, expected_version=None):
    """Move `article` to `to_status` as `user`, checking the role and the embargo; records a revision.

    Raises PermissionDenied for a move the role does not allow, ValidationError (with the
    admin's wording) for an embargo or a stale `expected_version`.
    """
    if to_status not in next_statuses(user, article):
        raise PermissionDenied(_("You may not move this article to “%(status)s”.") % {"status": to_status})
    current = lock_version(article)
    if expected_version is not None and expected_version != current:
        raise ValidationError(
            _("Someone else saved this article since you opened it. Reload it and try again."), code="stale"
        )
    old_status = article.status
    article.status = to_status
    article.full_clean()  # sets a missing publication time to now and enforces the embargo
    article_store(article=article, user=user)
    revision_record(article=article, user=user, summary=describe_change(old_status, article))
    return article


@transaction.atomic
def article_publish_now(*, article, user):
    """Make `article` public now (a draft, a piece in review, a scheduled one); the embargo still applies."""
    if not can_publish(user):
        raise PermissionDenied(_("Only editors publish."))
    if article.is_published():
        return article
    lock_version(article)
    now = timezone.now()
    if article.published_at is None or article.published_at > now:
        article.published_at = now
    article.status = Status.PUBLISHED
    article.full_clean()
    article_store(article=article, user=user)
    revision_record(article=article, user=user, summary=_("Published"))
    return article


@transaction.atomic
def article_restore(*, article, revision, user, expected_version=None):
    """Bring back a revision's content as a new revision; the publication state and address stay."""
    if not can_edit(user, article):
        raise PermissionDenied(_("You may not change this article."))
    current = lock_version(article)
    if expected_version is not None and expected_version != current:
        raise ValidationError(
            _("Someone else saved this article since you opened its history. Look again before restoring."),
            code="stale",
        )
    article.version = current + 1
    apply_snapshot(article, revision.content)
    return revision_record(
        article=article,
        user=user,
        summary=_("Restored version %(version)s") % {"version": revision.version},
    )


# Share links: a signed token naming the article, its share key and an expiry time.
SHARE_SALT = "articles.share-link"
SHARE_MAX_DAYS = 30
SHARE_DURATIONS = [1, 3, 7, 14, SHARE_MAX_DAYS]


def share_link_create(*, article, days):
    """A token that lets anyone read this unpublished article for `days` days, until it is published."""
    days = min(max(int(days), 1), SHARE_MAX_DAYS)
    if not article.share_key:
        article.share_key = secrets.token_urlsafe(16)
        Article.objects.filter(pk=article.pk).update(share_key=article.share_key)
    expires_at = timezone.now() + timedelta(days=days)
    token = signing.dumps(
        {"a": article.pk, "k": article.share_key, "e": int(expires_at.timestamp())}, salt=SHARE_SALT, compress=True
    )
    return token, expires_at


def share_links_revoke(*, article):
    """Stop every share link made for this article so far."""
    article.share_key = secrets.token_urlsafe(16)
    Article.objects.filter(pk=article.pk).update(share_key=article.share_key)


class ShareLinkError(Exception):
    """The token is well signed but no longer opens the article (expired, revoked, withdrawn)."""


def article_for_share_token(token):
    """The article a share token opens, with the link's expiry time.

    Returns None for a token that is not ours (tampered, garbage); raises ShareLinkError for
    one that expired or was revoked, or whose article was withdrawn or deleted.
    """
    try:
        data = signing.loads(token, salt=SHARE_SALT, max_age=timedelta(days=SHARE_MAX_DAYS + 1))
    except signing.SignatureExpired as error:
        raise ShareLinkError from error
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), kind) for key, kind in [("a", int), ("k", str), ("e", int)]
    ):
        return None
    try:
        expires_at = datetime.fromtimestamp(data["e"], tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if expires_at <= timezone.now():
        raise ShareLinkError
    article = Article.objects.for_listing().filter(pk=data["a"]).first()
    if article is None or not article.share_key or not secrets.compare_digest(article.share_key, data["k"]):
        raise ShareLinkError
    if article.status == Status.UNPUBLISHED:
        raise ShareLinkError
    return article, expires_at
