"""The Content API's URLconf, imported lazily by newsroom/urls.py."""

from articles.api.site import urls

urlpatterns, app_name, _namespace = urls()
