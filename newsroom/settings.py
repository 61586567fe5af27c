"""Newsroom settings: one file, every deployment-specific value read from the environment.

README.md ("Configuration") lists every variable.
"""

from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from newsroom.env import (
    cache_config,
    database_config,
    env_admins,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_str,
    page_cache_config,
    site_url_setting,
    storages_config,
    tasks_config,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(or set DJANGO_DEBUG=1 for local development only)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin with two-factor login (newsroom/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "articles.taggit_app.TagsConfig",  # django-taggit, shown as "Tags"
    "django_prose_editor",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "health_check",
    "dbbackup",
    "articles",
    "comments",
    "wordpress",
]

MIDDLEWARE = [
    # Old WordPress addresses: before the page cache, and consulted only for a 404 or a WordPress query string.
    "wordpress.middleware.LegacyRedirectMiddleware",
    "articles.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The database unreachable: a 503 page with Retry-After instead of a 500 (newsroom/outage.py).
    "newsroom.outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After CSPMiddleware: adds the hashes of inline data scripts (JSON-LD) and Permissions-Policy.
    "newsroom.security.SecurityHeadersMiddleware",
    # Last, as django-axes asks: answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user or address before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"

# django-ninja's templates and static files (the Content API's Swagger UI) are found through its folder, not
# INSTALLED_APPS: an installed app is imported when a worker starts, and ninja with pydantic would cost every
# worker about 14 MB although only a request under /api/v1/ needs them (see newsroom/urls.py).
NINJA_DIR = Path(find_spec("ninja").submodule_search_locations[0])

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.publication",
                "articles.context_processors.breaking_news",
            ],
            # {% url %} through newsroom.reverse, whose answers are kept per process.
            "builtins": ["newsroom.reverse"],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# PostgreSQL: the reader pages' compiled queries (newsroom.compiled_queries) run as prepared statements,
# planned once per connection. NEWSROOM_PREPARED_STATEMENTS=0 behind a pooler that cannot keep them
# (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).
DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL"),
        base_dir=BASE_DIR,
        prepared_statements=env_bool("NEWSROOM_PREPARED_STATEMENTS", default=True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": cache_config(env_str("REDIS_URL")),
    "pages": page_cache_config(env_str("REDIS_URL"), max_entries=env_int("NEWSROOM_PAGE_CACHE_ENTRIES", 500)),
}

# The anonymous page cache (articles/page_cache.py): on unless DEBUG; NEWSROOM_PAGE_CACHE=0 turns it off.
# Pages are kept PAGE_CACHE_SECONDS (and CDNs may keep them as long: s-maxage), removed at once when
# their content changes; browsers keep them PAGE_BROWSER_SECONDS and may show a stale one while they
# revalidate for PAGE_STALE_SECONDS.
PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", default=not DEBUG)
PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 10 * 60)
PAGE_BROWSER_SECONDS = env_int("NEWSROOM_PAGE_BROWSER_SECONDS", 60)
PAGE_STALE_SECONDS = env_int("NEWSROOM_PAGE_STALE_SECONDS", 60)
# A CDN in front: its purge endpoint (Cloudflare's API shape, see articles/cdn.py) and bearer token.
CDN_PURGE_URL = env_str("NEWSROOM_CDN_PURGE_URL")
CDN_PURGE_TOKEN = env_str("NEWSROOM_CDN_PURGE_TOKEN")
# With the local-memory cache, processes tell each other of changes through this file's time stamp.
PAGE_CACHE_EPOCH_FILE = env_str("NEWSROOM_PAGE_CACHE_EPOCH_FILE", str(BASE_DIR / ".page-cache-epoch"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sign in through the admin; a ?next= pointing at another site lands on the admin's index.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Times are stored in UTC and shown in TIME_ZONE.
USE_TZ = True
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
LANGUAGE_CODE = env_str("DJANGO_LANGUAGE_CODE", "en-us")
LANGUAGES = [("en", _("English"))]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static", NINJA_DIR / "static"]
# Backups (django-dbbackup): `make backup` writes the database and the media here; `make restore` reads them.
BACKUP_DIR = Path(env_str("NEWSROOM_BACKUP_DIR", str(BASE_DIR / "backups")))
# Uploads: public media (renditions, logos) in "default", library originals in the private "originals"
# store. NEWSROOM_STORAGE=s3 puts both in S3-compatible object storage (django-storages; see README).
STORAGE_BACKEND = env_choice("NEWSROOM_STORAGE", ["filesystem", "s3"], default="filesystem")
STORAGES = storages_config(STORAGE_BACKEND, debug=DEBUG)
# `make backup`/`make restore` run mediabackup a second time on the library's private originals store.
if env_bool("NEWSROOM_BACKUP_ORIGINALS", default=False):
    STORAGES["default"] = STORAGES["originals"]
STORAGES["dbbackup"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(BACKUP_DIR)},
}
MEDIA_URL = env_str("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# The media library's originals (with their EXIF and GPS) on disk: outside MEDIA_ROOT, never served.
ORIGINALS_ROOT = Path(env_str("NEWSROOM_ORIGINALS_ROOT", str(BASE_DIR / "private")))
# Let Django itself serve uploaded media (make run, small sites); large sites serve MEDIA_ROOT from the web server.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=DEBUG)
# Uploads above this size are refused by the forms with a clear message.
MAX_UPLOAD_BYTES = env_int("DJANGO_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = env_str("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = env_admins("DJANGO_ADMINS")

# Behind TLS in production: DJANGO_SECURE=1 turns on HSTS, secure cookies and the HTTPS redirect.
SECURE = env_bool("DJANGO_SECURE", default=False)
if SECURE:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A staff session ends after this many minutes without a request (every request renews it).
# Readers have no session: their pages set no cookie.
SESSION_COOKIE_AGE = env_int("NEWSROOM_SESSION_IDLE_MINUTES", 8 * 60) * 60
SESSION_SAVE_EVERY_REQUEST = True

# Content-Security-Policy (django-csp): nothing inline but data scripts allowed by hash
# (newsroom/security.py); no plugins; no framing; forms post only here.
_MEDIA_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL)) if urlsplit(MEDIA_URL).netloc else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # blob: is the desk's preview of a picture chosen but not yet uploaded (made by our own script).
        "img-src": [SELF, "data:", "blob:", *filter(None, [_MEDIA_ORIGIN])],
        # The embed players a reader starts with a click (articles/embeds.py builds their addresses).
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://platform.twitter.com",
            "https://www.instagram.com",
            "https://www.tiktok.com",
            "https://www.facebook.com",
            "https://w.soundcloud.com",
            "https://open.spotify.com",
            "https://datawrapper.dwcdn.net",
            "https://flo.uri.sh",
            "https://www.google.com",
            "https://maps.google.com",
            "https://embed.documentcloud.org",
        ],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"upgrade-insecure-requests": True} if SECURE else {}),
    }
}

