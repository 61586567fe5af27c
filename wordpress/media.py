"""The one step of the import that turns WordPress media into article content: replace it, nothing else.

The body converter (wordpress/body.py) finds every image, gallery, embed and audio/video/file in a
post (block comments, [caption], [gallery], [embed], [video], [audio], raw <img>, a YouTube or other
URL alone on a line) and hands each, already parsed, to a media step; the importer hands it each
attachment and each post's featured image (_thumbnail_id). Whatever HTML the step returns still
passes the body sanitiser (articles/richtext.py).

The interface (MediaStep):

- ``version``: a string that is part of every post's fingerprint; a new step with a new version
  converts every post again on the next run of the import (posts edited on the desk since are left
  alone, as always).
- ``image(image, context) -> str``: block HTML for an Image standing on its own.
- ``inline_image(image, context) -> str``: phrasing HTML for an image inside running text.
- ``image_after_text(image, context) -> str``: block HTML to put right after the paragraph (or list,
  table, quote, heading: the top-level block) that holds an image inside running text, "" for none.
- ``gallery(gallery, context) -> str``: block HTML for a Gallery.
- ``embed(embed, context) -> str``: block HTML for an Embed (YouTube, Vimeo, a tweet...).
- ``media_file(media, context) -> str``: block HTML for a MediaFile (audio, video, a download).
- ``attachment(attachment, context) -> dict``: called once per attachment item (in a pass over the
  export before the posts); what it returns is stored in the attachment's import record (``details``,
  given back next run as ``context.previous``) and its ``"status"`` is counted in the report; an
  ``"image_id"`` is the library image bodies and featured images refer to; an ``"outcome"``
  (imported, updated, unchanged) is counted in the report's images row and not stored.
- ``featured(attachment_wp_id, context) -> dict``: Article fields for a post's featured image
  (e.g. ``{"image_id": 12}``), or {} to leave them.

``context`` is a MediaContext: the post's WordPress ID, lookups of attachments imported so far (by ID,
by file address, by the post they are attached to), the --media-dir, whether the run is a dry run, the
attachment's previous import record (``previous``, for ``attachment()``), a ``note(kind, text)``
callback for the report, and ``stored``, where ``attachment()`` names each file it put in storage.

LibraryStep (the default) puts media into the media library (articles.media): each image
attachment's file under --media-dir becomes a library Image (once: the attachment's import record
keeps its id, so a second run creates nothing and an edited attachment updates the same image),
images in bodies become figures, galleries library galleries, embeds embed blocks (their oEmbed
details are fetched later by the embed job, never during the import), a post's _thumbnail_id its
featured image. What has no library image (a missing or refused file) falls back to LinkFallback.

Sizes: WordPress's "wide width" and "full width" alignments (``"align":"wide"|"full"`` on wp:image,
wp:gallery and wp:cover, the classes ``alignwide``/``alignfull`` on their figures or on a raw <img>,
``[caption align="alignwide"]``) become the library's ``wide`` and ``full`` sizes; every other
alignment (none, left, right, center) and no alignment give ``inline``, the text's width, as
WordPress shows them within the content column.

An image inside running text (``Text with an <img> in it``) that has a library image leaves the
sentence (a figure cannot stand inside a paragraph) and becomes an inline figure right after the
paragraph, list, table or quote that held it, in the order of the text: the picture is still
shown where the reader met it, and the paragraph stays whole. An inline image without a library
image (its file missing or refused, or no attachment) stays in the text as a link to its file.

A file LibraryStep stores is named in ``context.stored`` ((storage, name) pairs): the importer deletes
them when the batch's transaction rolls back, so that storage never keeps a file without its row.

LinkFallback keeps every image, gallery and embed as safe HTML (an image becomes a link to its file
labelled with its caption or alt text, a gallery a list of such links, an embed a plain link),
records attachments with their file's place under --media-dir, and sets no featured image.
Audio, video and other files stay links with both steps.
"""

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Image:
    url: str
    attachment_id: int | None = None
    alt: str = ""
    caption: str = ""  # plain text
    link: str = ""  # where the image linked to in WordPress, if anywhere
    width: int | None = None
    height: int | None = None
    align: str = ""  # WordPress's alignment: "wide", "full", "left", "center", "right", "none" or ""


