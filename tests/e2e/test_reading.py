"""A student reads the archive in a real browser: every page type is accessible, valid and readable on a phone."""

import subprocess
import tempfile
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import VNU

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
COMPARED = "/compare/?cases=hka-silicosis-compensation-campaign&cases=hkc-cadmium-compensation-campaign"


def page_paths():
    from cases.core.models import Place, Source
    from cases.interventions.models import Intervention
    from cases.organisations.models import Organisation
    from cases.scholarship.models import Concept, Position

    first = {
        "case": Intervention.objects.published().filter(roles__organisation__slug="hkc").first(),
        "organisation": Organisation.objects.published().get(slug="hka"),
        "position": Position.objects.published().order_by("outlook", "rank").first(),
        "source": Source.objects.published().get(is_seed=True, year=2018),
        "concept": Concept.objects.published().first(),
        "place": Place.objects.published().first(),
    }
    compared = Intervention.objects.published().filter(parent__isnull=True).order_by("start_date")[:3]
    compared = [case.slug for case in compared]
    paths = {
        "home": "/",
        "cases": "/cases/",
        "organisations": "/organisations/",
        "debate": "/debate/",
        "sources": "/sources/",
        "concepts": "/concepts/",
        "places": "/places/",
        "about": "/about/",
        "not-found": "/cases/no-such-case/",
        "timeline": "/timeline/",
        "timeline-filtered": "/timeline/?organisation=hkc",
        "network": "/network/",
        "network-case": f"/network/?case={first['case'].slug}",
        "map": "/map/",
        "compare-picker": "/compare/",
        "compare": "/compare/?" + "&".join(f"cases={slug}" for slug in compared),
        "compare-error": "/compare/?cases=no-such-case",
    }
    paths.update({name: obj.get_absolute_url() for name, obj in first.items()})
    return paths


def test_every_page_type_has_no_axe_violations_and_fits_a_phone(archive, live_server, page, axe_violations, shoot):
    for name, path in page_paths().items():
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(live_server.url + path)
            violations = axe_violations(page)
            assert violations == [], (name, label, [(v["id"], v["nodes"][0]["target"]) for v in violations])
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways on a {label} ({overflow}px)"
            shoot(page, f"{name}-{label}")


def test_every_page_type_is_valid_html(archive, live_server):
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for name, path in page_paths().items():
            try:
                body = urllib.request.urlopen(live_server.url + path).read()
            except urllib.error.HTTPError as error:  # the designed 404 and 400 pages are checked too
                body = error.read()
            target = Path(tmp) / f"{name}.html"
            target.write_bytes(body)
            files.append(str(target))
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "text", *files],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_student_follows_a_case_to_a_position_and_back(archive, live_server, page):
    page.goto(live_server.url + "/cases/")
    page.get_by_role("link", name="cadmium", exact=False).first.click()
    case_url = page.url
    assert page.locator("h1").inner_text()
    page.locator("time").first.wait_for()
    position_link = page.locator("a[href^='/positions/']").first
    position_title = position_link.inner_text()
    position_link.click()
    assert "/positions/" in page.url, position_title
    # the link back lands on the position's entry in the case page, not at its top
    page.locator(f"a[href^='{case_url.removeprefix(live_server.url)}#position-']").first.click()
    assert page.url.startswith(case_url + "#position-")


@pytest.mark.parametrize("path", ["/cases/", "/debate/", "/timeline/", "/network/", "/map/", COMPARED])
def test_pages_read_without_javascript(archive, live_server, browser, path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + path)
    assert page.locator("main h1").count() == 1
    assert page.locator("main a").count() > 3
    context.close()
