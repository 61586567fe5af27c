"""Cursor pagination for the Content API.

A list is ordered by a fixed key (articles: newest publication time first, then id) and the cursor is the
key of the last item a client has seen, so the next page starts right after it. Articles published
meanwhile go to the top and shift nothing: no item is repeated or skipped while a client pages through.
Search results are ranked, not ordered by a key, so their cursor holds a position instead.

A cursor is opaque to clients (base64 of a small JSON document); one that is not ours is a 400, never a 500.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from articles.api.access import ApiError
from articles.chrome import absolute_url

CURSOR_MAX_LENGTH = 500
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1000
BIGINT = 2**63 - 1


@dataclass(frozen=True)
class Key:
    """One column of a list's order: model field, descending or not, and the type of its values."""

    field: str
    descending: bool = False
    kind: str = "int"  # "int", "str" or "datetime"


def _encode(document):
    raw = json.dumps(document, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid():
    return ApiError(400, "invalid_cursor", _("This cursor is not one this API gave out; start again without it."))


def _decode(cursor):
    if len(cursor) > CURSOR_MAX_LENGTH:
        raise _invalid()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        document = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise _invalid() from None
    if not isinstance(document, dict):
        raise _invalid()
    return document


def _value(kind, raw):
    if kind == "int" and type(raw) is int and -BIGINT <= raw <= BIGINT:
        return raw
    if kind == "str" and isinstance(raw, str) and len(raw) <= 300 and "\x00" not in raw:
        return raw
    if kind == "datetime" and isinstance(raw, str) and len(raw) <= 40:
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise _invalid() from None
        if value.tzinfo is not None:
            return value
    raise _invalid()


def _serialise(kind, value):
    if kind == "datetime":
        return value.astimezone(UTC).isoformat()
    return value


def _after(keys, values):
    """Rows after `values` in the order of `keys`: (a > x) or (a = x and b > y) or ..."""
    condition = Q()
    for index, key in enumerate(keys):
        step = Q(**{key.field: value for key, value in zip(keys[:index], values[:index], strict=True)})
        step &= Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": values[index]})
        condition |= step
    return condition


@dataclass
class Page:
    items: list
    next_cursor: str | None


def keyset_page(queryset, keys, *, cursor=None, limit=DEFAULT_LIMIT):
    """One page of `queryset` ordered by `keys`, starting after `cursor`; one query (plus its prefetches)."""
    queryset = queryset.order_by(*[("-" if key.descending else "") + key.field for key in keys])
    if cursor:
        document = _decode(cursor)
        raw_values = document.get("after")
        if not isinstance(raw_values, list) or len(raw_values) != len(keys):
            raise _invalid()
        values = [_value(key.kind, raw) for key, raw in zip(keys, raw_values, strict=True)]
        queryset = queryset.filter(_after(keys, values))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return Page(rows, None)
    last = rows[limit - 1]
    after = [_serialise(key.kind, getattr(last, key.field)) for key in keys]
    return Page(rows[:limit], _encode({"after": after}))


def offset_page(queryset, *, cursor=None, limit=DEFAULT_LIMIT):
    """One page of an already ranked `queryset` (search results), the cursor holding the position."""
    offset = 0
    if cursor:
        offset = _decode(cursor).get("offset")
        if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
            raise _invalid()
    rows = list(queryset[offset : offset + limit + 1])
    if len(rows) <= limit or offset + limit >= MAX_OFFSET:
        return Page(rows[:limit], None)
    return Page(rows[:limit], _encode({"offset": offset + limit}))


def page_links(request, page):
    """The "next" URL of a page (this request's URL with the new cursor), also sent as a Link header."""
    if page.next_cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = page.next_cursor
    url = absolute_url(request, f"{request.path}?{query.urlencode()}")
    request.api_next = url
    return url
