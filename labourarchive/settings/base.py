"""Settings shared by every environment.

Secrets and hosts come from the environment. SQLite is the default database;
PostgreSQL is used when DATABASE_URL is set (and is what production runs on).
"""

import hashlib
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "reversion",
    "rest_framework",
    "drf_spectacular",
    "cases.core",
    "cases.organisations",
    "cases.interventions",
    "cases.scholarship",
    "cases.site",
    "cases.citations",
    "cases.search",
    "cases.visual",
    # Before curation: curation reads the kinds of entry every app above has declared by then.
    "cases.teaching",
    "cases.curation",
    "axes",
]

MIDDLEWARE = [
    "cases.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cases.core.middleware.SecurityHeadersMiddleware",
    # Outside everything that may fail, so error pages raised in any middleware carry the policy too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages from the shared cache: before anything that may touch the session or the database.
    "cases.core.cache.PageCacheMiddleware",
    "cases.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: turns a locked-out login (site or admin) into the designed lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "labourarchive.urls"
WSGI_APPLICATION = "labourarchive.wsgi.application"

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
                "csp.context_processors.nonce",
                "cases.site.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # Fail fast when the server is unreachable: readers get the designed 503, not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
    )


def cache_from_url(url):
    """CACHES["default"] from CACHE_URL: redis://host:port/db, file:///abs/dir, locmem://, dummy://."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("file://"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": url.removeprefix("file://"),
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url.removeprefix("locmem://")}
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ValueError(f"Unsupported CACHE_URL scheme: {url.split(':', 1)[0]}")


# One cache shared by every worker and every instance, so all of them agree on what is current.
# Without CACHE_URL: a directory on this machine, shared by the workers of one server and needing no service.
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL") or f"file://{BASE_DIR / 'var' / 'cache'}")}
# Keys are prefixed by the database they describe: servers of one archive share pages, two archives never do.
_db = DATABASES["default"]
CACHES["default"]["KEY_PREFIX"] = (
    os.environ.get("CACHE_KEY_PREFIX")
    or hashlib.sha256(
        "|".join(str(_db.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME")).encode()
    ).hexdigest()[:12]
)
# Whole-page cache for anonymous readers (cases/core/cache.py); any save in these apps invalidates it.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
PAGE_CACHE_CONTENT_APP_PREFIXES = ("cases.",)
PAGE_CACHE_IGNORE_MODELS = ()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# No inline script or style anywhere: everything the pages need is served from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Headers every response carries, in development too (production adds HSTS and secure cookies).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)

# The designed 403 for a failed CSRF check: says what to do, never why in technical terms.
CSRF_FAILURE_VIEW = "cases.core.errors.csrf_failure"

SITE_NAME = "Labour NGO Case Archive"

# The read-only JSON API (cases/api): JSON only, no sessions or logins, the lists' FilterSets, OpenAPI schema.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Labour NGO Case Archive API",
    "DESCRIPTION": "Read-only access to the published cases, organisations, scholarly positions and sources.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "InterventionKindEnum": "cases.interventions.models.Kind",
        "OrganisationKindEnum": "cases.organisations.models.OrgKind",
    },
}
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Accounts (instructors, curators): django-axes first, so every login form, the admin's too, is rate-limited.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "teaching:list_index"
LOGOUT_REDIRECT_URL = "home"
# Five failed attempts for one username from one address lock that pair out for 15 minutes (not forever).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Count attempts by the client's address, not the proxy's: set LOGIN_PROXY_COUNT=1 behind one nginx.
AXES_CLIENT_IP_CALLABLE = "cases.teaching.security.client_ip"
LOGIN_PROXY_COUNT = int(os.environ.get("LOGIN_PROXY_COUNT", "0"))
# Password-reset mail: printed to the console unless a mail server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "archive@localhost")
# Instructors' lists are never on a cached public page (shared lists are sent with no-store): saving one
# must not make every cached page stale. Discussion questions are content and do.
PAGE_CACHE_IGNORE_MODELS = (
    *PAGE_CACHE_IGNORE_MODELS,
    "teaching.ReadingList",
    "teaching.ReadingListItem",
    "teaching.ReadingListItem_questions",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cases.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # The request logger repeats what gunicorn's access log says; keep it for the request id.
        "labourarchive.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
        "django.server": {"level": "WARNING"},
    },
}
