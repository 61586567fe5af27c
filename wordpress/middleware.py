"""Old WordPress addresses answer with a 301 to their new homes, at no cost to the pages that exist.

LegacyRedirectMiddleware goes first in MIDDLEWARE (before the page cache). It looks at the
redirect table only when a request found nothing (a 404), and for WordPress's query-string
addresses on the front page (/?p=12, /?page_id=, /?cat=, /?tag=, /?author=, /?feed=), which would
otherwise show the front page: those never reach the page cache, so it keeps no copy of the front
page per query string. A 301 is not a 200, so the page cache never stores one either.
"""

import re

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from wordpress.models import LegacyRedirect

# WordPress's "plain" addresses: the front page with one of these query parameters.
QUERY_KEYS = ("p", "page_id", "cat", "tag", "author", "attachment_id")
# /category/news/page/2/: the old list's second page is the new list's.
_PAGED = re.compile(r"^(?P<path>.+?)/page/(?P<page>[0-9]{1,6})/?$")


def _path_redirect(path):
    target = LegacyRedirect.objects.target_for(path)
    if target is None:
        paged = _PAGED.match(path)
        if paged:
            target = LegacyRedirect.objects.target_for(paged["path"])
            if target and int(paged["page"]) > 1:
                target = f"{target}?page={int(paged['page'])}"
    return target


def _query_redirect(request):
    for key in QUERY_KEYS:
        value = request.GET.get(key)
        if value:
            return LegacyRedirect.objects.target_for(f"/?{key}={value.strip()}")
    if "feed" in request.GET:
        return reverse("articles:feed")
    return None


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"GET", "HEAD"} and request.path == "/" and request.GET:
            target = _query_redirect(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in {"GET", "HEAD"}:
            target = _path_redirect(request.path)
            if target and target != request.path:
                return HttpResponsePermanentRedirect(target)
        return response
