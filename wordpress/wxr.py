"""Reading a WordPress export (WXR 1.0, 1.1 and 1.2) as a stream, safely.

`read(path)` yields the export piece by piece: one Channel, then Author and Term entries, then one
Post per <item> (posts, pages, attachments...) with its comments. Each piece is built from its XML
element, which is then dropped, so memory stays flat whatever the size of the file.

The XML is parsed by expat through defusedxml: a document type declaration (and so entity
expansion such as "billion laughs", or external entities) is refused before anything is read.
Every problem is a WXRError naming the line. `scan(path)` reads the whole file once without
keeping anything, to refuse a broken file before the database is touched.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLPullParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
CHUNK_BYTES = 256 * 1024

_WP_NAMESPACE = re.compile(r"^http://wordpress\.org/export/(?P<version>[^/]+)/(?P<excerpt>excerpt/)?$")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# Characters XML 1.0 forbids even as text, which old WordPress databases do contain (a pasted \x0b):
# removed before parsing, as a browser would ignore them. Line numbers stay right.
_FORBIDDEN_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32)])


class WXRError(Exception):
    """The file cannot be read as a WordPress export; `line` is where the reading stopped."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""
    language: str = ""


@dataclass
class Author:
    wp_id: int | None
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str
    line: int


@dataclass
class Term:
    """A category, a tag or another taxonomy's term declared in the channel."""

    taxonomy: str  # "category", "post_tag", or the taxonomy of a <wp:term>
    wp_id: int | None
    slug: str
    name: str
    parent_slug: str
    description: str
    line: int


@dataclass
class Comment:
    wp_id: int | None
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str
    parent: int
    user_id: int
    line: int


@dataclass
class ItemTerm:
    taxonomy: str  # the <category domain="...">
    slug: str
    name: str


@dataclass
class Post:
    """An <item>: a post, a page, an attachment, a menu item... (post_type says which)."""

    wp_id: int | None
    post_type: str
    status: str
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    date: str
    date_gmt: str
    modified: str
    modified_gmt: str
    slug: str
    parent: int
    comment_status: str
    is_sticky: bool
    password: str
    attachment_url: str
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)
    line: int = 0

    def meta_value(self, key):
        values = self.meta.get(key)
        return values[-1] if values else ""


def parse_date(value):
    """A WordPress "YYYY-MM-DD HH:MM:SS" as a naive datetime; None for empty or zero dates.

    Raises ValueError for anything else.
    """
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


