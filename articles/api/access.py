"""Who is calling the Content API, what they may see, and how often they may ask.

A caller sends an API key in the X-API-Key header or none at all. A known, unrevoked key gets its
own rate limit and, if granted, sees scheduled and embargoed articles; no key means anonymous
access to public content at NEWSROOM_API_ANON_PER_MINUTE requests a minute per IP address
(0: anonymous access is off and every request needs a key). A key that is unknown or revoked is
refused, never quietly treated as anonymous.

Keys are looked up by their SHA-256 digest, and the answer is cached for a minute (revoking a key
clears it at once, see articles.signals), so a keyed request usually costs no query. The rate
counters live in the cache too; when the cache is down the API stays open and says so once in the log.
"""

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader

from articles.models import ApiKey
from articles.models.integrations import hash_key

logger = logging.getLogger(__name__)

HEADER = "X-API-Key"
KEY_MAX_LENGTH = 200
KEY_CACHE_SECONDS = 60
UNKNOWN = "unknown"
# A key's last-used time is written at most this often (not on every request).
LAST_USED_EVERY = 300
WINDOW = 60


class ApiError(Exception):
    """An answer other than 200, with a message a developer can act on: {"detail": ..., "code": ...}."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class Access:
    """The caller: anonymous (key_id None) or a key, whether it sees scheduled articles, and its limit a minute."""

    key_id: int | None
    sees_scheduled: bool
    per_minute: int

    @property
    def is_public(self):
        """Whether every response to this caller is the same public content anyone may cache."""
        return not self.sees_scheduled


def key_cache_name(digest):
    return f"api-key:v1:{digest}"


def _cache_call(function, *args, default=None):
    """A cache call that fails open: the API keeps answering without a cache, and the log says so once."""
    try:
        result = function(*args)
    except Exception:
        if not _cache_call.failing:
            logger.exception("The cache is unreachable: API rate limits are not enforced until it is back.")
            _cache_call.failing = True
        return default
    _cache_call.failing = False
    return result


_cache_call.failing = False


def _key_record(raw_key):
    digest = hash_key(raw_key)
    name = key_cache_name(digest)
    record = _cache_call(cache.get, name)
    if record is None:
        key = ApiKey.objects.filter(hashed_key=digest).only("pk", "sees_scheduled", "rate_limit", "revoked_at").first()
        record = UNKNOWN
        if key is not None and key.revoked_at is None:
            record = {"id": key.pk, "sees_scheduled": key.sees_scheduled, "rate_limit": key.rate_limit}
        _cache_call(cache.set, name, record, KEY_CACHE_SECONDS)
    return record


def forget_key(key):
    """Drop a key's cached record, e.g. when it is revoked or changed."""
    _cache_call(cache.delete, key_cache_name(key.hashed_key))


def _note_use(key_id):
    if _cache_call(cache.add, f"api-key-used:{key_id}", 1, LAST_USED_EVERY, default=True):
        ApiKey.objects.filter(pk=key_id).update(last_used_at=timezone.now())


def client_ip(request):
    """The caller's address: REMOTE_ADDR, or the last address of NEWSROOM_CLIENT_IP_HEADER behind a proxy."""
    header = settings.COMMENTS_CLIENT_IP_HEADER
    raw = request.META.get(header, "") if header else ""
    candidate = raw.split(",")[-1].strip() if raw else request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return "unknown"


def identify(request, raw_key):
    """The Access for this request, or ApiError 401 for a missing (when keys are required), unknown or revoked key."""
    raw_key = (raw_key or "").strip()
    if not raw_key:
        if settings.API_ANON_PER_MINUTE <= 0:
            raise ApiError(
                401, "key_required", _("This API needs a key: send it in the %(header)s header.") % {"header": HEADER}
            )
        return Access(key_id=None, sees_scheduled=False, per_minute=settings.API_ANON_PER_MINUTE)
    record = UNKNOWN if len(raw_key) > KEY_MAX_LENGTH else _key_record(raw_key)
    if record == UNKNOWN:
        raise ApiError(401, "invalid_key", _("This API key is unknown or has been revoked."))
    _note_use(record["id"])
    return Access(
        key_id=record["id"],
        sees_scheduled=record["sees_scheduled"],
        per_minute=record["rate_limit"] or settings.API_KEY_PER_MINUTE,
    )


def check_rate(request, access):
    """Count the request in this minute's window; ApiError 429 with Retry-After past the caller's limit.

    Leaves (limit, remaining, seconds to reset) on the request for the X-RateLimit headers.
    """
    now = time.time()
    window = int(now // WINDOW)
    reset = max(1, math.ceil((window + 1) * WINDOW - now))
    who = f"key:{access.key_id}" if access.key_id is not None else f"ip:{client_ip(request)}"
    name = f"api-rate:{who}:{window}"
    _cache_call(cache.add, name, 0, WINDOW * 2)
    count = _cache_call(cache.incr, name, default=None)
    if count is None:
        return
    limit = access.per_minute
    request.api_rate = (limit, max(0, limit - count), reset)
    if count > limit:
        raise ApiError(
            429,
            "rate_limited",
            _("Too many requests: %(limit)s a minute are allowed. Try again in %(seconds)s seconds.")
            % {"limit": limit, "seconds": reset},
            headers={"Retry-After": str(reset)},
        )


class ApiKeyAuth(APIKeyHeader):
    """Ninja's security hook: identifies the caller and counts the request; request.auth is the Access."""

    param_name = HEADER

    def authenticate(self, request, key):
        access = identify(request, key)
        check_rate(request, access)
        return access
