"""The WordPress import: a WXR export streamed into articles, comments, sections, tags, authors and old addresses.

Importer.run() first reads the whole file once (wxr.scan) so that a broken or hostile file is refused
before anything is written, then reads it again and writes in batches, one transaction each:

- authors, categories and tags (declared before the posts) in one batch;
- then every `batch_size` items: attachments recorded, posts saved through articles.services.article_save
  inside article_batch() (revision, version, old addresses and go-live jobs as for any save; one
  content-changed event and one reindex job per batch), their comments through
  comments.services.comments_import, the old addresses, and the import records.

Every object is keyed on its WordPress site and ID (posts also on their GUID) in ImportedItem, with a
fingerprint of what was imported: a second run skips what has not changed, updates what has, and
leaves alone an article the desk saved since. A run that stops (a broken file, Ctrl-C) keeps the
batches already committed; running it again completes it.
"""

import hashlib
import html
import json
import logging
import re
from datetime import UTC, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles import events, services
from articles.models import Article, Author, Publisher, Section, SlugRedirect, unique_slug
from comments.models import Comment
from comments.services import ImportedComment, comments_import
from wordpress import body, wxr
from wordpress import media as wp_media
from wordpress.models import ImportedItem, LegacyRedirect, normalise_path
from wordpress.publishers import PublisherMap
from wordpress.report import Report

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
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
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


def ascii_slug(text, limit=200):
    return slugify(unquote(text or ""), allow_unicode=False)[:limit].strip("-")


def _fingerprint(*parts):
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def comment_text(markup):
    """A WordPress comment's HTML as the plain text Newsroom comments are: links written out, paragraphs kept."""

    def link(match):
        href = re.search(r"""href\s*=\s*["']([^"']+)["']""", match.group(1))
        text = strip_tags(match.group(2)).strip()
        url = href.group(1).strip() if href else ""
        return f"{text} ({url})" if url and text and text != url else (url or text)

    text = re.sub(r"<a\b([^>]*)>(.*?)</a>", link, markup or "", flags=re.S | re.I)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</p>\s*<p[^>]*>", "\n\n", text, flags=re.I)
    return html.unescape(strip_tags(text)).strip()


