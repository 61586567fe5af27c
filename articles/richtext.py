"""The one allowlist for article rich text, shared by the admin editor and the sanitiser, and the stored
format of what a body holds besides text.

The editor (django-prose-editor with our extensions in static/admin/js/prose_media.js) offers exactly
these formats; nh3 strips anything else before it is stored, so a pasted <script>, onclick or iframe
never reaches a reader. Media are stored as references, never as markup to trust:

    <figure data-image-id="12" data-size="wide"><figcaption>Caption</figcaption></figure>
    <figure data-gallery="12 13 14" data-size="wide"><figcaption>Caption</figcaption></figure>
    <figure data-embed="https://www.youtube.com/watch?v=..."><figcaption>Caption</figcaption></figure>
    <figure data-pullquote=""><blockquote><p>Quote</p></blockquote><figcaption>Who said it</figcaption></figure>

plus tables (<table> with header and data cells) and horizontal rules. Images are looked up in the
library when a page is rendered (articles.body), so a new crop, caption or credit shows everywhere at
once; an embed's iframe is built from its URL by articles.embeds, and an unknown URL is a plain link.
parse() reads this format; serialize() writes it (articles.media's builders use it).
"""

import functools
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from django.urls import reverse_lazy

SIZES = ("inline", "wide", "full")
MAX_GALLERY_IMAGES = 60
MAX_EMBED_URL = 2000

EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
    "SpecialCharacters": True,
    # django-prose-editor turns the browser's spellcheck off by default; writers want it on.
    "NoSpellCheck": False,
    # Ours (static/admin/js/prose_media.js): the library, galleries, embeds and pull quotes.
    "NewsroomImage": {
        "libraryUrl": reverse_lazy("admin:articles_image_library"),
        "uploadUrl": reverse_lazy("admin:articles_image_upload"),
    },
    "NewsroomGallery": {
        "libraryUrl": reverse_lazy("admin:articles_image_library"),
        "uploadUrl": reverse_lazy("admin:articles_image_upload"),
    },
    "NewsroomEmbed": {"checkUrl": reverse_lazy("admin:articles_image_embed_check")},
    "NewsroomPullQuote": True,
}

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "s", "sub", "sup",
    "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "hr", "a",
    "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "figure": {"data-image-id", "data-size", "data-gallery", "data-embed", "data-pullquote"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}

# Empty paragraphs are spacing the editor leaves (after a figure, say), never content: they go.
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<br>)*</p>")
_DIGITS = re.compile(r"[1-9][0-9]{0,11}")
_SPAN = re.compile(r"[1-9][0-9]{0,2}")
_URL = re.compile(r"https?://[^\s\"'<>\\^`{|}]+", re.IGNORECASE)


def _gallery_ids(value):
    ids = value.split()
    if not ids or len(ids) > MAX_GALLERY_IMAGES or not all(_DIGITS.fullmatch(one) for one in ids):
        return None
    return " ".join(ids)


