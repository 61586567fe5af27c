"""The HTTP manners of every Content API response, wrapped around each of its URL patterns.

- GET and HEAD (HEAD answers as GET would, without the body); OPTIONS answers a CORS preflight.
- ETag on every 200, and 304 Not Modified when If-None-Match matches, so clients and CDNs revalidate cheaply.
- Cache-Control: public responses may be kept by a CDN for NEWSROOM_API_CACHE_SECONDS (and by browsers
  for a minute at most); a CDN purges them early on the content-changed event (articles.api.invalidation
  says which API paths an event affects). Responses for a key that sees scheduled articles are private;
  errors are never stored. Vary names X-API-Key (and Origin when CORS is limited to some origins).
- CORS for reading: Access-Control-Allow-Origin for the origins in NEWSROOM_API_CORS_ORIGINS ("*": any).
  The API never uses cookies, so no credentials are ever allowed.
- X-RateLimit-Limit/-Remaining/-Reset from articles.api.access; a Link header to a list's next page.
"""

import functools

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag

from articles.api.access import HEADER

BROWSER_SECONDS = 60
EXPOSED_HEADERS = "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def api_view(view):
    """Wrap a view of the API (ninja's path views, the schema and docs) with the manners above."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED_METHODS
            _preflight(request, response)
        else:
            is_head = request.method == "HEAD"
            if is_head:
                request.method = "GET"
            response = view(request, *args, **kwargs)
            if is_head:
                request.method = "HEAD"
            response = _finish(request, response)
            if is_head and not response.streaming:
                response.content = b""
        _cors(request, response)
        return response

    wrapped.csrf_exempt = True  # GET-only and cookie-free: nothing to forge
    return wrapped


def cache_control(request, response):
    access = getattr(request, "auth", None)
    if response.status_code not in {200, 304}:
        return "no-store"
    if access is not None and not access.is_public:
        return "private, no-cache"
    seconds = max(0, settings.API_CACHE_SECONDS)
    if not seconds:
        return "public, no-cache"
    return f"public, max-age={min(seconds, BROWSER_SECONDS)}, s-maxage={seconds}"


def _finish(request, response):
    response["Cache-Control"] = cache_control(request, response)
    patch_vary_headers(response, [HEADER, *([] if _any_origin() else ["Origin"])])
    if response.status_code == 200 and not response.streaming:
        set_response_etag(response)
        response = get_conditional_response(request, etag=response["ETag"], response=response)
    next_url = getattr(request, "api_next", None)
    if next_url and response.status_code in {200, 304}:
        response["Link"] = f'<{next_url}>; rel="next"'
    rate = getattr(request, "api_rate", None)
    if rate:
        limit, remaining, reset = rate
        response["X-RateLimit-Limit"] = str(limit)
        response["X-RateLimit-Remaining"] = str(remaining)
        response["X-RateLimit-Reset"] = str(reset)
    return response


def _any_origin():
    return "*" in settings.API_CORS_ORIGINS


def _allowed_origin(request):
    origin = request.headers.get("Origin")
    if not origin:
        return None
    if _any_origin():
        return "*"
    return origin if origin in settings.API_CORS_ORIGINS else None


def _cors(request, response):
    allowed = _allowed_origin(request)
    if allowed:
        response["Access-Control-Allow-Origin"] = allowed
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS


def _preflight(request, response):
    if _allowed_origin(request):
        response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response["Access-Control-Allow-Headers"] = f"{HEADER}, If-None-Match, Accept"
        response["Access-Control-Max-Age"] = "86400"
    if not _any_origin():
        patch_vary_headers(response, ["Origin"])
