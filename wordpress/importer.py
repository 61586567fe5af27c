"""The WordPress import: a WXR export streamed into articles, comments, sections, tags, authors and old addresses.

Importer.run() first reads the whole file once (wxr.scan) so that a broken or hostile file is refused
before anything is written, then reads it again and writes in batches, one transaction each:

- authors, categories and tags (declared before the posts) in one batch;
- the attachments, in a pass of their own before the posts (WordPress exports them after the posts
  they belong to), each image's file put into the media library by the media step (wordpress/media.py);
- then every `batch_size` items: posts saved through articles.services.article_save
  inside article_batch() (revision, version, old addresses and go-live jobs as for any save; one
  content-changed event and one reindex job per batch), their comments through
  comments.services.comments_import, the old addresses, the import records, and sticky posts pinned
  on the front page (articles.curation, not in a dry run).

Every object is keyed on its WordPress site and ID (posts also on their GUID) in ImportedItem, with a
fingerprint of what was imported: a second run skips what has not changed, updates what has, and
leaves alone an article the desk saved since. A run that stops (a broken file, Ctrl-C) keeps the
batches already committed; running it again completes it.
"""

import logging
from datetime import UTC, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles import curation, services
from articles.models import Article, Author, BodyImage, Front, Image, Publisher, Section, SlugRedirect, unique_slug
from comments.models import Comment
from wordpress import body, wxr
from wordpress import media as wp_media
from wordpress.attachment_import import AttachmentsImport
from wordpress.comment_import import CommentsImport
from wordpress.common import ascii_slug, optional_int
from wordpress.common import fingerprint as _fingerprint
from wordpress.common import now as _now
from wordpress.models import ImportedItem, LegacyRedirect, normalise_path
from wordpress.publishers import PublisherMap
from wordpress.report import Report
from wordpress.taxonomy import TaxonomyImport

logger = logging.getLogger(__name__)

Kind = ImportedItem.Kind
Status = Article.Status

STATUSES = {
    "publish": Status.PUBLISHED,
    "future": Status.PUBLISHED,  # at its future time: scheduled
    "draft": Status.DRAFT,
    "pending": Status.IN_REVIEW,
    # Private posts were published for signed-in WordPress users only. Newsroom has no such readers: the post
    # becomes Unpublished (finished, dated, off every public page, republished by an editor in one step),
    # not a draft, which would put finished work back among the reporters' work in progress.
    "private": Status.UNPUBLISHED,
}
SKIPPED_STATUSES = {
    "trash": "in WordPress's trash",
    "auto-draft": "an empty automatic draft",
    "inherit": "a revision",
}
SKIPPED_TYPES = {
    "page": "a WordPress page (not imported: write it as one of the publication's pages)",
    "nav_menu_item": "a menu item",
    "revision": "a revision",
    "wp_block": "a reusable block",
    "wp_template": "a theme template",
    "wp_template_part": "a theme template",
    "wp_global_styles": "theme styles",
    "wp_navigation": "a navigation menu",
    "custom_css": "theme CSS",
    "customize_changeset": "a theme customisation",
    "oembed_cache": "an embed cache entry",
    "user_request": "a personal data request",
}
DEFAULT_SECTION = ("uncategorized", "Uncategorized")
_url = URLValidator(schemes=["http", "https"])


def source_key(channel):
    """Which WordPress site an export comes from: its address without the scheme ("example.com/blog")."""
    for url in (channel.base_blog_url, channel.link, channel.base_site_url):
        if url:
            parts = urlsplit(url.strip())
            key = (parts.netloc + parts.path).rstrip("/").lower()
            if key:
                return key[:200]
    return "wordpress"


