"""Django's Redis cache, made unable to take the site down.

While Redis cannot be reached every call behaves as a miss (reads find nothing, writes are
dropped, `add` reports success so one-time tokens still work), so pages are served uncached
and comments still post. The outage is logged once when it starts and once when it ends, per
process; in between Redis is tried again only every RETRY_SECONDS, so a dead server costs a
request nothing. Deletions that could not be made (cache invalidation after an edit) are made
on recovery, so no page stays stale because an edit happened during the outage.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("newsroom.cache")

RETRY_SECONDS = 5
UNSENT_DELETES_LIMIT = 10_000


class _Outage:
    """One process's view of one Redis server list: up, or down since when."""

    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.down_since = None
        self.retry_at = 0.0
        self.unsent_deletes = set()

    def skipping(self):
        return self.down_since is not None and time.monotonic() < self.retry_at

    def remember(self, keys):
        """Deletions to make once the server is back."""
        with self.lock:
            if keys and len(self.unsent_deletes) < UNSENT_DELETES_LIMIT:
                self.unsent_deletes.update(keys)

    def failed(self, error, keys=()):
        self.remember(keys)
        with self.lock:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            if self.down_since is not None:
                return
            self.down_since = time.monotonic()
        logger.error(
            "Cache unreachable (%s: %s): serving pages uncached until it is back; retrying every %d s.",
            type(error).__name__,
            error,
            RETRY_SECONDS,
        )

    def recovered(self):
        """Mark the server up; returns the keys whose deletion has to be made now."""
        with self.lock:
            if self.down_since is None:
                return set()
            seconds = time.monotonic() - self.down_since
            self.down_since, keys, self.unsent_deletes = None, self.unsent_deletes, set()
        logger.warning("Cache reachable again after %.0f s; %d stale keys deleted.", seconds, len(keys))
        return keys


_outages = {}
_outages_lock = threading.Lock()


def outage_for(servers):
    name = ",".join(servers)
    with _outages_lock:
        return _outages.setdefault(name, _Outage(name))


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._outage = outage_for(servers)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        """One redis-py client per connection pool, kept.

        Django builds a new `redis.Redis` for every call, and redis-py's constructor fills a table of
        some 170 response callbacks: about a fifth of a millisecond per cache call, more than the
        round trip to a local Redis. The client holds no connection of its own (its pool does), so
        threads can share it.
        """
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _call(self, method, fallback, *args, deleting=()):
        if self._outage.skipping():
            self._outage.remember(deleting)
            return fallback
        try:
            result = getattr(super(), method)(*args)
        except (self._lib.exceptions.RedisError, OSError) as error:
            self._outage.failed(error, deleting)
            return fallback
        if self._outage.down_since is not None and (stale := self._outage.recovered()):
            try:
                super().delete_many(list(stale))
            except (self._lib.exceptions.RedisError, OSError) as error:
                self._outage.failed(error, stale)
        return result

    def add(self, key, value, timeout):
        return self._call("add", True, key, value, timeout)

    def get(self, key, default):
        return self._call("get", default, key, default)

    def set(self, key, value, timeout):
        return self._call("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", False, key, timeout)

    def delete(self, key):
        return self._call("delete", False, key, deleting=[key])

    def get_many(self, keys):
        return self._call("get_many", {}, keys)

    def has_key(self, key):
        return self._call("has_key", False, key)

    def incr(self, key, delta):
        result = self._call("incr", None, key, delta)
        if result is None:
            raise ValueError(f"Key '{key}' not found.")
        return result

    def set_many(self, data, timeout):
        return self._call("set_many", None, data, timeout)

    def delete_many(self, keys):
        return self._call("delete_many", None, keys, deleting=list(keys))

    def clear(self):
        return self._call("clear", False)


class ResilientRedisCache(RedisCache):
    """RedisCache whose outages make a slower site, not a broken one (see the module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
