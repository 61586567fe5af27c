"""WordPress post content to a Newsroom body: what the reader saw on WordPress, as clean allowlisted HTML.

Block content (<!-- wp:paragraph --> ...) is parsed like WordPress's block parser and each block
rendered from its saved HTML; classic content gets WordPress's wpautop (blank lines become
paragraphs, single newlines line breaks). Shortcodes are read like do_shortcode(): [caption],
[gallery], [embed], [video], [audio] are media; others cannot be kept (they ran plugin code) and are
listed in the report, their enclosed text kept. Media of every form goes through the media step
(wordpress/media.py), the one replaceable part, with WordPress's alignment of each image and gallery
(block attribute "align", an align* class, [caption align=...]). An image inside running text gets
the step's inline HTML where it stood and the step's block (if any) after the top-level block that
holds it (the paragraph, list, table or quote), so that no figure ever ends up inside a paragraph.
The result passes articles.richtext.sanitize_html, the sanitiser of every native body.
"""

import dataclasses
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from articles.richtext import sanitize_html
from wordpress import media as wp_media

# Bumped when the conversion changes: every imported post is converted again on the next run.
VERSION = "3"

# ---------------------------------------------------------------------------------------------------------
# wpautop, after wp-includes/formatting.php

_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    r"blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|"
    r"nav|figure|figcaption|details|menu|summary)"
)
_NEWLINE_MARK = " <!-- wpnl --> "


def wpautop(text):
    """WordPress's wpautop(): double line breaks become paragraphs, single ones <br />."""
    if not text.strip():
        return ""
    pre_tags = {}
    text += "\n"
    if "<pre" in text:

        def keep_pre(match):
            key = f"<pre wp-pre-tag-{len(pre_tags)}></pre>"
            pre_tags[key] = match.group(0)
            return key

        text = re.sub(r"<pre[\s>].*?</pre>", keep_pre, text, flags=re.S | re.I)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    text = re.sub(rf"(<{_ALLBLOCKS}[\s/>])", r"\n\n\1", text, flags=re.I)
    text = re.sub(rf"(</{_ALLBLOCKS}>)", r"\1\n\n", text, flags=re.I)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text, flags=re.I)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"<[^<>]*>", lambda match: match.group(0).replace("\n", _NEWLINE_MARK), text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part]
    text = "".join("<p>" + part.strip("\n") + "</p>\n" for part in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{_ALLBLOCKS}[^>]*>)\s*</p>", r"\1", text, flags=re.I)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{_ALLBLOCKS}[^>]*>)", r"\1", text, flags=re.I)
    text = re.sub(rf"(</?{_ALLBLOCKS}[^>]*>)\s*</p>", r"\1", text, flags=re.I)
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = re.sub(rf"(</?{_ALLBLOCKS}[^>]*>)\s*<br />", r"\1", text, flags=re.I)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.I)
    text = re.sub(r"\n</p>$", "</p>", text)
    for key, original in pre_tags.items():
        text = text.replace(key, original)
    return text.replace(_NEWLINE_MARK, "\n").replace("<!-- wpnl -->", "\n")


# ---------------------------------------------------------------------------------------------------------
# Tags and attributes

_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))|([\w:-]+)""")


def attributes(text):
    """Attributes of a tag's or a shortcode's text as a dict (names lowercased, entities decoded)."""
    found = {}
    for match in _ATTRIBUTE.finditer(text or ""):
        if match.group(5):
            found.setdefault(match.group(5).lower(), "")
            continue
        value = next((group for group in match.group(2, 3, 4) if group is not None), "")
        found.setdefault(match.group(1).lower(), html.unescape(value))
    return found


def plain_text(fragment):
    """HTML to one line of text: tags removed, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]*>", " ", fragment or "")
    return " ".join(html.unescape(text).split())


_IMG = re.compile(r"<img\b([^>]*)>", re.I)
_LINKED_IMG = re.compile(r"<a\b([^>]*)>\s*(<img\b[^>]*>)\s*</a>", re.I)
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
_ALIGN_CLASS = re.compile(r"(?:^|\s)align(wide|full|left|right|center|none)(?:\s|$)")
_OPENING_TAGS = re.compile(r"\s*(?:<(?:figure|div)\b[^>]*>\s*)+", re.I)


