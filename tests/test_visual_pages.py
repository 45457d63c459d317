"""The timeline, network, map, comparison and debate map: what a reader sees, and what they never see."""

import datetime
import re

import pytest
from django.urls import reverse

from tests import test_pages as pages
from tests.factories import (
    EventFactory,
    InterventionFactory,
    OrganisationFactory,
    OrganisationRelationFactory,
    PlaceFactory,
    PositionFactory,
    RoleFactory,
    StanceFactory,
)

HIDDEN_STATUSES = ["draft", "review", "withdrawn"]
NEW_PAGES = ["timeline", "network", "map", "compare"]


def wide(html, svg_class):
    """The first drawing of a kind: the layout a wide screen shows (each drawing is also laid out for a phone)."""
    start = html.index(f'<svg class="{svg_class}')
    return html[start : html.index("</svg>", start)]


def narrow(html, svg_class):
    start = html.index(f'<svg class="{svg_class}', html.index("chart-fit--narrow"))
    return html[start : html.index("</svg>", start)]


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def compare_url(*slugs):
    return reverse("compare") + "?" + "&".join(f"cases={slug}" for slug in slugs)


# --- Query counts -----------------------------------------------------------------------------------------

QUERIES = {
    # count of cases (unused page), 8 facets, events page count, events, their sources' authors, the charted
    # cases with their events
    "timeline": 13,
    # case choices, relations, their sources' authors, roles, their sources' authors
    "network": 5,
    # places with counts, the first cases of each place (one windowed query)
    "map": 2,
    # picker choices, the cases, their places, issues, tactics, roles, events and stances
    "compare": 8,
}


def new_page_url(name, archive):
    if name == "compare":
        return compare_url(archive["case"].slug, archive["case"].parent.slug)
    return reverse(name)


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("name", NEW_PAGES)
def test_query_count_is_pinned_and_does_not_grow(client, django_assert_num_queries, name, size):
    archive = pages.build_archive(size)
    url = new_page_url(name, archive)
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("name", NEW_PAGES)
def test_every_new_page_has_one_h1_and_no_inline_code(client, name):
    html = get(client, new_page_url(name, pages.build_archive(1)))
    assert html.count("<h1") == 1
    assert "style=" not in html and "<style" not in html and "<script>" not in html and "onclick" not in html


# --- Dates at their precision -----------------------------------------------------------------------------


def test_a_year_is_never_shown_as_the_first_of_january_anywhere(client):
    case = InterventionFactory(start_date=datetime.date(2011, 1, 1), start_precision="year")
    other = InterventionFactory()
    EventFactory(intervention=case, date=datetime.date(2011, 1, 1), precision="year", title="Campaign starts")
    EventFactory(intervention=case, date=datetime.date(2013, 2, 1), precision="month", title="Petition")
    EventFactory(intervention=case, date=datetime.date(2014, 7, 23), precision="day", title="Protest")
    for url in (case.get_absolute_url(), reverse("timeline"), compare_url(case.slug, other.slug)):
        html = get(client, url)
        assert '<time datetime="2011">2011</time>' in html, url
        assert '<time datetime="2013-02">February 2013</time>' in html, url
        assert '<time datetime="2014-07-23">23 July 2014</time>' in html, url
        assert "1 January 2011" not in html and "1 February 2013" not in html, url


def test_a_year_event_is_drawn_as_long_as_its_year_and_a_day_event_as_a_dot(client):
    case = InterventionFactory(start_date=datetime.date(2010, 1, 1), start_precision="year")
    EventFactory(intervention=case, date=datetime.date(2010, 1, 1), precision="year", title="A year", position=1)
    EventFactory(intervention=case, date=datetime.date(2012, 5, 9), precision="day", title="A day", position=2)
    page = get(client, case.get_absolute_url())
    html = wide(page, "axis")
    marks = dict(
        re.findall(
            r'<a href="#(event-\d)"[^>]*><rect class="axis__mark[^"]*" x="[^"]+" y="[^"]+" width="([^"]+)"', html
        )
    )
    ticks = [float(x) for x in re.findall(r'<line class="axis__tick" x1="([^"]+)"', html)]
    year_width = ticks[1] - ticks[0]
    assert float(marks["event-1"]) == pytest.approx(year_width, abs=0.2)
    assert float(marks["event-2"]) < year_width / 10
    # every drawn mark links to its entry in the list
    assert 'id="event-1"' in page and 'id="event-2"' in page


