"""Settings read from the environment keep the meanings README gives them, now that django-environ reads them."""

import pytest

from labourarchive.settings.env import Env


@pytest.fixture
def env():
    return Env()


@pytest.mark.parametrize("value", ["$abc", "a$b", r"\$abc", "$$", "$HOME"])
def test_a_value_is_itself_even_with_a_dollar_sign(env, monkeypatch, value):
    # One secret key in fifty that Django generates starts with "$"; django-environ alone would look it up as a name.
    monkeypatch.setenv("SECRET_KEY", value)
    assert env.str("SECRET_KEY", default="dev-only") == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("ON", True), ("0", False), ("false", False), ("", False)]
    + [("ok", False), ("y", False), ("nope", False)],
)
def test_booleans(env, monkeypatch, value, expected):
    monkeypatch.setenv("EMAIL_USE_TLS", value)
    assert env.bool("EMAIL_USE_TLS", default=not expected) is expected


def test_an_unset_boolean_takes_its_default(env, monkeypatch):
    monkeypatch.delenv("SECURE_SSL_REDIRECT", raising=False)
    assert env.bool("SECURE_SSL_REDIRECT", default=True) is True


def test_lists_are_comma_separated_and_stripped(env, monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "archive.example.org, www.archive.example.org,")
    assert env.list("ALLOWED_HOSTS", cast=str.strip, default=[]) == ["archive.example.org", "www.archive.example.org"]


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("redis://:pw@10.0.0.5:6379/1", "django.core.cache.backends.redis.RedisCache", "redis://:pw@10.0.0.5:6379/1"),
        ("rediss://cache:6380/2", "django.core.cache.backends.redis.RedisCache", "rediss://cache:6380/2"),
        ("unix:///run/redis.sock", "django.core.cache.backends.redis.RedisCache", "unix:///run/redis.sock"),
        ("file:///srv/cache", "django.core.cache.backends.filebased.FileBasedCache", "/srv/cache"),
        ("locmem://one", "django.core.cache.backends.locmem.LocMemCache", "one"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache", ""),
    ],
)
def test_cache_url_schemes(url, backend, location):
    config = Env.cache_url_config(url)
    assert (config["BACKEND"], config["LOCATION"]) == (backend, location)


def test_an_unknown_cache_scheme_is_refused():
    with pytest.raises(Exception, match="memcached"):
        Env.cache_url_config("memcached://cache")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgres://archive:s%40cret@db.internal:5432/labourarchive",
            {"USER": "archive", "PASSWORD": "s@cret", "HOST": "db.internal", "PORT": 5432, "NAME": "labourarchive"},
        ),
        ("postgres://%2Fvar%2Frun%2Fpostgresql/archive", {"HOST": "/var/run/postgresql", "NAME": "archive"}),
        ("sqlite:////srv/db.sqlite3", {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/db.sqlite3"}),
    ],
)
def test_database_urls(url, expected):
    config = Env.db_url_config(url)
    assert {key: config[key] for key in expected} == expected
