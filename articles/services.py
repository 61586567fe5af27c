"""Writing articles: the one way. The admin, the demo loader, the WordPress import and the API call these.

article_save() stores an article with its tags, ordered bylines and new corrections in one
transaction: it refuses a stale save, bumps the lock version, keeps old addresses working,
records a revision, and after commit announces what readers can now see (articles.events) and
enqueues the work that must not slow the save down (search index, the optional oEmbed fetch of
its embeds, the announcement of a scheduled article when its time comes). It also keeps the media
library's "used in" record of the images its body shows. The other functions are the
transitions and the restore, each a thin layer over article_save().

Who may do what is decided in articles.workflow; `user=None` means the system itself (an
import, a command) and skips those checks.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles import events, media, notifications, richtext, tasks, workflow
from articles.models import (
    Article,
    ArticleAutosave,
    ArticleRevision,
    BodyImage,
    Byline,
    Correction,
    Image,
    SlugRedirect,
)
from articles.revisions import restore_onto, snapshot
from articles.richtext import sanitize_html
from articles.tags import TAG_NAME_MAX_LENGTH, parse_tags
from newsroom.tasks import enqueue_on_commit

Status = Article.Status

SLUG_ATTEMPTS = 5

# A change to one of these after publication is an update readers are told about ("Updated"),
# unless the editor marks the save as a minor change; so is every correction or update note.
SUBSTANTIVE_FIELDS = ["headline", "dek", "body", "image_id", "kind_id", "sponsor"]

# The pks saved inside article_batch(), or None outside one.
_batch = ContextVar("article_batch", default=None)


@contextmanager
def article_batch(kind=events.ARTICLES_IMPORTED):
    """Save many articles as one change (an import). Use it inside the batch's transaction.

    Each article_save() inside keeps every guarantee (validation, stale-version check, revision, old
    addresses, the go-live job of a scheduled article) but emits no event and enqueues no reindex of its
    own: when the block ends, one `kind` event for everything (other writes' events inside are folded
    into it, see events.collected) and one reindex job for all the saved articles follow the commit.
    """
    if _batch.get() is not None:
        yield
        return
    saved = []
    token = _batch.set(saved)
    try:
        with events.collected(kind):
            yield
            if saved:
                events.emit(kind, objects=[("articles.article", pk) for pk in dict.fromkeys(saved)], everything=True)
    finally:
        _batch.reset(token)
    if saved:
        enqueue_on_commit(tasks.reindex_articles, list(dict.fromkeys(saved)))


def lock_version(article):
    """Lock the article's row until the transaction ends and return its stored version."""
    return Article.objects.select_for_update().values_list("version", flat=True).get(pk=article.pk)


def check_version(article, expected_version):
    """Lock the row and refuse (ValidationError, code "stale") when someone saved since `expected_version`."""
    current = lock_version(article)
    if expected_version is not None and expected_version != current:
        raise ValidationError(
            _("Someone else saved this article since you opened it. Reload it and try again."), code="stale"
        )
    return current


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


def _stored(pk):
    return Article.objects.select_related("section", "publisher").get(pk=pk)


def _keep_baseline(stored):
    """Keep the stored state of an article that never went through the service (rows written by SQL, old
    data) as its first revision, so its history and diffs start from what readers saw before the first edit."""
    ArticleRevision.objects.create(
        article=stored,
        version=stored.version,
        created_at=stored.updated_at,
        summary=_("As it was before its first edit on the desk"),
        content=snapshot(stored),
    )


def _save_row(article):
    """Save with a unique slug, even against concurrent saves of the same headline: a slug made from the
    headline that another transaction took meanwhile is made again (the database's unique index decides)."""
    made_up = not article.slug
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                article.save()
            return
        except IntegrityError:
            if not made_up or attempt == SLUG_ATTEMPTS:
                raise
            article.slug = ""


def _set_bylines(article, authors):
    wanted = [author.pk for author in authors]
    current = list(article.bylines.order_by("position", "pk").values_list("author_id", flat=True))
    if wanted == current:
        return
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author_id=author_id, position=position) for position, author_id in enumerate(wanted)
    )


def _set_tags(article, tags, *, created):
    tags = list(tags)
    if created and tags and all(isinstance(tag, Tag) for tag in tags):
        # A new article has no tags yet: one INSERT, rather than taggit's two queries per tag (imports).
        through = Article.tags.through
        through.objects.bulk_create(
            through(content_object=article, tag=tag) for tag in {t.pk: t for t in tags}.values()
        )
    else:
        article.tags.set(tags)


def _set_body_images(article, body):
    """Record which library images the body shows (the library's "used in"); ids of deleted images are left
    in the text, shown as nothing."""
    wanted = set(Image.objects.filter(pk__in=body.image_ids).values_list("pk", flat=True))
    current = set(article.body_image_uses.values_list("image_id", flat=True))
    if wanted == current:
        return
    article.body_image_uses.exclude(image_id__in=wanted).delete()
    BodyImage.objects.bulk_create(BodyImage(article=article, image_id=pk) for pk in sorted(wanted - current))


