"""A namespaced URLconf imported only when it is used: by a request under its prefix, or by reversing a URL in
its namespace.

Django's include() imports a URLconf at once, and reversing any URL populates every included URLconf, so a
URLconf that pulls in heavy libraries is loaded by every worker. The Content API's (django-ninja and pydantic,
about 14 MB) is needed only by the workers that serve it. A namespaced URLconf can wait: its parent reads just
its namespace and app name, and reversing into it goes through the methods below.
"""

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern


class LazyURLResolver(URLResolver):
    @property
    def loaded(self):
        return "urlconf_module" in self.__dict__  # URLResolver imports it on the first use of url_patterns

    def load(self):
        return self.url_patterns

    def _populate(self):
        # Called by the parent's _populate() for every included URLconf, and by the methods below.
        if self.loaded:
            super()._populate()

    def _reverse_with_prefix(self, lookup_view, _prefix, *args, **kwargs):
        self.load()
        return super()._reverse_with_prefix(lookup_view, _prefix, *args, **kwargs)

    @property
    def reverse_dict(self):
        self.load()
        return super().reverse_dict

    @property
    def namespace_dict(self):
        self.load()
        return super().namespace_dict

    @property
    def app_dict(self):
        self.load()
        return super().app_dict


def lazy_include(route, urlconf, *, app_name, namespace):
    """path(route, include(urlconf, namespace)) with `urlconf` (a dotted module path) imported when first used."""
    return LazyURLResolver(RoutePattern(route, is_endpoint=False), urlconf, app_name=app_name, namespace=namespace)
