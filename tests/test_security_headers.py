"""Every page type carries the security headers, the error pages leak nothing, and production passes --deploy.

The pages are found by walking the URL configuration, so a page added to any app is checked without
touching this file: each named pattern is requested with the slug of a real published entry when one of the
test archive's objects links to it, and with an unknown slug otherwise (its 404 must carry the headers too).
"""

import copy
import importlib
import itertools
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db import OperationalError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404

from cases.core import errors
from tests.test_pages import build_archive

BASE_DIR = Path(__file__).resolve().parent.parent
LEAKS = ["Traceback", "secret-", "settings.py", "/srv/", "10.0.0.7", "DEBUG", "SECRET_KEY", "Exception"]
# Admin pages are Django's own; two of them stand for the rest.
ADMIN_KEPT = {"admin:index", "admin:login"}
# Values tried for route parameters no real entry provides: an unknown slug, an unknown id, known formats.
GENERIC_VALUES = ["no-such-entry", "999999", "bib", "ris", "json", "csv", "x"]


def strong_secret_key():
    return secrets.token_urlsafe(64)


def production_security_settings():
    """The security settings of labourarchive.settings.production, read from the module itself."""
    previous = os.environ.get("SECRET_KEY")
    os.environ["SECRET_KEY"] = strong_secret_key()
    try:
        module = importlib.reload(importlib.import_module("labourarchive.settings.production"))
    finally:
        if previous is None:
            del os.environ["SECRET_KEY"]
        else:
            os.environ["SECRET_KEY"] = previous
    prefixes = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "X_FRAME_OPTIONS")
    return {name: getattr(module, name) for name in dir(module) if name.startswith(prefixes)}


def test_reading_the_production_settings_changes_nothing_in_the_running_ones():
    # On PostgreSQL they add a connection pool: changed in place, the test connection opened without a pool
    # would later be closed as if it came from one.
    from django.conf import settings as running

    databases = copy.deepcopy(running.DATABASES)
    production_security_settings()
    assert databases == running.DATABASES


@pytest.fixture
def production(settings):
    for name, value in production_security_settings().items():
        setattr(settings, name, value)
    return settings


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def named_patterns():
    found = {}
    for name, route in walk(get_resolver().url_patterns):
        if name.startswith("admin:") and name not in ADMIN_KEPT:
            continue
        found.setdefault(name, route)
    return found


def urls_of_published_objects():
    """URL name -> the URL of a real object, from every model instance that has a page."""
    by_name = {}
    for model in apps.get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        field_names = {field.name for field in model._meta.get_fields()}
        queryset = model._default_manager.all()
        if "status" in field_names:
            queryset = queryset.filter(status="published")
        for obj in queryset[:20]:
            try:
                url = obj.get_absolute_url()
                match = resolve(url.split("?")[0])
            except (Resolver404, NoReverseMatch, AttributeError, TypeError, ValueError):
                continue
            by_name.setdefault(match.view_name, url)
    return by_name


def every_page_url():
    """URL name -> a URL for it: a real published entry's where one fits, values the route accepts otherwise."""
    real = urls_of_published_objects()
    urls = {}
    for name, route in named_patterns().items():
        params = list(dict.fromkeys(re.findall(r"<(?:\w+:)?(\w+)>", route)))
        if name in real and params:
            urls[name] = real[name]
            continue
        url = fill(name, route, params, real)
        if url is not None:
            urls[name] = url
    return urls


def fill(name, route, params, real):
    # Slugs of real entries whose page lives under the same prefix first (/cases/<slug>/cite.bib gets a case),
    # then values that satisfy common converters; reverse() checks each against the route.
    prefix = "/" + re.split(r"[<(]", route.replace("^", ""), maxsplit=1)[0]
    own, other = [], []
    for url in real.values():
        slug = resolve(url.split("?")[0]).kwargs.get("slug")
        if slug:
            section = "/" + prefix.rstrip("/").rsplit("/", 1)[-1] + "/"  # /api/cases/<slug>/ -> /cases/
            (own if prefix != "/" and (url.startswith(prefix) or url.startswith(section)) else other).append(slug)
    candidates = [*own, *other, *GENERIC_VALUES]
    for value in candidates:
        fixed = {param: value for param in params if param in {"slug", "token", "uidb64"}}
        free = [param for param in params if param not in fixed]
        for combination in itertools.product(GENERIC_VALUES, repeat=len(free)):
            try:
                return reverse(name, kwargs={**fixed, **dict(zip(free, combination, strict=True))} or None)
            except NoReverseMatch:
                continue
    return None