def _filter_attribute(tag, name, value):
    """nh3's second gate: the values of the attributes we allow, checked one by one."""
    if tag == "figure":
        if name == "data-image-id":
            return value if _DIGITS.fullmatch(value) else None
        if name == "data-size":
            return value if value in SIZES else None
        if name == "data-gallery":
            return _gallery_ids(value)
        if name == "data-embed":
            value = value.strip()
            return value if len(value) <= MAX_EMBED_URL and _URL.fullmatch(value) else None
        if name == "data-pullquote":
            return ""
    if tag in {"td", "th"} and name in {"colspan", "rowspan"}:
        return value if _SPAN.fullmatch(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(markup):
    """Return `markup` reduced to the allowlist and the stored format; an editor's empty paragraph becomes ""."""
    cleaned = _cleaner.clean(markup or "").strip()
    cleaned = "".join(part if isinstance(part, str) else serialize(part) for part in parse(cleaned).parts)
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()


def no_extra_tags(config, shared_config):
    """django-prose-editor's processor for our extensions (its own sanitiser is off; see sanitize_html)."""


# The stored format: parsing and writing it.


@dataclass
class Block:
    """One of the body's media blocks: kind is "image", "gallery", "embed" or "pullquote"."""

    kind: str
    image_id: int | None = None
    image_ids: list = field(default_factory=list)
    url: str = ""
    size: str = ""
    caption: str = ""
    quote: list = field(default_factory=list)  # a pull quote's paragraphs


TABLE_START = object()
TABLE_END = object()


@dataclass
class Body:
    """A stored body split into markup (strings, passed on as they are), Blocks, and TABLE_START/TABLE_END
    marks around each table."""

    parts: list

    @property
    def blocks(self):
        return [part for part in self.parts if isinstance(part, Block)]

    @property
    def image_ids(self):
        """Every library image the body shows, in order, without repeats."""
        ids = []
        for block in self.blocks:
            ids += [block.image_id] if block.kind == "image" else block.image_ids
        return list(dict.fromkeys(ids))

    @property
    def embed_urls(self):
        return list(dict.fromkeys(block.url for block in self.blocks if block.kind == "embed"))


def _block_for(attrs):
    attrs = dict(attrs)
    size = attrs.get("data-size") if attrs.get("data-size") in SIZES else ""
    if (value := attrs.get("data-image-id")) and _DIGITS.fullmatch(value):
        return Block(kind="image", image_id=int(value), size=size or "inline")
    if (value := attrs.get("data-gallery")) and (ids := _gallery_ids(value)):
        return Block(kind="gallery", image_ids=[int(one) for one in ids.split()], size=size or "wide")
    if (value := attrs.get("data-embed")) and _URL.fullmatch(value.strip()):
        return Block(kind="embed", url=value.strip())
    if "data-pullquote" in attrs:
        return Block(kind="pullquote")
    return None


class _Splitter(HTMLParser):
    """Splits sanitised markup into text and Blocks. A <figure> that is not one of ours is unwrapped,
    keeping its words; what a block holds besides its caption (or quote) is dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.block = None
        self.depth = 0  # open figures inside the current block
        self.target = None  # "caption" or "quote" while inside one
        self.unknown_figures = 0

    def raw(self, text):
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += text
        else:
            self.parts.append(text)

    def handle_starttag(self, tag, attrs):
        if self.block is not None:
            if tag == "figure":
                self.depth += 1
            elif tag == "figcaption" and self.depth == 1:
                self.target = "caption"
            elif tag == "blockquote" and self.block.kind == "pullquote" and self.depth == 1:
                self.target = "quote"
            elif tag == "p" and self.target == "quote":
                self.block.quote.append("")
            elif tag == "br" and self.target == "caption":
                self.block.caption += " "
            return
        if tag == "figure":
            block = _block_for(attrs)
            if block is None:
                self.unknown_figures += 1
                return
            self.block, self.depth = block, 1
            return
        if tag == "figcaption":  # a caption outside a figure is a paragraph
            self.raw("<p>")
            return
        if tag == "table":
            self.parts.append(TABLE_START)
        self.raw(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.block is not None:
            if tag == "figure":
                self.depth -= 1
                if self.depth == 0:
                    self.finish_block()
            elif (tag == "figcaption" and self.target == "caption") or (tag == "blockquote" and self.target == "quote"):
                self.target = None
            return
        if tag == "figure":
            if self.unknown_figures:
                self.unknown_figures -= 1
            return
        if tag == "figcaption":
            self.raw("</p>")
            return
        self.raw(f"</{tag}>")
        if tag == "table":
            self.parts.append(TABLE_END)

    def handle_data(self, data):
        if self.block is None:
            self.raw(html.escape(data, quote=False))
        elif self.target == "caption":
            self.block.caption += data
        elif self.target == "quote":
            if not self.block.quote:
                self.block.quote.append("")
            self.block.quote[-1] += data

    def finish_block(self):
        block = self.block
        block.caption = " ".join(block.caption.split())
        block.quote = [" ".join(paragraph.split()) for paragraph in block.quote if paragraph.strip()]
        self.block, self.target = None, None
        if block.kind == "pullquote" and not block.quote:
            return  # an empty pull quote says nothing
        self.parts.append(block)

    def close(self):
        super().close()
        if self.block is not None:  # unterminated (never from nh3): keep what was read
            self.finish_block()


@functools.lru_cache(maxsize=256)
def parse_stored(markup):
    """parse() for reader pages and feeds, remembered for the same markup in this process: the same bodies are
    parsed again and again (a feed's twenty items on every request). The Body returned is shared: read only."""
    return parse(markup)


def parse(markup):
    """The Body of stored (sanitised) markup."""
    splitter = _Splitter()
    splitter.feed(markup or "")
    splitter.close()
    return Body(parts=splitter.parts)


def _caption(text):
    return f"<figcaption>{html.escape(text, quote=False)}</figcaption>" if text else ""


def serialize(block):
    """The stored markup of a Block (the one form every writer produces)."""
    if block is TABLE_START or block is TABLE_END:
        return ""
    if block.kind == "image":
        size = block.size or "inline"
        return f'<figure data-image-id="{block.image_id}" data-size="{size}">{_caption(block.caption)}</figure>'
    if block.kind == "gallery":
        ids = " ".join(str(one) for one in block.image_ids)
        return f'<figure data-gallery="{ids}" data-size="{block.size or "wide"}">{_caption(block.caption)}</figure>'
    if block.kind == "embed":
        return f'<figure data-embed="{html.escape(block.url)}">{_caption(block.caption)}</figure>'
    paragraphs = "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in block.quote)
    return f'<figure data-pullquote=""><blockquote>{paragraphs}</blockquote>{_caption(block.caption)}</figure>'


_sponsored_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes={"http", "https", "mailto"},
    link_rel="sponsored noopener noreferrer",
    strip_comments=True,
)


def with_sponsored_links(markup):
    """Stored (already sanitised) rich text with every link marked rel="sponsored": paid content's links,
    as search engines require. Done when the page is rendered, so a change of kind needs no re-save."""
    return _sponsored_cleaner.clean(markup or "")