@dataclass(frozen=True)
class Gallery:
    images: tuple = ()  # Image, in order
    missing_ids: tuple = ()  # attachment IDs the gallery names that are not (yet) known
    caption: str = ""
    columns: int | None = None
    align: str = ""  # as Image.align


@dataclass(frozen=True)
class Embed:
    url: str
    caption: str = ""
    provider: str = ""  # "youtube", "vimeo", "twitter"... when WordPress said


@dataclass(frozen=True)
class MediaFile:
    kind: str  # "audio", "video", "file"
    url: str
    attachment_id: int | None = None
    caption: str = ""


@dataclass
class Attachment:
    """What an attachment item says about its file."""

    wp_id: int
    url: str
    file_path: str  # under wp-content/uploads, e.g. "2024/03/photo.jpg"
    parent_wp_id: int
    title: str = ""
    caption: str = ""
    description: str = ""
    alt: str = ""
    mime_type: str = ""
    image_id: int | None = None  # its library Image, once there is one


@dataclass
class MediaContext:
    post_wp_id: int | None = None
    attachments: object = None  # function(wp_id) -> Attachment or None
    media_dir: Path | None = None
    notes: list = field(default_factory=list)
    by_url: object = None  # function(file URL) -> Attachment or None
    attached_to: object = None  # function(post wp_id) -> [Attachment], in order
    dry_run: bool = False
    previous: dict = field(default_factory=dict)  # the attachment's details from the last run
    stored: list = field(default_factory=list)  # (storage, name) of each file the step stored

    def note(self, kind, text):
        self.notes.append((kind, text))

    def attachment(self, wp_id):
        return self.attachments(wp_id) if (self.attachments and wp_id) else None

    def attachment_for_url(self, url):
        return self.by_url(url) if (self.by_url and url) else None

    def attachments_of_post(self):
        return self.attached_to(self.post_wp_id) if (self.attached_to and self.post_wp_id) else []

    def file(self, file_path):
        """The file under --media-dir, or None when there is none there (or the path leads out of it)."""
        if self.media_dir is None or not file_path:
            return None
        root = self.media_dir.resolve()
        path = (root / file_path).resolve()
        return path if root in path.parents and path.is_file() else None


class LinkFallback:
    """Media kept as safe links (see the module's docstring): the fallback of LibraryStep."""

    version = "links-1"

    def _label(self, image):
        if image.caption or image.alt:
            return image.caption or image.alt
        name = os.path.basename(image.url.split("?", 1)[0])
        return _("Image: %(name)s") % {"name": name} if name else _("Image")

    def _link(self, image):
        if not image.url:
            return escape(image.caption or image.alt)
        return format_html('<a href="{}">{}</a>', image.url, self._label(image))

    def inline_image(self, image, context):
        return self._link(image)

    def image(self, image, context):
        if not image.url:
            return format_html("<p>{}</p>", image.caption) if image.caption else ""
        return format_html("<p>{}</p>", self._link(image))

    def image_after_text(self, image, context):
        return ""

    def gallery(self, gallery, context):
        if gallery.missing_ids:
            context.note(
                "gallery",
                _("%(count)s gallery images not known when the post was read") % {"count": len(gallery.missing_ids)},
            )
        if not gallery.images:
            return format_html("<p>{}</p>", gallery.caption) if gallery.caption else ""
        items = format_html_join("", "<li>{}</li>", ((self._link(image),) for image in gallery.images))
        html = format_html("<ul>{}</ul>", items)
        if gallery.caption:
            html += format_html("<p>{}</p>", gallery.caption)
        return html

    def embed(self, embed, context):
        link = format_html('<a href="{}">{}</a>', embed.url, embed.url)
        html = format_html("<p>{}</p>", link)
        if embed.caption:
            html += format_html("<p>{}</p>", embed.caption)
        return html

    def media_file(self, media, context):
        if not media.url:
            return ""
        label = media.caption or os.path.basename(media.url.split("?", 1)[0]) or media.url
        return format_html('<p><a href="{}">{}</a></p>', media.url, label)

    def attachment(self, attachment, context):
        details = {"status": "waiting"}
        if context.media_dir is not None and context.file(attachment.file_path) is None:
            details["status"] = "missing"
        return details

    def featured(self, attachment_wp_id, context):
        return {}


