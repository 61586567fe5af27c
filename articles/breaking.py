"""The breaking-news banner every reader page shows, read from the cache: no query per page.

Why rendered into the page and not fetched by script: the banner must reach every reader, with
or without JavaScript, in the document screen readers read (role="alert"), without a second
request per page view or a late jump of the layout. Cached pages stay right because every
change is announced as a content-changed event with everything=True, which the page cache
(and a CDN purge) act on: a save or a deletion in the admin through articles.signals, and a
banner's start and end, which need no write, through jobs planned for those moments
(articles.tasks.announce_breaking_news). static/js/breaking.js also hides a banner whose end
has passed in a copy a browser kept.

The current banner is cached until its next change of state (its end, or the next banner's
start), so a cache miss costs two queries at most, once.
"""

from datetime import timedelta

from django.utils import timezone

from newsroom import per_request

CACHE_KEY = per_request.together("breaking-news:v1")
LONGEST = timedelta(hours=1)


def current_breaking_news():
    """The banner to show now (the most recently started live one), or None."""
    now = timezone.now()
    cached = per_request.get(CACHE_KEY)
    if cached is not None and cached["valid_until"] > now:
        return cached["banner"]
    from articles.models import BreakingNews

    banner = BreakingNews.objects.live(now).order_by("-starts_at", "-pk").first()
    next_start = BreakingNews.objects.upcoming(now).order_by("starts_at").values_list("starts_at", flat=True).first()
    moments = [now + LONGEST, next_start, banner.ends_at if banner else None]
    valid_until = min(moment for moment in moments if moment is not None)
    seconds = max(1, int((valid_until - now).total_seconds()) + 1)
    per_request.set(CACHE_KEY, {"banner": banner, "valid_until": valid_until}, timeout=seconds)
    return banner


def clear_breaking_news():
    per_request.delete(CACHE_KEY)
