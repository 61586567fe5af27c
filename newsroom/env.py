"""Typed readers for settings that come from the environment.

Each raises ImproperlyConfigured on a value it cannot read, so a typo in a
deployment fails at start-up instead of silently falling back to a default.
"""

import os
from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name, default=()):
    """A comma-separated list with blanks dropped: "a, b,," -> ["a", "b"]."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name, default=()):
    """A comma-separated list of IP addresses or networks ("10.0.0.0/8, ::1"), each checked at start-up."""
    import ipaddress

    networks = []
    for item in env_list(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"{name} must list IP addresses or networks; got {item!r}.") from None
    return networks


def env_admins(name):
    """ADMINS from "Name <a@example.com>, b@example.com"."""
    return [(real or addr, addr) for real, addr in getaddresses([os.environ.get(name, "")]) if addr]


def database_config(url, *, base_dir, prepared_statements=True):
    """DATABASES["default"] from DATABASE_URL; an empty URL means the embedded SQLite file.

    On PostgreSQL, `prepared_statements` lets psycopg prepare a statement run twice on a connection; only
    the reader pages' compiled queries bind their parameters on the server and so can be prepared
    (newsroom.compiled_queries); Django's own cursors bind in Python and never are."""
    import dj_database_url

    # SQLite: WAL (readers never wait for a writer), writers serialised from the start of their
    # transaction, and up to 20 s of queueing (the default is 5) before "database is locked" (a 503).
    sqlite_options = {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": base_dir / "db.sqlite3", "OPTIONS": sqlite_options}
    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured("DATABASE_URL must start with postgres://, postgresql:// or sqlite://.")
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**sqlite_options, **config.get("OPTIONS", {})}
    elif prepared_statements:
        config["OPTIONS"] = {"prepare_threshold": 2, **config.get("OPTIONS", {})}
    return config


def page_cache_config(url, *, max_entries):
    """CACHES["pages"]: whole reader pages, in Redis beside the cache (own key prefix) or in this process."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-pages",
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    return {**cache_config(url), "KEY_PREFIX": "newsroom-pages"}


def cache_config(url):
    """CACHES["default"]: Redis when REDIS_URL is set (resilient to outages), else this process's memory."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "newsroom"}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://.")
    return {
        # Redis unreachable: pages are served uncached, and the outage is logged once (newsroom/cache.py).
        "BACKEND": "newsroom.cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "newsroom",
        # A dead or unreachable server must cost a request milliseconds, not the operating system's timeout.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }


def env_choice(name, choices, *, default):
    """One of `choices`, case-insensitive; anything else stops start-up naming the variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {raw!r}.")
    return value


def site_url_setting(name):
    """The site's public origin from `name` ("https://news.example.com", no path), or "" when unset."""
    from urllib.parse import urlsplit

    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path.strip("/") or parts.query:
        raise ImproperlyConfigured(f"{name} must be an origin like https://news.example.com; got {raw!r}.")
    return f"{parts.scheme}://{parts.netloc}"


TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def tasks_config(backend):
    """TASKS["default"] for NEWSROOM_TASKS_BACKEND (see settings.py)."""
    return {"BACKEND": TASK_BACKENDS[backend], "QUEUES": ["default"]}


S3_BACKEND = "storages.backends.s3.S3Storage"


def storages_config(backend, *, debug, environ=None):
    """STORAGES for NEWSROOM_STORAGE: "filesystem" (one server, or a shared mount) or "s3" (any
    S3-compatible object store through django-storages, shared by every app server).

    Three stores: "default" (public: renditions, logos), "originals" (private: uploaded library
    originals, with their metadata, never given a public URL) and "staticfiles". Everything the
    code writes goes through these names, never a filesystem path, so changing them is all a move
    to object storage takes. S3 credentials are read by boto3 itself from AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY (or the instance's role), never from settings.
    """
    environ = os.environ if environ is None else environ
    staticfiles = {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if debug
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    }
    if backend == "filesystem":
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "originals": {"BACKEND": "articles.storage.PrivateFileSystemStorage"},
            "staticfiles": staticfiles,
        }
    bucket = environ.get("NEWSROOM_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("NEWSROOM_STORAGE=s3 needs NEWSROOM_S3_BUCKET (the bucket for public media).")
    common = {
        key: value
        for key, value in {
            "endpoint_url": environ.get("NEWSROOM_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": environ.get("NEWSROOM_S3_REGION", "").strip() or None,
        }.items()
        if value
    }
    public = {
        **common,
        "bucket_name": bucket,
        "location": "media",
        "querystring_auth": False,  # public, cacheable URLs for renditions
        "file_overwrite": True,  # a rendition is rewritten at its own name by a retried job
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    if custom_domain := environ.get("NEWSROOM_S3_CUSTOM_DOMAIN", "").strip():
        public["custom_domain"] = custom_domain
    private = {
        **common,
        "bucket_name": environ.get("NEWSROOM_S3_ORIGINALS_BUCKET", "").strip() or bucket,
        "location": "private",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": public},
        "originals": {"BACKEND": S3_BACKEND, "OPTIONS": private},
        "staticfiles": staticfiles,
    }