class Importer:
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
        pending = []
        try:
            for entry in wxr.read(self.path, self._progress("importing")):
                if isinstance(entry, wxr.Channel):
                    continue
                if isinstance(entry, wxr.Author | wxr.Term):
                    self.terms.append(entry)
                    continue
                self.report.items_read += 1
                pending.append(entry)
                if len(pending) >= self.batch_size:
                    self._write_batch(pending)
                    pending = []
            self._write_batch(pending)
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

    def _analyze(self):
        """Fresh planner statistics for what was just written (PostgreSQL), rather than waiting for autovacuum."""
        if connection.vendor != "postgresql":
            return
        tables = [
            model._meta.db_table
            for model in (Article, Author, Section, Publisher, Tag, Comment, ImportedItem, LegacyRedirect, SlugRedirect)
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

    # -- authors, categories, tags ------------------------------------------------------------------------

    def _write_taxonomy(self):
        if self.taxonomy_written:
            return
        self.taxonomy_written = True
        entries, self.terms = self.terms, []
        with transaction.atomic(), events.collected(events.TAXONOMY_CHANGED):
            authors = [entry for entry in entries if isinstance(entry, wxr.Author)]
            categories = [entry for entry in entries if isinstance(entry, wxr.Term) and entry.taxonomy == "category"]
            tags = [entry for entry in entries if isinstance(entry, wxr.Term) and entry.taxonomy == "post_tag"]
            for entry in entries:
                if isinstance(entry, wxr.Term) and entry.taxonomy not in {"category", "post_tag"}:
                    self.report.add(
                        "other", "skipped", f"a term of the {entry.taxonomy or 'unnamed'} taxonomy", entry.wp_id
                    )
            self._write_authors(authors)
            self._write_categories(categories)
            self._write_tags(tags)

    def _author_name(self, entry):
        for candidate in (entry.display_name, f"{entry.first_name} {entry.last_name}", entry.login):
            candidate = " ".join(candidate.split())
            if candidate and not EMAIL_LIKE.search(candidate):
                return candidate[:120]
        return _("Author %(number)s") % {"number": entry.wp_id or len(self.authors) + 1}

    def _author_slug(self, entry, name):
        login = "" if EMAIL_LIKE.search(entry.login) else entry.login
        return ascii_slug(login, 120) or ascii_slug(name, 120) or f"author-{entry.wp_id or len(self.authors) + 1}"

    def _write_authors(self, entries):
        records = self._records(Kind.AUTHOR, [entry.wp_id for entry in entries if entry.wp_id is not None])
        by_login = {}
        for record in ImportedItem.objects.filter(source=self.source, kind=Kind.AUTHOR).select_related("author"):
            if record.author is not None and record.details.get("login"):
                by_login[record.details["login"]] = record
        save, redirects = [], []
        for entry in entries:
            if not entry.login:
                self.report.add("author", "failed", "no login", entry.wp_id)
                continue
            name = self._author_name(entry)
            if name != " ".join(entry.display_name.split()) and EMAIL_LIKE.search(entry.display_name):
                self.report.note("privacy", "author display names that were email addresses, not published")
            record = records.get(entry.wp_id) if entry.wp_id is not None else None
            record = record or by_login.get(entry.login)
            author = self._author(entry, name, record)
            self.authors[entry.login] = author
            record = record or ImportedItem(source=self.source, kind=Kind.AUTHOR, wp_id=entry.wp_id or 0)
            record.author, record.details = author, {"login": entry.login}
            if entry.wp_id is not None:
                record.wp_id = entry.wp_id
                save.append(record)
                redirects.append((f"{self.blog_prefix}/?author={entry.wp_id}", {"author": author}))
            if not EMAIL_LIKE.search(entry.login):
                nicename = slugify(entry.login)
                if nicename and nicename != author.slug:
                    redirects.append((f"{self.blog_prefix}/author/{nicename}/", {"author": author}))
                if nicename:
                    redirects.append(
                        (f"{self.blog_prefix}/author/{nicename}/feed/", {"author": author, "is_feed": True})
                    )
        self._save_records(save)
        self._redirects(redirects)

    def _author(self, entry, name, record):
        if record is not None and record.author is not None:
            author = record.author
            if author.name == name or record.fingerprint == _fingerprint(author.name):
                self.report.add("author", "unchanged")
            else:
                self.report.add("author", "unchanged", "renamed in Newsroom since: kept", entry.wp_id)
            return author
        slug = self._author_slug(entry, name)
        author = Author.objects.filter(slug=slug, name=name).first()
        if author is not None:
            self.report.add("author", "unchanged", "already in Newsroom (same name and slug)", entry.wp_id)
            return author
        author = Author.objects.create(name=name, slug=unique_slug(Author, slug, max_length=120))
        self.report.add("author", "imported")
        return author

    def _author_for_login(self, login):
        """The Author of a post's dc:creator; one the channel did not declare is made from the login."""
        login = (login or "").strip()
        if not login:
            return None
        author = self.authors.get(login)
        if author is None:
            entry = wxr.Author(None, login, "", "", "", "", 0)
            name = self._author_name(entry)
            slug = self._author_slug(entry, name)
            author = Author.objects.filter(slug=slug).first()
            if author is None:
                author = Author.objects.create(name=name, slug=unique_slug(Author, slug, max_length=120))
                self.report.add("author", "imported", "named by a post but not declared in the export")
            self.authors[login] = author
        return author

    def _section_name(self, name, slug, parent_name):
        name = " ".join(name.split())[:80] or slug
        if not Section.objects.filter(name=name).exclude(slug=slug).exists():
            return name
        for candidate in (f"{name} ({parent_name})" if parent_name else "", f"{name} ({slug})"):
            candidate = candidate[:80]
            if candidate and not Section.objects.filter(name=candidate).exclude(slug=slug).exists():
                return candidate
        return unique_slug(Section, name, max_length=80)

    def _write_categories(self, entries):
        records = self._records(Kind.CATEGORY, [entry.wp_id for entry in entries if entry.wp_id is not None])
        names = {unquote(entry.slug).lower(): entry.name for entry in entries}
        parents = {unquote(entry.slug).lower(): unquote(entry.parent_slug).lower() for entry in entries}
        position = (Section.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        save, redirects = [], []
        for entry in entries:
            key = unquote(entry.slug).lower()
            if not key:
                self.report.add("category", "failed", "no slug", entry.wp_id)
                continue
            record = records.get(entry.wp_id) if entry.wp_id is not None else None
            section = record.section if record is not None else None
            if section is not None:
                self.report.add("category", "unchanged")
            else:
                section, created = self._section(
                    key, entry.name, entry.description, names.get(parents.get(key)), position
                )
                position += 1
                self.report.add(
                    "category",
                    "imported" if created else "unchanged",
                    "" if created else "already a section with this slug",
                    entry.wp_id,
                )
            self.sections[key] = section
            if entry.wp_id is not None:
                record = record or ImportedItem(source=self.source, kind=Kind.CATEGORY, wp_id=entry.wp_id)
                record.section = section
                save.append(record)
                redirects.append((f"{self.blog_prefix}/?cat={entry.wp_id}", {"section": section}))
            chain, seen = [key], {key}
            while parents.get(chain[0]) and parents[chain[0]] not in seen:
                seen.add(parents[chain[0]])
                chain.insert(0, parents[chain[0]])
            for path in {"/".join(chain), key}:
                redirects.append((f"{self.blog_prefix}/category/{path}/", {"section": section}))
                redirects.append((f"{self.blog_prefix}/category/{path}/feed/", {"section": section, "is_feed": True}))
        self._save_records(save)
        self._redirects(redirects)

    def _section(self, key, name, description, parent_name, position):
        slug = ascii_slug(key, 80) or ascii_slug(name, 80) or unique_slug(Section, "category", max_length=80)
        section = Section.objects.filter(slug=slug).first()
        if section is not None:
            return section, False
        section = Section.objects.create(
            name=self._section_name(name or key, slug, parent_name),
            slug=slug,
            description=strip_tags(description or "")[:2000],
            position=min(position, 32767),
        )
        return section, True

    def _section_for(self, term):
        key = unquote(term.slug).lower() or ascii_slug(term.name)
        section = self.sections.get(key)
        if section is None:
            section, created = self._section(key, term.name, "", "", 1000)
            self.sections[key] = section
            if created:
                self.report.add("category", "imported", "named by a post but not declared in the export")
            self._redirects([(f"{self.blog_prefix}/category/{key}/", {"section": section})])
        return section

    def _tag(self, slug, name):
        """The tag a WordPress tag (or a secondary category) becomes; made with a slug reader URLs can carry."""
        name = " ".join((name or unquote(slug)).split())[:100]
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is not None:
            return tag, False
        base = ascii_slug(slug, 90) or ascii_slug(name, 90) or "tag"
        tag = Tag.objects.create(name=name, slug=unique_slug(Tag, base, max_length=100))
        return tag, True

    def _write_tags(self, entries):
        records = self._records(Kind.TAG, [entry.wp_id for entry in entries if entry.wp_id is not None])
        save, redirects = [], []
        for entry in entries:
            key = unquote(entry.slug).lower()
            if not key and not entry.name:
                self.report.add("tag", "failed", "no name", entry.wp_id)
                continue
            record = records.get(entry.wp_id) if entry.wp_id is not None else None
            tag = record.tag if record is not None else None
            if tag is not None:
                self.report.add("tag", "unchanged")
            else:
                tag, created = self._tag(entry.slug, entry.name)
                self.report.add(
                    "tag",
                    "imported" if created else "unchanged",
                    "" if created else "already a tag of this name",
                    entry.wp_id,
                )
            self.tags[key] = tag
            if entry.wp_id is not None:
                record = record or ImportedItem(source=self.source, kind=Kind.TAG, wp_id=entry.wp_id)
                record.tag = tag
                save.append(record)
            if key:
                redirects.append((f"{self.blog_prefix}/tag/{key}/", {"tag": tag}))
                redirects.append((f"{self.blog_prefix}/tag/{key}/feed/", {"tag": tag, "is_feed": True}))
                redirects.append((f"{self.blog_prefix}/?tag={key}", {"tag": tag}))
        self._save_records(save)
        self._redirects(redirects)

    def _tag_for(self, term):
        key = unquote(term.slug).lower() or term.name.lower()
        tag = self.tags.get(key)
        if tag is None:
            tag, created = self._tag(term.slug, term.name)
            self.tags[key] = tag
            if created:
                self.report.add("tag", "imported", "named by a post but not declared in the export")
        return tag

    def _publisher(self, name):
        key = name.strip().lower()
        publisher = self.publishers.get(key)
        if publisher is None:
            slug = ascii_slug(name, 120) or "publisher"
            publisher = (
                Publisher.objects.filter(name__iexact=name).first() or Publisher.objects.filter(slug=slug).first()
            )
            if publisher is None:
                publisher = Publisher.objects.create(name=name[:120], slug=unique_slug(Publisher, slug, max_length=120))
                self.report.add("publisher", "imported")
            self.publishers[key] = publisher
        return publisher

    # -- batches ---------------------------------------------------------------------------------------------

    def _write_batch(self, items):
        self._write_taxonomy()
        if not items:
            return
        with transaction.atomic(), services.article_batch():
            self.attachments_seen = {}
            posts = []
            attachments = [item for item in items if item.post_type == "attachment"]
            self._write_attachments(attachments)
            post_items = [item for item in items if item.post_type == "post"]
            records = self._post_records(post_items)
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
        self.report.batches += 1
        if self.on_batch is not None:
            self.on_batch(self.report)

    # -- attachments -----------------------------------------------------------------------------------------

    def _write_attachments(self, items):
        records = self._records(Kind.ATTACHMENT, [item.wp_id for item in items if item.wp_id is not None])
        save = []
        for item in items:
            if item.wp_id is None:
                self.report.add("attachment", "failed", "no ID")
                continue
            attachment = wp_media.Attachment(
                wp_id=item.wp_id,
                url=item.attachment_url or item.guid,
                file_path=item.meta_value("_wp_attached_file").strip().lstrip("/"),
                parent_wp_id=item.parent,
                title=body.plain_text(item.title),
                caption=body.plain_text(item.excerpt),
                description=body.plain_text(item.content),
                alt=" ".join(item.meta_value("_wp_attachment_image_alt").split()),
            )
            self.attachments_seen[item.wp_id] = attachment
            context = wp_media.MediaContext(
                post_wp_id=item.parent, attachments=self._attachment, media_dir=self.media_dir
            )
            details = {
                "title": attachment.title,
                "caption": attachment.caption,
                "description": attachment.description[:2000],
                "alt": attachment.alt,
                **self.step.attachment(attachment, context),
            }
            fingerprint = _fingerprint(attachment.url, attachment.file_path, details, item.parent, self.step.version)
            record = records.get(item.wp_id)
            if record is not None and record.fingerprint == fingerprint:
                outcome = "unchanged"
            else:
                outcome = "updated" if record is not None else "imported"
                record = record or ImportedItem(source=self.source, kind=Kind.ATTACHMENT, wp_id=item.wp_id)
                record.guid = item.guid[:500]
                record.url = attachment.url[:500]
                record.file_path = attachment.file_path[:500]
                record.parent_wp_id = item.parent or None
                record.details = details
                record.fingerprint = fingerprint
                record.updated_at = _now()
                save.append(record)
            self.report.add("attachment", outcome)
            if details.get("status") == "missing":
                self.report.flag("attachment", outcome, "file not found under --media-dir", item.wp_id)
                self.report.note("media", "attachment files missing from --media-dir")
            self.report.note("media", "attachments recorded, waiting for the media library")
        self._save_records(save)

    def _attachment(self, wp_id):
        """media.MediaContext's lookup: an attachment of this batch or of an earlier one (or run)."""
        if wp_id in self.attachments_seen:
            return self.attachments_seen[wp_id]
        record = ImportedItem.objects.filter(source=self.source, kind=Kind.ATTACHMENT, wp_id=wp_id).first()
        if record is None:
            return None
        attachment = wp_media.Attachment(
            wp_id=wp_id,
            url=record.url,
            file_path=record.file_path,
            parent_wp_id=record.parent_wp_id or 0,
            title=record.details.get("title", ""),
            caption=record.details.get("caption", ""),
            alt=record.details.get("alt", ""),
        )
        self.attachments_seen[wp_id] = attachment
        return attachment

    # -- posts -----------------------------------------------------------------------------------------------

    def _post_records(self, items):
        records = self._records(Kind.POST, [item.wp_id for item in items if item.wp_id is not None])
        missing_guids = [item.guid for item in items if item.guid and item.wp_id not in records]
        if missing_guids:
            for record in ImportedItem.objects.filter(kind=Kind.POST, guid__in=missing_guids):
                records.setdefault(("guid", record.guid), record)
        return records

    def _post_fingerprint(self, item):
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
        fingerprint = self._post_fingerprint(item)
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
            if record.fingerprint == fingerprint:
                self.report.add("post", "unchanged")
                return article, None
        try:
            with transaction.atomic():
                article, conversion = self._save_article(item, article, record)
        except (ValidationError, IntegrityError, PermissionDenied, ValueError) as error:
            self.report.add("post", "failed", _describe(error), item.wp_id)
            return (article if record is not None else None), None
        self.report.add("post", "updated" if record is not None else "imported")
        record = record or ImportedItem(source=self.source, kind=Kind.POST, wp_id=item.wp_id)
        record.source, record.wp_id = self.source, item.wp_id
        record.guid = item.guid[:500]
        record.fingerprint = fingerprint
        record.article = article
        record.article_version = article.version
        record.is_sticky = item.is_sticky
        record.featured_wp_id = _optional_int(item.meta_value("_thumbnail_id"))
        record.details = {
            "status": item.status,
            "link": item.link[:500],
            "media": conversion.media[:200],
        }
        record.updated_at = _now()
        if item.is_sticky:
            self.report.note("front page", "sticky posts remembered for pinning (ImportedItem.is_sticky)")
        if record.featured_wp_id:
            self.report.note("media", "featured images (_thumbnail_id) waiting for the media library")
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
            tag, _created = self._tag(term.slug, term.name)
            tags[tag.pk] = tag
        authors = [author for author in [self._author_for_login(item.creator)] if author is not None]

        context = wp_media.MediaContext(post_wp_id=item.wp_id, attachments=self._attachment, media_dir=self.media_dir)
        conversion = body.convert(item.content, step=self.step, context=context)
        for name, count in conversion.dropped_shortcodes.items():
            self.report.note("shortcode removed", name, count)
        for name, count in conversion.dropped_blocks.items():
            self.report.note("block removed", name, count)
        for name, count in conversion.kept_blocks.items():
            self.report.note("plugin block kept as its HTML", name, count)
        for kind, _text in conversion.notes:
            self.report.note("media", f"{kind}: images not known yet")
        for reference in conversion.media:
            self.report.note("media", f"{reference['kind']} in bodies, kept as a link until the media library")

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

    # -- comments --------------------------------------------------------------------------------------------

    def _write_comments(self, posts):
        ids = [comment.wp_id for item, _article in posts for comment in item.comments if comment.wp_id is not None]
        records = {}
        for start in range(0, len(ids), 900):
            records.update(self._records(Kind.COMMENT, ids[start : start + 900]))
        existing = {
            comment.pk: comment
            for comment in Comment.objects.filter(pk__in=[r.comment_id for r in records.values() if r.comment_id])
        }
        entries, fingerprints = [], {}
        for item, article in posts:
            for comment in item.comments:
                entry = self._comment_entry(item, article, comment, records, existing)
                if entry is not None:
                    entries.append(entry)
                    fingerprints[entry.key] = self._comment_fingerprint(comment)
        if not entries:
            return
        saved, problems = comments_import(entries=entries, note=_("Imported from WordPress"))
        for key, dropped in problems:
            self.report.flag("comment", "imported", f"not valid, not kept: {', '.join(dropped)}", key)
        save = []
        for entry in entries:
            record = records.get(entry.key) or ImportedItem(source=self.source, kind=Kind.COMMENT, wp_id=entry.key)
            record.comment = saved[entry.key]
            record.parent_wp_id = entry.parent_key or None
            record.fingerprint = fingerprints[entry.key]
            record.updated_at = _now()
            save.append(record)
            self.report.add("comment", "updated" if entry.comment is not None else "imported")
        self._save_records(save)

    def _comment_fingerprint(self, comment):
        return _fingerprint(
            comment.author,
            comment.author_email,
            comment.author_url,
            comment.author_ip,
            comment.date_gmt,
            comment.date,
            comment.content,
            comment.approved,
            comment.parent,
            self.zone_label,
        )

    def _comment_entry(self, item, article, comment, records, existing):
        kind = (comment.type or "comment").lower()
        if kind in {"pingback", "trackback"}:
            self.report.add("comment", "skipped", f"{kind}s (not comments)", comment.wp_id)
            return None
        if comment.wp_id is None:
            self.report.add("comment", "failed", f"no wp:comment_id (post {item.wp_id}, line {comment.line})")
            return None
        status = COMMENT_STATUSES.get(comment.approved.strip().lower())
        if status is None:
            self.report.add("comment", "failed", f"unknown status “{comment.approved}”", comment.wp_id)
            return None
        record = records.get(comment.wp_id)
        existing_comment = None
        if record is not None:
            existing_comment = existing.get(record.comment_id)
            if existing_comment is None:
                self.report.add("comment", "skipped", "deleted in Newsroom after an earlier import", comment.wp_id)
                return None
            if record.fingerprint == self._comment_fingerprint(comment):
                self.report.add("comment", "unchanged")
                return None
        try:
            created_at = self._time(comment.date_gmt, comment.date)
        except ValueError:
            created_at = None
        if created_at is None:
            self.report.add("comment", "failed", "no readable date", comment.wp_id)
            return None
        parent_key = comment.parent or None
        parent_id = None
        if parent_key is not None:
            parent_record = records.get(parent_key)
            in_this_post = any(other.wp_id == parent_key for other in item.comments)
            if not in_this_post:
                self.report.flag(
                    "comment", "imported", "reply to a comment not in the export: shown as a new thread", comment.wp_id
                )
                parent_key = None
            elif parent_record is not None and parent_record.fingerprint == self._comment_fingerprint(
                next(other for other in item.comments if other.wp_id == parent_key)
            ):
                parent_id, parent_key = parent_record.comment_id, None
        return ImportedComment(
            key=comment.wp_id,
            article=article,
            author_name=body.plain_text(comment.author),
            author_email=comment.author_email,
            author_url=comment.author_url,
            ip_address=comment.author_ip,
            body=comment_text(comment.content),
            status=status,
            created_at=created_at,
            parent_key=parent_key,
            parent_id=parent_id,
            comment=existing_comment,
        )


def _optional_int(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _now():
    return timezone.now()


def _describe(error):
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        return " ".join(error.messages)
    return str(error) or type(error).__name__