# Admin login (django-axes): after LOGIN_FAILURE_LIMIT failures for one user name or from one address,
# that name or address is locked out for LOGIN_COOLOFF_MINUTES. Attempts and logins are listed in the
# admin for superusers.
AXES_VERBOSE = False  # no log line per sign-in; failures and lockouts stay visible in the admin
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NEWSROOM_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "comments.views.client_ip"  # behind a proxy: the same trusted-proxy rule as comments
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# Two-factor login (django-otp, TOTP): staff with an authenticator app always give its code; members of
# these groups ("*": all staff) cannot sign in without one.
TWO_FACTOR_GROUPS = env_list("NEWSROOM_TWO_FACTOR_GROUPS")
OTP_TOTP_ISSUER = env_str("NEWSROOM_OTP_ISSUER", "Newsroom")

TAGGIT_CASE_INSENSITIVE = True
# Tags are typed comma-separated, as in WordPress: "North Korea" is one tag, shown without quotes.
TAGGIT_TAGS_FROM_STRING = "articles.tags.parse_tags"
TAGGIT_STRING_FROM_TAGS = "articles.tags.edit_string"

# Reader lists show this many articles a page (read at request time).
ARTICLES_PER_PAGE = env_int("NEWSROOM_ARTICLES_PER_PAGE", 12)

