"""Settings shared by every environment.

Secrets and hosts come from the environment. SQLite is the default database;
PostgreSQL is used when DATABASE_URL is set (and is what production runs on).
"""

import hashlib
import ipaddress
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from labourarchive.settings.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = Env()

SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
# Comma-separated; items are stripped, so "a.org, b.org" works.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", cast=str.strip, default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Before the admin, as it requires: Chinese versions of the content as columns beside the English.
    "modeltranslation",
    "cases.curation.admin_app.ArchiveAdminConfig",  # django.contrib.admin, with the archive's site
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
    "cases.keeping",
    # Before curation: curation reads the kinds of entry every app above has declared by then.
    "cases.teaching",
    "cases.curation",
    "axes",
    # Second factor: time-based codes (TOTP) and one-time recovery codes (static tokens).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "cases.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cases.core.middleware.SecurityHeadersMiddleware",
    # Outside everything that may fail, so error pages raised in any middleware carry the policy too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language comes from the address alone (cases/core/i18n.py), so it is set before the page cache looks a
    # page up by it, and before anything resolves a URL (the language prefix is part of every public route).
    "cases.core.i18n.PathLocaleMiddleware",
    # Anonymous pages from the shared cache: before anything that may touch the session or the database.
    "cases.core.cache.PageCacheMiddleware",
    "cases.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle and total limits on a signed-in session; sees the account before the second-factor check hides it.
    "cases.teaching.sessions.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A user who owes a second factor is anonymous everywhere but on the second-factor pages.
    "cases.teaching.two_factor.SecondFactorMiddleware",
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

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Connections kept for a minute and checked before reuse (a URL's own ?conn_max_age= wins).
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # Fail fast when the server is unreachable: readers get the designed 503, not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )

# One cache shared by every worker and every instance, so all of them agree on what is current.
# CACHE_URL: redis://host:port/db, unix:///path/to/redis.sock, file:///abs/dir, locmem://, dummy://.
# Without it (or empty): a directory on this machine, shared by the workers of one server and needing no service.
CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="") or f"file://{BASE_DIR / 'var' / 'cache'}")}
# Every cache is bounded: these two cull past MAX_ENTRIES; Redis evicts past its `maxmemory` (deploy/redis.conf).
if CACHES["default"]["BACKEND"].rsplit(".", 1)[1] in {"FileBasedCache", "LocMemCache"}:
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", env.int("CACHE_MAX_ENTRIES", default=10000))
# Keys are prefixed by the database they describe: servers of one archive share pages, two archives never do.
_db = DATABASES["default"]
CACHES["default"]["KEY_PREFIX"] = (
    env.str("CACHE_KEY_PREFIX", default="")
    or hashlib.sha256(
        "|".join(str(_db.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME")).encode()
    ).hexdigest()[:12]
)
# Whole-page cache for anonymous readers (cases/core/cache.py); any save in these apps invalidates it.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3600)
# Part of every page's cache key; empty: a digest of the code, templates and static files (cases/core/cache.py).
PAGE_CACHE_RELEASE = env.str("PAGE_CACHE_RELEASE", default="")
PAGE_CACHE_CONTENT_APP_PREFIXES = ("cases.",)
PAGE_CACHE_IGNORE_MODELS = ()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# English at the root, Chinese under /zh-hans/ and /zh-hant/ (labourarchive/urls.py); each name in its own language.
LANGUAGES = [
    ("en-gb", "English"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
]
# The archive's catalogues: locale/zh_Hans and locale/zh_Hant (`make messages`; see CONTRIBUTING.md).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Addresses whose language follows the browser (cookie, Accept-Language) instead of the address: only the admin,
# which is never cached and has no prefixed routes (cases/core/i18n.py).
LOCALE_NEGOTIATED_PATHS = ("/admin/",)
# English is the archive's language: a Chinese field left empty shows the English, and the page says so
# (cases/core/chinese.py). No fallback between the two Chinese scripts, so a page never passes off one as the other.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en-gb"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en-gb",)
# Traditional Chinese derived from the simplified with OpenCC's Hong Kong profile (and labelled as converted).
OPENCC_PROFILE = "s2hk"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
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
# Empty: absolute links use the address each request came to (cases/core/addresses.py).
SITE_URL = env.str("SITE_URL", default="")

# Accounts (instructors, curators): django-axes first, so every login form, the admin's too, is rate-limited.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "teaching:list_index"
LOGOUT_REDIRECT_URL = "home"
# Five failed attempts for one username from one address lock that pair out for 15 minutes (not forever).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15.0) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Count attempts by the client's address, not the proxy's: set LOGIN_PROXY_COUNT=1 behind one nginx.
# X-Forwarded-For is read only on requests whose REMOTE_ADDR is one of TRUSTED_PROXIES (cases/teaching/security.py):
# from anywhere else it is whatever the client made up, and rotating it would dodge the limit.
AXES_CLIENT_IP_CALLABLE = "cases.teaching.security.client_ip"
LOGIN_PROXY_COUNT = env.int("LOGIN_PROXY_COUNT", default=0)
TRUSTED_PROXIES = [p for p in env.list("TRUSTED_PROXIES", cast=str.strip, default=["127.0.0.1", "::1"]) if p]
# Refuse to start on a proxy set that cannot be right, rather than trust a header nobody controls.
for _entry in TRUSTED_PROXIES:
    try:
        _network = ipaddress.ip_network(_entry, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_entry!r} is not an address or a network.") from exc
    if _network.prefixlen == 0:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_entry!r} would trust every address.")
if LOGIN_PROXY_COUNT < 0:
    raise ImproperlyConfigured("LOGIN_PROXY_COUNT must be 0 (no proxy) or the number of proxies in front.")
if LOGIN_PROXY_COUNT and not TRUSTED_PROXIES:
    raise ImproperlyConfigured("LOGIN_PROXY_COUNT is set but TRUSTED_PROXIES is empty: name the proxies' addresses.")

# Second factor: required for staff and superusers, optional for instructors (cases/teaching/two_factor.py).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Labour NGO Case Archive")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret
TWO_FACTOR_RECOVERY_CODES = 10

# Sessions end after a while without a request and after a fixed time in all (cases/teaching/sessions.py).
SESSION_STAFF_IDLE_SECONDS = 30 * 60
SESSION_STAFF_MAX_SECONDS = 12 * 60 * 60
SESSION_IDLE_SECONDS = 24 * 60 * 60
SESSION_MAX_SECONDS = 7 * 24 * 60 * 60
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS  # the outer bound, should the middleware ever be taken out
# Sessions read from the shared cache (written through to the database, so a cache restart signs nobody out):
# a signed-in request costs no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Password-reset mail: at most this many requests per address and per account in the window (no flood of mail).
PASSWORD_RESET_LIMIT = env.int("PASSWORD_RESET_LIMIT", default=3)
PASSWORD_RESET_WINDOW_SECONDS = env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60) * 60

# Password-reset mail: printed to the console unless a mail server is configured.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="archive@localhost")

# Keeping the archive (cases/keeping/): open-data releases and OAI-PMH.
# Where `manage.py release_data` writes the releases and /data/ reads them (shared by every instance).
RELEASES_DIR = env.str("RELEASES_DIR", default=str(BASE_DIR / "releases"))
# Records per page of ListRecords / ListIdentifiers before a resumption token.
OAI_PAGE_SIZE = env.int("OAI_PAGE_SIZE", default=100)
# Identify's adminEmail: a real address harvesters can write to (user@domain.tld).
OAI_ADMIN_EMAIL = env.str("OAI_ADMIN_EMAIL", default=DEFAULT_FROM_EMAIL)
# The repository part of record identifiers (oai:<this>:case/<slug>); default: the host of SITE_URL or the request.
OAI_REPOSITORY_IDENTIFIER = env.str("OAI_REPOSITORY_IDENTIFIER", default="")

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
    # On the handler, not a logger: records propagated from any logger (django.request's 500s too) pass it.
    "filters": {"request_id": {"()": "cases.core.logging.RequestIdFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # The request logger repeats what gunicorn's access log says; keep it for the request id.
        "labourarchive.request": {"level": env.str("REQUEST_LOG_LEVEL", default="INFO")},
        "django.server": {"level": "WARNING"},
    },
}