def align_of(value):
    """WordPress's alignment from a block's "align" attribute, a [caption]'s align ("alignwide") or a class
    list ("wp-block-image alignfull size-large"): "wide", "full", "left", "right", "center", "none" or ""."""
    value = str(value or "").strip().lower()
    if value in {"wide", "full", "left", "right", "center", "none"}:
        return value
    match = _ALIGN_CLASS.search(value)
    return match.group(1) if match else ""


def _leading_align(fragment):
    """The alignment a block's saved HTML gives its outer figure (or its old <div class="wp-block-image">
    wrapper and the figure inside it)."""
    match = _OPENING_TAGS.match(fragment or "")
    if match is None:
        return ""
    for tag in re.findall(r"<[^>]*>", match.group(0)):
        align = align_of(attributes(tag[1:-1]).get("class", ""))
        if align:
            return align
    return ""


def _int_or_none(value):
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def image_from_tag(tag, *, link="", caption="", attachment_id=None, align=""):
    """An <img> tag as a media.Image; align: the alignment its block or [caption] gave, else its own class's."""
    attrs = attributes(tag[4:-1] if tag.lower().startswith("<img") else tag)
    if attachment_id is None:
        match = _WP_IMAGE_CLASS.search(attrs.get("class", ""))
        attachment_id = int(match.group(1)) if match else _int_or_none(attrs.get("data-id"))
    return wp_media.Image(
        url=attrs.get("src", "").strip(),
        attachment_id=attachment_id,
        alt=" ".join(attrs.get("alt", "").split()),
        caption=caption,
        link=link,
        width=_int_or_none(attrs.get("width")),
        height=_int_or_none(attrs.get("height")),
        align=align or align_of(attrs.get("class", "")),
    )


def _first_image(fragment, **kwargs):
    linked = _LINKED_IMG.search(fragment)
    if linked:
        return image_from_tag(linked.group(2), link=attributes(linked.group(1)).get("href", ""), **kwargs)
    found = _IMG.search(fragment)
    return image_from_tag(found.group(0), **kwargs) if found else None


def _figcaption(fragment):
    match = re.search(r"<figcaption\b[^>]*>(.*?)</figcaption>", fragment, re.S | re.I)
    return plain_text(match.group(1)) if match else ""


# ---------------------------------------------------------------------------------------------------------
# The conversion


@dataclass
class Converted:
    html: str
    dropped_shortcodes: Counter = field(default_factory=Counter)  # "[name]" -> times
    dropped_blocks: Counter = field(default_factory=Counter)  # "wp:name" -> times
    kept_blocks: Counter = field(default_factory=Counter)  # blocks of plugins kept as their HTML
    media: list = field(default_factory=list)  # {"kind", "url", "attachment_id"} of every media reference
    notes: list = field(default_factory=list)  # (kind, text) from the media step


MEDIA_SHORTCODES = {"caption", "wp_caption", "gallery", "embed", "video", "audio", "playlist"}
# Shortcodes that are common enough to be recognised without attributes ([gallery] needs none).
KNOWN_SHORTCODES = MEDIA_SHORTCODES | {
    "contact-form",
    "contact-form-7",
    "wpforms",
    "gravityform",
    "ninja_form",
    "soundcloud",
    "googlemaps",
    "instagram",
    "tweet",
    "youtube",
    "vimeo",
    "recent-posts",
    "sitemap",
    "toc",
    "ad",
    "adsense",
    "button",
    "column",
    "one_half",
    "one_third",
    "wp-svg-icons",
    "fusion_builder_container",
    "vc_row",
    "et_pb_section",
}
_SHORTCODE_OPEN = re.compile(r"\[(\[?)([A-Za-z][\w-]*)(?![\w-])((?:[^\]\[/]|/(?!\]))*)(/?)\](\]?)")
_URL_LINE = re.compile(r"(^|<p>)(\s*)(https?://[^\s<>\"]+)(\s*)($|</p>)", re.M | re.I)
_PROVIDERS = {
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "vimeo.com": "vimeo",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "instagram.com": "instagram",
    "soundcloud.com": "soundcloud",
    "spotify.com": "spotify",
    "facebook.com": "facebook",
    "tiktok.com": "tiktok",
    "flickr.com": "flickr",
    "dailymotion.com": "dailymotion",
}