def _record_revision(article, user, summary, *, created=False):
    if created:
        return ArticleRevision.objects.create(
            article=article,
            version=article.version,
            created_by=_person(user),
            created_at=timezone.now(),
            summary=summary[:255],
            content=snapshot(article),
        )
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
def article_save(
    *,
    article,
    user=None,
    tags=None,
    authors=None,
    corrections=(),
    removed_corrections=(),
    expected_version=None,
    summary=None,
    validate=True,
    minor_edit=False,
    modified_at=None,
):
    """Create or change `article` as `user` and everything that goes with it, in one transaction.

    tags: tag names (None leaves them); authors: Author objects in byline order (None leaves them);
    corrections: (kind, text) notes to append, dated now; removed_corrections: pks of notes to delete.
    expected_version: the version the writer started from; a save from an older one raises
    ValidationError (code "stale") and changes nothing. validate=False when a form has already run
    the model's validation. minor_edit: a fix readers need not be told about (no "Updated").
    modified_at: the time of the last change when it is not now (an import keeps the source's, so old
    stories do not all say "Updated today"). Raises PermissionDenied for a change of state the user's
    role does not allow.
    """
    stored = None
    if article.pk is not None:
        check_version(article, expected_version)
        stored = _stored(article.pk)
        if not ArticleRevision.objects.filter(article_id=stored.pk, version=stored.version).exists():
            _keep_baseline(stored)
    old_status = stored.status if stored else Status.DRAFT
    if user is not None and article.status != old_status and article.status not in workflow.next_statuses(user, stored):
        raise PermissionDenied(_("You may not move this article to “%(status)s”.") % {"status": article.status})
    if validate:
        article.full_clean()
    else:
        article.clean()  # a publication time for a published article; the embargo

    batch = _batch.get()
    was_public = stored is not None and stored.is_published()
    old_paths = events.article_paths(stored) if was_public and batch is None else set()
    if was_public and article.is_published() and (corrections or (not minor_edit and _is_substantive(stored, article))):
        article.content_updated_at = timezone.now()
    if stored is None:
        if article.created_by_id is None and user is not None and user.is_authenticated:
            article.created_by = user
        article.version = 1
    else:
        article.version = stored.version + 1
        article.share_key = stored.share_key  # changed only by articles.share_links, never by an edit
    _save_row(article)
    if modified_at is not None:
        Article.objects.filter(pk=article.pk).update(updated_at=modified_at)
        article.updated_at = modified_at
    if stored is not None and stored.slug != article.slug:
        SlugRedirect.objects.filter(old_slug=article.slug).delete()
        if stored.status == Status.PUBLISHED:
            SlugRedirect.objects.update_or_create(old_slug=stored.slug, defaults={"article": article})

    if tags is not None:
        _set_tags(article, tags, created=stored is None)
    if authors is not None:
        _set_bylines(article, authors)
    notes = [
        Correction(article=article, kind=kind, text=text, created_by=_person(user), created_at=timezone.now())
        for kind, text in corrections
    ]
    Correction.objects.bulk_create(notes)
    if removed_corrections:
        Correction.objects.filter(article=article, pk__in=list(removed_corrections)).delete()

    if summary is None:
        summary = describe_change(old_status, article, created=stored is None)
        if notes:
            summary = _("%(summary)s; correction or update added") % {"summary": summary}
    body = richtext.parse(article.body)
    _set_body_images(article, body)
    _record_revision(article, user, summary, created=stored is None)
    if user is not None and user.is_authenticated:
        ArticleAutosave.objects.filter(article=article, user=user).delete()  # superseded by this real save
    if user is not None:  # the system's own saves (imports, the demo) tell nobody
        notifications.notify_transition(article=article, old_status=old_status if stored else None, actor=user)
    if batch is not None:
        batch.append(article.pk)
        if article.is_scheduled:
            tasks.announce_go_live_on_commit(article)
    else:
        _announce(article, old_paths=old_paths, was_public=was_public, corrected=bool(notes or removed_corrections))
        enqueue_on_commit(tasks.reindex_articles, [article.pk])
    for url in media.embeds_to_fetch(body.embed_urls):
        enqueue_on_commit(tasks.fetch_embed, url, [article.pk])
    return article


def _person(user):
    return user if user is not None and user.is_authenticated else None


def _is_substantive(stored, article):
    """A change readers should be told about: new wording, image or kind (correction notes always are)."""
    return any(getattr(stored, name) != getattr(article, name) for name in SUBSTANTIVE_FIELDS)


