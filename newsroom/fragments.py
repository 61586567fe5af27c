"""Rendered fragments kept in the cache under a key made of everything they show and the source of the
templates that render them: any change makes a new key, so nothing is ever invalidated (list cards in
articles/cards.py, the comment section in comments/templatetags/comment_tags.py)."""

import functools
import hashlib

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.autoreload import file_changed


def fragment_key(prefix, templates, shown):
    """The cache key of a fragment rendered by `templates` (a tuple of names) and showing `shown`."""
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"{prefix}:{template_source_digest(templates)}:{digest}"


def kept_many(keys, render_missing, timeout):
    """{key: fragment} for `keys`: read from the cache in one round trip; those not kept are made by
    render_missing(missing keys) -> {key: fragment} (leaving out any it cannot make) and kept."""
    found = cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    if missing:
        rendered = render_missing(missing)
        if rendered:
            cache.set_many(rendered, timeout)
        found.update(rendered)
    return found


@functools.cache
def template_source_digest(templates):
    """Read once per process: a deployment with edited templates starts new processes, and the development
    server, which reloads templates without restarting, forgets the digests (below)."""
    digest = hashlib.blake2b(digest_size=8)
    for name in templates:
        digest.update(get_template(name).template.source.encode())
    return digest.hexdigest()


def _forget_template_sources(sender, file_path, **kwargs):
    template_source_digest.cache_clear()


file_changed.connect(_forget_template_sources, dispatch_uid="fragments-forget-template-sources")