# Feeds: how many articles each carries, and the full text (1) or only the standfirst (0).
FEED_ITEMS = env_int("NEWSROOM_FEED_ITEMS", 20)
FEED_FULL_TEXT = env_bool("NEWSROOM_FEED_FULL_TEXT", default=True)

# PostgreSQL text-search configuration (stemming, stop words) for article search, e.g. english, simple, german.
SEARCH_CONFIG = env_str("NEWSROOM_SEARCH_CONFIG", "english")

# Image renditions: the widths made of each image at its own proportions (never wider than the
# original), and the largest original image, in pixels, that is opened at all (decompression-bomb guard).
# The fixed-ratio crops (cards, squares, the social image, Google's 16x9/4x3/1x1) are in articles/images.py.
IMAGE_RENDITION_WIDTHS = [320, 640, 960, 1280, 1600]
IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 50_000_000)
# Embeds: a background job asks the provider's oEmbed endpoint for a title and a thumbnail (copied to our
# own storage, so readers' browsers never fetch it from the provider). Off: placeholders show the provider only.
EMBED_OEMBED = env_bool("NEWSROOM_EMBED_OEMBED", default=True)
EMBED_OEMBED_TIMEOUT = env_int("NEWSROOM_EMBED_OEMBED_TIMEOUT", 5)
# Comments. Behind a reverse proxy REMOTE_ADDR is the proxy's: name the header carrying the reader's
# address (e.g. HTTP_X_FORWARDED_FOR, read from the right past our own proxies) so flood control tells
# readers apart...
COMMENTS_CLIENT_IP_HEADER = env_str("NEWSROOM_CLIENT_IP_HEADER", "")
# ...believed only from these proxies (addresses or networks); anyone else's header is ignored.
TRUSTED_PROXIES = env_networks("NEWSROOM_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
# Comments accepted from the whole site in any minute (all readers together; 0 turns the limit off).
COMMENTS_PER_MINUTE = env_int("NEWSROOM_COMMENTS_PER_MINUTE", 30)
# A comment form posted sooner than this after it was handed out is a robot's (tests lower it).
COMMENTS_MIN_FORM_AGE = env_int("NEWSROOM_COMMENTS_MIN_FORM_AGE", 3)
# A signed form token older than this is refused (the reader gets a fresh form, text kept).
COMMENTS_MAX_FORM_AGE = env_int("NEWSROOM_COMMENTS_MAX_FORM_AGE", 60 * 60 * 24)
# How long a browser is shown its own comments that await moderation.
COMMENTS_PENDING_COOKIE_AGE = env_int("NEWSROOM_COMMENTS_PENDING_COOKIE_AGE", 60 * 60)

# The public address of the site, e.g. https://news.example.com: every absolute URL (canonical links,
# feeds, sitemaps, JSON-LD, Open Graph, mails) starts with it. Unset, pages use the host each request
# came to, and mails the host of the request that caused them. `make run` sets it to the address it serves.
SITE_URL = site_url_setting("NEWSROOM_SITE_URL")

# Background jobs (mail, renditions, search indexing, scheduled publication events) run through the
# Tasks API (django-tasks, the backport of Django 6's django.tasks). "database" (the default) keeps the
# queue in the site's own database, worked by `manage.py db_worker`; "rq" keeps it in Redis (REDIS_URL),
# worked by `manage.py rqworker --job-class django_tasks_rq.Job` on any number of machines;
# "immediate" runs each job at once inside the request (development only).
TASKS_BACKEND = env_choice("NEWSROOM_TASKS_BACKEND", ["database", "rq", "immediate"], default="database")
TASKS = {"default": tasks_config(TASKS_BACKEND)}
if TASKS_BACKEND == "rq":
    if not env_str("REDIS_URL"):
        raise ImproperlyConfigured("NEWSROOM_TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL"), "DEFAULT_TIMEOUT": 300}}
