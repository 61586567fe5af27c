"""The attachments of an export: each handed to the media step (wordpress/media.py), which puts image files into
the media library, and the lookups posts use to find them (by ID, by file address, by the post they belong to)."""

import re
from urllib.parse import unquote, urlsplit

from wordpress import body
from wordpress import media as wp_media
from wordpress.common import fingerprint as _fingerprint
from wordpress.common import now as _now
from wordpress.common import optional_int
from wordpress.models import ImportedItem

Kind = ImportedItem.Kind
_SIZED = re.compile(r"(-\d+x\d+)(\.[A-Za-z0-9]+)$")  # WordPress's resized copies: photo-300x200.jpg
_SCALED = re.compile(r"(?<!-scaled)()(\.[A-Za-z0-9]+)$")  # and its big-image original: photo-scaled.jpg


def attachments_by_file(source, file_paths):
    """The attachment records of `source` whose file (under uploads) is one of `file_paths`, through the index
    on (source, kind, file_path): unordered, as the model's ordering would have SQLite walk the unique
    (source, kind, wp_id) index instead."""
    return ImportedItem.objects.filter(source=source, kind=Kind.ATTACHMENT, file_path__in=file_paths).order_by()


class AttachmentsImport:
    """The Importer's attachments (a mixin: it uses the importer's source, step, report and records)."""

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
            record = records.get(item.wp_id)
            context = wp_media.MediaContext(
                post_wp_id=item.parent,
                attachments=self._attachment,
                media_dir=self.media_dir,
                dry_run=self.dry_run,
                previous=dict(record.details) if record is not None else {},
            )
            try:
                step_details = dict(self.step.attachment(attachment, context))
            finally:
                self.batch_files.extend(context.stored)
            image_outcome = step_details.pop("outcome", None)
            attachment.image_id = step_details.get("image_id")
            self.attachments_seen[item.wp_id] = attachment
            details = {
                "title": attachment.title,
                "caption": attachment.caption,
                "description": attachment.description[:2000],
                "alt": attachment.alt,
                **step_details,
            }
            fingerprint = _fingerprint(attachment.url, attachment.file_path, details, item.parent, self.step.version)
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
            self._report_image(item.wp_id, details, image_outcome)
            for _kind, text in context.notes:
                self.report.note("media", text)
        self._save_records(save)

    def _report_image(self, wp_id, details, outcome):
        """The library image an attachment gave: imported, updated, unchanged, skipped (no file) or failed."""
        status = details.get("status")
        if status == "missing":
            self.report.add("image", "skipped", "file not found under --media-dir", wp_id)
        elif status == "waiting":
            self.report.add("image", "skipped", "no --media-dir given", wp_id)
        elif status == "not an image":
            self.report.add("image", "skipped", "not an image (audio, video or a document): kept as a link", wp_id)
        elif status == "refused":
            self.report.add("image", "failed", f"file refused by the media library: {details.get('error', '')}", wp_id)
        elif outcome:
            self.report.add("image", outcome)
            if details.get("error"):
                self.report.flag(
                    "image", outcome, f"new file refused, the library keeps the last one: {details['error']}", wp_id
                )

    def _attachment_from_record(self, record):
        return wp_media.Attachment(
            wp_id=record.wp_id,
            url=record.url,
            file_path=record.file_path,
            parent_wp_id=record.parent_wp_id or 0,
            title=record.details.get("title", ""),
            caption=record.details.get("caption", ""),
            alt=record.details.get("alt", ""),
            image_id=record.details.get("image_id") if record.details.get("status") == "library" else None,
        )

    def _attachment(self, wp_id):
        """media.MediaContext's lookup: an attachment of this batch or of an earlier one (or run)."""
        if wp_id in self.attachments_seen:
            return self.attachments_seen[wp_id]
        record = ImportedItem.objects.filter(source=self.source, kind=Kind.ATTACHMENT, wp_id=wp_id).first()
        attachment = self._attachment_from_record(record) if record is not None else None
        self.attachments_seen[wp_id] = attachment
        return attachment

    def _attachment_by_url(self, url):
        """media.MediaContext's lookup by address: an <img> without its attachment ID, maybe of a resized copy
        ("photo-300x200.jpg" is a size of "photo.jpg"), or of WordPress's "-scaled" original."""
        path = unquote(urlsplit(url).path)
        if "/wp-content/uploads/" not in path:
            return None
        path = path.split("/wp-content/uploads/", 1)[1].lstrip("/")
        candidates = [path, _SIZED.sub(r"\2", path)]
        candidates += [_SCALED.sub(r"-scaled\2", candidate) for candidate in candidates]
        candidates = [candidate for candidate in dict.fromkeys(candidates) if candidate]
        for candidate in candidates:
            if candidate in self.attachments_by_path:
                return self.attachments_by_path[candidate]
        records = {record.file_path: record for record in attachments_by_file(self.source, candidates)}
        found = next((records[candidate] for candidate in candidates if candidate in records), None)
        attachment = self._attachment(found.wp_id) if found is not None else None
        for candidate in candidates:
            self.attachments_by_path[candidate] = attachment
        return attachment

    def _attachments_of(self, post_wp_id):
        """media.MediaContext's lookup for [gallery] without ids: the images attached to the post, in order."""
        records = ImportedItem.objects.filter(source=self.source, kind=Kind.ATTACHMENT, parent_wp_id=post_wp_id)
        return [self._attachment(record.wp_id) for record in records.order_by("wp_id")[: wp_media.GALLERY_LIMIT]]

    def _prefetch_attachments(self, items, records):
        """The attachments a batch's posts name (featured images, and what their bodies showed last time), in
        one query rather than one per post."""
        wanted = set()
        for item in items:
            featured = optional_int(item.meta_value("_thumbnail_id"))
            if featured:
                wanted.add(featured)
            record = records.get(item.wp_id)
            if record is not None:
                wanted.update(
                    ref["attachment_id"] for ref in record.details.get("media", []) if ref.get("attachment_id")
                )
        wanted -= set(self.attachments_seen)
        if not wanted:
            return
        found = {}
        for record in ImportedItem.objects.filter(source=self.source, kind=Kind.ATTACHMENT, wp_id__in=list(wanted)):
            found[record.wp_id] = self._attachment_from_record(record)
        for wp_id in wanted:
            self.attachments_seen[wp_id] = found.get(wp_id)

    def _media_state(self, attachment_ids):
        """Which library image each attachment a post names has now: part of the post's fingerprint, so that
        a post is converted again when an image it shows arrives in the library (a file added to --media-dir)."""
        state = []
        for wp_id in sorted({wp_id for wp_id in attachment_ids if wp_id}):
            attachment = self._attachment(wp_id)
            state.append((wp_id, attachment.image_id if attachment is not None else None))
        return state