def _announce(article, *, old_paths, was_public, corrected):
    """Emit the content-changed event for what readers see now, and plan the one for a scheduled go-live."""
    is_public = article.is_published()
    if is_public:
        kind = events.ARTICLE_PUBLISHED
        if was_public:
            kind = events.ARTICLE_CORRECTED if corrected else events.ARTICLE_UPDATED
        paths = old_paths | events.article_paths(article)
        events.emit(kind, paths=paths, objects=[events.object_key(article)])
    elif was_public:
        events.emit(events.ARTICLE_UNPUBLISHED, paths=old_paths, objects=[events.object_key(article)])
    if article.is_scheduled:
        tasks.announce_go_live_on_commit(article)
    if article.status == Status.PUBLISHED:
        tasks.plan_expiry_on_commit(article)


@transaction.atomic
def article_transition(*, article, user, to_status, expected_version=None):
    """Move `article` to `to_status` as `user`, checking the role and the embargo; records a revision.

    Raises PermissionDenied for a move the role does not allow, ValidationError for an embargo
    or a stale `expected_version`.
    """
    if to_status not in workflow.next_statuses(user, article):
        raise PermissionDenied(_("You may not move this article to “%(status)s”.") % {"status": to_status})
    article.status = to_status
    return article_save(article=article, user=user, expected_version=expected_version, validate=False)


@transaction.atomic
def article_publish_now(*, article, user):
    """Make `article` public now (a draft, a piece in review, a scheduled one); the embargo still applies."""
    if user is not None and not workflow.can_publish(user):
        raise PermissionDenied(_("Only editors publish."))
    if article.is_published():
        return article
    now = timezone.now()
    if article.published_at is None or article.published_at > now:
        article.published_at = now
    article.status = Status.PUBLISHED
    return article_save(article=article, user=user, summary=_("Published"), validate=False)


@transaction.atomic
def article_restore(*, article, revision, user, expected_version=None):
    """Bring back a revision's content as a new revision; the publication state and address stay."""
    if user is not None and not workflow.can_edit(user, article):
        raise PermissionDenied(_("You may not change this article."))
    try:
        check_version(article, expected_version)
    except ValidationError:
        raise ValidationError(
            _("Someone else saved this article since you opened its history. Look again before restoring."),
            code="stale",
        ) from None
    tags, authors = restore_onto(article, revision.content)
    article_save(
        article=article,
        user=user,
        tags=tags,
        authors=authors,
        summary=_("Restored version %(version)s") % {"version": revision.version},
        validate=False,
    )
    return article.revisions.get(version=article.version)


@transaction.atomic
def article_delete(*, article):
    """Delete `article`; readers' pages that showed it hear of it."""
    stored = _stored(article.pk)
    if stored.is_published():
        events.emit(events.ARTICLE_DELETED, paths=events.article_paths(stored), objects=[events.object_key(stored)])
    stored.delete()


# What an autosave keeps of the form: the text being written (restore_onto brings back what of it a restore may).
AUTOSAVED_FIELDS = [
    "headline",
    "dek",
    "body",
    "desk_note",
    "sponsor",
    "image_alt",
    "image_caption",
    "image_credit",
    "rights",
    "seo_title",
    "social_headline",
    "social_description",
]
AUTOSAVE_BODY_MAX = 1_000_000


def article_autosave(*, article, user, data):
    """Keep `user`'s unsaved edits of `article` (form field values in `data`) as their one autosave, replaced
    each time. Changes neither the article nor what readers see; their next real save removes it.

    Raises PermissionDenied when `user` may not edit the article. Returns the ArticleAutosave.
    """
    if not workflow.can_edit(user, article):
        raise PermissionDenied(_("You may not change this article."))
    stored = _stored(article.pk)
    content = snapshot(stored)
    for name in AUTOSAVED_FIELDS:
        if name not in data:
            continue
        value = str(data[name] or "").replace("\x00", "")
        if name == "body":
            content[name] = sanitize_html(value[:AUTOSAVE_BODY_MAX])
        else:
            limit = Article._meta.get_field(name).max_length or 5000
            content[name] = value if name in {"dek", "desk_note", "social_description"} else " ".join(value.split())
            content[name] = content[name][:limit]
    if "tags" in data:
        names = parse_tags(str(data["tags"] or ""))
        content["tags"] = sorted((name[:TAG_NAME_MAX_LENGTH] for name in names), key=str.lower)
    autosave, _created = ArticleAutosave.objects.update_or_create(
        article=stored,
        user=user,
        defaults={"content": content, "based_on_version": stored.version, "saved_at": timezone.now()},
    )
    return autosave


@transaction.atomic
def article_restore_autosave(*, article, autosave, user, expected_version=None):
    """Save an autosave's content as the article's new version (a real save, recorded as a revision)."""
    if not workflow.can_edit(user, article):
        raise PermissionDenied(_("You may not change this article."))
    check_version(article, expected_version)
    tags, authors = restore_onto(article, autosave.content)
    when = date_format(timezone.localtime(autosave.saved_at), "DATETIME_FORMAT")
    article_save(
        article=article,
        user=user,
        tags=tags,
        authors=authors,
        summary=_("Restored the autosave of %(when)s") % {"when": when},
        validate=False,
    )
    ArticleAutosave.objects.filter(pk=autosave.pk).delete()
    return article
