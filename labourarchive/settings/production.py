"""Production: PostgreSQL via DATABASE_URL, secrets from the environment, strict HTTPS."""

import copy

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

# base's dictionaries are shared by every settings module imported in one process (a test reads this module
# beside its own settings): change a copy, never the running configuration.
DATABASES = copy.deepcopy(DATABASES)  # noqa: F405

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.")

# Behind nginx (deploy/nginx.conf), which sets X-Forwarded-Proto itself; turn off when serving without a proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("TRUST_X_FORWARDED_PROTO", True) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", cast=str.strip, default=[])

if IS_POSTGRES:  # noqa: F405
    # Under gunicorn's ASGI worker every request runs in a thread of its own: a pool per worker process hands
    # each one a connection and takes it back, and bounds how many a worker opens (persistent per-thread
    # connections would be opened per request instead). CONN_HEALTH_CHECKS (base) has the pool check each
    # connection before handing it out, so one the server dropped (a restart) is replaced first.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
    DATABASES["default"]["OPTIONS"]["pool"] = {  # noqa: F405
        "min_size": 1,
        "max_size": env.int("DATABASE_POOL_SIZE", default=8),
        # Waiting for a connection counts as reaching the database: readers get the designed 503 as soon.
        "timeout": DATABASES["default"]["OPTIONS"]["connect_timeout"],  # noqa: F405
    }
