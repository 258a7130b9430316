"""Settings for newsroom, read from the environment in this one place.

Development defaults are safe and need no services: a SQLite file, tasks run
in-process, a local-memory cache, the offline extractive summariser. Production
sets DEBUG=0 and must then provide SECRET_KEY (and usually DATABASE_URL and
REDIS_URL); a missing secret stops the process at start rather than running with
a guessable key.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is convenient on a laptop; production sets real environment variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: refusing to start with a default key."
        )
    # Development only: never used when DEBUG is off (see above).
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The name the site signs with: page titles, the admin, e-mails.
SITE_NAME = "newsroom"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver leaves /static/ to WhiteNoise, which answers Range requests: players seek
    # in the demo's audio (demo/media/) as they would behind gunicorn.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "django_filters",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # The apps, lowest first: each may import those above it, never those below
    # (docs/architecture.md; tests/test_architecture.py checks it).
    "topics",
    "articles",
    "digests",
    "ingestion",
    "search",
    "archives",
    "desk",
    "favorites",
]

# Digests keep names as said ("AI", "Halden Bank"); a feed's "ai" is the same tag.
TAGGIT_CASE_INSENSITIVE = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.SecurityHeadersMiddleware",
    # After sessions, locale, CSRF and auth: it needs the reader, the language and the
    # CSRF secret (docs/performance.md).
    "newsroom.pagecache.PageCacheMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' own rule).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "newsroom.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: a new PostgreSQL connection per request costs more than the page.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite: wait for a writer instead of failing with "database is locked" at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Redis, cache and Celery ----------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: with Redis down, pages are served from the database.
            "BACKEND": "newsroom.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="newsroom"),
            "TIMEOUT": 300,
        }
    }
    # Sessions read from Redis and written through to the database: a signed-in page
    # costs no session query, and sessions survive a Redis restart (docs/performance.md).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Reader pages cached for anonymous readers, personalised for signed-in ones
# (newsroom/pagecache.py). Off by default with DEBUG off and no Redis: a local-memory
# cache is per process, and gunicorn's workers would not see each other's invalidations.
PAGE_CACHE = env.bool("PAGE_CACHE", default=bool(REDIS_URL) or DEBUG)
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=600)
# bench/run.py only: a hello-world view at /bench/hello, the ceiling pages are measured against.
BENCH_HELLO = env.bool("BENCH_HELLO", default=False)

# The broker is Redis unless CELERY_BROKER_URL names another (RabbitMQ: amqp://...);
# Redis stays the cache either way, and no task result is stored anywhere.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# No broker configured: run tasks in-process so a laptop needs no services.
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=15 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=20 * 60)
# Redis redelivers an unacknowledged task after visibility_timeout. It must exceed the
# longest task time limit (20 min) and the longest retry countdown (1 h, see tasks.py),
# or a slow task would run twice: 2 h leaves room for both.
# Tests that kill workers shorten it (CELERY_VISIBILITY_TIMEOUT) to see redelivery at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Each stage on its own queue, so that a long speech-to-text backlog or a slow LLM never
# delays polling: run workers per queue (`celery worker -Q transcripts`) as the load
# needs. Every queue is declared, so a worker started without -Q takes them all, as on
# a laptop.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [
    Queue(name, routing_key=name) for name in ("default", "polling", "transcripts", "digests")
]
CELERY_TASK_ROUTES = {
    "ingestion.tasks.poll_due_sources": {"queue": "polling"},
    "ingestion.tasks.poll_source": {"queue": "polling"},
    "ingestion.tasks.retry_waiting_transcripts": {"queue": "polling"},
    "ingestion.tasks.fetch_transcript": {"queue": "transcripts"},
    "digests.tasks.make_digests": {"queue": "digests"},
}

# --- Auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "today"
# How many proxies the operator runs in front of the site: the client's address is then
# read that many hops back in X-Forwarded-For (newsroom/client_address.py). 0 ignores
# the header, which any client can write. The API throttle, sign-in lock-outs, the
# account e-mail limits and the logs all use that address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "newsroom.client_address.limit_address"
# Failures per (account, address) lock that pair; failures per address across accounts
# (password spraying) lock the address (favorites/accounts/lockout.py).
AXES_HANDLER = "favorites.accounts.lockout.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
# A cool-off, not a permanent lock: a reader who forgot a password can try again later.
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# axes masks the address in its log lines by default; an operator needs it to act on a
# guesser (the client's real address, above). A user name stays masked: people type
# their password into it.
AXES_SENSITIVE_PARAMETERS = ["username"]
# Sign-up and password-reset e-mails per hour, per client address and per recipient
# (favorites/accounts/limits.py): nobody can flood an inbox or probe addresses in bulk.
ACCOUNT_MAILS_PER_CLIENT_HOUR = env.int("ACCOUNT_MAILS_PER_CLIENT_HOUR", default=10)
ACCOUNT_MAILS_PER_RECIPIENT_HOUR = env.int("ACCOUNT_MAILS_PER_RECIPIENT_HOUR", default=3)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom <noreply@localhost>")

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The demo's artwork and audio (demo/media/) are served as /static/demo/..., so that
# `make run` shows working pictures and players with no network (manage.py load_demo).
STATICFILES_DIRS = [BASE_DIR / "static", ("demo", BASE_DIR / "demo" / "media")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
# WhiteNoise's own type map lacks Opus (the demo's audio): without this it would serve
# it as application/octet-stream.
WHITENOISE_MIMETYPES = {".opus": "audio/ogg"}

# --- Security (production) --------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Counted by the client's real address, not by a header the client writes.
    "DEFAULT_THROTTLE_CLASSES": ["newsroom.throttling.ClientAddressAnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="120/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "newsroom API",
    "DESCRIPTION": "Read-only access to published digests, topics and sources; "
    "signed-in readers manage their favorites.",
    "VERSION": "1.0.0",
    # The documentation page's Swagger UI from our own static files, not a CDN: it
    # works offline and on a laptop, and no third party sees who reads the docs.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Ingestion ------------------------------------------------------------
FETCH_ALLOW_HOSTS = env.list("FETCH_ALLOW_HOSTS", default=[])
FETCH_MAX_FEED_BYTES = env.int("FETCH_MAX_FEED_BYTES", default=15 * 1024 * 1024)
FETCH_MAX_TRANSCRIPT_BYTES = env.int("FETCH_MAX_TRANSCRIPT_BYTES", default=15 * 1024 * 1024)
FETCH_CONNECT_TIMEOUT = env.float("FETCH_CONNECT_TIMEOUT", default=5.0)
FETCH_READ_TIMEOUT = env.float("FETCH_READ_TIMEOUT", default=15.0)
FETCH_TOTAL_TIMEOUT = env.float("FETCH_TOTAL_TIMEOUT", default=60.0)
FETCH_USER_AGENT = env.str(
    "FETCH_USER_AGENT", default="newsroom/0.1 (+https://github.com/newsroom; feed reader)"
)
# What one file may ask of the parsers within the byte caps above: structure, which
# costs Python objects and time per piece (ingestion/limits.py says why).
FEED_MAX_DEPTH = env.int("FEED_MAX_DEPTH", default=100)
FEED_MAX_ELEMENTS = env.int("FEED_MAX_ELEMENTS", default=200_000)
TRANSCRIPT_MAX_CUES = env.int("TRANSCRIPT_MAX_CUES", default=100_000)
TRANSCRIPT_MAX_LINES = env.int("TRANSCRIPT_MAX_LINES", default=300_000)
OPML_MAX_BYTES = env.int("OPML_MAX_BYTES", default=1024 * 1024)
OPML_MAX_OUTLINES = env.int("OPML_MAX_OUTLINES", default=2_000)

# New episodes stored per poll, newest first: a feed's old back catalogue is skipped.
INGEST_MAX_NEW_PER_POLL = env.int("INGEST_MAX_NEW_PER_POLL", default=50)

# --- Transcripts ----------------------------------------------------------
YOUTUBE_CAPTIONS = env.bool("YOUTUBE_CAPTIONS", default=False)
STT_BASE_URL = env.str("STT_BASE_URL", default="")
STT_API_KEY = env.str("STT_API_KEY", default="")
STT_MODEL = env.str("STT_MODEL", default="whisper-1")
STT_TIMEOUT = env.float("STT_TIMEOUT", default=600.0)
STT_MAX_AUDIO_MB = env.int("STT_MAX_AUDIO_MB", default=300)
STT_MAX_UPLOAD_MB = env.float("STT_MAX_UPLOAD_MB", default=24)
STT_DAILY_MINUTES = env.int("STT_DAILY_MINUTES", default=0)  # 0: no limit

# --- Digests --------------------------------------------------------------
DIGEST_LANGUAGES = env.list("DIGEST_LANGUAGES", default=["en", "fr"])
LLM_BASE_URL = env.str("LLM_BASE_URL", default="")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_MODEL = env.str("LLM_MODEL", default="")
LLM_TIMEOUT = env.float("LLM_TIMEOUT", default=120.0)
LLM_MAX_INPUT_TOKENS = env.int("LLM_MAX_INPUT_TOKENS", default=12000)
LLM_DAILY_TOKEN_BUDGET = env.int("LLM_DAILY_TOKEN_BUDGET", default=0)  # 0: no limit
# The LLM backend is chosen when it is configured, the offline one otherwise.
SUMMARIZER_BACKEND = env.str(
    "SUMMARIZER_BACKEND", default="llm" if (LLM_BASE_URL and LLM_MODEL) else "extractive"
)
AUTO_PUBLISH_MIN_SCORE = env.float("AUTO_PUBLISH_MIN_SCORE", default=5.5)
AUTO_PUBLISH_MIN_GROUNDING = env.float("AUTO_PUBLISH_MIN_GROUNDING", default=0.8)

# --- Search -------------------------------------------------------------------
# Relevance ranks the newest this many matches of a query (search/backends.py):
# the cost of a search stays bounded however common its words are.
SEARCH_WINDOW = env.int("SEARCH_WINDOW", default=300)

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # axes announces its configuration at every start; only its warnings matter.
        "axes": {"level": "WARNING"},
    },
}

# Where the captions client talks to YouTube; tests point it at a server on 127.0.0.1.
YOUTUBE_BASE_URL = env.str("YOUTUBE_BASE_URL", default="https://www.youtube.com").rstrip("/")

# Django 6 makes https the default scheme for URL form fields; opt in now.
FORMS_URLFIELD_ASSUME_HTTPS = True
