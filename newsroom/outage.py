"""The database unreachable: a clean 503 page with Retry-After, and a few log lines instead of a flood.

Any OperationalError or InterfaceError that reaches Django (from a view, a template, or a
middleware) becomes templates/503.html, rendered without the database, the cache or any
context processor, with no traceback and no setting in it. The outage is logged at most once
a LOG_INTERVAL per process, with how many requests it refused since the last line, and
Django's own per-request error records for it are dropped (SkipOutageRecords). Nothing
is kept between requests, so the site recovers by itself when the database is back: Django
discards a broken connection at the end of the request and the next one reconnects.
"""

import logging
import sys
import threading
import time

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger("newsroom.outage")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
LOG_INTERVAL = 60


class _Log:
    lock = threading.Lock()
    last_at = None
    refused = 0


def report(error):
    """Count a request refused for `error`; log a line if none was logged in the last LOG_INTERVAL seconds."""
    now = time.monotonic()
    with _Log.lock:
        _Log.refused += 1
        if _Log.last_at is not None and now - _Log.last_at < LOG_INTERVAL:
            return
        refused, _Log.refused, _Log.last_at = _Log.refused, 0, now
    summary = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    logger.error(
        "Database unreachable (%s: %s): %d request(s) answered 503 since the last report.",
        type(error).__name__,
        summary,
        refused,
    )


def service_unavailable(request=None):
    """The 503 page: static, so it renders with the database and the cache both down."""
    html = loader.get_template("503.html").render({"retry_after_minutes": max(1, RETRY_AFTER_SECONDS // 60)})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    if request is not None:
        request._database_outage = True
    return response


def database_is_up():
    """A round trip to the database: False when it cannot be reached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_ERRORS as error:
        report(error)
        return False
    return True


class DatabaseOutageMiddleware:
    """A database error from a view or a template answers the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            report(exception)
            return service_unavailable(request)
        return None


def server_error(request, template_name="500.html"):
    """handler500: a database error raised outside any view (in a middleware) also answers the 503 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        report(error)
        return service_unavailable(request)
    try:
        return django_server_error(request, template_name=template_name)
    except Exception:  # the 500 page itself failed: answer in plain text rather than not at all
        return HttpResponseServerError("Server error", content_type="text/plain")


class SkipOutageRecords(logging.Filter):
    """Drop Django's per-request records (with a full traceback) for database outages: report() logs those."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, DATABASE_ERRORS):
            return False
        request = getattr(record, "request", None)
        return not (getattr(record, "status_code", None) == 503 and getattr(request, "_database_outage", False))
