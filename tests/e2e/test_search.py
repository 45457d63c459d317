"""Searching in a real browser: from the box in the header to grouped, highlighted results; accessible and valid."""

import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from tests.e2e.conftest import VNU

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

PATHS = {
    "search-empty-form": "/search/",
    "search-results": "/search/?q=cadmium",
    "search-misspelt": "/search/?q=Franceschni",
    "search-one-kind": '/search/?q="minimum+wage"+-strike&kind=evidence',
    "search-nothing": "/search/?q=qwxzvb",
    "search-too-long": "/search/?q=" + "w" * 300,
}


def test_search_pages_have_no_axe_violations_and_fit_a_phone(archive, live_server, page, axe_violations, shoot):
    for name, path in PATHS.items():
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(live_server.url + path)
            violations = axe_violations(page)
            assert violations == [], (name, label, [(v["id"], v["nodes"][0]["target"]) for v in violations])
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways on a {label} ({overflow}px)"
            shoot(page, f"{name}-{label}")


def test_search_pages_are_valid_html(archive, live_server):
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for name, path in PATHS.items():
            try:
                body = urllib.request.urlopen(live_server.url + path).read()
            except urllib.error.HTTPError as error:  # the too-long search answers 400
                body = error.read()
            target = Path(tmp) / f"{name}.html"
            target.write_bytes(body)
            files.append(str(target))
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "text", *files], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr or result.stdout


def test_a_reader_searches_from_the_header_without_javascript(archive, live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/cases/")
    page.get_by_role("search", name="Site search").get_by_label("Search the archive").fill("cadmuim")
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=cadmuim")
    assert "Showing results for" in page.content()
    assert page.locator("mark", has_text="cadmium").count() > 0
    page.get_by_role("link", name="Cases 1").click()
    assert page.locator(".search-result").count() == 1
    page.locator(".search-result a").first.click()
    assert "/cases/hkc-cadmium-compensation-campaign/" in page.url
    context.close()
