"""Corfu Tracker settings.

Everything that differs between a laptop and production comes from the
environment (or a `.env` file beside manage.py). With nothing set, the tracker
runs on SQLite under `var/`, runs Celery tasks eagerly and prints emails.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_value(cast, name, default):
    """Read one variable; a value that does not parse fails loudly, naming it."""
    try:
        return cast(name, default=default)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{name} has an invalid value: {exc}") from exc


# Issue 10 item 9: production mode is explicit and fails closed.
# DJANGO_ENV=production (or DEBUG=false) is production mode: DEBUG is off, SECRET_KEY must be set
# and strong, and the secure settings below default on; turning one off stops start-up, naming it,
# unless it is listed in ALLOW_INSECURE_SETTINGS (and then `check --deploy` still flags it).
# Nothing set (the embedded default) is development: DEBUG on, a dev key, plain HTTP.
DJANGO_ENV = env_value(env.str, "DJANGO_ENV", "development")
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"DJANGO_ENV must be development or production, not {DJANGO_ENV!r}.")
DEBUG = env_value(env.bool, "DEBUG", DJANGO_ENV != "production")
if DEBUG and DJANGO_ENV == "production":
    raise ImproperlyConfigured("DEBUG must be off with DJANGO_ENV=production.")
PRODUCTION = not DEBUG
ALLOW_INSECURE_SETTINGS = set(env_value(env.list, "ALLOW_INSECURE_SETTINGS", []))
DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"


def production_requires(name: str, secure: bool, what: str) -> None:
    """In production mode, stop start-up on an insecure value, naming the setting (unless allowed)."""
    if PRODUCTION and not secure and name not in ALLOW_INSECURE_SETTINGS:
        raise ImproperlyConfigured(
            f"{name} {what} in production mode (DEBUG off). Fix it, or if you really mean it, "
            f"list {name} in ALLOW_INSECURE_SETTINGS (manage.py check --deploy will still warn)."
        )


def secret_key_is_weak(key: str) -> bool:
    """Django's own rule (security.W009): under 50 characters, under 5 distinct ones, or a generated dev key."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure") or key == DEV_SECRET_KEY


SECRET_KEY = env_value(env.str, "SECRET_KEY", "")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set in production mode (DEBUG off).")
    if secret_key_is_weak(SECRET_KEY):
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak for production mode: use at least 50 random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
elif not SECRET_KEY:
    SECRET_KEY = DEV_SECRET_KEY

ALLOWED_HOSTS = env_value(env.list, "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_value(env.list, "CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_value(env.str, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where people subscribe to the digests (the public site's form); subscriber pages link to it.
SUBSCRIBE_PAGE_URL = "/subscribe/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "states",
    "commitments",
    "scorecards",
    # The public site. Not named `public`: that is the import name of atpublic, which aiosmtpd needs.
    "public_site",
    "early_warning",
    "recommendations",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (the site's, the admin's, the offline API docs') served by the app itself.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Picks the language from the request; LANGUAGES below lists the ones offered (English until translated).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "corfu_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "corfu_tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "public_site.context_processors.site",
            ],
            # The admin index lists each user's pending work (corfu_tracker/templates/admin/index.html).
            "libraries": {"pending_work": "corfu_tracker.pending_work"},
        },
    },
]

