"""The charts on a phone and what they say: each fits the screen, names what it shows, and invents nothing."""

import datetime
import itertools
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from cases.core.registry import service
from cases.interventions.models import Intervention
from cases.visual import network, selectors, views
from cases.visual.timeline import NARROW
from tests.factories import (
    EventFactory,
    InterventionFactory,
    OrganisationFactory,
    OrganisationRelationFactory,
    PlaceFactory,
    RoleFactory,
)
from tests.test_visual_pages import compare_url, get, narrow, wide

pytestmark = pytest.mark.django_db


def rows_of(chart):
    """{case url: the row's markup} of a drawn timeline of all cases."""
    rows = re.findall(r'<g class="case-row".*?</g>', chart, re.S)
    return {re.search(r'<a href="([^"#]+)" class="case-row__title"', row)[1]: row for row in rows}


def span_width(row):
    return float(re.search(r'<rect class="case-row__span"[^>]* width="([^"]+)"', row)[1])


def year_width(chart):
    ticks = [float(x) for x in re.findall(r'<line class="axis__tick" x1="([^"]+)"', chart)]
    years = [int(y) for y in re.findall(r'<text class="axis__label"[^>]*>(\d+)</text>', chart)]
    return (ticks[1] - ticks[0]) / (years[1] - years[0])


# --- The timeline of all cases: what happened, not how much was written ---------------------------------------


def test_the_timeline_draws_each_case_from_its_start_to_its_end_and_never_invents_an_unknown_one(client):
    known = InterventionFactory(
        title="Bargaining regulations",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2014, 1, 1),
        start_precision="year",
        end_precision="year",
    )
    open_ended = InterventionFactory(title="Cadmium campaign", start_date=datetime.date(2003, 1, 1), end_date=None)
    undated = InterventionFactory(title="Dormitory groups", start_date=None, end_date=None)
    for case, year in ((known, 2010), (open_ended, 2003), (open_ended, 2014), (undated, 2005)):
        EventFactory(intervention=case, date=datetime.date(year, 1, 1), precision="year")
    chart = wide(get(client, reverse("timeline")), "cases-chart")
    rows = rows_of(chart)
    per_year = year_width(chart)
    assert span_width(rows[known.get_absolute_url()]) == pytest.approx(5 * per_year, abs=0.5)  # 2010 to end of 2014
    # an unknown end: the bar covers the known start only, then a short dashed stub and a question mark
    row = rows[open_ended.get_absolute_url()]
    assert span_width(row) == pytest.approx(per_year, abs=0.5)
    stub = re.search(r'<line class="case-row__open" x1="([^"]+)"[^>]* x2="([^"]+)"', row)
    assert float(stub[2]) - float(stub[1]) < per_year  # a sign that the end is unknown, not a length of time
    assert ">?</text>" in row and "(end unknown)" in row
    assert "case-row__open" not in rows[known.get_absolute_url()]
    # an unknown start: no bar at all, only its dated event
    row = rows[undated.get_absolute_url()]
    assert "case-row__span" not in row and "(dates unknown)" in row and "axis__mark" in row
    # and it is not a count of events per year any more
    assert "events per year" not in chart.lower()


def test_the_timeline_drawing_keeps_the_filters(client):
    hkc = OrganisationFactory(slug="hkc")
    theirs = InterventionFactory(title="Cadmium campaign")
    RoleFactory(intervention=theirs, organisation=hkc)
    EventFactory(intervention=theirs)
    other = EventFactory().intervention
    html = get(client, reverse("timeline") + "?organisation=hkc")
    for chart in (wide(html, "cases-chart"), narrow(html, "cases-chart")):
        assert theirs.get_absolute_url() in rows_of(chart)
        assert other.get_absolute_url() not in chart