def assert_security_headers(response, production=False):
    csp = response["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in (p.strip() for p in csp.split(";")) if d}
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "*" not in directives["script-src"] and "*" not in directives["style-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"strict-origin-when-cross-origin", "same-origin", "no-referrer"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    if production:
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.fixture
def archive():
    return build_archive(1)


def test_the_walk_reaches_every_page_type(archive):
    urls = every_page_url()
    names = set(named_patterns())
    assert names - set(urls) == set(), "patterns the header test could not request"
    # The archive's own detail pages are requested with real entries, not only as 404s.
    for name in ["intervention_detail", "organisation_detail", "position_detail", "source_detail", "place_detail"]:
        assert name in urls_of_published_objects()


def test_every_page_carries_the_security_headers(client, archive):
    for name, url in every_page_url().items():
        response = client.get(url)
        assert response.status_code < 500, (name, url)
        assert_security_headers(response)


def test_every_page_carries_hsts_and_the_headers_under_production_settings(production, archive):
    client = Client()
    for name, url in every_page_url().items():
        response = client.get(url, secure=True)
        assert response.status_code < 500, (name, url)
        assert_security_headers(response, production=True)


def test_plain_http_is_redirected_to_https_in_production(production, archive):
    response = Client().get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_production_cookies_are_host_prefixed_secure_and_not_readable_by_scripts(production):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("curator", password="correct horse battery")
    client = Client()
    login_page = client.get(reverse("login"), secure=True)
    csrf = login_page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
    assert csrf["samesite"] in {"Lax", "Strict"}

    client.post(
        reverse("login"),
        {"username": "curator", "password": "correct horse battery", "next": "/admin/"},
        secure=True,
    )
    session = client.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["path"] == "/" and not session["domain"]
    assert session["samesite"] in {"Lax", "Strict"}
    assert "sessionid" not in client.cookies and "csrftoken" not in client.cookies


def assert_designed(response, status, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert heading in html
    for leak in LEAKS:
        assert leak not in html, f"{status} page leaks {leak!r}"
    assert_security_headers(response)


def test_designed_404(client):
    assert_designed(client.get("/cases/no-such-case/"), 404, "Page not found")


def test_designed_400_for_a_host_the_site_does_not_serve(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get(reverse("home"), HTTP_HOST="secret-host.example")
    assert_designed(response, 400, "Bad request")
    assert "secret-host" not in response.content.decode()


def test_designed_403(client, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    assert_designed(client.get("/test-errors/403/"), 403, "Not allowed")


def test_designed_403_for_a_failed_csrf_check(settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert_designed(response, 403, "The form could not be accepted")
    assert "CSRF cookie not set" not in response.content.decode()


def test_designed_500(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    response = Client(raise_request_exception=False).get("/test-errors/500/")
    assert_designed(response, 500, "Something went wrong")


def test_designed_503_when_the_database_is_unreachable(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    response = Client(raise_request_exception=False).get("/test-errors/503/")
    assert_designed(response, 503, "Temporarily unavailable")
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]


def test_database_errors_outside_views_also_answer_503(rf):
    # Raised in middleware (a session lookup), the error reaches handler500 while being handled.
    request = rf.get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = errors.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"]


def test_the_503_page_renders_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = errors.service_unavailable()
    assert b"Temporarily unavailable" in response.content


def test_production_settings_pass_check_deploy_without_a_warning():
    # The browser tests allow async-unsafe calls in this process; a deployment never does.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "labourarchive.settings.production",
        "SECRET_KEY": strong_secret_key(),
        "ALLOWED_HOSTS": "archive.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "labourarchive.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