def test_timeline_groups_events_by_year_and_links_each_to_its_case(client):
    early = InterventionFactory(title="Early case")
    late = InterventionFactory(title="Late case")
    EventFactory(intervention=early, date=datetime.date(2003, 1, 1), precision="year", title="First event", position=4)
    EventFactory(intervention=late, date=datetime.date(2014, 9, 1), precision="month", title="Last event")
    html = get(client, reverse("timeline"))
    years = html[html.index('id="timeline-years"') :]
    assert years.index('id="year-2003"') < years.index("First event") < years.index('id="year-2014"')
    assert years.index('id="year-2014"') < years.index("Last event")
    assert f'{early.get_absolute_url()}#event-4"' in html
    chart = wide(html, "cases-chart")
    assert f'{late.get_absolute_url()}" class="case-row__title"' in chart  # each case drawn, linking to it


def test_timeline_uses_the_case_list_filters(client):
    hkc = OrganisationFactory(slug="hkc", name="HKC")
    theirs = InterventionFactory(title="Cadmium campaign")
    RoleFactory(intervention=theirs, organisation=hkc)
    EventFactory(intervention=theirs, title="Strike at the battery factory")
    EventFactory(title="Someone else's event")
    html = get(client, reverse("timeline") + "?organisation=hkc")
    assert "Strike at the battery factory" in html
    assert "Someone else&#x27;s event" not in html
    assert "Organisation:" in html  # the active filter is shown, with a link that removes it


@pytest.mark.parametrize(
    "query", ["organisation=%00", "year_from=abc", "year_from=99999999999999", "issue=" + "x" * 5000, "stage=nope"]
)
def test_timeline_answers_bad_filters_with_a_message_not_an_error(client, query):
    EventFactory()
    response = client.get(reverse("timeline") + "?" + query)
    assert response.status_code == 400
    assert "could not be applied" in response.content.decode()


# --- Drafts appear nowhere ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_unpublished_entries_are_absent_from_the_visual_pages(client, status):
    place = PlaceFactory(name="Shown place")
    shown_case = InterventionFactory(title="Shown case")
    other_case = InterventionFactory(title="Other shown case")
    shown_case.places.add(place)
    lead = OrganisationFactory(name="Shown lead")
    RoleFactory(intervention=shown_case, organisation=lead)
    EventFactory(intervention=shown_case, title="Shown event")

    hidden_case = InterventionFactory(status=status, title="Hidden case")
    hidden_case.places.add(place)
    EventFactory(intervention=hidden_case, title="Hidden event")
    RoleFactory(intervention=hidden_case, organisation=lead)
    hidden_place = PlaceFactory(status=status, name="Hidden place")
    shown_case.places.add(hidden_place)
    hidden_org = OrganisationFactory(status=status, name="Hidden organisation")
    RoleFactory(intervention=shown_case, organisation=hidden_org, kind="partner")
    OrganisationRelationFactory(subject=lead, object=hidden_org, kind="funder")
    OrganisationRelationFactory(subject=hidden_org, object=lead, kind="ally")
    hidden_position = PositionFactory(status=status, title="Hidden position")
    StanceFactory(intervention=shown_case, position=hidden_position)

    hidden = [hidden_case.title, "Hidden event", hidden_place.name, hidden_org.name, hidden_position.title]
    hidden_urls = [obj.get_absolute_url() for obj in (hidden_case, hidden_place, hidden_org, hidden_position)]
    urls = [reverse("timeline"), reverse("network"), reverse("map"), reverse("compare")]
    urls.append(compare_url(shown_case.slug, other_case.slug))
    urls.append(reverse("network") + f"?case={shown_case.slug}")
    for url in urls:
        html = get(client, url)
        for text in hidden + hidden_urls:
            assert text not in html, (url, text)
    # the shown ones are there
    assert "Shown event" in get(client, reverse("timeline"))
    assert place.get_absolute_url() in get(client, reverse("map"))
    # a hidden case cannot be compared, and the page says so without revealing it
    html = get(client, compare_url(shown_case.slug, hidden_case.slug), status=400)
    assert "is not a published case" in html
    assert "Hidden case" not in html


