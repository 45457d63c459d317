"""Two app instances behind nginx, sharing one PostgreSQL and one Redis: a change made on one shows on the other.

Starts, on loopback: two gunicorn instances with the production settings (each `gunicorn labourarchive.asgi
--config gunicorn.conf.py`), nginx over HTTPS (a throwaway self-signed certificate) in front of both with
deploy/nginx-proxy.conf, a PostgreSQL database of its own and the shared Redis cache. A reader's pages
are cached on instance B; a curator signs in on instance A (password, then a second factor set up from the
page) and publishes, then withdraws, a draft with the admin's bulk actions; every read on B and through nginx
shows the change at once.

Needs nginx, openssl, PostgreSQL at 127.0.0.1:5432 and Redis (CACHE_URL, default redis://127.0.0.1:6379/9).
Run with `make test-deploy`; plain `make test` leaves it out (marker `deploy`).
"""

import html
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.deploy.servers import (
    ROOT,
    collected_static,
    free_port,
    gunicorn_log,
    production_env,
    require,
    start_gunicorn,
    start_nginx,
    stop,
    tls_context,
    wait_for,
)

pytestmark = pytest.mark.deploy

PG_SERVER = os.environ.get("DEPLOY_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DATABASE_NAME = os.environ.get("DEPLOY_DATABASE_NAME", "la_deploy")
CACHE_URL = os.environ.get("DEPLOY_CACHE_URL", "redis://127.0.0.1:6379/9")
HOST = "localhost"
DRAFT_SLUG = "deploy-check-draft-case"
DRAFT_TITLE = "Deploy check: a draft case"
PASSWORD = secrets.token_urlsafe(16)


class Browser:
    """A minimal HTTP client with its own cookie jar; speaks to one address, as a reader or a curator."""

    def __init__(self, port, tls=False, host=HOST):
        self.port, self.tls, self.host = port, tls, host
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        if self.tls:
            connection = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=20, context=tls_context())
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        sent = {"Host": self.host, **(headers or {})}
        if not self.tls:
            sent["X-Forwarded-Proto"] = "https"  # talking to an instance directly, as nginx does
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urlencode(body, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"https://{self.host}"
            sent["Referer"] = f"https://{self.host}{path}"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, dict(response.headers), content

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, body=data)


# One process sets up the database (a new Django process costs seconds on a busy machine).
SETUP = f"""
from django.core.management import call_command
from cases.interventions.models import Intervention
call_command("migrate", "--no-input", verbosity=0)
call_command("load_archive", verbosity=0)
call_command("createsuperuser", "--no-input", "--username", "curator", "--email", "curator@example.org")
case = Intervention.objects.published().order_by("slug").first()
issues, tactics, leads = list(case.issues.all()), list(case.tactics.all()), list(case.roles.filter(kind="lead"))
case.pk = None; case.slug = {DRAFT_SLUG!r}; case.title = {DRAFT_TITLE!r}; case.status = "draft"
case.published_at = None; case.parent = None; case.save()
# What a case needs to be published: a lead organisation, an issue and a tactic.
case.issues.set(issues); case.tactics.set(tactics)
for role in leads:
    role.pk = None; role.intervention = case; role.save()
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    require("nginx", "openssl")
    redis_host, redis_port = CACHE_URL.split("//", 1)[1].split("/", 1)[0].split(":")
    with socket.create_connection((redis_host, int(redis_port)), timeout=2) as redis:
        redis.sendall(b"PING\r\n")
        assert redis.recv(16).startswith(b"+PONG"), f"Redis does not answer at {CACHE_URL}"
    workdir = tmp_path_factory.mktemp("two-instances")
    env = production_env(
        DATABASE_URL=f"{PG_SERVER}/{DATABASE_NAME}",
        CACHE_URL=CACHE_URL,
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        SITE_URL=f"https://{HOST}",
        WEB_CONCURRENCY="2",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )

    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE_NAME)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
    collected_static(env)  # first: loading renders each entry's page for its first public version
    subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True)

    ports = {"a": free_port(), "b": free_port(), "nginx": free_port()}
    processes = []
    try:
        processes += [start_gunicorn(env, ports[name], workdir, name) for name in ("a", "b")]
        processes.append(start_nginx(workdir, [ports["a"], ports["b"]], ports["nginx"], access_log=True))
        for name in ("a", "b"):
            wait_for(
                lambda name=name: Browser(ports[name]).get("/health/")[0] == 200,
                what=lambda name=name: f"instance {name} ({gunicorn_log(workdir, name)})",
            )
        wait_for(lambda: Browser(ports["nginx"], tls=True).get("/health/")[0] == 200, what="nginx")
        yield {**ports, "instance_a": processes[0]}
    finally:
        stop(processes)


def csrf_token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def sign_in(browser):
    """The curator's password, then the second factor: an authenticator set up from the key on the page."""
    from base64 import b32decode

    from django_otp.oath import totp

    login = "/accounts/login/?next=/admin/"
    status, _, page = browser.get(login)
    assert status == 200
    form = {"csrfmiddlewaretoken": csrf_token(page), "username": "curator", "password": PASSWORD, "next": "/admin/"}
    status, headers, _ = browser.post(login, form)
    assert status == 302 and headers["Location"].startswith("/accounts/two-factor/setup/"), "the password was refused"
    assert browser.get("/admin/")[0] == 302, "a password alone opened the admin"
    setup = headers["Location"]
    status, _, page = browser.get(setup)
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    code = f"{totp(b32decode(secret)):06d}"
    form = {"csrfmiddlewaretoken": csrf_token(page), "code": code, "next": "/admin/"}
    status, headers, _ = browser.post(setup, form)
    assert status == 302 and "/two-factor/recovery-codes/" in headers["Location"], "the code was refused"
    assert "__Host-sessionid" in browser.cookies
    assert browser.get("/admin/")[0] == 200, "the curator could not sign in"


