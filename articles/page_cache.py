"""The page cache: whole reader pages for anonymous readers, removed exactly when their content changes.

A reader page is the same for every anonymous reader (the comment form fetches its token, per-reader
notices are fetched by static JS), so PageCacheMiddleware keeps the response of a GET to a reader
page and serves it to the next anonymous reader without running any view, template or query.

Invalidation follows the "content changed" event (articles.events): each path has a generation
(a random value) in the cache, and a page is kept with its path's generation and the site-wide one
and served only while both are current (read with the page in one round trip; newsroom.generations),
so giving a path a new generation removes that page with every query string at once; `everything`
renews the site-wide generation. Nothing here knows which page shows what. A view whose page is made from
something renewed without an event of its own names it (keep_while(): search's matches, which the reindex
job renews after the change's event); such a page is then served only while that generation holds too.

With the local-memory cache each process has its own pages: a process that hears an event renews
its generations, and every process drops all its pages when the shared epoch file changes (one stat()
per request), so no process serves a page older than the last change.

Readers with a session or a pending message (staff, the desk) always get a fresh page.
"""

import hashlib
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import parse_http_date_safe

from articles import events
from newsroom import generations

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
SITE_GENERATION_KEY = "page-generation:*"
STORED_HEADERS = {
    "content-type",
    "content-language",
    "last-modified",
    "etag",
    "link",
    "x-robots-tag",
    "content-security-policy",
    "permissions-policy",
    "referrer-policy",
    "x-content-type-options",
    "x-frame-options",
    "cross-origin-opener-policy",
    "strict-transport-security",
}
SKIPPED_PREFIXES = (
    "/admin/",
    "/api/",
    "/static/",
    "/media/",
    "/comments/post/",
    "/comments/form-token/",
    "/comments/pending/",
)


def page_cache():
    return caches[CACHE_ALIAS]


def _generation_key(path):
    return "page-generation:" + hashlib.blake2b(path.encode(), digest_size=12).hexdigest()


def _page_key(request):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.blake2b(address.encode(), digest_size=16).hexdigest()


def _lookup(cache, request):
    """The key of this address's page, the current generations and the page kept under them (or None)."""
    page_key = _page_key(request)
    current, stored = generations.lookup(cache, [SITE_GENERATION_KEY, _generation_key(request.path)], page_key)
    return page_key, current, stored


def keep_while(response, generations_now):
    """Keep `response` only while these generations (keys of the default cache, with the values its view read)
    are still current, besides its path's: for a page made from something renewed without a content-changed
    event of its own (search's matches, renewed when the reindex job has run). A hit then reads them too."""
    response.page_cache_conditions = dict(generations_now)


def _conditions_hold(conditions):
    from django.core.cache import cache

    return not conditions or cache.get_many(list(conditions)) == conditions


def forget(paths=(), *, everything=False):
    """Remove the pages at `paths` (each with any query string), or every page.

    Deleting a generation (rather than writing a new one) means the next reader's request makes a
    fresh one; and a deletion the cache could not make during an outage is made when it recovers.
    """
    cache = page_cache()
    if everything:
        cache.delete(SITE_GENERATION_KEY)
    elif paths:
        cache.delete_many([_generation_key(path) for path in paths])
    _touch_epoch()


def on_content_changed(sender, change, **kwargs):
    if settings.PAGE_CACHE:
        forget(change.paths, everything=change.everything)


events.content_changed.connect(on_content_changed, dispatch_uid="page-cache")


# The epoch file keeps processes with their own (local-memory) page caches in step.


def _shares_nothing():
    return settings.CACHES[CACHE_ALIAS]["BACKEND"].endswith("LocMemCache")


def _epoch_file():
    return Path(settings.PAGE_CACHE_EPOCH_FILE)


def _touch_epoch():
    if not _shares_nothing():
        return
    try:
        path = _epoch_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(8))
    except OSError:
        logger.warning("Could not write the page cache's epoch file %s", settings.PAGE_CACHE_EPOCH_FILE)


_seen_epoch = {"value": None}


def _follow_epoch():
    """Drop this process's pages when another process announced a change."""
    try:
        epoch = os.stat(_epoch_file()).st_mtime_ns
    except OSError:
        return
    if _seen_epoch["value"] is not None and epoch != _seen_epoch["value"]:
        page_cache().clear()
    _seen_epoch["value"] = epoch


def is_cacheable_request(request):
    if request.method not in {"GET", "HEAD"} or request.path.startswith(SKIPPED_PREFIXES):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def is_cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-cache", "no-store", "max-age=0"))


class PageCacheMiddleware:
    """Serve and keep anonymous reader pages (see the module's docstring). Put it first in MIDDLEWARE (only
    wordpress.middleware's old addresses go before it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE or not is_cacheable_request(request):
            return self.get_response(request)
        cache = page_cache()
        try:
            if _shares_nothing():
                _follow_epoch()
            key, current, stored = _lookup(cache, request)
            if stored is not None and not _conditions_hold(stored[2] if len(stored) > 2 else None):
                stored = None
        except Exception:  # The cache is down: serve uncached; the cache backend logs the outage.
            return self.get_response(request)
        if stored is not None:
            return self.rebuild(request, stored)
        response = self.get_response(request)
        if is_cacheable_response(response):
            self.add_caching_headers(request, response)
            try:
                generations.keep(cache, key, current, self.freeze(response), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.debug("Could not store %s in the page cache", request.path, exc_info=True)
        return response

    @staticmethod
    def add_caching_headers(request, response):
        """What a CDN or a browser may keep, and an ETag so they can ask "changed?" (304)."""
        if not response.has_header("ETag"):
            set_response_etag(response)
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_BROWSER_SECONDS,
            s_maxage=settings.PAGE_CACHE_SECONDS,
            stale_while_revalidate=settings.PAGE_STALE_SECONDS,
        )

    @staticmethod
    def freeze(response):
        headers = {name: value for name, value in response.items() if name.lower() in STORED_HEADERS}
        headers["Cache-Control"] = response["Cache-Control"]
        return (response.content, headers, getattr(response, "page_cache_conditions", None))

    @staticmethod
    def rebuild(request, stored):
        content, headers = stored[:2]
        response = HttpResponse(content, headers=headers)
        response["X-Cache"] = "hit"
        last_modified = parse_http_date_safe(headers["Last-Modified"]) if "Last-Modified" in headers else None
        return get_conditional_response(
            request, etag=headers.get("ETag"), last_modified=last_modified, response=response
        )