def test_on_a_phone_the_timeline_fits_the_screen_to_its_last_year(client):
    early = InterventionFactory(start_date=datetime.date(2002, 1, 1))
    late = InterventionFactory(start_date=datetime.date(2014, 1, 1), end_date=datetime.date(2015, 1, 1))
    EventFactory(intervention=early, date=datetime.date(2002, 1, 1), precision="year")
    EventFactory(intervention=late, date=datetime.date(2014, 9, 10), precision="day", position=3)
    chart = narrow(get(client, reverse("timeline")), "cases-chart")
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', chart)[1])
    assert width == NARROW
    marks = re.findall(r'<rect class="axis__mark[^"]*" x="([^"]+)" y="[^"]+" width="([^"]+)"', chart)
    assert marks and all(float(x) >= 0 and float(x) + float(w) <= width for x, w in marks)
    assert f'{late.get_absolute_url()}#event-3"' in chart  # the 2014 event is drawn, inside the frame
    assert ">2014<" in chart or ">2015<" in chart  # the axis reaches the end


def test_the_timeline_draws_the_first_cases_and_says_so_when_there_are_too_many(client, monkeypatch):
    monkeypatch.setattr(views, "CHARTED_CASES", 2)
    cases = [InterventionFactory(start_date=datetime.date(2000 + i, 1, 1)) for i in range(3)]
    for case in cases:
        EventFactory(intervention=case)
    html = get(client, reverse("timeline"))
    drawn = rows_of(wide(html, "cases-chart"))
    assert [case.get_absolute_url() in drawn for case in cases] == [True, True, False]
    assert "the first 2 cases" in html


# --- The network: a legend, names that never overlap, a phone's layout -------------------------------------


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_no_overlap(graph):
    boxes = graph.boxes()
    for (what, box), (other, other_box) in itertools.combinations(boxes, 2):
        assert not overlaps(box, other_box), (graph.variant, what, other)
    for what, box in boxes:
        assert box[0] >= 0 and box[2] <= graph.width and box[1] >= 0 and box[3] <= graph.height, (graph.variant, what)


def whole_network(case=None):
    roles = selectors.case_roles(case)
    links = selectors.relation_links("", case) + selectors.role_links(roles)
    organisations = {o.pk: o for link in links for o in (link.subject, link.object)}
    organisations |= {role.organisation.pk: role.organisation for role in roles}
    return organisations.values(), links


@pytest.mark.usefixtures("canonical_archive")  # `load_archive` once for the whole class
class TestTheCanonicalNetwork:
    def test_no_two_names_headings_or_nodes_overlap_in_either_layout(self):
        for case in [None, *Intervention.objects.published()]:
            organisations, links = whole_network(case)
            for layout in (network.layout, network.narrow_layout):
                assert_no_overlap(layout(organisations, links))

    def test_the_hub_is_drawn_with_whole_names_around_hka_hkb_and_hkc(self):
        graph = network.layout(*whole_network())
        hub = {node.organisation.slug: node for node in graph.nodes if node.side == "centre"}
        assert {"hka", "hkb", "hkc"} <= set(hub)
        assert all("…" not in node.label for node in hub.values() if len(node.organisation.name) <= 40)


def test_long_names_in_the_hub_wrap_instead_of_colliding():
    hub = [
        OrganisationFactory(
            name=f"Hong Kong labour and social welfare group number {i}", kind="lngo", base="hong_kong"
        )
        for i in range(6)
    ]
    others = [OrganisationFactory(name=f"Mainland partner {i}", kind="lngo", base="mainland") for i in range(3)]
    links = [OrganisationRelationFactory(subject=hub[i], object=hub[i + 3], kind="partner") for i in range(3)]
    links += [OrganisationRelationFactory(subject=hub[0], object=other, kind="funder") for other in others]
    for layout in (network.layout, network.narrow_layout):
        graph = layout(hub + others, links)
        assert_no_overlap(graph)
        assert any(len(node.lines) == 2 for node in graph.nodes)


def test_the_network_has_a_legend_for_the_lines_it_draws(client):
    hka = OrganisationFactory(slug="hka", kind="lngo", base="hong_kong")
    OrganisationRelationFactory(subject=OrganisationFactory(), object=hka, kind="funder")
    OrganisationRelationFactory(subject=hka, object=OrganisationFactory(kind="company"), kind="target")
    html = get(client, reverse("network"))
    legend = html[html.index('class="network-legend"') : html.index("</ul>", html.index('class="network-legend"'))]
    assert 'class="edge edge--funder"' in legend and "funded" in legend
    assert 'class="edge edge--target"' in legend and "targeted" in legend
    assert "partner of" not in legend  # only what is drawn


