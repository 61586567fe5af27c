from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles.api.content import NAMESPACE as API_NAMESPACE
from newsroom import health
from newsroom.lazy_urls import lazy_include


def serve_media(request, path):
    """Uploaded files, read from MEDIA_ROOT at request time (see SERVE_MEDIA)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


handler500 = "newsroom.outage.server_error"

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # Imported by the first request under api/v1/ or reverse into its namespace (newsroom/lazy_urls.py).
    lazy_include("api/v1/", "articles.api.urls", app_name="ninja", namespace=API_NAMESPACE),
    path("comments/", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(0, re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media))