GALLERY_LIMIT = 60  # images of a [gallery] without ids (all those attached to the post)
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp"}
LIBRARY_TAG = "wordpress"
SIZES = {"wide": "wide", "full": "full"}  # WordPress alignment -> library size; anything else is "inline"


def size_for(align):
    """The library size (articles.media.figure_html) of a WordPress alignment: wide, full, else inline."""
    return SIZES.get(align, "inline")


class LibraryStep(LinkFallback):
    """Media into the media library (see the module's docstring); LinkFallback for what it has no image of.

    An attachment's details record: status ("library", "missing", "refused", "not an image", "waiting"),
    image_id, the file's size and modification time and its SHA-256 (a changed file replaces the
    image's original, an unchanged one is not read again), and the text the image was made with.
    A dry run stores no file: it checks each file as the library would and keeps a row without its
    original for the bodies to refer to, in the transaction the dry run rolls back.
    """

    version = "library-2"

    def _image_id(self, wp_id, context):
        attachment = context.attachment(wp_id)
        return attachment.image_id if attachment is not None else None

    def image(self, image, context):
        from articles.media import figure_html

        image_id = self._image_id(image.attachment_id, context)
        if image_id is None:
            if image.attachment_id:
                context.note("image", "image whose file is not in the library: kept as a link")
            return super().image(image, context)
        attachment = context.attachment(image.attachment_id)
        caption = "" if image.caption == attachment.caption else image.caption
        return figure_html(image_id, size=size_for(image.align), caption=caption)

    def inline_image(self, image, context):
        if self._image_id(image.attachment_id, context) is not None:
            return ""  # shown as a figure after its paragraph (image_after_text)
        if image.attachment_id:
            context.note("image", "image inside text whose file is not in the library: kept as a link")
        return super().inline_image(image, context)

    def image_after_text(self, image, context):
        from articles.media import figure_html

        image_id = self._image_id(image.attachment_id, context)
        if image_id is None:
            return ""
        context.note("image", "images inside text: shown as a figure after their paragraph")
        return figure_html(image_id, size="inline")

    def gallery(self, gallery, context):
        from articles.media import gallery_html
        from articles.richtext import MAX_GALLERY_IMAGES

        ids, unknown = [], []
        for image in gallery.images:
            image_id = self._image_id(image.attachment_id, context)
            if image_id is None:
                unknown.append(image)
            elif image_id not in ids:
                ids.append(image_id)
        if not ids:
            return super().gallery(gallery, context)
        size = size_for(gallery.align)
        html = "".join(
            gallery_html(ids[start : start + MAX_GALLERY_IMAGES], size=size, caption=gallery.caption)
            for start in range(0, len(ids), MAX_GALLERY_IMAGES)
        )
        if unknown or gallery.missing_ids:
            context.note("gallery", "gallery images whose file is not in the library: kept as links")
            html += super().gallery(Gallery(images=tuple(unknown), missing_ids=gallery.missing_ids), context)
        return html

    def embed(self, embed, context):
        from articles.media import embed_html

        return embed_html(embed.url, caption=embed.caption)

    def featured(self, attachment_wp_id, context):
        image_id = self._image_id(attachment_wp_id, context)
        if image_id is None:
            if attachment_wp_id:
                context.note("featured image", "featured image whose file is not in the library: none set")
            return {"image_id": None}
        return {"image_id": image_id}

    # -- attachments -----------------------------------------------------------------------------------------

    def attachment(self, attachment, context):
        """Make or update the attachment's library image; details as the class docstring says, plus an
        "outcome" (imported, updated, unchanged) for the report when there is an image."""
        from articles.models import Image

        previous = context.previous or {}
        image = Image.objects.filter(pk=previous["image_id"]).first() if previous.get("image_id") else None
        kept = {key: previous[key] for key in ("status", "image_id", "file", "sha256", "text") if key in previous}
        path = context.file(attachment.file_path)
        if path is None:
            if image is not None:  # not in this --media-dir: the library keeps what it has
                return {**kept, "outcome": "unchanged"}
            return {"status": "waiting" if context.media_dir is None else "missing"}
        if path.suffix.lower() not in IMAGE_EXTENSIONS:
            return {"status": "not an image"}
        stat = path.stat()
        signature = [stat.st_size, stat.st_mtime_ns]
        from articles.media import check_file, title_from

        text = {
            "title": (attachment.title or "")[:255],
            "alt": (attachment.alt or attachment.caption or attachment.title or title_from(path.name))[:400],
            "caption": (attachment.caption or "")[:600],
        }
        if image is not None and previous.get("file") == signature and previous.get("text") == text:
            return {**kept, "outcome": "unchanged"}
        if not attachment.alt:
            context.note("image", "images without alt text in WordPress: their caption or title is used, check them")
        try:
            if stat.st_size > settings.MAX_UPLOAD_BYTES:
                check_file(_Sized(stat.st_size))  # refused by its size, without reading it
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            new_file = image is None or previous.get("sha256") != digest
            if not new_file and previous.get("text") == text:  # copied again (a new mtime), the same bytes
                return {**kept, "file": signature, "outcome": "unchanged"}
            upload = ContentFile(data, name=path.name)
            image = self._store(image, upload, path.name, text, attachment, new_file, context)
        except ValidationError as error:
            details = {"status": "refused", "error": " ".join(error.messages)[:300]}
            if image is not None:  # the library keeps the image of the last good file
                details.update({**kept, "status": "library", "outcome": "unchanged"})
                details["error"] = " ".join(error.messages)[:300]
            return details
        return {
            "status": "library",
            "image_id": image.pk,
            "file": signature,
            "sha256": digest,
            "text": text,
            "outcome": "updated" if previous.get("image_id") else "imported",
        }

    def _store(self, image, upload, name, text, attachment, new_file, context):
        from articles import media as library
        from articles.models import Image

        if context.dry_run:
            facts = library.check_file(upload) if new_file else None
            if image is not None:
                return image
            # A row without its original, so that bodies can refer to it; rolled back with the dry run.
            image = Image(title=text["title"] or library.title_from(name), alt=text["alt"], caption=text["caption"])
            image.width, image.height = facts.width, facts.height
            image.file.name = f"originals/dry-run/{name}"
            image.save()
            return image
        if image is None:
            image = library.image_create_from_file(
                file=upload,
                name=name,
                title=text["title"],
                alt=text["alt"],
                caption=text["caption"],
                source=attachment.url[:500],
                tags=[LIBRARY_TAG],
            )
        else:
            image.title = text["title"] or image.title
            image.alt, image.caption = text["alt"], text["caption"]
            if new_file:
                image.file = upload
            image = library.image_save(image=image)
        if new_file:  # for the importer to delete if the batch rolls back
            context.stored.append((image.file.storage, image.file.name))
        return image


class _Sized:
    """A file too big to read: check_file refuses it by its size alone."""

    def __init__(self, size):
        self.size = size


def default_step():
    """The media step the import uses: library images, figures, galleries and embeds."""
    return LibraryStep()
