"""The site chrome every reader page shows: the publication (masthead, ISSN) and the section menu.

It changes rarely and is read on every request, so it is cached; signals.py clears
it whenever a Publication or Section is saved or deleted.
"""

from django.core.cache import cache

CHROME_CACHE_KEY = "site-chrome:v1"


def site_chrome():
    chrome = cache.get(CHROME_CACHE_KEY)
    if chrome is None:
        from articles.models import Publication, Section

        chrome = {"publication": Publication.objects.current(), "sections": list(Section.objects.all())}
        cache.set(CHROME_CACHE_KEY, chrome, timeout=60 * 60)
    return chrome


def clear_site_chrome():
    cache.delete(CHROME_CACHE_KEY)
