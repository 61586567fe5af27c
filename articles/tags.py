"""Tag names and addresses: every name a newsroom can type gets a working, stable /tag/<slug>/.

Slugs keep their script (`Zürich` → `zürich`, `Москва` → `москва`, as Wagtail does); a name
with no letters or digits at all (`😀😀`, `-`) gets `tag-` and a short hash of the name, so no
slug is ever empty. The URL converter below accepts exactly what these slugs are made of.

The tag field reads and writes tags as WordPress does: a comma always separates tags, so
"North Korea" is one tag and is shown without quotes; only a tag that itself holds a comma is
quoted (django-taggit's defaults quote every multi-word tag and split a comma-less entry into
words). settings.TAGGIT_TAGS_FROM_STRING and TAGGIT_STRING_FROM_TAGS point at parse_tags and edit_string.
"""

import hashlib
import re
import unicodedata

from django.urls import NoReverseMatch
from django.utils.text import slugify

from newsroom.reverse import reverse

TAG_NAME_MAX_LENGTH = 100  # taggit's Tag.name and Tag.slug
SLUG_PATTERN = r"[-\w]+"
_SLUG = re.compile(SLUG_PATTERN)
# Control characters, zero-width characters and bidirectional overrides: invisible, or they reorder text.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u00ad]")


class UnicodeSlugConverter:
    """<tagslug:slug>: a slug in any script (letters, digits, underscore, hyphen)."""

    regex = SLUG_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def clean_tag_name(name):
    """A tag name as stored: invisible characters removed, NFC, runs of whitespace one space."""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", name or "")).split())


def _hash(text):
    return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


def tag_slug(name, suffix=""):
    """The slug for a tag name: never empty, at most TAG_NAME_MAX_LENGTH characters, same name → same slug."""
    slug = slugify(name, allow_unicode=True)
    if not slug:
        slug = f"tag-{_hash(name)}"
    slug += suffix
    if len(slug) > TAG_NAME_MAX_LENGTH:  # NFKC can lengthen a name ("㍿" is four characters)
        slug = slug[: TAG_NAME_MAX_LENGTH - 9].rstrip("-_") + "-" + _hash(slug)
    return slug


def is_valid_slug(slug):
    return bool(slug) and len(slug) <= TAG_NAME_MAX_LENGTH and _SLUG.fullmatch(slug) is not None


def fix_slug(tag):
    """Give a tag about to be saved a usable slug if taggit made an empty or over-long one.

    taggit appends `_1`, `_2`... to a slug that is taken, so the suffix is kept.
    """
    if is_valid_slug(tag.slug):
        return
    _base, underscore, number = (tag.slug or "").rpartition("_")
    suffix = f"_{number}" if underscore and number.isdigit() else ""
    tag.slug = tag_slug(tag.name, suffix)


def tag_url(tag):
    """The tag's page, or "" when a stored slug cannot be part of an address (the tag is then shown unlinked)."""
    try:
        return reverse("articles:tag", args=[tag.slug])
    except NoReverseMatch:
        return ""


# The tag field's text.

_QUOTED = re.compile(r'"([^"]*)"')


def parse_tags(text):
    """Tag names from the field's text: split on commas outside "quotes", spaces folded, duplicates
    (ignoring case) and empty names dropped, in typed order. A name too long for its column is kept
    whole, so the form can refuse it with a message (ArticleAdminForm.clean_tags) instead of cutting it."""
    if not text:
        return []
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    names, quoted = [], []

    def keep(match):
        quoted.append(match.group(1))
        return f"\x00{len(quoted) - 1}\x00"

    for part in _QUOTED.sub(keep, text).replace('"', "").split(","):
        part = re.sub(r"\x00(\d+)\x00", lambda match: quoted[int(match.group(1))], part)
        name = " ".join(part.split()).strip()
        if name and name.casefold() not in {seen.casefold() for seen in names}:
            names.append(name)
    return names


def edit_string(tags):
    """The field's text for `tags`: names joined by ", ", quoted only when a name holds a comma."""
    names = sorted((tag.name for tag in tags), key=str.casefold)
    return ", ".join(f'"{name}"' if "," in name else name for name in names)
