"""django.urls.reverse(), its answers kept per process, and the `{% url %}` tag that uses it.

Django's reverse() walks the URL patterns and matches candidate strings against their regular
expressions on every call: about 35 calls make one article page (the section menu, bylines, tags,
feeds, links), a sixth of the page's Python time. What it answers depends only on its arguments,
the URL configuration, the script prefix and the language, so answers are kept under exactly those
(least recently used first out); a miss, an error or an argument that cannot be a key goes to
Django's reverse() as before. Reader code imports reverse from here; templates get the `url` tag
below as a builtin (settings.TEMPLATES), in place of Django's.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url_tag
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

KEPT_URLS = 4096


def reverse(viewname, urlconf=None, args=None, kwargs=None, current_app=None):
    urlconf = urlconf or get_urlconf() or settings.ROOT_URLCONF
    try:
        key = (viewname, tuple(args or ()), tuple(sorted((kwargs or {}).items())), current_app)
        hash(key)
    except TypeError:
        return django_reverse(viewname, urlconf, args, kwargs, current_app)
    return _kept_reverse(key, urlconf, get_script_prefix(), get_language())


@lru_cache(maxsize=KEPT_URLS)
def _kept_reverse(key, urlconf, script_prefix, language):
    viewname, args, kwargs, current_app = key
    return django_reverse(viewname, urlconf, args or None, dict(kwargs) or None, current_app)


register = template.Library()


class KeptURLNode(URLNode):
    """Django's URLNode, reversing through reverse() above."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        try:
            url = reverse(self.view_name.resolve(context), args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:  # with `as var` the tag gives "" instead
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url_tag(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
