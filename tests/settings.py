"""newsroom.settings with a throw-away secret key, so the suite runs with DEBUG off, as production does."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SERVE_MEDIA", "1")

from newsroom.settings import *  # noqa: F403

# Jobs run at once when enqueued (after commit), or wait for tests/tasks_backend.run_due() when deferred.
TASKS = {"default": {"BACKEND": "tests.tasks_backend.ImmediateOrLaterBackend", "QUEUES": ["default"]}}

# A test client's request ends as a commit would: what it left for after commit runs (tests/middleware.py).
MIDDLEWARE = ["tests.middleware.CommitAtEndOfRequestMiddleware", *MIDDLEWARE]  # noqa: F405

# The page cache is off for the suite (a cached page would hide what a test changed and make query
# budgets pass with zero queries); tests/articles/test_page_cache.py turns it on.
PAGE_CACHE = False

# On SQLite the test database is a file, not shared memory: the browser tests' live server answers
# several requests at once (a heartbeat and an autosave), each on its own connection, as in production.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"newsroom-test-{os.getpid()}.sqlite3")
    }

# The optional oEmbed fetch would reach the network: tests that exercise it turn it on with a fake fetcher.
EMBED_OEMBED = False
