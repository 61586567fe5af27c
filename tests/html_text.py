"""Readable text of an HTML page, for asserting what a reader sees and in which order."""

import re
from html.parser import HTMLParser

BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "li",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "br",
    "figcaption",
}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"}:
            self.skipping -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html):
    """Text with one line per block element and runs of spaces folded (NBSP kept as a space)."""
    parser = _TextParser()
    parser.feed(html)
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def fold(text):
    return re.sub(r"[\s\u00a0]+", " ", text).strip()
