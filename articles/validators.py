import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ISSN_FORMAT = re.compile(r"^[0-9]{4}-[0-9]{3}[0-9X]$")


def normalise_issn(value):
    """Upper-case the check digit and trim spaces: " 2330-717x " -> "2330-717X"."""
    return (value or "").strip().upper()


def issn_check_digit(first_seven):
    """The ISO 3297 mod-11 check character for the first seven digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first_seven, range(8, 1, -1), strict=True))
    remainder = (11 - total % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def validate_issn(value):
    issn = normalise_issn(value)
    if not ISSN_FORMAT.match(issn):
        raise ValidationError(
            _("Enter an ISSN as NNNN-NNNC: eight characters with a hyphen, the last a digit or X (e.g. 2330-717X)."),
            code="issn_format",
        )
    digits = issn.replace("-", "")
    expected = issn_check_digit(digits[:7])
    if digits[7] != expected:
        raise ValidationError(
            _("%(issn)s is not a valid ISSN: its check digit should be %(expected)s."),
            code="issn_check_digit",
            params={"issn": issn, "expected": expected},
        )


RESERVED_PAGE_SLUGS = frozenset(
    {
        "admin", "articles", "archive", "author", "comments", "corrections", "feed", "media", "pages", "preview",
        "publisher", "robots.txt", "search", "section", "sitemap.xml", "static", "tag", "accounts", "api",
    }
)  # fmt: skip


def validate_page_slug(value):
    if value in RESERVED_PAGE_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by another part of the site; choose another address."),
            code="reserved_slug",
            params={"slug": value},
        )