_BLOCK_COMMENT = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{.{0,20000}?\}\s+)?(?P<void>/)?-->",
    re.S,
)
# Blocks WordPress renders from the database at view time (nothing saved in the post): nothing to keep.
DYNAMIC_BLOCKS = {
    "latest-posts",
    "latest-comments",
    "archives",
    "categories",
    "calendar",
    "rss",
    "search",
    "tag-cloud",
    "page-list",
    "navigation",
    "query",
    "post-title",
    "post-content",
    "post-date",
    "post-excerpt",
    "post-featured-image",
    "site-title",
    "site-logo",
    "social-links",
    "loginout",
    "footnotes",
    "comments",
    "widget-group",
}
CONTAINER_BLOCKS = {"group", "columns", "column", "buttons", "button", "row", "stack", "details", "list-item"}
PASS_BLOCKS = {"paragraph", "list", "quote", "table", "heading", "html", "missing", "freeform", "list-item"}


def provider_of(url):
    host = re.sub(r"^https?://", "", url, flags=re.I).split("/", 1)[0].lower()
    host = host.removeprefix("www.").removeprefix("m.")
    for domain, name in _PROVIDERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return ""


@dataclass
class _Block:
    name: str
    attrs: dict
    parts: list = field(default_factory=list)  # str (HTML between inner blocks) or _Block


