"""Entries kept until a change, without knowing which entries a change touches.

Each entry is kept with the generations (random values in the cache) that were current when it was made,
and counts only while they still are: deleting a generation drops every entry made under it at once. The
page cache keeps pages under a site-wide and a per-path generation (articles.page_cache); search keeps its
matches under one that every content change renews (articles.search), and what is kept under
articles.events.CONTENT_GENERATION_KEY is read with a request's other cache reads (read(), keep_under()).
"""

import secrets

from newsroom import per_request


def lookup(cache, generation_keys, key):
    """(the current generations, the value kept under `key` if it was kept under them, else None).

    One round trip: the generations and the entry are read together. A missing generation is made anew, so an
    entry kept under an evicted or deleted one can never be found again.
    """
    found = cache.get_many([*generation_keys, key])
    for generation_key in generation_keys:
        if generation_key not in found:
            found[generation_key] = secrets.token_hex(6)
            if not cache.add(generation_key, found[generation_key], timeout=None):
                found[generation_key] = cache.get(generation_key, found[generation_key])
    generations = tuple(found[generation_key] for generation_key in generation_keys)
    stored = found.get(key)
    if stored is not None and stored[0] == generations:
        return generations, stored[1]
    return generations, None


def keep(cache, key, generations, value, timeout):
    cache.set(key, (generations, value), timeout)


def read(generation_key, key):
    """(the current generation or None, the value kept at `key` under it or None), from the default cache
    through this request's reads (newsroom.per_request): no round trip when they were read ahead."""
    found = per_request.get_many([generation_key, key])
    generation, stored = found.get(generation_key), found.get(key)
    if generation is not None and stored is not None and stored[0] == generation:
        return generation, stored[1]
    return generation, None


def keep_under(generation_key, generation, key, value, timeout):
    """Keep `value` at `key` under `generation` (as read() gave it; None: make the generation)."""
    if generation is None:
        generation = per_request.add(generation_key, secrets.token_hex(6), timeout=None)
    per_request.set(key, (generation, value), timeout)
