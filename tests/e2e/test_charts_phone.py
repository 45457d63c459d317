"""The charts on a phone: the part that matters is on screen, nothing hides off to the side of the page."""

import pytest

from tests.e2e.conftest import PHONE

SMALL_PHONE = {"width": 320, "height": 640}
CADMIUM = "/cases/hkc-cadmium-compensation-campaign/"
COMPARE = (
    "/compare/?cases=hkc-cadmium-compensation-campaign&cases=hkb-collective-bargaining-project"
    "&cases=hka-minimum-wage-campaign"
)
CHARTS = {
    "/map/": "#map-pearl-river-delta svg",
    "/debate/": ".spectrum-map",
    "/network/": ".network-svg",
    "/timeline/": ".cases-chart",
    CADMIUM: ".case-timeline svg.axis",
    COMPARE: "table.compare",
}


def inside_screen(locator, width):
    """Every matching element the reader can see lies within the screen's width."""
    boxes = [box for box in (element.bounding_box() for element in locator.all()) if box and box["width"] > 0]
    assert boxes, locator
    return all(box["x"] >= -0.5 and box["x"] + box["width"] <= width + 0.5 for box in boxes)


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["375px", "320px"])
def test_every_chart_fits_a_phone_without_sideways_scrolling(archive, live_server, page, viewport):
    page.set_viewport_size(viewport)
    for path, chart in CHARTS.items():
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
        visible = page.locator(f"{chart} >> visible=true")
        assert visible.count() >= 1, path
        assert inside_screen(visible, viewport["width"]), path
        # and nothing inside scrolls sideways on its own, hidden from the reader
        hidden = page.evaluate(
            """sel => [...document.querySelectorAll(sel)].map(el => el.parentElement)
                 .filter(box => box.offsetParent && box.scrollWidth > box.clientWidth + 1).length""",
            chart,
        )
        assert hidden == 0, path


def test_on_a_phone_the_timelines_show_2014(archive, live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/timeline/")
    marks = page.locator(".cases-chart .axis__link[data-year='2014'] >> visible=true")
    assert marks.count() >= 3
    assert inside_screen(marks, PHONE["width"])
    page.goto(live_server.url + CADMIUM)
    marks = page.locator(".case-timeline .axis__link[data-target] >> visible=true")
    assert marks.count() == page.locator(".case-timeline ol.timeline > li").count()  # 2014's three events too
    assert inside_screen(marks, PHONE["width"])


def test_on_a_phone_the_map_shows_shenzhen_and_hong_kong(archive, live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/map/")
    for name in ("Shenzhen", "Hong Kong", "Guangzhou"):
        marker = page.locator("#map-pearl-river-delta a.marker >> visible=true", has_text=name)
        assert marker.count() == 1, name
        assert inside_screen(marker, PHONE["width"]), name


def test_on_a_phone_the_debate_map_stacks_its_five_bands_with_whole_titles(archive, live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/debate/")
    bands = page.locator(".spectrum-bands > li")
    assert bands.count() == 5
    tops = [band.bounding_box()["y"] for band in bands.all()]
    assert tops == sorted(tops) and len(set(tops)) == 5  # one under another, critical first
    titles = page.locator(".spectrum-node").all_inner_texts()
    assert titles and not any(title.endswith("…") for title in titles)
    assert page.locator(".spectrum-card__cases a").count() >= 10  # the cases, named


def test_on_a_phone_the_network_shows_the_hub_and_its_legend(archive, live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/network/")
    for slug in ("hka", "hkb", "hkc"):
        node = page.locator(f".network-svg a.node[data-slug='{slug}'] >> visible=true")
        assert node.count() == 1 and inside_screen(node, PHONE["width"]), slug
    assert page.locator(".network-legend li").count() >= 3
    # highlighting works on the phone's drawing too
    page.locator(".network-svg--narrow a.node[data-slug='hkc']").hover()
    assert page.locator(".network-svg--narrow .edge.is-active").count() >= 3