class Converter:
    """Converts one post's content; `attachments(wp_id)` looks up attachments imported so far."""

    def __init__(self, step=None, context=None):
        self.step = step or wp_media.default_step()
        self.context = context or wp_media.MediaContext()
        self.result = Converted(html="")
        self.placeholders = {}
        self.after_blocks = {}  # marker -> block HTML to put after the top-level block holding the marker

    # -- entry point ------------------------------------------------------------------------------------------

    def convert(self, content):
        content = (content or "").replace("\r\n", "\n").replace("\r", "\n")
        html_out = self._blocks(content) if "<!-- wp:" in content else self._classic(content)
        html_out = self._finish(html_out)
        self.result.html = html_out
        self.result.notes = list(self.context.notes)
        return self.result

    # -- placeholders: media HTML is put in after wpautop, so nothing wraps it -------------------------------

    def _hold(self, markup, *, block=True):
        key = f"wpmedia{len(self.placeholders)}x{id(self) % 9973}z"
        self.placeholders[key] = (markup, block)
        return f"\n\n{key}\n\n" if block else key

    def _release(self, text):
        for key, (markup, block) in self.placeholders.items():
            if block:
                text = re.sub(rf"<p>\s*{key}\s*(?:<br\s*/?>)?\s*</p>", lambda _m, markup=markup: markup, text)
            text = text.replace(key, markup)
        return text

    # -- classic content -------------------------------------------------------------------------------------

    def _classic(self, content):
        content = self._shortcodes(content)
        content = _URL_LINE.sub(self._url_line, content)
        content = self._images(content)
        return self._release(wpautop(content))

    def _url_line(self, match):
        url = html.unescape(match.group(3))
        return match.group(1) + match.group(2) + self._embed(url) + match.group(4) + match.group(5)

    def _images(self, content):
        """Raw <img> (maybe in a link): an image of its own when alone on its line or in its paragraph, as
        WordPress's editor puts them; inside running text, an inline image."""

        def linked(match):
            href = attributes(match.group(1)).get("href", "")
            image = image_from_tag(match.group(2), link=href)
            return self._image(image, inline=not _alone(match))

        content = _LINKED_IMG.sub(linked, content)
        return _IMG.sub(lambda match: self._image(image_from_tag(match.group(0)), inline=not _alone(match)), content)

    # -- shortcodes --------------------------------------------------------------------------------------------

    def _shortcodes(self, content):
        out, position = [], 0
        while True:
            match = _SHORTCODE_OPEN.search(content, position)
            if match is None:
                out.append(content[position:])
                return "".join(out)
            escaped_open, name, attr_text, self_closing, escaped_close = match.groups()
            lowered = name.lower()
            end = match.end()
            inner = None
            if not self_closing:
                closing = re.compile(rf"\[/{re.escape(name)}\]", re.I)
                close = closing.search(content, end)
                nested_open = re.compile(rf"\[{re.escape(name)}(?![\w-])", re.I).search(content, end)
                if close and (nested_open is None or nested_open.start() > close.start()):
                    inner = content[end : close.start()]
                    end = close.end()
                    if escaped_open and content[end : end + 1] == "]":
                        end += 1
            if escaped_open and (escaped_close or content[end - 1 : end] == "]"):
                # [[gallery]]: WordPress shows the shortcode itself.
                out.append(content[position : match.start()])
                out.append(content[match.start() + 1 : end - 1])
                position = end
                continue
            is_shortcode = (
                lowered in KNOWN_SHORTCODES or inner is not None or "=" in attr_text or "-" in name or "_" in name
            )
            if not is_shortcode:
                out.append(content[position : match.start() + 1])
                position = match.start() + 1
                continue
            out.append(content[position : match.start()])
            out.append(self._shortcode(lowered, attributes(attr_text), inner))
            position = end

    def _shortcode(self, name, attrs, inner):
        if name in {"caption", "wp_caption"}:
            inner = inner or ""
            caption = attrs.get("caption") or plain_text(
                re.sub(r"<a\b[^>]*>\s*<img\b[^>]*>\s*</a>|<img\b[^>]*>", "", inner)
            )
            attachment_id = _int_or_none(attrs.get("id", "").removeprefix("attachment_"))
            align = align_of(attrs.get("align"))
            image = _first_image(inner, caption=caption, attachment_id=attachment_id, align=align)
            if image is None:
                return self._hold(f"<p>{html.escape(caption)}</p>") if caption else ""
            return self._image(image)
        if name == "gallery":
            ids = [int(part) for part in re.findall(r"\d+", attrs.get("ids", "") or attrs.get("include", ""))]
            return self._gallery(ids, columns=_int_or_none(attrs.get("columns")))
        if name == "embed":
            url = html.unescape((inner or attrs.get("src", "")).strip())
            return self._embed(url) if url else ""
        if name in {"video", "audio"}:
            url = next(
                (
                    attrs[key]
                    for key in ("src", "mp4", "m4v", "webm", "ogv", "mp3", "ogg", "m4a", "wav")
                    if attrs.get(key)
                ),
                "",
            )
            return self._media_file(name, url)
        self.result.dropped_shortcodes[f"[{name}]"] += 1
        return self._shortcodes(inner) if inner else ""

    # -- media -------------------------------------------------------------------------------------------------

    def _note_media(self, kind, url, attachment_id=None):
        self.result.media.append({"kind": kind, "url": url, "attachment_id": attachment_id})

    def _known(self, image):
        """Fill in an image's address and text from its attachment when the post left them out (an <img>
        without its attachment ID is found by its file's address)."""
        attachment = self.context.attachment(image.attachment_id)
        if attachment is None and image.attachment_id is None:
            attachment = self.context.attachment_for_url(image.url)
        if attachment is None:
            return image
        return dataclasses.replace(
            image, url=image.url or attachment.url, attachment_id=attachment.wp_id, alt=image.alt or attachment.alt
        )

    def _image(self, image, *, inline=False):
        image = self._known(image)
        self._note_media("image", image.url, image.attachment_id)
        if inline:
            phrasing = self._hold(self.step.inline_image(image, self.context), block=False)
            after = self.step.image_after_text(image, self.context)
            if after:
                phrasing += self._after_block(after)
            return phrasing
        return self._hold(self.step.image(image, self.context))

    def _after_block(self, markup):
        """A marker for `markup`, which _finish moves to just after the top-level block holding the marker."""
        key = f"wpafter{len(self.after_blocks)}x{id(self) % 9973}z"
        self.after_blocks[key] = markup
        return key

    def _gallery(self, ids, *, images=(), columns=None, caption="", align=""):
        found, missing = list(images), []
        known_ids = {image.attachment_id for image in found if image.attachment_id}
        for wp_id in ids:
            if wp_id in known_ids:
                continue
            attachment = self.context.attachment(wp_id)
            if attachment is None:
                missing.append(wp_id)
            else:
                found.append(wp_media.Image(url=attachment.url, attachment_id=wp_id, alt=attachment.alt))
        if not ids and not found and self.context.post_wp_id:
            found = [
                wp_media.Image(url=attachment.url, attachment_id=attachment.wp_id, alt=attachment.alt)
                for attachment in self.context.attachments_of_post()
            ]
            if not found:
                self.context.note("gallery", "[gallery] of the post's attached images, none known")
        found = [self._known(image) for image in found]
        for image in found:
            self._note_media("gallery", image.url, image.attachment_id)
        for wp_id in missing:
            self._note_media("gallery", "", wp_id)
        gallery = wp_media.Gallery(
            images=tuple(found), missing_ids=tuple(missing), caption=caption, columns=columns, align=align
        )
        return self._hold(self.step.gallery(gallery, self.context))

    def _embed(self, url, *, caption="", provider=""):
        if not re.match(r"https?://", url, re.I):
            return html.escape(url)
        self._note_media("embed", url)
        return self._hold(
            self.step.embed(
                wp_media.Embed(url=url, caption=caption, provider=provider or provider_of(url)), self.context
            )
        )

    def _media_file(self, kind, url, *, attachment_id=None, caption=""):
        attachment = self.context.attachment(attachment_id)
        url = url or (attachment.url if attachment else "")
        self._note_media(kind, url, attachment_id)
        media_file = wp_media.MediaFile(kind=kind, url=url, attachment_id=attachment_id, caption=caption)
        return self._hold(self.step.media_file(media_file, self.context))

    # -- blocks ------------------------------------------------------------------------------------------------

    def _parse_blocks(self, content):
        root = _Block("root", {})
        stack = [root]
        position = 0
        for match in _BLOCK_COMMENT.finditer(content):
            stack[-1].parts.append(content[position : match.start()])
            position = match.end()
            name = match["name"]
            if "/" not in name:
                name = f"core/{name}"
            if match["closer"]:
                if len(stack) > 1 and stack[-1].name == name:
                    stack.pop()
                elif any(block.name == name for block in stack[1:]):
                    while stack[-1].name != name:
                        stack.pop()
                    stack.pop()
                continue
            try:
                attrs = json.loads(match["attrs"]) if match["attrs"] else {}
            except ValueError:
                attrs = {}
            block = _Block(name, attrs if isinstance(attrs, dict) else {})
            stack[-1].parts.append(block)
            if not match["void"]:
                stack.append(block)
        stack[-1].parts.append(content[position:])
        return root

    def _blocks(self, content):
        root = self._parse_blocks(content)
        out = []
        for part in root.parts:
            if isinstance(part, _Block):
                out.append(self._render(part))
            elif part.strip():
                out.append(self._freeform(part))
        return "\n".join(out)

    def _freeform(self, text):
        return self._classic(text)

    def _inner(self, block):
        return "".join(part if isinstance(part, str) else self._render(part) for part in block.parts)

    def _render(self, block):
        namespace, short = block.name.split("/", 1)
        if namespace != "core":
            return self._plugin_block(block)
        if short in {"more", "nextpage", "spacer"}:
            return ""
        if short in DYNAMIC_BLOCKS:
            self.result.dropped_blocks[f"wp:{short}"] += 1
            return ""
        if short == "block":
            self.result.dropped_blocks["wp:block (reusable block)"] += 1
            return ""
        if short == "separator":
            return "<hr>"
        if short == "shortcode":
            return self._release(wpautop(self._shortcodes(self._inner(block))))
        if short in {"code", "preformatted", "verse"}:
            return _pre_to_paragraph(self._inner(block))
        if short == "pullquote":
            inner = self._inner(block)
            return (
                f"<blockquote>{_strip_figure(inner)}</blockquote>"
                if "<blockquote" not in inner
                else _strip_figure(inner)
            )
        if short == "image":
            return self._image_block(block)
        if short == "gallery":
            return self._gallery_block(block)
        if short == "embed" or short.startswith("embed") or block.name.startswith("core-embed/"):
            return self._embed_block(block)
        if short in {"video", "audio", "file"}:
            return self._file_block(short, block)
        if short in {"cover", "media-text"}:
            return self._cover_block(short, block)
        if short == "table":
            inner = self._inner(block)
            caption = _figcaption(inner)
            table = re.search(r"<table\b.*?</table>", inner, re.S | re.I)
            out = table.group(0) if table else inner
            return out + (f"<p>{html.escape(caption)}</p>" if caption else "")
        inner = self._inner(block)
        if short in {"freeform", "html", "missing"}:
            return self._classic(inner) if short == "freeform" else self._release(self._images(self._shortcodes(inner)))
        return self._release(self._images(self._shortcodes(inner)))

    def _plugin_block(self, block):
        inner = self._inner(block)
        if not plain_text(inner) and "<img" not in inner:
            self.result.dropped_blocks[f"wp:{block.name}"] += 1
            return ""
        self.result.kept_blocks[f"wp:{block.name}"] += 1
        return self._release(self._images(self._shortcodes(inner)))

    def _image_block(self, block):
        inner = self._inner(block)
        attachment_id = _int_or_none(block.attrs.get("id"))
        align = align_of(block.attrs.get("align")) or _leading_align(inner)
        image = _first_image(inner, caption=_figcaption(inner), attachment_id=attachment_id, align=align)
        if image is None:
            image = wp_media.Image(
                url=block.attrs.get("url", ""), attachment_id=attachment_id, caption=_figcaption(inner), align=align
            )
        return self._release(self._image(image))

    def _gallery_block(self, block):
        images = []
        for part in block.parts:
            if isinstance(part, _Block) and part.name == "core/image":
                inner = self._inner(part)
                image = _first_image(
                    inner, caption=_figcaption(inner), attachment_id=_int_or_none(part.attrs.get("id"))
                )
                if image:
                    images.append(image)
        if not images:
            inner = self._inner(block)
            for item in re.findall(r"<figure\b[^>]*>(?:(?!<figure\b).)*?<img\b.*?</figure>", inner, re.S | re.I):
                image = _first_image(item, caption=_figcaption(item))
                if image:
                    images.append(image)
        ids = [wp_id for wp_id in (_int_or_none(value) for value in block.attrs.get("ids", []) or []) if wp_id]
        caption = ""
        trailing = [part for part in block.parts if isinstance(part, str)]
        if trailing:
            caption = _figcaption(trailing[-1])
        align = align_of(block.attrs.get("align")) or _leading_align(trailing[0] if trailing else "")
        columns = _int_or_none(block.attrs.get("columns"))
        return self._release(self._gallery(ids, images=images, columns=columns, caption=caption, align=align))

    def _embed_block(self, block):
        inner = self._inner(block)
        url = block.attrs.get("url") or ""
        if not url:
            found = re.search(r"https?://[^\s<>\"]+", plain_text(inner))
            url = found.group(0) if found else ""
        if not url:
            self.result.dropped_blocks["wp:embed (no address)"] += 1
            return ""
        provider = block.attrs.get("providerNameSlug") or ""
        return self._release(self._embed(url, caption=_figcaption(inner), provider=provider))

    def _file_block(self, kind, block):
        inner = self._inner(block)
        attachment_id = _int_or_none(block.attrs.get("id"))
        url = block.attrs.get("href") or block.attrs.get("src") or ""
        if not url:
            found = re.search(r"""\b(?:src|href)\s*=\s*["']([^"']+)""", inner)
            url = html.unescape(found.group(1)) if found else ""
        caption = _figcaption(inner) or (plain_text(inner) if kind == "file" else "")
        return self._release(self._media_file(kind, url, attachment_id=attachment_id, caption=caption))

    def _cover_block(self, kind, block):
        attrs = block.attrs
        inner_parts = [self._render(part) for part in block.parts if isinstance(part, _Block)]
        url = attrs.get("url") or attrs.get("mediaUrl") or ""
        attachment_id = _int_or_none(attrs.get("id") or attrs.get("mediaId"))
        media_html = ""
        if url or attachment_id:
            if (attrs.get("backgroundType") or attrs.get("mediaType") or "image") == "video":
                media_html = self._release(self._media_file("video", url, attachment_id=attachment_id))
            else:
                inner = "".join(part for part in block.parts if isinstance(part, str))
                align = align_of(attrs.get("align")) or _leading_align(inner)
                image = _first_image(inner, attachment_id=attachment_id, align=align) or wp_media.Image(
                    url=url, attachment_id=attachment_id, align=align
                )
                media_html = self._release(self._image(image))
        return media_html + "".join(inner_parts)

    # -- the end: what every body goes through ---------------------------------------------------------------

    def _finish(self, text):
        library = {}  # the media step's figures, galleries and embeds: already in the body's own format

        def keep(match):
            key = f"wplibrary{len(library)}x{id(self) % 9973}z"
            library[key] = match.group(0)
            return key

        text = _LIBRARY_FIGURE.sub(keep, text)
        text = _pre_blocks(text)
        text = re.sub(r"<(/?)h([1-6])\b", _heading, text, flags=re.I)
        text = re.sub(r"<figcaption\b[^>]*>(.*?)</figcaption>", r"<p>\1</p>", text, flags=re.S | re.I)
        text = re.sub(r"<cite\b[^>]*>(.*?)</cite>", "<p>\u2014 \\1</p>", text, flags=re.S | re.I)
        for key, markup in library.items():
            text = text.replace(key, markup)
        cleaned = sanitize_html(text)
        if self.after_blocks:
            cleaned = _place_after_blocks(cleaned, self.after_blocks)
        cleaned = re.sub(r"<p>(?:\s|&nbsp;|\u00a0|<br>)*</p>", "", cleaned)
        cleaned = re.sub(r"\n\s*\n+", "\n", cleaned)
        return sanitize_html(cleaned.strip())