def bulk_action(browser, action, slug):
    changelist = "/admin/interventions/intervention/"
    status, _, page = browser.get(f"{changelist}?q={slug}")
    assert status == 200
    token = csrf_token(page)
    pk = re.search(r'name="_selected_action" value="(\d+)"', page).group(1)
    status, _, _ = browser.post(
        f"{changelist}?q={slug}",
        {"csrfmiddlewaretoken": token, "action": action, "_selected_action": pk, "index": "0", "select_across": "0"},
    )
    assert status == 302, f"the admin refused {action}"


def shows_draft(browser):
    """(in the case list?, status of the case page) as this reader sees them."""
    _, _, listing = browser.get("/cases/")
    status, _, _ = browser.get(f"/cases/{DRAFT_SLUG}/")
    return html.escape(DRAFT_TITLE) in listing or DRAFT_TITLE in listing, status


def test_a_change_made_on_one_instance_shows_at_once_on_the_other_and_through_nginx(cluster):
    reader_b = Browser(cluster["b"])
    reader_a = Browser(cluster["a"])
    reader_nginx = Browser(cluster["nginx"], tls=True)
    curator_a = Browser(cluster["a"])

    # Readers fill the shared cache; B and A answer the same cached copy.
    for reader in (reader_b, reader_nginx):
        assert shows_draft(reader) == (False, 404)
    status, headers, _ = reader_b.get("/cases/")
    assert status == 200 and headers.get("X-Cache") == "HIT"
    status, headers, _ = reader_a.get("/cases/")
    assert headers.get("X-Cache") == "HIT", "instance A does not see the page instance B cached"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")

    sign_in(curator_a)
    bulk_action(curator_a, "publish_selected", DRAFT_SLUG)
    assert shows_draft(reader_b) == (True, 200), "instance B still shows the page from before the publication"
    assert shows_draft(reader_nginx) == (True, 200)

    bulk_action(curator_a, "withdraw_selected", DRAFT_SLUG)
    # Withdrawn once published: its address answers 410 Gone, the listing no longer shows it.
    assert shows_draft(reader_b) == (False, 410), "instance B still shows a withdrawn case"
    assert shows_draft(reader_nginx) == (False, 410)


def test_nginx_passes_https_and_the_request_id_through(cluster):
    status, headers, page = Browser(cluster["nginx"], tls=True).get("/")
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    assert "Content-Security-Policy" in headers and "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "Server" not in headers or "nginx/" not in headers["Server"]
    assert "</html>" in page


def test_readers_are_still_served_when_one_instance_goes_away(cluster):
    """Runs last: it stops instance A. Nothing lives in an instance, so B answers every reader."""
    nginx = Browser(cluster["nginx"], tls=True)
    cluster["instance_a"].send_signal(signal.SIGTERM)
    cluster["instance_a"].wait(timeout=20)
    statuses = [nginx.get(f"/cases/?n={n}" if n % 2 else "/")[0] for n in range(20)]
    assert statuses == [200] * 20
