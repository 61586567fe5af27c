"""The site's URLs plus /bench-floor/, the floor: a trivial Django view returning a constant ~41 KB page.

The benchmark measures every reader page against it in the same run (same gunicorn, same middleware),
so results are ratios that hold from one machine to another. Only bench/settings.py uses this URLconf.
"""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import handler500  # noqa: F401
from newsroom.urls import urlpatterns as site_urlpatterns

FLOOR_PARAGRAPH = (
    "<p>The council met on Tuesday to discuss the harbour budget, the new flood wall and the bus routes "
    "that residents asked for at the last public meeting; the minutes follow.</p>\n"
)
FLOOR_PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Floor</title></head><body>\n'
    + FLOOR_PARAGRAPH * 232
    + "</body></html>\n"
).encode()


def floor(request):
    """The same bytes every time: what Django and gunicorn cost for a page, with no work behind it."""
    return HttpResponse(FLOOR_PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench-floor/", floor, name="bench-floor"), *site_urlpatterns]
