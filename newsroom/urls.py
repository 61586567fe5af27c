from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles.api.site import urls as api_urls
from newsroom import health


def serve_media(request, path):
    """Uploaded files, read from MEDIA_ROOT at request time (see SERVE_MEDIA)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


handler500 = "newsroom.outage.server_error"

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls()),
    path("comments/", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(0, re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media))