def _int(value, default=0):
    value = (value or "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        return default


def _optional_int(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


class _Element(Element):
    line = 0


class _LineTreeBuilder(TreeBuilder):
    """Notes on each element the line its start tag is on (expat's position while it is being read)."""

    expat = None

    def __init__(self):
        super().__init__(element_factory=_Element)

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        element.line = self.expat.CurrentLineNumber if self.expat is not None else 0
        return element


class _Names:
    """Element names without their namespace URIs: "wp:post_id", "content:encoded", "title"."""

    def __init__(self):
        self.cache = {}
        self.version = None

    def __call__(self, tag):
        short = self.cache.get(tag)
        if short is None:
            short = self.cache[tag] = self._shorten(tag)
        return short

    def _shorten(self, tag):
        if not tag.startswith("{"):
            return tag
        uri, local = tag[1:].split("}", 1)
        match = _WP_NAMESPACE.match(uri)
        if match:
            if self.version is None:
                self.version = match["version"]
            return f"excerpt:{local}" if match["excerpt"] else f"wp:{local}"
        return f"{_NAMESPACES.get(uri, uri)}:{local}"


def _text(element):
    return (element.text or "").strip()


def _raw(element):
    return element.text or ""


class Reader:
    """One pass over an export; iterate it for its entries. `progress(bytes_read)` is called per chunk."""

    def __init__(self, path, progress=None):
        self.path = path
        self.progress = progress
        self.names = _Names()
        self.channel = Channel()

    def __iter__(self):
        builder = _LineTreeBuilder()
        parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        builder.expat = parser.parser
        pull = XMLPullParser(events=("start", "end"), _parser=parser)
        depth = 0
        channel_element = None
        started = at_end = False
        try:
            with open(self.path, "rb") as stream:
                while True:
                    chunk = stream.read(CHUNK_BYTES)
                    if not chunk:
                        break
                    if not started and chunk.strip():
                        started = True
                    pull.feed(chunk.translate(None, _FORBIDDEN_BYTES))
                    for event, element in pull.read_events():
                        if event == "start":
                            depth += 1
                            if depth == 1 and self.names(element.tag) != "rss":
                                raise WXRError(
                                    f"this is not a WordPress export: the document is <{_plain(element.tag)}>, "
                                    "not <rss>",
                                    element.line,
                                )
                            if depth == 2:
                                if self.names(element.tag) != "channel":
                                    raise WXRError(
                                        "this is not a WordPress export: <rss> has no <channel>", element.line
                                    )
                                channel_element = element
                            continue
                        depth -= 1
                        if depth == 2:
                            entry = self._entry(element)
                            del channel_element[:]  # drop what was read (and anything built meanwhile stays referenced)
                            if entry is not None:
                                yield entry
                    if self.progress is not None:
                        self.progress(len(chunk))
                if not started:
                    raise WXRError("the file is empty", 1)
                at_end = True
                pull.close()
                for _event in pull.read_events():
                    pass
        except ParseError as error:
            raise self._parse_error(error, parser, at_end=at_end) from None
        except DefusedXmlException as error:
            raise WXRError(
                f"refused: the file declares a document type or entities ({type(error).__name__}); "
                "a WordPress export never does, and such files can attack the importer",
                getattr(parser.parser, "CurrentLineNumber", None),
            ) from None
        except UnicodeDecodeError:
            raise WXRError("the file is not UTF-8 text", getattr(parser.parser, "CurrentLineNumber", None)) from None
        if not self.channel.version:
            raise WXRError("this is not a WordPress export: it has no <wp:wxr_version>", 1)

    def _parse_error(self, error, parser, *, at_end=False):
        line, column = getattr(error, "position", (None, None))
        reason = str(error).split(":")[0]
        if line == 1 and column == 0:
            return WXRError("this is not XML (a WordPress export starts with <?xml and <rss>)", 1)
        if at_end or reason in {"no element found", "unclosed token"}:
            return WXRError(
                f"the file ends too early ({reason}): it was cut off; export it again or copy it whole", line
            )
        return WXRError(f"malformed XML ({reason}, column {column}); the export is damaged", line)

    def _entry(self, element):
        name = self.names(element.tag)
        channel = self.channel
        if name == "item":
            self._require_version(element)
            return self._post(element)
        if name == "wp:wxr_version":
            version = _text(element)
            if version not in SUPPORTED_VERSIONS:
                raise WXRError(
                    f"WXR version {version or '(empty)'} is not supported (this importer reads "
                    f"{', '.join(SUPPORTED_VERSIONS)})",
                    element.line,
                )
            channel.version = version
        elif name == "wp:author":
            self._require_version(element)
            return self._author(element)
        elif name in {"wp:category", "wp:tag", "wp:term"}:
            self._require_version(element)
            return self._term(name, element)
        elif name in {"title", "link", "language"}:
            setattr(channel, name, _text(element))
        elif name in {"wp:base_site_url", "wp:base_blog_url"}:
            setattr(channel, name.split(":")[1], _text(element))
        return None

    def _require_version(self, element):
        if not self.channel.version:
            raise WXRError(
                "this is not a WordPress export (or an unknown version): <wp:wxr_version> must come before "
                f"the content, found <{self.names(element.tag)}> first",
                element.line,
            )
        if not self.names.version:
            raise WXRError("this is not a WordPress export: no element in the WordPress namespace", element.line)

    def _fields(self, element):
        return {self.names(child.tag): child for child in element}

    def _author(self, element):
        fields = self._fields(element)

        def get(key):
            return _text(fields[key]) if key in fields else ""

        return Author(
            wp_id=_optional_int(get("wp:author_id")),
            login=get("wp:author_login"),
            email=get("wp:author_email"),
            display_name=get("wp:author_display_name"),
            first_name=get("wp:author_first_name"),
            last_name=get("wp:author_last_name"),
            line=element.line,
        )

    def _term(self, name, element):
        fields = self._fields(element)

        def get(key):
            return _text(fields[key]) if key in fields else ""

        if name == "wp:category":
            return Term(
                "category",
                _optional_int(get("wp:term_id")),
                get("wp:category_nicename"),
                get("wp:cat_name"),
                get("wp:category_parent"),
                get("wp:category_description"),
                element.line,
            )
        if name == "wp:tag":
            return Term(
                "post_tag",
                _optional_int(get("wp:term_id")),
                get("wp:tag_slug"),
                get("wp:tag_name"),
                "",
                get("wp:tag_description"),
                element.line,
            )
        return Term(
            get("wp:term_taxonomy"),
            _optional_int(get("wp:term_id")),
            get("wp:term_slug"),
            get("wp:term_name"),
            get("wp:term_parent"),
            get("wp:term_description"),
            element.line,
        )

    def _post(self, element):
        post = Post(
            wp_id=None,
            post_type="",
            status="",
            title="",
            link="",
            guid="",
            creator="",
            content="",
            excerpt="",
            date="",
            date_gmt="",
            modified="",
            modified_gmt="",
            slug="",
            parent=0,
            comment_status="",
            is_sticky=False,
            password="",
            attachment_url="",
            line=element.line,
        )
        simple = {
            "title": "title",
            "link": "link",
            "guid": "guid",
            "dc:creator": "creator",
            "wp:post_type": "post_type",
            "wp:status": "status",
            "wp:post_date": "date",
            "wp:post_date_gmt": "date_gmt",
            "wp:post_modified": "modified",
            "wp:post_modified_gmt": "modified_gmt",
            "wp:post_name": "slug",
            "wp:comment_status": "comment_status",
            "wp:post_password": "password",
            "wp:attachment_url": "attachment_url",
        }
        for child in element:
            name = self.names(child.tag)
            if name in simple:
                setattr(post, simple[name], _text(child))
            elif name == "content:encoded":
                post.content = _raw(child)
            elif name == "excerpt:encoded":
                post.excerpt = _raw(child)
            elif name == "wp:post_id":
                post.wp_id = _optional_int(_text(child))
            elif name == "wp:post_parent":
                post.parent = _int(_text(child))
            elif name == "wp:is_sticky":
                post.is_sticky = _text(child) == "1"
            elif name == "category":
                post.terms.append(
                    ItemTerm(child.get("domain", "category"), (child.get("nicename") or "").strip(), _text(child))
                )
            elif name == "wp:postmeta":
                meta = self._fields(child)
                key = _text(meta["wp:meta_key"]) if "wp:meta_key" in meta else ""
                if key:
                    post.meta.setdefault(key, []).append(_raw(meta["wp:meta_value"]) if "wp:meta_value" in meta else "")
            elif name == "wp:comment":
                post.comments.append(self._comment(child))
        post.post_type = post.post_type or "post"
        return post

    def _comment(self, element):
        fields = self._fields(element)

        def get(key):
            return _text(fields[key]) if key in fields else ""

        return Comment(
            wp_id=_optional_int(get("wp:comment_id")),
            author=get("wp:comment_author"),
            author_email=get("wp:comment_author_email"),
            author_url=get("wp:comment_author_url"),
            author_ip=get("wp:comment_author_IP"),
            date=get("wp:comment_date"),
            date_gmt=get("wp:comment_date_gmt"),
            content=_raw(fields["wp:comment_content"]) if "wp:comment_content" in fields else "",
            approved=get("wp:comment_approved"),
            type=get("wp:comment_type"),
            parent=_int(get("wp:comment_parent")),
            user_id=_int(get("wp:comment_user_id")),
            line=element.line,
        )


def _plain(tag):
    return tag.split("}", 1)[-1]


def read(path, progress=None):
    """The entries of the export at `path`: Channel first (once its header is read), then the rest."""
    reader = Reader(path, progress)
    channel_sent = False
    for entry in reader:
        if not channel_sent:
            channel_sent = True
            yield reader.channel
        yield entry
    if not channel_sent:
        yield reader.channel


@dataclass
class Scan:
    """What a first pass over the file found: enough to plan the import and to refuse a broken file."""

    channel: Channel
    bytes: int = 0
    items: Counter = field(default_factory=Counter)  # post_type -> number of items
    comments: int = 0
    offsets: Counter = field(default_factory=Counter)  # minutes between local and GMT dates of posts

    @property
    def utc_offset_minutes(self):
        """The site's offset from UTC as its posts show it (the commonest), or None if no post shows it."""
        return self.offsets.most_common(1)[0][0] if self.offsets else None


def scan(path, progress=None):
    """Read the whole export once, keeping only counts; raises WXRError for a file that cannot be imported."""
    result = None
    counts = Counter()
    offsets = Counter()
    comments = 0
    size = 0

    def counted(count):
        nonlocal size
        size += count
        if progress is not None:
            progress(count)

    for entry in read(path, counted):
        if isinstance(entry, Channel):
            result = entry
        elif isinstance(entry, Post):
            counts[entry.post_type] += 1
            comments += len(entry.comments)
            try:
                local, gmt = parse_date(entry.date), parse_date(entry.date_gmt)
            except ValueError:
                continue
            if local and gmt:
                offsets[round((local - gmt).total_seconds() / 60)] += 1
    return Scan(channel=result, bytes=size, items=counts, comments=comments, offsets=offsets)
