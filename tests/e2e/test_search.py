"""Searching in a real browser: from the box in the header to grouped, highlighted results; accessible and valid."""

from tests.e2e.conftest import DESKTOP, assert_valid_html, check_pages

PATHS = {
    "search-empty-form": "/search/",
    "search-results": "/search/?q=cadmium",
    "search-misspelt": "/search/?q=Franceschni",
    "search-one-kind": '/search/?q="minimum+wage"+-strike&kind=evidence',
    "search-nothing": "/search/?q=qwxzvb",
    "search-nothing-in-one-kind": "/search/?q=wage+qwxzvb&kind=source",
    "search-too-long": "/search/?q=" + "w" * 300,
}


def test_search_pages_have_no_axe_violations_and_fit_a_phone(archive, live_server, page, axe_violations, shoot):
    check_pages(page, live_server.url, PATHS, axe_violations, shoot)


def test_search_pages_are_valid_html(archive, live_server):
    assert_valid_html(live_server.url, PATHS)


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
    # Without JavaScript the click is a navigation: wait for the new page before counting its results.
    page.wait_for_url("**kind=case**")
    page.wait_for_load_state()
    assert page.locator(".search-result").count() == 1
    page.locator(".search-result a").first.click()
    assert "/cases/hkc-cadmium-compensation-campaign/" in page.url
    context.close()
