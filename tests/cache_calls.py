"""Which of a cache's methods a piece of code calls: with Redis each call is a network round trip."""

CACHE_METHODS = ("get", "get_many", "add", "set", "set_many", "delete", "delete_many", "incr")


def record_cache_calls(monkeypatch, cache, names=CACHE_METHODS):
    """Patch `cache`'s methods `names` to record each call's name in the list returned. Only outer calls count:
    local memory's get_many calls its own get."""
    asked, inside = [], []

    def counted(name, method):
        def ask(*args, **kwargs):
            if not inside:
                asked.append(name)
            inside.append(name)
            try:
                return method(*args, **kwargs)
            finally:
                inside.pop()

        return ask

    for name in names:
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    return asked
