"""The site chrome every reader page shows: the publication (masthead, ISSN), the section menu
and the publication's own pages (footer links, and the policies named in the structured data),
with the article kinds: list rows take their section and kind from here rather than joining
two more tables into every list query (ArticleQuerySet.for_listing).

It changes rarely and is read many times on every page (the masthead, the menu, the structured
data, absolute URLs), so it is cached, and kept for the rest of the request (or job) once read:
one cache read per request, not one per use, made with the request's other common reads
(newsroom.per_request). signals.py clears it whenever a Publication,
Section, Page or ArticleKind is saved or deleted.
"""

import uuid

from asgiref.local import Local
from django.conf import settings
from django.core.signals import request_started
from django_tasks.signals import task_started

from newsroom import per_request

CHROME_CACHE_KEY = per_request.together("site-chrome:v4")

_this_request = Local()


def forget_for_this_request(**kwargs):
    _this_request.chrome = None


request_started.connect(forget_for_this_request, dispatch_uid="site-chrome-per-request")
task_started.connect(forget_for_this_request, dispatch_uid="site-chrome-per-job")


def site_chrome():
    chrome = getattr(_this_request, "chrome", None)
    if chrome is None:
        chrome = _this_request.chrome = _cached_chrome()
    return chrome


def _cached_chrome():
    chrome = per_request.get(CHROME_CACHE_KEY)
    if chrome is None:
        from articles.models import ArticleKind, Page, Publication, Section

        pages = list(Page.objects.published().only("title", "slug", "kind", "is_in_footer", "position"))
        chrome = {
            "publication": Publication.objects.current(),
            "sections": list(Section.objects.all()),
            "kinds": list(ArticleKind.objects.all()),
            "footer_pages": [page for page in pages if page.is_in_footer],
            "policy_pages": {page.kind: page for page in pages if page.kind != page.Kind.OTHER},
            # Names this build: what is rendered from the chrome alone is kept under it (chrome_part).
            "version": uuid.uuid4().hex,
        }
        per_request.set(CHROME_CACHE_KEY, chrome, timeout=60 * 60)
    return chrome


def sections_and_kinds_by_id():
    """The chrome's sections and article kinds by primary key, for rows that carry only their ids."""
    chrome = site_chrome()
    return (
        {section.pk: section for section in chrome["sections"]},
        {kind.pk: kind for kind in chrome["kinds"]},
    )


def clear_site_chrome():
    per_request.delete(CHROME_CACHE_KEY)
    forget_for_this_request()


def site_root(request=None):
    """The public origin, e.g. "https://news.example.com": NEWSROOM_SITE_URL when set, else the origin
    `request` came to; without either (a job with no request behind it), http://localhost."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return "http://localhost"


def absolute_url(request, path):
    """`path` (or a full URL, returned as it is) on the public origin."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return site_root(request) + path
