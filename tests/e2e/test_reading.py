"""A student reads the archive in a real browser: every page type is accessible, valid and readable on a phone."""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, assert_valid_html, check_pages

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


# The names of page_paths() in groups, a test each, so that the two browsers share the walk.
PAGE_GROUPS = {
    "lists": ("home", "cases", "organisations", "debate", "sources", "concepts", "places", "about", "not-found"),
    "drawn": ("timeline", "timeline-filtered", "network", "network-case", "map"),
    "compare": ("compare-picker", "compare", "compare-error"),
    "entries": ("case", "organisation", "position", "source", "concept", "place"),
}


@pytest.mark.parametrize("group", PAGE_GROUPS)
def test_every_page_type_has_no_axe_violations_and_fits_a_phone(
    archive, live_server, page, axe_violations, shoot, group
):
    paths = page_paths()
    grouped = [name for names in PAGE_GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(paths), "put the new page type in one of PAGE_GROUPS"
    check_pages(page, live_server.url, {name: paths[name] for name in PAGE_GROUPS[group]}, axe_violations, shoot)


def test_every_page_type_is_valid_html(archive, live_server):
    assert_valid_html(live_server.url, page_paths())


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


CADMIUM = "/cases/hkc-cadmium-compensation-campaign/"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_contents_of_a_case_stay_in_reach_and_lead_to_each_part(archive, live_server, browser, viewport):
    # Plain anchor links, so no script; no smooth scrolling, so the page is where the link leads at once.
    context = browser.new_context(viewport=viewport, java_script_enabled=False, reduced_motion="reduce")
    page = context.new_page()
    page.goto(live_server.url + CADMIUM)
    contents = page.get_by_role("navigation", name="On this page")
    # At a glance comes before the story.
    glance = page.locator("#facts").bounding_box()["y"]
    assert glance < page.locator("#narrative").bounding_box()["y"]
    for name, target in (
        ("Questions for discussion", "#discussion"),
        ("Timeline", "#timeline"),
        ("At a glance", "#facts"),
    ):
        contents.get_by_role("link", name=name).click()
        assert page.url.endswith(target)
        heading = page.locator(target).bounding_box()
        bar = contents.bounding_box()
        # The heading is on screen, and the contents (sticky) are still there, not covering it.
        assert 0 < heading["y"] < viewport["height"], (name, heading)
        assert 0 <= bar["y"] < viewport["height"], (name, bar)
        if viewport is PHONE:
            assert heading["y"] >= bar["y"] + bar["height"] - 1, (name, heading, bar)
    context.close()


# The same page types in Chinese: the pages a Chinese reader meets first, in both scripts.
CHINESE_PAGES = ("home", "cases", "debate", "map", "timeline-filtered", "case", "position", "not-found")
CHINESE = ("zh-hans", "zh-hant")


def chinese_paths(code):
    return {f"{code}-{name}": f"/{code}{path}" for name, path in page_paths().items() if name in CHINESE_PAGES}


@pytest.mark.parametrize("code", CHINESE)
def test_the_chinese_pages_have_no_axe_violations_and_fit_a_phone(
    archive, live_server, page, axe_violations, shoot, code
):
    check_pages(page, live_server.url, chinese_paths(code), axe_violations, shoot)


def test_the_chinese_pages_are_valid_html(archive, live_server):
    assert_valid_html(live_server.url, {**chinese_paths("zh-hans"), **chinese_paths("zh-hant")})
