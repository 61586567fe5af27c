"""Entries kept until a change, without knowing which entries a change touches.

Each entry is kept with the generations (random values in the cache) that were current when it was made,
and counts only while they still are: deleting a generation drops every entry made under it at once. The
page cache keeps pages under a site-wide and a per-path generation (articles.page_cache); search keeps its
matches under one that every content change renews (articles.search).
"""

import secrets


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
