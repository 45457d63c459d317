"""A student's journeys through the timeline, the debate, the map, the network and the comparison, in a browser."""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def in_view(locator):
    """The element ends up on screen (waiting out a smooth scroll)."""
    locator.element_handle().wait_for_element_state("stable")
    locator.page.wait_for_function(
        "el => { const r = el.getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0; }",
        arg=locator.element_handle(),
        timeout=5000,
    )
    return True


def test_a_student_filters_opens_a_case_follows_its_timeline_to_a_position_and_back(archive, live_server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/cases/")
    # filter the list by an organisation, with the form (as a reader without a URL would)
    hkc = page.locator("input[name='organisation'][value='hkc']")
    if not hkc.is_visible():  # among the facet's "more" options
        page.locator("details.facet__more", has=hkc).locator("summary").click()
    hkc.check()
    page.get_by_role("button", name="Apply filters").click()
    assert "organisation=hkc" in page.url
    page.locator(".case-card__title a").first.click()
    case_url = page.url

    # the case's timeline: a list of dated events, each date at its precision, with a drawn axis
    timeline = page.locator(".case-timeline")
    assert timeline.locator("ol.timeline > li").count() >= 3
    assert timeline.locator("time[datetime='2003']").inner_text() == "2003"
    events = timeline.locator("ol.timeline > li").count()
    assert timeline.locator(".chart-fit--wide svg.axis .axis__mark").count() == events
    # hovering a mark highlights its event (JavaScript enhancement)
    timeline.locator(".chart-fit--wide .axis__link").last.hover()
    assert timeline.locator(".timeline__event.is-active").count() == 1

    # from the timeline to the timeline of all cases, and back to this case's event
    page.get_by_role("link", name="All cases on one timeline").click()
    assert "/timeline/" in page.url
    page.locator(f"a[href^='{case_url.removeprefix(live_server.url)}#event-']").first.click()
    assert page.url.startswith(case_url + "#event-")
    assert in_view(page.locator(".timeline__event:target"))

    # to a position the case bears on, landing on this case's entry there
    page.locator("#debate ~ ul a[href^='/positions/'], .stance__position a[href^='/positions/']").first.click()
    assert "/positions/" in page.url and "#case-" in page.url
    target = page.locator(".stance:target")
    assert target.count() == 1 and in_view(target)
    assert target.locator("blockquote").inner_text()  # the sentence that says why

    # and back, landing on the position's entry in the case page
    target.locator(".stance__position a").click()
    assert page.url.startswith(case_url + "#position-")
    # a quotation cited for several positions is shown once: each position's link in it is the target
    assert in_view(page.locator(".stance__position a:target"))


def test_the_timeline_zooms_to_a_range_of_years(archive, live_server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/timeline/")
    sections = page.locator("section.year")
    total = sections.count()
    assert total > 3
    first_year = int(sections.first.get_attribute("data-year"))
    page.locator("#zoom-from").fill(str(first_year + 8))
    visible = page.locator("section.year:not([hidden])").count()
    assert 0 < visible < total
    assert "Showing" in page.locator(".zoom__status").inner_text()
    page.get_by_role("button", name="All years").click()
    assert page.locator("section.year:not([hidden])").count() == total


def test_a_student_reads_the_debate_from_critical_to_hopeful(archive, live_server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/debate/")
    labels = page.locator(".spectrum-map .band__label").all_text_contents()
    assert labels == ["Critical", "Sceptical", "Ambivalent", "Hopeful", "Optimistic"]
    node = page.locator(".spectrum-map a.spectrum-node").first
    href = node.get_attribute("href")
    node.click()
    assert page.url.endswith(href)
    assert page.locator("h1").inner_text()
    # from the position to a case that bears on it, and back
    case_link = page.locator(".stance__position a").first
    case_link.click()
    assert "#position-" in page.url
    page.locator(".stance__position a:target").click()
    assert page.url.split("#")[0].endswith(href)


def test_a_student_uses_the_map(archive, live_server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/map/")
    assert page.locator("#map-pearl-river-delta path.land").count() > 0
    markers = page.locator("#map-pearl-river-delta a.marker:visible")
    names = markers.locator("text").all_text_contents()
    assert any(name.startswith("Shenzhen") for name in names)
    assert any(name.startswith("Hong Kong") for name in names)
    assert page.locator("#map-china a.marker text", has_text="Beijing").count() == 1
    page.locator("#map-pearl-river-delta a.marker:visible", has_text="Shenzhen").click()
    assert "/places/shenzhen/" in page.url
    assert page.locator("#cases ~ .case-item, .case-item").count() >= 1


def test_a_student_compares_cases_on_a_phone(archive, live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/compare/")
    options = page.locator("#compare-1 option").all()
    slugs = [o.get_attribute("value") for o in options if o.get_attribute("value")]
    page.locator("#compare-1").select_option(slugs[0])
    page.locator("#compare-2").select_option(slugs[1])
    with page.expect_navigation():  # a form's GET: count the new page's cells, not the old page's
        page.get_by_role("button", name="Compare").click()
    table = page.locator("table.compare")
    assert table.locator("thead th").count() == 2
    assert table.locator("tbody th").all_inner_texts()[:2] == ["Period", "Kind"]
    assert no_sideways_scroll(page)
    # on a phone the table reads row by row, each cell naming its case: no word is cut at the screen's edge
    assert page.locator("td .compare__case:visible").count() == 2 * table.locator("tbody th").count()
    for cell in table.locator("thead th, tbody th, tbody td").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], cell.inner_text()
    # a single case is refused with a message
    page.locator("#compare-2").select_option("")
    with page.expect_navigation():
        page.get_by_role("button", name="Compare").click()
    assert "Choose two or three cases" in page.locator("[role=alert]").inner_text()


def test_the_network_highlights_an_organisations_links(archive, live_server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/network/")
    nodes = page.locator(".network-svg--wide a.node")
    rows = page.locator(".network__table tbody tr")
    assert nodes.count() > 5 and rows.count() > 5
    page.locator(".network-svg--wide a.node[data-slug='hkc']").hover()
    assert page.locator(".network-svg--wide .edge.is-active").count() >= 3
    page.locator("select[name='relation']").select_option("funder")
    with page.expect_navigation():  # read the filtered table, not the one being left
        page.get_by_role("button", name="Apply").click()
    relations = page.locator(".network__table tbody tr td:nth-child(2)").all_inner_texts()
    assert relations and all(text.startswith("funded") for text in relations)


@pytest.mark.parametrize("path", ["/timeline/", "/network/", "/map/", "/debate/"])
def test_drawn_pages_read_without_javascript(archive, live_server, browser, path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + path)
    assert page.locator("main svg, main .spectrum-map").count() >= 1  # the debate map is laid out in the page
    assert page.locator("main a").count() > 10  # every drawn thing is also a link or a row in a list
    context.close()
