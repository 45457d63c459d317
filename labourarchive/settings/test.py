"""Tests: fast hashing, local memory cache, plain static storage (no manifest needed)."""

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off by default so query-count tests measure rendering; tests/test_cache.py switches it on.
PAGE_CACHE_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"]},
}
# Login rate limiting is switched on by the tests that check it (the test client's login() has no request).
AXES_ENABLED = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test database is thrown away after the run: no need to wait for each commit to reach the disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405

# Open-data releases written by tests go to a folder of their own (tests that make one use a temporary folder).
RELEASES_DIR = str(BASE_DIR / "var" / "test-releases")  # noqa: F405
