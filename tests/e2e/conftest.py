"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

# The live server runs in a thread of the test process; Playwright's sync API needs this (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SHOTS = ROOT / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The site's CSP (rightly) forbids inline scripts; axe is injected by the test, not the site.
    return {**browser_context_args, "bypass_csp": True}


# The database right after the first `load_archive` of this process (see `archive`).
_LOADED = {}


@pytest.fixture
def archive(transactional_db):
    """The canonical content, loaded into the live server's database.

    Every test starts from a freshly loaded archive, committed as a site's would be (the live server reads it from
    another thread), and its own writes are flushed after it. Loading takes seconds, so on SQLite in memory (what
    `make test-e2e` runs) the first test of each process loads it and keeps a copy of the whole database, and each
    later test gets that copy back through SQLite's backup API, in milliseconds: the same rows, ids and search
    index a new load would give. On another database every test loads it.
    """
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        call_command("load_archive", verbosity=0)
        return
    connection.ensure_connection()
    if "copy" in _LOADED:
        _LOADED["copy"].backup(connection.connection)
        return
    call_command("load_archive", verbosity=0)
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _LOADED["copy"] = copy


@pytest.fixture
def axe_violations():
    def run(page):
        page.add_script_tag(path=str(AXE))
        return page.evaluate("async () => (await axe.run()).violations")

    return run


# Screenshots are for a person to look at, never compared: taken locally, not in CI (where nobody sees them and they
# cost a third of the accessibility walk), unless E2E_SCREENSHOTS=1.
TAKE_SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS", "0" if os.environ.get("CI") else "1") not in ("", "0")


@pytest.fixture
def shoot():
    SHOTS.mkdir(exist_ok=True)

    def take(page, name):
        if TAKE_SCREENSHOTS:
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take


# A checker run lives for seconds: the quick compiler alone and the simple collector halve its time; that compiler's
# deeper stacks need more than the default thread stack for the HTML schema.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m"]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def check_current_page(page, name, axe_violations, shoot):
    """The page now open, at desktop and phone width: no axe violation, no sideways scroll; a screenshot of each."""
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        violations = axe_violations(page)
        assert violations == [], (name, label, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations])
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (name, label, overflow)
        shoot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def check_pages(page, base_url, paths, axe_violations, shoot, prefix=""):
    """Each page at desktop and phone width: no axe-core violation, no sideways scrolling; a screenshot of each."""
    for name, path in paths.items():
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(base_url + path)
            violations = axe_violations(page)
            assert violations == [], (name, label, [(v["id"], v["nodes"][0]["target"]) for v in violations])
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways on a {label} ({overflow}px)"
            shoot(page, f"{prefix}{name}-{label}")


def assert_valid_html(base_url, paths):
    """The Nu HTML checker finds no error in any of the pages (error pages such as 400 and 404 included)."""
    import urllib.error
    import urllib.request

    documents = {}
    for name, path in paths.items():
        try:
            documents[name] = urllib.request.urlopen(base_url + path).read()
        except urllib.error.HTTPError as error:
            documents[name] = error.read()
    assert_valid_documents(documents)


def assert_valid_documents(documents):
    """The Nu HTML checker finds no error in any of the documents ({name: HTML as text or bytes}), in one run."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for name, body in documents.items():
            target = Path(tmp) / f"{name}.html"
            target.write_bytes(body.encode() if isinstance(body, str) else body)
            files.append(str(target))
        result = subprocess.run(
            ["java", *JAVA_OPTIONS, "-jar", str(VNU), "--errors-only", "--format", "text", *files],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stdout + result.stderr