# --- Compare ----------------------------------------------------------------------------------------------


def test_compare_shows_the_cases_side_by_side(client):
    first = InterventionFactory(title="First case", stage="campaign", outcome="won")
    second = InterventionFactory(title="Second case", stage="", outcome="unknown")
    org = OrganisationFactory(name="HKA")
    RoleFactory(intervention=first, organisation=org, kind="lead")
    position = PositionFactory(title="Anti-solidarity machine")
    StanceFactory(intervention=second, position=position, relation="challenges")
    html = get(client, compare_url(first.slug, second.slug))
    assert html.index("First case") < html.index("Second case")  # in the order chosen
    assert org.get_absolute_url() in html
    assert "not assigned by the sources" in html  # the second case's stage
    assert "Demands won" in html and "Not stated in the sources" in html
    assert f"{position.get_absolute_url()}#case-{second.slug}" in html
    assert 'class="table-wrap compare-wrap"' in html  # wide columns scroll inside their box on a phone


def test_compare_without_choices_shows_the_picker(client):
    case = InterventionFactory(title="A case to pick")
    html = get(client, reverse("compare"))
    assert '<select name="cases"' in html and f'<option value="{case.slug}">' in html
    assert "choose two or three cases" in html.lower()


@pytest.mark.parametrize(
    ("slugs", "message"),
    [
        (["a"], "Choose two or three cases to compare (you chose 1)"),
        (["a", "b", "c", "d"], "Choose two or three cases to compare (you chose 4)"),
        (["a", "a"], "You chose the same case twice"),
        (["a", "no-such-case"], "is not a published case"),
        (["a", "b\x00"], None),
        (["a", "x" * 3000], "is not a published case"),
    ],
)
def test_compare_answers_bad_input_with_a_message(client, slugs, message):
    cases = {"a": InterventionFactory(slug="a"), "b": InterventionFactory(slug="b")}
    InterventionFactory(slug="c")
    InterventionFactory(slug="d")
    response = client.get(reverse("compare"), {"cases": slugs})
    assert response.status_code == 400
    html = response.content.decode()
    if message:
        assert message in html
    assert cases["a"].get_absolute_url() + '"' not in html.split("</form>")[1]  # no comparison is drawn


def test_compare_ignores_empty_pickers(client):
    a, b = InterventionFactory(), InterventionFactory()
    response = client.get(reverse("compare"), {"cases": [a.slug, "", b.slug]})
    assert response.status_code == 200
    assert "2 cases side by side" in response.content.decode()


# --- Network ----------------------------------------------------------------------------------------------


def network_sets(html):
    svg = wide(html, "network-svg")
    nodes = set(re.findall(r'data-slug="([^"]+)"', svg))
    table = html[html.index("<table") : html.index("</table>")]
    rows = re.findall(
        r"<tr>\s*<td><a href=\"/organisations/([^/]+)/\">.*?<td><a href=\"/organisations/([^/]+)/\">", table, re.S
    )
    edges = re.findall(r'data-from="([^"]+)" data-to="([^"]+)"', svg)
    return nodes, rows, edges


def test_network_table_and_drawing_show_the_same_links(client):
    archive = pages.build_archive(3)
    html = get(client, reverse("network"))
    nodes, rows, edges = network_sets(html)
    assert rows, "the table lists the links"
    assert sorted(rows) == sorted(edges)  # one line per table row, between the same organisations
    assert nodes == {
        slug for row in rows for slug in row
    }  # every node is in the table, and every organisation of the table is drawn
    assert archive["organisation"].get_absolute_url() in html