class Importer(TaxonomyImport, AttachmentsImport, CommentsImport):
    def __init__(
        self,
        path,
        *,
        media_dir=None,
        publisher_map=None,
        dry_run=False,
        batch_size=200,
        time_zone=None,
        step=None,
        progress=None,
        on_batch=None,
    ):
        self.path = Path(path)
        self.media_dir = Path(media_dir) if media_dir else None
        self.publisher_map = publisher_map or PublisherMap()
        self.dry_run = dry_run
        self.batch_size = max(1, batch_size)
        self.time_zone_name = time_zone
        self.step = step or wp_media.default_step()
        self.progress = progress
        self.on_batch = on_batch
        self.report = Report()
        self.authors = {}  # login -> Author
        self.sections = {}  # WordPress category slug (decoded) -> Section
        self.tags = {}  # WordPress tag slug (decoded) -> Tag
        self.publishers = {}  # lowercased name -> Publisher
        self.terms = []  # Author and Term entries waiting for the taxonomy batch
        self.taxonomy_written = False
        self.attachments_seen = {}  # this batch's attachments, wp_id -> media.Attachment
        self.attachments_by_path = {}  # file path under uploads -> media.Attachment or None
        self.sticky = []  # articles of this batch to pin on the front page
        self.batch_files = []  # (storage, name) of the files this batch stored, deleted if it rolls back

    # -- the run ---------------------------------------------------------------------------------------------

    def run(self):
        """Import the file; returns the Report. Raises wxr.WXRError before writing anything for a bad file."""
        self.scan = wxr.scan(self.path, self._progress("checking"))
        self.source = source_key(self.scan.channel)
        self.blog_prefix = urlsplit(self.scan.channel.base_blog_url or self.scan.channel.link or "").path.rstrip("/")
        self.zone, self.zone_label = self._time_zone()
        self.settings_digest = _fingerprint(body.VERSION, self.step.version, self.publisher_map.digest, self.zone_label)
        if self.dry_run:
            with transaction.atomic():
                self._import()
                transaction.set_rollback(True)
        else:
            self._import()
            self._analyze()
        return self.report

    def _progress(self, phase):
        if self.progress is None:
            return None
        return lambda count: self.progress(phase, count)

    def _time_zone(self):
        if self.time_zone_name:
            return ZoneInfo(self.time_zone_name), self.time_zone_name
        minutes = self.scan.utc_offset_minutes
        if minutes is not None:
            sign = "+" if minutes >= 0 else "-"
            label = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d} (read from the export's posts)"
            return dt_timezone(timedelta(minutes=minutes)), label
        return ZoneInfo(settings.TIME_ZONE), f"{settings.TIME_ZONE} (the site's; the export does not show its own)"

    def _import(self):
        try:
            if self.scan.items.get("attachment"):
                self._pass("importing media", only_attachments=True)
            self._pass("importing", only_attachments=False)
        except KeyboardInterrupt:
            self.report.stopped = (
                f"Interrupted after {self.report.batches} batches: what they hold is saved. "
                "Run the same command again to finish; nothing is imported twice."
            )
            if self.dry_run:
                raise
        except DatabaseError as error:
            self.report.stopped = (
                f"Stopped by a database error after {self.report.batches} batches ({error}). "
                "The batches before it are saved; run the command again to finish."
            )
            if self.dry_run:
                raise

    def _pass(self, phase, *, only_attachments):
        """Read the file once, writing the attachments (first pass) or everything else (second)."""
        skip_attachments = not only_attachments and bool(self.scan.items.get("attachment"))
        pending = []
        for entry in wxr.read(self.path, self._progress(phase)):
            if isinstance(entry, wxr.Channel):
                continue
            if isinstance(entry, wxr.Author | wxr.Term):
                if not self.taxonomy_written:  # declared before the items: taken in the first pass
                    self.terms.append(entry)
                continue
            is_attachment = entry.post_type == "attachment"
            if (only_attachments and not is_attachment) or (skip_attachments and is_attachment):
                continue
            self.report.items_read += 1
            pending.append(entry)
            if len(pending) >= self.batch_size:
                self._write_batch(pending)
                pending = []
        self._write_batch(pending)

    def _analyze(self):
        """Fresh planner statistics for what was just written (PostgreSQL), rather than waiting for autovacuum."""
        if connection.vendor != "postgresql":
            return
        tables = [
            model._meta.db_table
            for model in (
                Article,
                Author,
                Section,
                Publisher,
                Tag,
                Comment,
                ImportedItem,
                LegacyRedirect,
                SlugRedirect,
                Image,
                BodyImage,
            )
        ]
        tables += [
            Article._meta.get_field("bylines").related_model._meta.db_table,
            Article.tags.through._meta.db_table,
            Article._meta.get_field("revisions").related_model._meta.db_table,
        ]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))

    # -- records ---------------------------------------------------------------------------------------------

    def _records(self, kind, wp_ids):
        return {
            record.wp_id: record
            for record in ImportedItem.objects.filter(source=self.source, kind=kind, wp_id__in=list(wp_ids))
        }

    def _save_records(self, records):
        new = [record for record in records if record.pk is None]
        old = [record for record in records if record.pk is not None]
        ImportedItem.objects.bulk_create(new, batch_size=500)
        ImportedItem.objects.bulk_update(
            old,
            [
                "source",
                "wp_id",
                "guid",
                "fingerprint",
                "article",
                "article_version",
                "comment",
                "author",
                "section",
                "tag",
                "is_sticky",
                "parent_wp_id",
                "featured_wp_id",
                "url",
                "file_path",
                "details",
                "updated_at",
            ],
            batch_size=500,
        )

    def _redirects(self, pairs):
        """Store (old path, target fields) pairs; a path already stored keeps its target (the first one wins)."""
        rows, seen = [], set()
        for path, target in pairs:
            key = normalise_path(path)
            if not key or key == "/" or key in seen:
                continue
            seen.add(key)
            rows.append(LegacyRedirect(old_path=key, **target))
        if not rows:
            return
        existing = set(
            LegacyRedirect.objects.filter(old_path__in=[row.old_path for row in rows]).values_list(
                "old_path", flat=True
            )
        )
        new = [row for row in rows if row.old_path not in existing]
        LegacyRedirect.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        self.report.add("redirect", "imported", count=len(new))
        self.report.add("redirect", "unchanged", count=len(rows) - len(new))

    # -- dates ----------------------------------------------------------------------------------------------

    def _time(self, gmt, local):
        """An aware UTC datetime from WordPress's GMT date, or its local date in the export's time zone."""
        value = wxr.parse_date(gmt)
        if value is not None:
            return value.replace(tzinfo=UTC)
        value = wxr.parse_date(local)
        if value is not None:
            return value.replace(tzinfo=self.zone).astimezone(UTC)
        return None

    # -- batches ---------------------------------------------------------------------------------------------

    def _write_batch(self, items):
        self._write_taxonomy()
        if not items:
            return
        self.batch_files = []
        try:
            self._write_batch_items(items)
        except BaseException:
            self._delete_batch_files()
            raise
        self.report.batches += 1
        if self.on_batch is not None:
            self.on_batch(self.report)

    def _delete_batch_files(self):
        """The batch rolled back (a database error, Ctrl-C): the files its images stored have no row any more.
        Deleting them must not hide why the batch failed, so a file that cannot be deleted is only logged."""
        for storage, name in self.batch_files:
            try:
                storage.delete(name)
            except Exception:
                logger.exception("Could not delete %s, stored by a batch that rolled back", name)
        self.batch_files = []

    def _write_batch_items(self, items):
        """One batch in one transaction (see the module's docstring)."""
        with transaction.atomic(), services.article_batch():
            # First of the batch's on-commit callbacks: once it runs, the files have their rows, whatever
            # a later callback raises.
            transaction.on_commit(self.batch_files.clear)
            self.attachments_seen = {}
            self.attachments_by_path = {}
            self.sticky = []
            posts = []
            attachments = [item for item in items if item.post_type == "attachment"]
            self._write_attachments(attachments)
            post_items = [item for item in items if item.post_type == "post"]
            records = self._post_records(post_items)
            self._prefetch_attachments(post_items, records)
            redirects, save = [], []
            for item in items:
                if item.post_type in {"post", "attachment"}:
                    continue
                reason = SKIPPED_TYPES.get(item.post_type, f"post type “{item.post_type}” (not imported)")
                self.report.add("other", "skipped", reason, item.wp_id)
                if item.comments:
                    self.report.add(
                        "comment", "skipped", "on an item that is not imported", item.wp_id, len(item.comments)
                    )
            for item in post_items:
                article, record = self._write_post(item, records, redirects)
                if record is not None:
                    save.append(record)
                if article is not None:
                    posts.append((item, article))
                elif item.comments:
                    self.report.add(
                        "comment", "skipped", "on a post that is not imported", item.wp_id, len(item.comments)
                    )
            self._save_records(save)
            self._redirects(redirects)
            self._write_comments(posts)
            self._pin_sticky()

    # -- the front page -------------------------------------------------------------------------------------

    def _pin_sticky(self):
        """Pin the batch's newly sticky posts at the top of the front page (newest first), once: a post the
        desk unpins later stays unpinned. Not in a dry run, which only counts them."""
        if not self.sticky:
            return
        self.report.note("front page", "sticky posts pinned on the front page", len(self.sticky))
        if self.dry_run:
            return
        front = Front.objects.home()
        current = [
            curation.PinSpec(pin.article, pin.starts_at, pin.ends_at) for pin in front.pins.select_related("article")
        ]
        new_ids = {article.pk for article in self.sticky}
        newest_first = sorted(self.sticky, key=lambda article: article.published_at or _now(), reverse=True)
        pins = [curation.PinSpec(article) for article in newest_first]
        pins += [spec for spec in current if spec.article.pk not in new_ids]
        curation.front_save(front=front, pins=pins, user=None)

    # -- posts -----------------------------------------------------------------------------------------------

    def _post_records(self, items):
        records = self._records(Kind.POST, [item.wp_id for item in items if item.wp_id is not None])
        missing_guids = [item.guid for item in items if item.guid and item.wp_id not in records]
        if missing_guids:
            for record in ImportedItem.objects.filter(kind=Kind.POST, guid__in=missing_guids):
                records.setdefault(("guid", record.guid), record)
        return records

    def _post_fingerprint(self, item, media_ids):
        """What the post's article was made from; media_ids: the attachments its body and featured image name."""
        return _fingerprint(
            item.title,
            item.content,
            item.excerpt,
            item.status,
            item.date,
            item.date_gmt,
            item.modified_gmt,
            item.slug,
            item.creator,
            [(term.taxonomy, term.slug, term.name) for term in item.terms],
            item.comment_status,
            item.password != "",
            item.is_sticky,
            item.meta.get("_thumbnail_id"),
            self.publisher_map.publisher_name(item),
            self.publisher_map.original_url(item),
            self.settings_digest,
            self._media_state(media_ids),
        )

    def _write_post(self, item, records, redirects):
        """Save one post as an article, in its own savepoint; returns (article or None, record to save or None)."""
        if item.wp_id is None:
            self.report.add("post", "failed", f"no wp:post_id (line {item.line})")
            return None, None
        if item.status in SKIPPED_STATUSES:
            self.report.add("post", "skipped", SKIPPED_STATUSES[item.status], item.wp_id)
            return None, None
        if item.status not in STATUSES:
            self.report.add("post", "failed", f"unknown status “{item.status}”", item.wp_id)
            return None, None
        record = records.get(item.wp_id) or (records.get(("guid", item.guid)) if item.guid else None)
        featured_wp_id = optional_int(item.meta_value("_thumbnail_id"))
        article = None
        if record is not None:
            article = Article.objects.select_related("section", "publisher").filter(pk=record.article_id).first()
            if article is None:
                self.report.add("post", "skipped", "deleted in Newsroom after an earlier import", item.wp_id)
                return None, None
            if article.version != record.article_version:
                self.report.add(
                    "post", "skipped", "changed on the desk since the last import: left as it is", item.wp_id
                )
                return article, None
            named = [ref.get("attachment_id") for ref in record.details.get("media", [])]
            if record.fingerprint == self._post_fingerprint(item, [*named, featured_wp_id]):
                self.report.add("post", "unchanged")
                return article, None
        try:
            with transaction.atomic():
                article, conversion = self._save_article(item, article, record)
        except (ValidationError, IntegrityError, PermissionDenied, ValueError) as error:
            self.report.add("post", "failed", _describe(error), item.wp_id)
            return (article if record is not None else None), None
        self.report.add("post", "updated" if record is not None else "imported")
        if item.is_sticky and (record is None or not record.is_sticky) and item.status in {"publish", "future"}:
            self.sticky.append(article)
        record = record or ImportedItem(source=self.source, kind=Kind.POST, wp_id=item.wp_id)
        record.source, record.wp_id = self.source, item.wp_id
        record.guid = item.guid[:500]
        media = conversion.media[:200]
        record.fingerprint = self._post_fingerprint(item, [*(ref["attachment_id"] for ref in media), featured_wp_id])
        record.article = article
        record.article_version = article.version
        record.is_sticky = item.is_sticky
        record.featured_wp_id = featured_wp_id
        record.details = {"status": item.status, "link": item.link[:500], "media": media}
        record.updated_at = _now()
        redirects.extend((path, {"article": article}) for path in self._post_paths(item))
        return article, record

    def _save_article(self, item, article, record):
        created = article is None
        article = article or Article()
        status = STATUSES[item.status]
        notes = []
        if item.password and status == Status.PUBLISHED:
            status = Status.UNPUBLISHED
            notes.append(_("Password-protected in WordPress: imported unpublished so that it stays private."))
        if item.status == "private":
            notes.append(_("Private in WordPress (only signed-in users saw it): imported unpublished."))
        published_at = self._time(item.date_gmt, item.date)
        if item.status in {"draft", "pending"}:
            published_at = self._time(item.date_gmt, "")  # a draft's local date is only when it was written
        modified_at = self._time(item.modified_gmt, item.modified)
        if published_at and modified_at and modified_at < published_at:
            modified_at = published_at

        terms = [term for term in item.terms if term.taxonomy == "category"]
        sections = [self._section_for(term) for term in terms if term.slug or term.name]
        if not sections:
            sections = [self._section_for(wxr.ItemTerm("category", *DEFAULT_SECTION))]
        tags = {}
        for term in item.terms:
            if term.taxonomy == "post_tag" and (term.slug or term.name):
                tag = self._tag_for(term)
                tags[tag.pk] = tag
        for term in terms[1:]:  # the first category is the section; the others stay findable as tags
            key = f"category:{unquote(term.slug).lower() or term.name.lower()}"
            if key not in self.tags:
                self.tags[key] = self._tag(term.slug, term.name)[0]
            tags[self.tags[key].pk] = self.tags[key]
        authors = [author for author in [self._author_for_login(item.creator)] if author is not None]

        context = wp_media.MediaContext(
            post_wp_id=item.wp_id,
            attachments=self._attachment,
            by_url=self._attachment_by_url,
            attached_to=self._attachments_of,
            media_dir=self.media_dir,
            dry_run=self.dry_run,
        )
        conversion = body.convert(item.content, step=self.step, context=context)
        featured = self.step.featured(optional_int(item.meta_value("_thumbnail_id")), context)
        for name, count in conversion.dropped_shortcodes.items():
            self.report.note("shortcode removed", name, count)
        for name, count in conversion.dropped_blocks.items():
            self.report.note("block removed", name, count)
        for name, count in conversion.kept_blocks.items():
            self.report.note("plugin block kept as its HTML", name, count)
        for _kind, text in context.notes:
            self.report.note("media", text)
        for reference in conversion.media:
            if reference["kind"] in {"audio", "video", "file"}:
                self.report.note("media", f"{reference['kind']} in bodies, kept as a link")

        publisher_name = self.publisher_map.publisher_name(item)
        article.publisher = self._publisher(publisher_name) if publisher_name else None
        original_url = self.publisher_map.original_url(item) if article.publisher else ""
        if original_url:
            try:
                _url(original_url)
            except ValidationError:
                original_url = ""
        article.original_url = original_url[:500]
        article.headline = Truncator(body.plain_text(item.title)).chars(255) or _(
            "Untitled (WordPress post %(id)s)"
        ) % {"id": item.wp_id}
        article.dek = Truncator(body.plain_text(item.excerpt)).chars(600)
        article.body = conversion.html
        for name, value in featured.items():
            setattr(article, name, value)
        article.status = status
        article.published_at = published_at
        article.section = sections[0]
        article.comment_policy = (
            Article.CommentPolicy.CLOSED if item.comment_status == "closed" else Article.CommentPolicy.OPEN
        )
        if notes:
            article.desk_note = " ".join(notes)
        article.slug = self._slug(item, article, created)
        services.article_save(
            article=article,
            user=None,
            tags=list(tags.values()),
            authors=authors,
            expected_version=None if created else record.article_version,
            summary=(
                _("Imported from WordPress (post %(id)s)") if created else _("Updated from WordPress (post %(id)s)")
            )
            % {"id": item.wp_id},
            modified_at=modified_at,
        )
        return article, conversion

    def _slug(self, item, article, created):
        base = ascii_slug(item.slug) or ascii_slug(body.plain_text(item.title)) or f"post-{item.wp_id}"
        if not created and (article.slug == base or article.slug.startswith(base + "-")):
            return article.slug
        reserved = (SlugRedirect, "old_slug")
        return unique_slug(Article, base, instance_pk=article.pk, reserved=reserved)

    def _post_paths(self, item):
        """Where the post was on the old site: its link, ?p=ID, and the usual permalink structures."""
        prefix = self.blog_prefix
        paths = [f"{prefix}/?p={item.wp_id}", f"{prefix}/archives/{item.wp_id}"]
        link = urlsplit(item.link or "")
        if link.path or link.query:
            paths.append(unquote(link.path or "/") + (f"?{link.query}" if link.query else ""))
        slug = unquote(item.slug or "").strip("/")
        try:
            local = wxr.parse_date(item.date)
        except ValueError:
            local = None
        if slug:
            paths.append(f"{prefix}/{slug}/")
            if local is not None:
                paths.append(f"{prefix}/{local:%Y/%m/%d}/{slug}/")
                paths.append(f"{prefix}/{local:%Y/%m}/{slug}/")
                paths.append(f"{prefix}/{local:%Y}/{slug}/")
        return paths


def _describe(error):
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        return " ".join(error.messages)
    return str(error) or type(error).__name__
