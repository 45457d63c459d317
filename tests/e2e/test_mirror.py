"""The static mirror in a real browser: served by a plain static server, and opened from a disk (file://). Its
pages load their styles and scripts from the folder and nothing from elsewhere, and its search finds a case and
leads to it: through Pagefind's index from the server, through the plain-script index from the disk (browsers
refuse the fetch() Pagefind loads its index with on file://)."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cases.keeping import mirror
from tests import factories as f
from tests.e2e.conftest import DESKTOP


@pytest.fixture
def folder(transactional_db, tmp_path):
    source = f.SourceFactory(status="published")
    for title, summary in (
        ("Cadmium poisoning compensation campaign", "Battery workers poisoned by cadmium sought redress."),
        ("Minimum wage study sessions", "Study sessions on the minimum wage for workers in Guangzhou."),
        ("最低工资运动", "工人争取统一的最低工资。"),
    ):
        f.InterventionFactory(status="published", title=title, summary=summary, source=source)
    root = tmp_path / "mirror"
    mirror.build(root)
    return root


@pytest.fixture
def static_server(folder):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def watch(page, origin):
    """Requests leaving `origin` and script errors, as the page makes them."""
    seen = {"outside": [], "errors": []}
    page.on("request", lambda request: request.url.startswith(origin) or seen["outside"].append(request.url))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def styled(page):
    """The site's style sheet applied (the header is dark) and every image loaded."""
    background = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
    return background not in ("rgba(0, 0, 0, 0)", "transparent") and broken == 0


def test_search_from_a_static_server_uses_pagefind_and_leads_to_the_case(static_server, browser, axe_violations):
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    seen = watch(page, static_server)
    page.goto(static_server + "/cases/index.html")
    assert styled(page)
    assert axe_violations(page) == []
    page.get_by_role("search", name="Site search").get_by_label("Search the archive").fill("cadmium")
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/index.html?q=cadmium")
    result = page.locator(".pagefind-ui__result-link", has_text="Cadmium poisoning")
    result.first.wait_for()
    # The entry's page, never one of its citable versions (pages of the mirror too, at …/v/N/, but not indexed).
    assert page.locator(".pagefind-ui__result-link[href*='/v/']").count() == 0
    assert axe_violations(page) == []
    result.first.click()
    page.wait_for_url("**/cases/*/index.html")
    assert page.locator("h1", has_text="Cadmium poisoning compensation campaign").count() == 1
    assert styled(page)
    assert "A copy of the archive that needs no server" in page.locator(".mirror-banner").inner_text()
    assert seen == {"outside": [], "errors": []}
    context.close()


def test_search_from_a_disk_uses_the_plain_script_index(folder, browser):
    origin = folder.as_uri()
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    seen = watch(page, origin)
    page.goto(origin + "/index.html")
    assert styled(page)
    page.get_by_role("search", name="Site search").get_by_label("Search the archive").fill("minimum wage")
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/index.html?q=minimum*")
    page.locator("#mirror-search-results a", has_text="Minimum wage study sessions").click()
    page.wait_for_url("**/cases/*/index.html")
    assert page.locator("h1", has_text="Minimum wage study sessions").count() == 1
    assert styled(page)
    # Chinese is matched as the reader typed it, inside longer words.
    page.goto(origin + "/search/index.html?q=工资")
    assert page.locator("#mirror-search-results a", has_text="最低工资运动").count() == 1
    # A list's filter options are links to pages of their own.
    page.goto(origin + "/cases/index.html")
    options = page.locator(".find-form a.facet__link")
    assert options.count() > 0
    options.first.click()
    page.wait_for_url("**/cases/index.*.html")
    assert styled(page)
    assert seen == {"outside": [], "errors": []}
    context.close()
