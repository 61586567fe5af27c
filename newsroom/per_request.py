"""Cache reads of one request (or job), made in as few round trips as the page allows.

With Redis every cache read is a network round trip, and a reader page used to make one for each small
thing it shows: the site chrome, the breaking-news banner, the comment rules, an article's images, its
related articles... Entries nearly every request reads are registered with `together()`; the first
read of any of them in a request reads all of them at once. A page that knows which other entries it
is about to read asks for them ahead (`read_ahead()`), in the same round trip as the registered ones
when those are not read yet.

What a request read is kept until it ends: a value written (`set()`, `set_many()`) or removed
(`delete()`) through here is seen at once by the rest of the request. Outside a request or a job, every
read goes to the cache.
"""

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django_tasks.signals import task_finished, task_started

_TOGETHER = []
_this_request = Local()


def together(key):
    """Register `key` as read by nearly every request; returns it (for a module's constant)."""
    if key not in _TOGETHER:
        _TOGETHER.append(key)
    return key


def _start(**kwargs):
    _this_request.read = {}


def _end(**kwargs):
    _this_request.read = None


request_started.connect(_start, dispatch_uid="per-request-reads-start")
request_finished.connect(_end, dispatch_uid="per-request-reads-end")
task_started.connect(_start, dispatch_uid="per-job-reads-start")
task_finished.connect(_end, dispatch_uid="per-job-reads-end")


def _read():
    """This request's reads ({key: value or None when the cache has none}), or None outside a request."""
    return getattr(_this_request, "read", None)


def read_ahead(keys):
    """Read `keys`, and the registered keys, that this request has not read yet: one round trip."""
    read = _read()
    if read is None:
        return
    wanted = [key for key in dict.fromkeys([*_TOGETHER, *keys]) if key not in read]
    if wanted:
        found = cache.get_many(wanted)
        read.update((key, found.get(key)) for key in wanted)


def get(key):
    """The cached value of `key`, or None."""
    read = _read()
    if read is None:
        return cache.get(key)
    if key not in read:
        read_ahead([key])
    return read[key]


def get_many(keys):
    """{key: value} for the `keys` the cache holds, as cache.get_many()."""
    read = _read()
    if read is None:
        return cache.get_many(keys)
    read_ahead(keys)
    return {key: read[key] for key in keys if read[key] is not None}


def add(key, value, timeout):
    """Set `key` to `value` unless the cache holds it already; returns what it holds then."""
    if not cache.add(key, value, timeout):
        value = cache.get(key, value)
    if (read := _read()) is not None:
        read[key] = value
    return value


def set(key, value, timeout):
    cache.set(key, value, timeout)
    if (read := _read()) is not None:
        read[key] = value


def set_many(values, timeout):
    cache.set_many(values, timeout)
    if (read := _read()) is not None:
        read.update(values)


def delete(key):
    cache.delete(key)
    if (read := _read()) is not None:
        read.pop(key, None)