_LIBRARY_FIGURE = re.compile(r"<figure data-(?:image-id|gallery|embed)=[^>]*>.*?</figure>", re.S)
_TAG_OR_MARKER = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>|(wpafter\d+x\d+z)""")
_CLOSES_SPACE = {" ", "\n", ",", ".", ";", ":", "!", "?", ")"}
_VOID = {"br", "hr", "img", "wbr", "col", "area", "source", "track", "input", "meta", "link", "base", "embed"}


def _place_after_blocks(text, after_blocks):
    """Move each marker's block (after_blocks: marker -> HTML) to just after the top-level element that
    holds the marker, in the order of the text; `text` is the sanitiser's output, so its tags are balanced."""
    out, pending, depth, position = [], [], 0, 0
    for match in _TAG_OR_MARKER.finditer(text):
        closing, name, self_closing, marker = match.groups()
        if marker:
            out.append(text[position : match.start()])
            position = match.end()
            following = text[position : position + 2]
            if text[match.start() - 1 : match.start()] == " " and (following[:1] in _CLOSES_SPACE or following == "</"):
                out[-1] = out[-1][:-1]  # not "an  image", "an image ." once the image has left the sentence
            pending.append(after_blocks.get(marker, ""))
            if depth == 0:  # not inside anything: the block goes where the marker was
                out.append("".join(pending))
                pending = []
            continue
        if name.lower() in _VOID or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        if closing and depth == 0 and pending:
            out.append(text[position : match.end()])
            position = match.end()
            out.append("\n" + "".join(pending))
            pending = []
    out.append(text[position:])
    out.append("".join(pending))
    return "".join(out)