def test_network_nodes_link_to_their_organisations_and_relations_cite_sources(client):
    hka = OrganisationFactory(slug="hka", name="HKA", kind="lngo", base="hong_kong")
    fnv = OrganisationFactory(slug="fnv", name="FNV", kind="international_union", base="international")
    relation = OrganisationRelationFactory(subject=fnv, object=hka, kind="funder", locator="p. 667")
    html = get(client, reverse("network"))
    assert f'<a href="{hka.get_absolute_url()}" class="node node--lngo" data-slug="hka">' in html
    assert "funded" in html
    assert relation.source.get_absolute_url() in html and "p. 667" in html


def test_network_filters_by_relation_and_by_case(client):
    hka, gdftu, fnv = (OrganisationFactory(slug=s, name=s.upper()) for s in ("hka", "gdftu", "fnv"))
    OrganisationRelationFactory(subject=fnv, object=hka, kind="funder")
    OrganisationRelationFactory(subject=hka, object=gdftu, kind="target")
    case = InterventionFactory(title="Wage campaign")
    RoleFactory(intervention=case, organisation=hka, kind="lead")
    RoleFactory(intervention=case, organisation=gdftu, kind="target")

    funded = get(client, reverse("network") + "?relation=funder")
    _nodes, rows, _edges = network_sets(funded)
    assert rows == [("fnv", "hka")]

    in_case = get(client, reverse("network") + f"?case={case.slug}")
    _nodes, rows, _edges = network_sets(in_case)
    assert sorted(rows) == [("hka", "gdftu"), ("hka", "gdftu")]  # the stated relation and the case's roles
    assert case.get_absolute_url() in in_case


@pytest.mark.parametrize("query", ["relation=nonsense", "case=no-such-case", "case=%00", "relation=" + "y" * 4000])
def test_network_answers_bad_filters_with_a_message(client, query):
    OrganisationRelationFactory()
    response = client.get(reverse("network") + "?" + query)
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


# --- Map --------------------------------------------------------------------------------------------------


def test_map_marks_places_with_cases_and_lists_their_cases(client):
    shenzhen = PlaceFactory(name="Shenzhen", latitude="22.54310", longitude="114.05790")
    beijing = PlaceFactory(name="Beijing", latitude="39.90420", longitude="116.40740")
    bangkok = PlaceFactory(name="Bangkok", latitude="13.75630", longitude="100.50180")
    province = PlaceFactory(name="Guangdong", kind="province", latitude="23.37900", longitude="113.76330")
    empty = PlaceFactory(name="A place without cases")
    case = InterventionFactory(title="Cadmium campaign")
    for place in (shenzhen, beijing, bangkok, province):
        case.places.add(place)
    html = get(client, reverse("map"))
    prd = html[html.index('id="map-pearl-river-delta"') : html.index('id="map-china"')]
    china = html[html.index('id="map-china"') : html.index("</figure>", html.index('id="map-china"'))]
    assert f'<a href="{shenzhen.get_absolute_url()}" class="marker">' in prd
    assert f'<a href="{beijing.get_absolute_url()}" class="marker">' in china
    assert shenzhen.get_absolute_url() not in china  # the overview marks the detail map's area instead
    assert 'class="land land--china"' in html and ' d="M' in html  # outlines from the shipped data
    listing = html[html.index('id="places-heading"') :]
    for place in (shenzhen, beijing, bangkok, province):
        assert place.get_absolute_url() in listing
    assert "outside the maps" in listing  # Bangkok
    assert "a province, not pinned to a point" in listing
    assert empty.get_absolute_url() not in html
    assert case.get_absolute_url() in listing


def test_map_works_without_places(client):
    html = get(client, reverse("map"))
    assert "No published case has a place yet" in html


# --- The debate -------------------------------------------------------------------------------------------


