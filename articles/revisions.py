"""Article revisions: what a revision stores, how two revisions compare, what restoring one brings back.

A revision is a JSON snapshot of the article after a save, including its tags and bylines and
the names of its section and publisher, so history stays readable after those are renamed or
deleted. (django-reversion was considered: its serializer leaves out django-taggit tags and stores
bare ids, and its revert() would also roll back the publication state and the lock version.)
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles import richtext
from articles.models import Article, ArticleKind, Author, Image, Publisher, Section

TEXT_FIELDS = [
    "headline",
    "slug",
    "dek",
    "body",
    "status",
    "original_url",
    "is_original_canonical",
    "rights",
    "comment_policy",
    "desk_note",
    "sponsor",
    "seo_title",
    "social_headline",
    "social_description",
]

TIME_FIELDS = ["published_at", "embargo_until", "expires_at", "originally_published_at"]

# The order and labels of the comparison page.
DIFF_FIELDS = [
    ("headline", _("Headline")),
    ("dek", _("Standfirst")),
    ("body", _("Body")),
    ("bylines", _("Bylines")),
    ("kind", _("Kind")),
    ("sponsor", _("Sponsor")),
    ("tags", _("Tags")),
    ("section", _("Section")),
    ("status", _("Status")),
    ("published_at", _("Publication time")),
    ("embargo_until", _("Embargo until")),
    ("expires_at", _("Leaves public view at")),
    ("slug", _("Slug")),
    ("image", _("Featured image")),
    ("seo_title", _("SEO title")),
    ("social_headline", _("Social headline")),
    ("social_description", _("Social description")),
    ("social_image", _("Social image")),
    ("publisher", _("Publisher")),
    ("originally_published_at", _("First published")),
    ("original_url", _("Original URL")),
    ("is_original_canonical", _("Original is canonical")),
    ("rights", _("Rights")),
    ("comment_policy", _("Comments")),
    ("desk_note", _("Note for the desk")),
]

# What a restore brings back. The publication state, times and address stay as they are now:
# restoring old wording must not unpublish a story or move its URL.
RESTORED_FIELDS = [
    "headline",
    "dek",
    "body",
    "original_url",
    "is_original_canonical",
    "rights",
    "comment_policy",
    "sponsor",
    "seo_title",
    "social_headline",
    "social_description",
]


def _when(value):
    return value.isoformat() if value else None


def _restorable_image(kept):
    """The pk of the library image a revision names, if it still exists; else None (nothing to show)."""
    image_id = kept.get("id") if isinstance(kept, dict) else None
    return image_id if image_id and Image.objects.filter(pk=image_id).exists() else None


def _image(image):
    """A library image as a revision keeps it: which one, and what readers saw with it then."""
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
    }


def snapshot(article):
    """Everything a reader or an editor could see of `article`, as JSON-ready data."""
    content = {field: getattr(article, field) for field in TEXT_FIELDS}
    content.update(
        **{field: _when(getattr(article, field)) for field in TIME_FIELDS},
        kind={"id": article.kind_id, "name": article.kind.name} if article.kind_id else None,
        social_image=_image(article.social_image) if article.social_image_id else None,
        section={"id": article.section_id, "name": article.section.name} if article.section_id else None,
        publisher={"id": article.publisher_id, "name": article.publisher.name} if article.publisher_id else None,
        image=_image(article.image) if article.image_id else None,
        tags=sorted(article.tags.names(), key=str.lower),
        bylines=[
            {"id": byline.author_id, "name": byline.author.name}
            for byline in article.bylines.select_related("author").order_by("position", "pk")
        ],
    )
    return content


def restore_onto(article, content):
    """Put a revision's content back on `article` (not saved) and return its (tag names, authors), for the
    article service to save together. Sections, publishers and authors deleted since are skipped."""
    for field in RESTORED_FIELDS:
        if field in content:
            setattr(article, field, content[field])
    section = content.get("section")
    if section and Section.objects.filter(pk=section["id"]).exists():
        article.section_id = section["id"]
    publisher = content.get("publisher")
    if publisher is None:
        article.publisher = None
    elif Publisher.objects.filter(pk=publisher["id"]).exists():
        article.publisher_id = publisher["id"]
    article.image_id = _restorable_image(content.get("image"))
    # Revisions made before a field existed leave it as it is.
    if "social_image" in content:
        article.social_image_id = _restorable_image(content["social_image"])
    if "originally_published_at" in content:
        article.originally_published_at = parse_datetime(content["originally_published_at"] or "")
    if "kind" in content:
        kind = content["kind"]
        if kind is None:
            article.kind = None
        elif ArticleKind.objects.filter(pk=kind["id"]).exists():
            article.kind_id = kind["id"]
    wanted = [byline["id"] for byline in content.get("bylines", [])]
    existing = Author.objects.in_bulk(wanted)
    return content.get("tags", []), [existing[pk] for pk in wanted if pk in existing]


BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|tr)>|</t[dh]>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)
LINK = re.compile(r"<a\s[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def _block_line(block):
    """A body's media block as one readable line, so a diff shows an image, gallery or embed changing."""
    caption = f": {block.caption}" if block.caption else ""
    if block.kind == "image":
        return f"[{_('Image')} {block.image_id}, {block.size}{caption}]"
    if block.kind == "gallery":
        ids = ", ".join(str(pk) for pk in block.image_ids)
        return f"[{_('Gallery')} {ids}, {block.size}{caption}]"
    if block.kind == "embed":
        return f"[{_('Embed')} {block.url}{caption}]"
    quote = " / ".join(block.quote)
    return f"[{_('Pull quote')} “{quote}”{' – ' + block.caption if block.caption else ''}]"


