"""A student narrows the lists in a real browser: filtered, empty and invalid states are accessible and valid."""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, assert_valid_html, check_pages

PATHS = {
    "cases-filtered": "/cases/?organisation=hkc&stage=campaign",
    "cases-every-organisation": "/cases/?stage=campaign&more=organisation",
    "cases-several": "/cases/?stage=campaign&stage=militant_particularism&place=shenzhen&sort=latest",
    "cases-empty": "/cases/?organisation=hka&outcome=suppressed",
    "cases-invalid": "/cases/?year_from=twenty&stage=nonsense",
    "organisations-filtered": "/organisations/?kind=lngo&pseudonymous=yes&sort=name",
    "debate-filtered": "/debate/?stance=critical&stance=sceptical",
    "sources-filtered": "/sources/?type=article&year_from=2010&sort=latest",
    "api-docs": "/api/",
}


@pytest.mark.parametrize("lists", ["cases", "others"])  # two tests, so that the two browsers share the walk
def test_filtered_lists_have_no_axe_violations_and_fit_a_phone(
    archive, live_server, page, axe_violations, shoot, lists
):
    paths = {name: path for name, path in PATHS.items() if name.startswith("cases-") == (lists == "cases")}
    check_pages(page, live_server.url, paths, axe_violations, shoot, prefix="find-")


def test_filtered_lists_are_valid_html(archive, live_server):
    assert_valid_html(live_server.url, PATHS)


def test_a_student_narrows_the_case_list_without_javascript(archive, live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/cases/")
    hkc = page.locator('input[name="organisation"][value="hkc"]')
    if not hkc.is_visible():  # beyond the first options, behind "N more"
        page.locator(".facet").first.locator(".facet__more summary").click()
    hkc.check()
    page.get_by_role("button", name="Apply filters").click()
    assert "organisation=hkc" in page.url
    assert page.url.endswith("/cases/?organisation=hkc")  # the empty fields and default order: redirected away
    assert page.locator(".chip").count() == 1
    page.get_by_label("From year").fill("2005")
    page.get_by_role("button", name="Apply filters").click()
    assert "organisation=hkc" in page.url and "year_from=2005" in page.url and "year_to=" not in page.url
    page.get_by_role("link", name="Clear all filters").first.click()
    assert page.url.rstrip("/").endswith("/cases")
    context.close()


# Sums the layout shifts a reader did not cause, from the first paint on (buffered: shifts before the observer too).
LAYOUT_SHIFT = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.__layoutShift += entry.value; }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("path", ["/cases/", "/cases/?organisation=hkc"])
def test_the_case_list_does_not_move_while_it_loads_on_a_phone(archive, live_server, browser, path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.add_init_script(LAYOUT_SHIFT)
    page.goto(live_server.url + path, wait_until="load")
    page.wait_for_timeout(1000)  # scripts have run and anything late has drawn
    shift = page.evaluate("window.__layoutShift")
    # The first paint is already the final layout: the panel is sent closed, not closed by a script afterwards.
    assert shift < 0.1, shift
    assert page.locator("details.find-panel").get_attribute("open") is None
    assert page.locator(".case-list").is_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_filters_show_beside_the_results_on_a_wide_screen(archive, live_server, browser, javascript):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/cases/")
    assert page.locator('input[name="organisation"]').first.is_visible()
    assert page.get_by_role("button", name="Apply filters").is_visible()
    context.close()


def test_the_panel_starts_closed_on_a_phone_with_javascript(archive, live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/cases/?organisation=hkc")
    assert page.locator("details.find-panel").get_attribute("open") is None
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/cases/?organisation=hkc")
    assert page.locator("details.find-panel").get_attribute("open") is not None


def test_applied_filters_leave_a_clean_address_with_javascript(archive, live_server, page):
    page.set_viewport_size(DESKTOP)
    requested = []
    page.on("request", lambda request: requested.append(request.url) if "/cases/?" in request.url else None)
    page.goto(live_server.url + "/cases/")
    page.locator('input[name="stage"][value="campaign"]').check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert page.url.endswith("/cases/?stage=campaign")  # no empty years, no default order
    # The browser never asked for the address with empty fields: the script left them out, no redirect needed.
    assert all("year_from=" not in url for url in requested), requested