def test_the_network_is_laid_out_for_a_phone_too(client):
    hka = OrganisationFactory(slug="hka", kind="lngo", base="hong_kong")
    OrganisationRelationFactory(subject=hka, object=OrganisationFactory(slug="fnv", kind="international_ngo"))
    html = get(client, reverse("network"))
    phone = narrow(html, "network-svg")
    assert float(re.search(r'viewBox="0 0 ([\d.]+) ', phone)[1]) == network.NARROW_WIDTH
    assert set(re.findall(r'data-slug="([^"]+)"', phone)) == {"hka", "fnv"}
    assert 'marker-end="url(#arrow-narrow)"' in phone and 'id="arrow-narrow"' in phone


def test_the_case_network_is_offered_to_the_case_page_and_drawn_by_its_include(django_assert_num_queries):
    hka = OrganisationFactory(slug="hka", name="HKA", kind="lngo", base="hong_kong")
    gdftu = OrganisationFactory(slug="gdftu", name="GDFTU", kind="official_union")
    case = InterventionFactory(slug="wage-campaign")
    RoleFactory(intervention=case, organisation=hka, kind="lead")
    RoleFactory(intervention=case, organisation=gdftu, kind="target")
    OrganisationRelationFactory(subject=hka, object=gdftu, kind="connected")
    OrganisationRelationFactory(subject=hka, object=OrganisationFactory(), kind="funder")  # not in this case
    case = Intervention.objects.prefetch_related("roles__organisation", "roles__source").get(pk=case.pk)
    roles = case.roles.all()
    list(roles)
    with django_assert_num_queries(1):  # the relations between those involved; the roles come with the page
        drawn = service("case_network")(case, roles)
    assert {(link.subject.slug, link.kind, link.object.slug) for link in drawn["links"]} == {
        ("hka", "connected", "gdftu"),
        ("hka", "target", "gdftu"),
    }
    with django_assert_num_queries(0):
        html = render_to_string("visual/_case_network.html", {"network": drawn})
    assert html.count('<svg class="network-svg') == 2 and 'class="network-legend"' in html
    assert f"{reverse('network')}?case=wage-campaign" in html
    assert render_to_string("visual/_case_network.html", {"network": []}).strip() == ""  # no service, no drawing


# --- The map and the comparison on a phone ---------------------------------------------------------------


def test_on_a_phone_the_detail_map_is_framed_on_the_delta_with_shenzhen_and_hong_kong_in_it(client):
    case = InterventionFactory()
    places = {
        name: PlaceFactory(name=name, latitude=lat, longitude=lon)
        for name, lat, lon in (
            ("Guangzhou", "23.12910", "113.26440"),
            ("Shenzhen", "22.54310", "114.05790"),
            ("Hong Kong", "22.31930", "114.16940"),
            ("Huizhou", "23.11150", "114.41520"),
        )
    }
    for place in places.values():
        case.places.add(place)
    html = get(client, reverse("map"))
    phone = narrow(html, "map__svg")
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', phone).groups())
    assert width <= 400
    for name, place in places.items():
        marker = re.search(
            rf'<a href="{place.get_absolute_url()}" class="marker">.*?<circle cx="([^"]+)" cy="([^"]+)"', phone, re.S
        )
        assert marker, name
        assert 0 < float(marker[1]) < width and 0 < float(marker[2]) < height, name


def test_on_a_phone_each_cell_of_the_comparison_names_its_case(client):
    first, second = InterventionFactory(title="First case"), InterventionFactory(title="Second case")
    html = get(client, compare_url(first.slug, second.slug))
    rows = len(re.findall(r'<th scope="row">', html))
    assert html.count('<span class="compare__case">First case</span>') == rows
    assert html.count('<span class="compare__case">Second case</span>') == rows
