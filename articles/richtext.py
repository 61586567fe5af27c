"""The one allowlist for article rich text, shared by the admin editor and the sanitiser.

The editor (django-prose-editor) offers exactly these formats; nh3 strips anything
else before it is stored, so a pasted <script> or onclick never reaches a reader.
"""

import nh3

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
}

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "s", "sub", "sup",
    "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "hr", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(html):
    """Return `html` reduced to the allowlist; an editor's empty paragraph becomes ""."""
    cleaned = _cleaner.clean(html or "").strip()
    if cleaned in {"<p></p>", "<p><br></p>"}:
        return ""
    return cleaned


_sponsored_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="sponsored noopener noreferrer",
    strip_comments=True,
)


def with_sponsored_links(html):
    """Stored (already sanitised) rich text with every link marked rel="sponsored": paid content's links,
    as search engines require. Done when the page is rendered, so a change of kind needs no re-save."""
    return _sponsored_cleaner.clean(html or "")