def _alone(match):
    """Whether a regex match stands alone on its line or in its paragraph."""
    before = match.string[: match.start()]
    before = re.sub(r"^.*<p\b[^>]*>", "", before[before.rfind("\n") + 1 :], flags=re.I | re.S)
    after = re.sub(r"</p>.*$", "", match.string[match.end() :].split("\n", 1)[0], flags=re.I | re.S)
    return not before.strip() and not after.strip()


def _heading(match):
    level = int(match.group(2))
    return f"<{match.group(1)}h{min(max(level, 2), 4)}"


def _strip_figure(fragment):
    return re.sub(r"</?figure\b[^>]*>", "", fragment, flags=re.I)


def _pre_to_paragraph(fragment):
    match = re.search(r"<pre\b[^>]*>(.*?)</pre>", fragment, re.S | re.I)
    inner = match.group(1) if match else fragment
    inner = re.sub(r"</?code\b[^>]*>", "", inner, flags=re.I).strip("\n")
    if not inner.strip():
        return ""
    return "<p>" + inner.replace("\n", "<br>") + "</p>"


def _pre_blocks(text):
    return re.sub(r"<pre\b[^>]*>.*?</pre>", lambda match: _pre_to_paragraph(match.group(0)), text, flags=re.S | re.I)


def convert(content, *, step=None, context=None):
    """A post's content as a Newsroom body (Converted: the HTML and what could not be kept)."""
    return Converter(step, context).convert(content)
