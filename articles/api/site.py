"""The Content API, /api/v1/: one NinjaAPI with the articles app's routes and those apps register through
articles.hooks (the comments app's), its error answers, and its URL patterns with the HTTP manners of
articles.api.http around each. articles/api/urls.py holds `urls()`, imported on the API's first request.

The documentation page is ninja's Swagger UI served from ninja's own static files: no CDN and no inline
script (its settings travel in a JSON data block), so it works under a strict Content-Security-Policy
(script-src and style-src 'self'); its stylesheet's icons are data: images (img-src 'self' data:).
"""

import functools
from pathlib import Path

from django.conf import settings
from django.urls import re_path
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger

from articles import hooks
from articles.api import routes
from articles.api.access import HEADER, ApiError, ApiKeyAuth
from articles.api.content import NAMESPACE
from articles.api.http import api_view

DESCRIPTION = f"""
Read-only access to the newsroom's published content: articles with their sections, tags, bylines,
publishers, images, corrections and approved comments; the publication and its pages.

**Keys.** Send an API key in the `{HEADER}` header. Without one, public content is served at a lower
rate limit per IP address (when the site allows anonymous access at all). A key may be granted
scheduled and embargoed articles: they are marked by `availability` and `goes_live_at`. Drafts never appear.

**Limits.** Past a caller's requests a minute the answer is 429 with `Retry-After`; every answer carries
`X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`.

**Paging.** Lists are pages of `items` with a `next` URL (also a `Link` header) until the last page;
follow it rather than building cursors, which are opaque.

**Caching.** Every 200 carries an `ETag`: send it back as `If-None-Match` to get 304 Not Modified.
Public answers may be cached by a CDN (`Cache-Control: s-maxage`).
"""


class LocalSwagger(Swagger):
    """ninja renders its Swagger page from a CDN unless "ninja" is in INSTALLED_APPS, which the site leaves out so
    that workers do not import ninja at start (newsroom/settings.py): this renders its local page instead."""

    template_cdn = str(Path(Swagger.template_cdn).with_name("swagger.html"))


class ContentAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's schema, plus what it cannot know: a key is optional while anonymous access is on,
        and every operation may answer 304 to a matching If-None-Match."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for operation in methods.values():
                if settings.API_ANON_PER_MINUTE > 0 and operation.get("security"):
                    operation["security"] = [*operation["security"], {}]
                operation.setdefault("responses", {})["304"] = {"description": "Not Modified (If-None-Match)"}
        return schema


def _error(request, status, code, message, errors=None, headers=None):
    body = {"detail": str(message), "code": code}
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


api = ContentAPI(
    title="Newsroom Content API",
    version="1",
    description=DESCRIPTION,
    urls_namespace=NAMESPACE,
    auth=ApiKeyAuth(),
    docs=LocalSwagger(),
)
api.add_router("", routes.router)


@api.exception_handler(ApiError)
def api_error(request, exc):
    return _error(request, exc.status, exc.code, exc.message, headers=exc.headers)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    errors = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", ""))} for error in exc.errors
    ]
    return _error(request, 400, "invalid", _("Some parameters are not valid."), errors=errors)


def not_found(request, path=""):
    return _error(request, 404, "not_found", _("There is nothing at this address of the API."))


@functools.cache
def urls():
    """The API's URL patterns (mount under api/v1/), with the routers other apps registered in articles.hooks."""
    for prefix, router_path in hooks.api_routers:
        api.add_router(prefix, import_string(router_path))
    patterns, app_name, namespace = api.urls
    patterns = list(patterns)
    patterns.append(re_path(r"^(?P<path>.+)$", not_found, name="not-found"))
    for pattern in patterns:
        pattern.callback = api_view(pattern.callback)
    return patterns, app_name, namespace
