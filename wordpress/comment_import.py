"""The comments of imported posts, written through comments.services.comments_import."""

import html
import re

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from comments.models import Comment
from comments.services import ImportedComment, comments_import
from wordpress import body
from wordpress.common import fingerprint as _fingerprint
from wordpress.common import now as _now
from wordpress.models import ImportedItem

Kind = ImportedItem.Kind

COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}


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


class CommentsImport:
    """The Importer's part for comments: new ones created, changed ones updated, threads kept, pingbacks counted."""

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
