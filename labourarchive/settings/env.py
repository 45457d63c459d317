"""Reading settings from the environment: django-environ, with the meanings this archive's variables have always had.

- A value is only ever itself. django-environ reads a value that starts with "$" as the name of another variable
  and has no released switch to stop it (joke2k/django-environ#415; the `interpolate` flag of #607 is not in
  0.14.0). One secret key in fifty that Django generates starts with "$", so every "$" is escaped on the way in
  and django-environ's `escape_proxy` turns it back: the value arrives exactly as it was set.
- Booleans: "1", "true", "yes" and "on" (any case) are true; django-environ would also take "ok" and "y".
- DATABASE_URL may name a Unix socket directory as a percent-encoded host, postgres://%2Fvar%2Frun%2Fpostgresql/db,
  as dj-database-url read it (django-environ leaves the host encoded).
- CACHE_URL keeps its schemes: redis:// and rediss:// (Django's own Redis cache, whether or not django-redis is
  installed), unix:///path/to/redis.sock, file:///absolute/dir, locmem://[name] and dummy://.
"""

import os
from collections.abc import Mapping
from urllib.parse import unquote

import environ


class LiteralEnviron(Mapping):
    """os.environ as django-environ reads it, with every "$" escaped (`Env.escape_proxy` unescapes it)."""

    def __getitem__(self, name):
        return os.environ[name].replace("$", r"\$")

    def __iter__(self):
        return iter(os.environ)

    def __len__(self):
        return len(os.environ)


class Env(environ.Env):
    ENVIRON = LiteralEnviron()
    BOOLEAN_TRUE_STRINGS = ("true", "on", "yes", "1")
    CACHE_SCHEMES = {
        **environ.Env.CACHE_SCHEMES,
        "redis": "django.core.cache.backends.redis.RedisCache",
        "rediss": "django.core.cache.backends.redis.RedisCache",
    }
    # Our names for the schemes django-environ spells differently; redis:///path is its Unix socket form.
    CACHE_SCHEME_ALIASES = {"file": "filecache", "locmem": "locmemcache", "dummy": "dummycache", "unix": "redis"}

    def __init__(self, **scheme):
        super().__init__(**scheme)
        self.escape_proxy = True

    @classmethod
    def db_url_config(cls, url, engine=None):
        config = super().db_url_config(url, engine)
        if config.get("HOST"):
            config["HOST"] = unquote(config["HOST"])
        return config

    @classmethod
    def cache_url_config(cls, url, backend=None):
        if isinstance(url, cls.URL_CLASS):  # Env.cache_url() passes the URL parsed
            url = url.geturl()
        scheme, separator, rest = url.partition("://")
        return super().cache_url_config(cls.CACHE_SCHEME_ALIASES.get(scheme, scheme) + separator + rest, backend)