def html_to_lines(markup):
    """The paragraphs of stored rich text as plain lines; links keep their address: "text (https://...)";
    media blocks are one line each: "[Image 12, wide: caption]"."""
    parts = richtext.parse(markup or "").parts
    markup = "".join(
        part if isinstance(part, str) else f"<p>{escape(_block_line(part))}</p>"
        for part in parts
        if part is not richtext.TABLE_START and part is not richtext.TABLE_END
    )
    text = LINK.sub(lambda match: f"{match.group(2)} ({match.group(1)})", markup)
    text = BLOCK_END.sub("\n", text)
    text = html.unescape(TAG.sub("", text))
    return [line.strip() for line in text.split("\n") if line.strip()]


def _format_time(value):
    moment = parse_datetime(value) if value else None
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def field_lines(content, field):
    """One field of a snapshot as the lines a person reads."""
    value = content.get(field)
    if field == "body":
        return html_to_lines(value)
    if field in {"image", "social_image"}:
        return _image_lines(content, field)
    if field in {"section", "publisher", "kind"}:
        return [value["name"]] if value else []
    if field == "tags":
        return [", ".join(value)] if value else []
    if field == "bylines":
        return [", ".join(byline["name"] for byline in value)] if value else []
    if field in TIME_FIELDS:
        return [_format_time(value)] if value else []
    if field == "status":
        return [str(Article.Status(value).label)] if value in Article.Status.values else [value or ""]
    if field == "is_original_canonical":
        return [str(_("Yes"))] if value else []
    if field == "comment_policy":
        labels = dict(Article.CommentPolicy.choices)
        return [str(labels.get(value, value))] if value else []
    return [line for line in str(value or "").split("\n") if line.strip()]


def _image_lines(content, field="image"):
    """A library image of the snapshot as lines: "Title (#12)", then its alt text, caption and credit.
    Older revisions kept a file name instead: shown as it is."""
    image = content.get(field)
    if isinstance(image, str):
        return [image] if image else []
    if not isinstance(image, dict) or not image.get("id"):
        return []
    labels = {"alt": _("Alt text"), "caption": _("Caption"), "credit": _("Credit")}
    return [f"{image.get('title', '')} (#{image['id']})"] + [
        f"{label}: {image[key]}" for key, label in labels.items() if image.get(key)
    ]


TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def inline_diff(before, after):
    """One changed line with the removed words in <del> and the added ones in <ins>; all text escaped."""
    old, new = TOKEN.findall(before), TOKEN.findall(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(new[j1:j2])))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


@dataclass
class FieldDiff:
    field: str
    label: str
    rows: list  # (kind, html): kind is "same", "removed", "added" or "changed"


def diff_lines(before, after):
    rows = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(("same", escape(line)) for line in before[i1:i2])
        elif op == "replace" and i2 - i1 == j2 - j1:
            rows.extend(
                ("changed", inline_diff(old, new)) for old, new in zip(before[i1:i2], after[j1:j2], strict=True)
            )
        else:
            rows.extend(("removed", escape(line)) for line in before[i1:i2])
            rows.extend(("added", escape(line)) for line in after[j1:j2])
    return rows


def compare(old_content, new_content):
    """The fields that differ between two snapshots, each with its lines marked same/removed/added/changed."""
    diffs = []
    for field, label in DIFF_FIELDS:
        before, after = field_lines(old_content, field), field_lines(new_content, field)
        if before != after:
            diffs.append(FieldDiff(field=field, label=str(label), rows=diff_lines(before, after)))
    return diffs
