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
- ``gallery(gallery, context) -> str``: block HTML for a Gallery.
- ``embed(embed, context) -> str``: block HTML for an Embed (YouTube, Vimeo, a tweet...).
- ``media_file(media, context) -> str``: block HTML for a MediaFile (audio, video, a download).
- ``attachment(attachment, context) -> dict``: called once per attachment item; what it returns is
  stored in the attachment's import record (``details``) and counted in the report under its
  ``"status"`` key.
- ``featured(attachment_wp_id, context) -> dict``: Article fields for a post's featured image
  (e.g. ``{"image": ..., "image_alt": ...}``), or {} to leave them.

``context`` is a MediaContext: the post's WordPress ID, a lookup of attachments imported so far,
the --media-dir, and a ``note(kind, text)`` callback for the report.

LinkFallback is the step used until the media library exists (issue 11): it keeps every image,
gallery and embed as safe HTML the sanitiser accepts today (an image becomes a link to its file
labelled with its caption or alt text, a gallery a list of such links, an embed a plain link),
records attachments with their file's place under --media-dir, and sets no featured image.
The follow-up replaces `default_step()` with a step that makes library images, figures and embeds.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass(frozen=True)
class Gallery:
    images: tuple = ()  # Image, in order
    missing_ids: tuple = ()  # attachment IDs the gallery names that are not (yet) known
    caption: str = ""
    columns: int | None = None


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


@dataclass
class MediaContext:
    post_wp_id: int | None = None
    attachments: object = None  # function(wp_id) -> Attachment or None
    media_dir: Path | None = None
    notes: list = field(default_factory=list)

    def note(self, kind, text):
        self.notes.append((kind, text))

    def attachment(self, wp_id):
        return self.attachments(wp_id) if (self.attachments and wp_id) else None


class LinkFallback:
    """Media kept as links until the media library exists (see the module's docstring)."""

    version = "links-1"

    def _label(self, image):
        if image.caption or image.alt:
            return image.caption or image.alt
        name = os.path.basename(image.url.split("?", 1)[0])
        return _("Image: %(name)s") % {"name": name} if name else _("Image")

    def inline_image(self, image, context):
        if not image.url:
            return escape(image.caption or image.alt)
        return format_html('<a href="{}">{}</a>', image.url, self._label(image))

    def image(self, image, context):
        if not image.url:
            return format_html("<p>{}</p>", image.caption) if image.caption else ""
        return format_html("<p>{}</p>", self.inline_image(image, context))

    def gallery(self, gallery, context):
        if gallery.missing_ids:
            context.note(
                "gallery",
                _("%(count)s gallery images not known when the post was read") % {"count": len(gallery.missing_ids)},
            )
        if not gallery.images:
            return format_html("<p>{}</p>", gallery.caption) if gallery.caption else ""
        items = format_html_join("", "<li>{}</li>", ((self.inline_image(image, context),) for image in gallery.images))
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
        if context.media_dir is not None and attachment.file_path:
            path = (context.media_dir / attachment.file_path).resolve()
            inside = context.media_dir.resolve() in path.parents
            if not inside or not path.is_file():
                details["status"] = "missing"
        return details

    def featured(self, attachment_wp_id, context):
        return {}


def default_step():
    """The media step the import uses. The media library's follow-up returns its own here."""
    return LinkFallback()