# A job that fails is tried again after 1, 2, 4... minutes, this many times in all, then logged as given up.
TASK_MAX_ATTEMPTS = env_int("NEWSROOM_TASK_MAX_ATTEMPTS", 6)
TASK_RETRY_SECONDS = env_int("NEWSROOM_TASK_RETRY_SECONDS", 60)

# The Content API (/api/v1/, articles.api). Requests a minute allowed to each client without a key (by IP
# address; 0 turns anonymous access off, so every request needs a key) and to each key (unless the key sets
# its own); how long a CDN may keep a public response (browsers keep it a minute at most); the origins
# whose pages may read the API from JavaScript ("*" for any, empty for none).
API_ANON_PER_MINUTE = env_int("NEWSROOM_API_ANON_PER_MINUTE", 60)
API_KEY_PER_MINUTE = env_int("NEWSROOM_API_KEY_PER_MINUTE", 600)
API_CACHE_SECONDS = env_int("NEWSROOM_API_CACHE_SECONDS", 300)
API_CORS_ORIGINS = env_list("NEWSROOM_API_CORS_ORIGINS", default=["*"])

# Webhooks (articles.webhooks): seconds to wait for a receiver; the first retry's delay (doubling after
# each failure) and the hours after which a delivery is given up and its subscription disabled; networks
# that targets may be on although they are private or loopback (server-side request forgery guard),
# e.g. "10.1.2.0/24" for a receiver inside your own network.
WEBHOOK_TIMEOUT = env_int("NEWSROOM_WEBHOOK_TIMEOUT", 10)
WEBHOOK_RETRY_SECONDS = env_int("NEWSROOM_WEBHOOK_RETRY_SECONDS", 60)
WEBHOOK_GIVE_UP_HOURS = env_int("NEWSROOM_WEBHOOK_GIVE_UP_HOURS", 24)
WEBHOOK_ALLOWED_NETWORKS = env_networks("NEWSROOM_WEBHOOK_ALLOWED_NETWORKS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Database outages are logged by newsroom.outage, once a minute, instead of a traceback per request.
    "filters": {"skip_outages": {"()": "newsroom.outage.SkipOutageRecords"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["skip_outages"]}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # A failing /readyz probe answers 503 to the load balancer; it need not also log a traceback each time.
        "health_check": {"level": "ERROR"},
        # django-axes notes every successful sign-in ("Deleted 0 failed login attempts"); attempts and lockouts
        # are kept in the admin, and its warnings still show.
        "axes": {"level": "WARNING"},
    },
}

DBBACKUP_CLEANUP_KEEP = env_int("NEWSROOM_BACKUP_KEEP", 10)
DBBACKUP_SEND_EMAIL = False  # a failed backup fails `make backup` (and its cron job) instead

# Article.save() sanitises the body with articles.richtext (the one allowlist), so the
# editor field's own sanitiser would only repeat it.
SILENCED_SYSTEM_CHECKS = ["django_prose_editor.W004"]
if SECURE and not SECURE_HSTS_PRELOAD:
    # Joining the browsers' HSTS preload list is a lasting commitment: DJANGO_HSTS_PRELOAD=1 when wanted.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# The body editor's own extensions (library images, galleries, embeds, pull quotes): one ES module in
# static/ that django-prose-editor imports. What they produce is allowed by articles.richtext.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("admin/js/prose_media.js")],
        # Processors for django-prose-editor's own sanitiser, which is off: articles.richtext decides.
        "extensions": {
            name: html_tags(["figure", "figcaption"])
            for name in ["NewsroomImage", "NewsroomGallery", "NewsroomEmbed", "NewsroomPullQuote"]
        },
    }
]
DJANGO_PROSE_EDITOR_MENU_GROUPS = [
    {"group": "blockType -lists", "type": "dropdown", "minItems": 2},
    {"group": "lists"},
    {"group": "nodes -blockType -lists"},
    {"group": "media"},
    {"group": "marks"},
    {"group": "link"},
    {"group": "table"},
    {"group": "history"},
    {"group": "utility"},
]
