"""newsroom.settings with a throw-away secret key, so the suite runs with DEBUG off, as production does."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SERVE_MEDIA", "1")

from newsroom.settings import *  # noqa: F403
