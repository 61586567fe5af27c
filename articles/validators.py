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


PROFILE_LINKS_MAX = 10


def validate_profile_links(value):
    """An author's profile links: one http(s) address per line, at most PROFILE_LINKS_MAX."""
    from django.core.validators import URLValidator

    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    if len(lines) > PROFILE_LINKS_MAX:
        raise ValidationError(
            _("Give at most %(max)d links."), code="too_many_links", params={"max": PROFILE_LINKS_MAX}
        )
    check = URLValidator(schemes=["http", "https"])
    for number, line in enumerate(lines, start=1):
        try:
            check(line)
        except ValidationError:
            raise ValidationError(
                _("Line %(number)d is not a web address (https://…): %(line)s"),
                code="invalid_link",
                params={"number": number, "line": line[:80]},
            ) from None


def validate_site_link(value):
    """A link for a banner: a path on this site ("/articles/…") or a full http(s) address; nothing else
    (no javascript:, no protocol-relative "//elsewhere")."""
    from django.core.validators import URLValidator

    value = (value or "").strip()
    if not value:
        return
    if value.startswith("/") and not value.startswith("//") and not any(c.isspace() for c in value):
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            _("Give an address on this site starting with / or a full address starting with https://."),
            code="invalid_link",
        ) from None