WSGI_APPLICATION = "corfu_tracker.wsgi.application"

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {"default": env_value(env.db_url, "DATABASE_URL", f"sqlite:///{VAR_DIR / 'corfu_tracker.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env_value(env.int, "CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "corfu_tracker.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Issue 10 item 7: failed logins (admin and API token) before a lockout, and how long it lasts.
# Per (account, client address): one address cannot lock out everybody behind it. Per account across
# all addresses: a higher cap, bounding guesses spread over many addresses.
LOGIN_FAILURE_LIMIT = env_value(env.int, "LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = env_value(env.int, "LOGIN_FAILURE_LIMIT_PER_ACCOUNT", 50)
LOGIN_LOCKOUT_SECONDS = env_value(env.int, "LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Issue 10 item 7: reverse proxies in front of the web processes that append to X-Forwarded-For.
# 0 = the header is ignored (anybody can send it); throttles and lockouts use REMOTE_ADDR.
NUM_PROXIES = env_value(env.int, "NUM_PROXIES", 0)

LANGUAGE_CODE = "en-gb"
# Every public string is marked for translation; a later issue adds languages here and in locale/.
LANGUAGES = [("en-gb", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_value(env.path, "STATIC_ROOT", VAR_DIR / "static")
# Production serves collected files with hashed names (run `collectstatic`); development and
# tests read them straight from the apps.
STATIC_MANIFEST = env_value(env.bool, "STATIC_MANIFEST", not DEBUG)
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Celery: no broker configured means tasks run eagerly, in-process.
CELERY_BROKER_URL = env_value(env.str, "CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_SOFT_TIME_LIMIT = env_value(env.int, "CELERY_TASK_SOFT_TIME_LIMIT", 15 * 60)
CELERY_TASK_TIME_LIMIT = env_value(env.int, "CELERY_TASK_TIME_LIMIT", 20 * 60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An unacknowledged task (worker died mid-run; tasks are acks_late) is handed to
# another worker after this many seconds. Keep above the longest task run time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_value(env.int, "CELERY_VISIBILITY_TIMEOUT", 3600),
    # Redis: how often idle workers sweep for such abandoned tasks (seconds x every Nth sweep).
    "unacked_restore_interval": env_value(env.int, "CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_value(env.int, "CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Email: EMAIL_URL (smtp://user:pass@host:port, consolemail://) or EMAIL_BACKEND.
EMAIL_URL = env_value(env.str, "EMAIL_URL", "")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = env_value(env.str, "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = env_value(env.str, "EMAIL_HOST", "localhost")
    EMAIL_PORT = env_value(env.int, "EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_value(env.str, "EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_value(env.str, "EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_value(env.bool, "EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_value(env.int, "EMAIL_TIMEOUT", 30)
# Weekly reminder of overdue recommendations, for institutions without their own reminder address.
FOLLOW_UP_REMINDER_TO = env_value(env.str, "FOLLOW_UP_REMINDER_TO", "")
DEFAULT_FROM_EMAIL = env_value(env.str, "DEFAULT_FROM_EMAIL", "Corfu Tracker <scorecards@localhost>")

# Digests: how long a confirmation link stays valid; after how long (seconds) a delivery still
# "sending" counts as abandoned by its worker and is resent with the same Message-ID; and how many
# attempts a delivery gets before it is raised to staff instead (see docs/operations.md).
SUBSCRIPTION_CONFIRM_MAX_AGE = env_value(env.int, "SUBSCRIPTION_CONFIRM_MAX_AGE", 7 * 24 * 3600)
# Issue 10 item 7: confirmation emails per recipient address within the window (whatever the client address).
SUBSCRIPTION_CONFIRMATIONS_PER_ADDRESS = env_value(env.int, "SUBSCRIPTION_CONFIRMATIONS_PER_ADDRESS", 3)
SUBSCRIPTION_CONFIRMATIONS_WINDOW = env_value(env.int, "SUBSCRIPTION_CONFIRMATIONS_WINDOW", 24 * 3600)
DIGEST_SENDING_LEASE = env_value(env.int, "DIGEST_SENDING_LEASE", 15 * 60)
DIGEST_SEND_MAX_ATTEMPTS = env_value(env.int, "DIGEST_SEND_MAX_ATTEMPTS", 3)

# Scoring methods a recompute writes (docs/methodology.md); the API serves `?method=` of these, 2 by default.
SCORING_METHODS = env_value(env.list, "SCORING_METHODS", ["1", "2"])
try:
    SCORING_METHODS = sorted({int(version) for version in SCORING_METHODS})
except ValueError as exc:
    raise ImproperlyConfigured(f"SCORING_METHODS has an invalid value: {exc}") from exc
if not SCORING_METHODS or not set(SCORING_METHODS) <= {1, 2}:
    raise ImproperlyConfigured("SCORING_METHODS must list one or both of the methods 1 and 2, e.g. 1,2.")

# Early-warning alerts are staff-only unless this is true: then open and closed alerts are readable by
# anyone through the API, without internal notes (docs/early-warning.md).
EARLY_WARNING_PUBLIC = env_value(env.bool, "EARLY_WARNING_PUBLIC", False)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "corfu_tracker.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "corfu_tracker.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "corfu_tracker.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "corfu_tracker.api.exceptions.api_exception_handler",
    # Issue 10 item 5: JSON nested deeper than API_MAX_JSON_DEPTH is a 400 before it is parsed.
    "DEFAULT_PARSER_CLASSES": [
        "corfu_tracker.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Issue 10 item 7: DRF's default (None) trusts X-Forwarded-For; use the project's setting.
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_value(env.str, "THROTTLE_ANON", "600/hour"),
        "user": env_value(env.str, "THROTTLE_USER", "5000/hour"),
        "login": env_value(env.str, "THROTTLE_LOGIN", "10/minute"),
        "subscribe": env_value(env.str, "THROTTLE_SUBSCRIBE", "20/hour"),
        # Export jobs created per client address (anonymous) or user: each one reads every matching row.
        "exports": env_value(env.str, "THROTTLE_EXPORTS", "20/hour"),
    },
}
API_MAX_PAGE_SIZE = 500
# API tokens expire this many days after they were issued (then /api/v1/auth/token/ issues a new one).
API_TOKEN_TTL_DAYS = env_value(env.int, "API_TOKEN_TTL_DAYS", 90)
# Issue 10 item 5: request bodies. Size: Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB; over it, a JSON 413)
# and DATA_UPLOAD_MAX_NUMBER_FIELDS bound every body, JSON ones included (DRF reads them via request.body).
API_MAX_JSON_DEPTH = env_value(env.int, "API_MAX_JSON_DEPTH", 32)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_value(env.int, "DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)

SPECTACULAR_SETTINGS = {
    "TITLE": "Corfu Tracker API",
    "DESCRIPTION": "OSCE commitments, implementation and violation reports, and scorecards.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc come from the project's static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Reports and alerts both have a kind, a severity and a status, with different choices.
    "ENUM_NAME_OVERRIDES": {
        "ReportKindEnum": "commitments.models.ReportKind",
        "RelationKindEnum": "commitments.models.catalogue.RelationKind",
        "ReportSeverityEnum": "commitments.models.ReportSeverity",
        "ReportStatusEnum": "commitments.models.ReportStatus",
        "AlertSeverityEnum": "early_warning.models.AlertSeverity",
        "AlertStatusEnum": "early_warning.models.AlertStatus",
        "EarlyActionKindEnum": "early_warning.models.ActionKind",
        "ReportSourceEnum": "commitments.models.ReportSource",
        "AssessingSourceEnum": "recommendations.models.AssessingSource",
        "RecommendationStatusEnum": "recommendations.models.RecommendationStatus",
        "InstitutionKindEnum": "recommendations.models.InstitutionKind",
        "ExportStatusEnum": "exports.models.ExportStatus",
        "ExportFormatEnum": "exports.models.ExportFormat",
    },
}

SESSION_ENGINE = "corfu_tracker.sessions"

# Issue 10 item 6: bulk imports of reports. Untrusted files are bounded before they are parsed; an
# import of more than IMPORT_ASYNC_ROWS rows runs as a Celery job (admin: Import jobs), its file kept
# under MEDIA_ROOT/imports/ until it has run.
IMPORT_MAX_UPLOAD_BYTES = env_value(env.int, "IMPORT_MAX_UPLOAD_BYTES", 50_000_000)
IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = env_value(env.int, "IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", 200_000_000)
IMPORT_MAX_ROWS = env_value(env.int, "IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_COLUMNS = env_value(env.int, "IMPORT_MAX_COLUMNS", 50)
IMPORT_ASYNC_ROWS = env_value(env.int, "IMPORT_ASYNC_ROWS", 5_000)
MEDIA_ROOT = env_value(env.str, "MEDIA_ROOT", str(VAR_DIR / "media"))
MEDIA_URL = "media/"

# Issue 13: exports. `?format=csv` streams at most EXPORT_SYNC_MAX_ROWS rows (0: no limit); above it the API
# points to an export job, whose file a Celery worker writes under EXPORTS_DIR and the hourly sweep deletes
# EXPORTS_EXPIRE_DAYS days after it was written.
EXPORT_SYNC_MAX_ROWS = env_value(env.int, "EXPORT_SYNC_MAX_ROWS", 100_000)
EXPORTS_DIR = Path(env_value(env.str, "EXPORTS_DIR", str(VAR_DIR / "exports")))
EXPORTS_EXPIRE_DAYS = env_value(env.int, "EXPORTS_EXPIRE_DAYS", 7)
if EXPORT_SYNC_MAX_ROWS < 0 or EXPORTS_EXPIRE_DAYS < 1:
    raise ImproperlyConfigured("EXPORT_SYNC_MAX_ROWS must be 0 or more and EXPORTS_EXPIRE_DAYS at least 1.")

CACHES = {
    "default": env_value(env.cache_url, "CACHE_URL", "locmemcache://corfu-tracker"),
}
# Issue 10 item 7: throttles, login lockouts and confirmation caps are counted in the cache; an in-memory
# (or dummy) cache counts per process, so with several workers they do not hold.
production_requires(
    "CACHE_URL",
    CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] not in ("LocMemCache", "DummyCache"),
    "is an in-memory or dummy cache, which web processes do not share (use Redis: rediscache://host:6379/1)",
)

# Issue 10 item 9: secure settings, on by default in production mode, each overridable by the
# environment. Turning off SSL redirect, secure cookies or HSTS stops start-up (see production_requires);
# HSTS subdomains and preload may be turned off (a shared parent domain) and check --deploy flags that.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_value(env.bool, "SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = env_value(env.bool, "SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_value(env.bool, "CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_HSTS_SECONDS = env_value(env.int, "SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_value(env.bool, "SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_value(env.bool, "SECURE_HSTS_PRELOAD", PRODUCTION)
production_requires("SECURE_SSL_REDIRECT", SECURE_SSL_REDIRECT, "is off")
production_requires("SESSION_COOKIE_SECURE", SESSION_COOKIE_SECURE, "is off")
production_requires("CSRF_COOKIE_SECURE", CSRF_COOKIE_SECURE, "is off")
production_requires("SECURE_HSTS_SECONDS", SECURE_HSTS_SECONDS > 0, "is 0 (no HSTS)")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_value(env.str, "LOG_LEVEL", "INFO")},
}