def test_debate_map_places_positions_from_critical_to_hopeful_with_counts(client):
    hopeful = PositionFactory(outlook=5, title="Community organising")
    critical = PositionFactory(outlook=1, title="Anti-solidarity machine")
    PositionFactory(outlook=3, status="draft", title="Draft position")
    StanceFactory(position=critical, relation="challenges")
    StanceFactory(position=critical, relation="challenges")
    StanceFactory(position=critical, relation="supports", intervention=InterventionFactory(status="draft"))
    html = get(client, reverse("position_list"))
    debate_map = html[html.index('class="spectrum-map"') : html.index("</figure>", html.index('class="spectrum-map"'))]
    bands = re.findall(r'<h2 class="band__label"[^>]*>([^<]+)</h2>', debate_map)
    assert bands == ["Critical", "Sceptical", "Ambivalent", "Hopeful", "Optimistic"]
    assert debate_map.index(critical.get_absolute_url()) < debate_map.index(hopeful.get_absolute_url())
    assert debate_map.index("Critical") < debate_map.index(critical.title) < debate_map.index("Sceptical")
    assert "Draft position" not in debate_map
    assert "Challenged by 2 cases:" in debate_map and "Supported by" not in debate_map  # the draft is not counted


def test_debate_map_shows_whole_titles_and_names_the_cases(client):
    title = "Some scholars (unnamed, summarised by Franceschini and Lin): a critique of LNGOs' legalistic approach"
    position = PositionFactory(
        outlook=1, scholar="Some scholars (unnamed, summarised by Franceschini and Lin)", title=title
    )
    strike = InterventionFactory(title="Strike support in Panyu", slug="strike-support")
    StanceFactory(position=position, relation="supports", intervention=strike)
    StanceFactory(position=position, relation="complicates", intervention=InterventionFactory(title="Wage talks"))
    StanceFactory(
        position=position, relation="supports", intervention=InterventionFactory(title="Draft", status="draft")
    )
    html = get(client, reverse("position_list"))
    debate_map = html[html.index('class="spectrum-map"') : html.index("</figure>", html.index('class="spectrum-map"'))]
    assert f">{title}</a>" in debate_map.replace("&#x27;", "'")  # whole, never cut with an ellipsis
    assert "…" not in debate_map and "sup." not in debate_map and "chal." not in debate_map
    assert "Supported by 1 case:" in debate_map and "Complicated by 1 case:" in debate_map
    # each case is named and links to the sentence on the position's page that says how it bears on it
    assert f'<a href="{position.get_absolute_url()}#case-strike-support">Strike support in Panyu</a>' in debate_map
    assert "Wage talks" in debate_map and "Draft" not in debate_map


def test_case_and_position_link_to_each_other_at_the_right_place(client):
    case = InterventionFactory(slug="wage-campaign")
    position = PositionFactory(slug="anti-solidarity")
    StanceFactory(intervention=case, position=position, sentence="The case shows solidarity building.")
    case_html = get(client, case.get_absolute_url())
    assert 'id="position-anti-solidarity"' in case_html
    assert f'href="{position.get_absolute_url()}#case-wage-campaign"' in case_html
    position_html = get(client, position.get_absolute_url())
    assert 'id="case-wage-campaign"' in position_html
    assert f'href="{case.get_absolute_url()}#position-anti-solidarity"' in position_html
    assert (
        "The case shows solidarity building." in case_html and "The case shows solidarity building." in position_html
    )


def test_map_lists_the_first_cases_of_a_busy_place_and_links_to_the_rest(client):
    from cases.visual.views import CASES_PER_PLACE

    place = PlaceFactory(name="Shenzhen")
    cases = InterventionFactory.create_batch(CASES_PER_PLACE + 2)
    for case in cases:
        case.places.add(place)
    html = get(client, reverse("map"))
    listing = html[html.index('id="places-heading"') :]
    assert sum(case.get_absolute_url() in listing for case in cases) == CASES_PER_PLACE
    assert f"All {CASES_PER_PLACE + 2} cases in Shenzhen" in listing


def test_compare_offers_text_fields_with_suggestions_when_there_are_many_cases(client, monkeypatch):
    from cases.visual import views

    InterventionFactory.create_batch(3)
    html = get(client, reverse("compare"))
    assert html.count('<select name="cases"') == 3
    monkeypatch.setattr(views, "SELECT_LIMIT", 2)
    html = get(client, reverse("compare"))
    assert '<select name="cases"' not in html
    assert html.count('list="compare-cases"') == 3 and html.count("<datalist") == 1
