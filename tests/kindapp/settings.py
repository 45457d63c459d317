"""The test settings with the throwaway kind installed, on SQLite (the registry does not depend on the database)."""

import os

os.environ.pop("DATABASE_URL", None)

from labourarchive.settings.test import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.kindapp"]  # noqa: F405
ROOT_URLCONF = "tests.kindapp.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
