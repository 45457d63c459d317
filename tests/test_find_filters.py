"""The lists' filters: OR within a filter, AND across, facet counts given the other filters, the URL as state."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import (
    AuthorFactory,
    InterventionFactory,
    OrganisationFactory,
    PlaceFactory,
    PositionFactory,
    RoleFactory,
    SourceAuthorFactory,
    SourceFactory,
)
from tests.find_support import FILTERED_URLS, build


def titles(html):
    return re.findall(r'class="case-card__title"><a href="[^"]+">([^<]+)</a>', html)


def count_beside(html, name, value):
    """The count shown beside one option of a facet."""
    match = re.search(
        rf'name="{name}" value="{re.escape(value)}"[^>]*> <span class="facet__label">[^<]*</span> '
        r'<span class="facet__count">(\d+)<',
        html,
    )
    return int(match.group(1)) if match else None


def results(html):
    """The list beside the filter panel (the debate page also draws every position on its spectrum)."""
    return html[html.index('class="find-layout__results"') :]


def page(client, url):
    response = client.get(url)
    return response, unescape(response.content.decode())


@pytest.fixture
def three_cases():
    """A: hka+campaign (Shenzhen, 2010); B: hkb+campaign (2012–2014); C: hka+project (2016)."""
    hka = OrganisationFactory(slug="hka", name="HKA")
    hkb = OrganisationFactory(slug="hkb", name="HKB")
    shenzhen = PlaceFactory(slug="shenzhen", name="Shenzhen")
    a = InterventionFactory(title="Case A", stage="campaign", kind="campaign", start_date=datetime.date(2010, 1, 1))
    b = InterventionFactory(
        title="Case B",
        stage="campaign",
        kind="project",
        start_date=datetime.date(2012, 1, 1),
        end_date=datetime.date(2014, 1, 1),
    )
    c = InterventionFactory(title="Case C", stage="militant_particularism", kind="project")
    c.start_date = datetime.date(2016, 1, 1)
    c.save()
    a.places.add(shenzhen)
    RoleFactory(intervention=a, organisation=hka)
    RoleFactory(intervention=b, organisation=hkb)
    RoleFactory(intervention=c, organisation=hka)
    RoleFactory(intervention=c, organisation=hkb, kind="partner")
    return a, b, c


def test_values_of_one_filter_combine_with_or(client, three_cases):
    _, html = page(client, "/cases/?organisation=hka")
    assert titles(html) == ["Case A", "Case C"]
    _, html = page(client, "/cases/?organisation=hka&organisation=hkb")
    assert titles(html) == ["Case A", "Case B", "Case C"]  # C has both: listed once


def test_different_filters_combine_with_and(client, three_cases):
    _, html = page(client, "/cases/?organisation=hka&stage=campaign")
    assert titles(html) == ["Case A"]
    _, html = page(client, "/cases/?organisation=hkb&kind=project&stage=militant_particularism")
    assert titles(html) == ["Case C"]


def test_facet_counts_are_given_the_other_filters(client, three_cases):
    _, html = page(client, "/cases/?stage=campaign")
    # Organisation counts among the campaign-stage cases only.
    assert count_beside(html, "organisation", "hka") == 1
    assert count_beside(html, "organisation", "hkb") == 1
    # The stage facet ignores its own filter: each option says what choosing it would leave.
    assert count_beside(html, "stage", "campaign") == 2
    assert count_beside(html, "stage", "militant_particularism") == 1
    _, html = page(client, "/cases/?organisation=hka")
    assert count_beside(html, "organisation", "hka") == 2
    assert count_beside(html, "organisation", "hkb") == 2  # adding HKB (OR) would give B and C
    assert count_beside(html, "kind", "project") == 1
    assert count_beside(html, "place", "shenzhen") == 1


def test_selected_options_are_checked_and_listed_with_a_remove_link(client, three_cases):
    response, html = page(client, "/cases/?organisation=hka&stage=campaign&sort=title")
    assert response.status_code == 200
    assert 'name="organisation" value="hka" checked' in html
    assert 'name="stage" value="campaign" checked' in html
    # Removing one value keeps the other filters and the sort order.
    assert 'href="/cases/?stage=campaign&sort=title"' in html
    assert 'href="/cases/?organisation=hka&sort=title"' in html
    assert re.search(r'href="/cases/\?sort=title">Clear all filters', html)


def test_year_range_matches_cases_whose_period_overlaps(client, three_cases):
    _, html = page(client, "/cases/?year_from=2013&year_to=2013")
    assert titles(html) == ["Case B"]  # 2012–2014 overlaps 2013
    _, html = page(client, "/cases/?year_from=2011")
    assert titles(html) == ["Case B", "Case C"]
    _, html = page(client, "/cases/?year_to=2010")
    assert titles(html) == ["Case A"]


def test_an_empty_result_says_which_filters_to_loosen(client, three_cases):
    _, html = page(client, "/cases/?organisation=hkb&stage=militant_particularism&kind=campaign")
    assert "No cases match all these filters" in html
    remaining = "/cases/?organisation=hkb&stage=militant_particularism"
    remove_kind = f'href="{remaining}">Remove “Kind of intervention: Campaign”'
    assert remove_kind in html
    assert "clear them all" in html


def test_sorting_and_pagination_keep_the_filters(client):
    for n in range(30):
        InterventionFactory(stage="campaign", title=f"Case {n:02d}")
    InterventionFactory(stage="project", title="Other")
    _, html = page(client, "/cases/?stage=campaign&sort=title")
    assert "30 cases match these filters" in html
    assert 'href="?stage=campaign&sort=title&page=2"' in html
    assert titles(html)[0] == "Case 00"
    _, html = page(client, "/cases/?stage=campaign&sort=title&page=2")
    assert titles(html) == ["Case 25", "Case 26", "Case 27", "Case 28", "Case 29"]
    assert '<option value="title" selected>' in html
    # The download links carry the same filters.
    assert 'href="/cases/export.csv?stage=campaign&sort=title"' in html
    assert 'href="/cases/export.json?stage=campaign&sort=title"' in html


def test_a_page_past_the_end_shows_the_last_page(client, three_cases):
    response, html = page(client, "/cases/?page=99")
    assert response.status_code == 200
    assert titles(html) == ["Case A", "Case B", "Case C"]


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_hidden_entries_are_neither_options_nor_counted_nor_matched(client, status):
    published = OrganisationFactory(slug="shown-org", name="Shown org")
    hidden = OrganisationFactory(slug="hidden-org", name="Hidden org", status=status)
    case = InterventionFactory(title="Visible case")
    RoleFactory(intervention=case, organisation=published)
    RoleFactory(intervention=case, organisation=hidden, kind="partner")
    hidden_case = InterventionFactory(title="Hidden case", status=status)
    RoleFactory(intervention=hidden_case, organisation=published)
    _, html = page(client, "/cases/")
    assert "Hidden org" not in html and "Hidden case" not in html
    assert count_beside(html, "organisation", "shown-org") == 1
    response, html = page(client, "/cases/?organisation=hidden-org")
    assert titles(html) == []
    assert "Hidden org" not in html
    assert "“hidden-org” (nothing published by that name)" in html


def test_unknown_and_malformed_values_get_a_clear_message_never_an_error(client, three_cases):
    response, html = page(client, "/cases/?stage=nonsense")
    assert response.status_code == 400
    assert "Some filters could not be applied" in html
    assert "“nonsense” is not one of the choices" in html
    assert titles(html) == ["Case A", "Case B", "Case C"]  # the bad filter is left out, the page still lists
    # The choices are named as the page names them, not by their codes.
    response, html = page(client, "/cases/?outcome=lost")
    assert "“lost” is not one of the choices: Demands won, Partly achieved, Suppressed, Not achieved" in html
    assert "suppressed, not_achieved" not in html
    response, html = page(client, "/cases/?year_from=twenty&organisation=hka")
    assert response.status_code == 400
    assert "Enter a whole number" in html
    assert titles(html) == ["Case A", "Case C"]  # the valid filter still applies
    response, html = page(client, "/cases/?year_from=2015&year_to=2010")
    assert "The last year (2010) is before the first (2015): swap them." in html
    response, html = page(client, "/cases/?organisation=a%00b&stage=" + "x" * 5000)
    assert response.status_code == 400
    assert "\x00" not in html
    assert "x" * 100 not in html  # a long value is shortened in the message


def test_repeated_parameters(client, three_cases):
    _, html = page(client, "/cases/?stage=campaign&stage=campaign&year_from=2013&year_from=2011")
    assert titles(html) == ["Case B"]  # repeated values count once; for a single value the last one wins


def test_organisation_filters_kind_base_pseudonym(client):
    OrganisationFactory(name="HKA", kind="lngo", base="hong_kong", is_pseudonym=True)
    OrganisationFactory(name="GMA", kind="lngo", base="mainland", is_pseudonym=True)
    OrganisationFactory(name="ACFTU", kind="official_union", base="mainland")
    OrganisationFactory(name="Hidden LNGO", kind="lngo", status="draft")
    _, html = page(client, "/organisations/?kind=lngo&pseudonymous=yes")
    assert "HKA" in html and "GMA" in html and "ACFTU" not in html and "Hidden LNGO" not in html
    assert count_beside(html, "base", "mainland") == 1
    assert count_beside(html, "kind", "official_union") == 0 or 'value="official_union"' not in html
    _, html = page(client, "/organisations/?base=mainland&sort=name")
    assert html.index("ACFTU") < html.index("GMA")
    assert count_beside(html, "kind", "lngo") == 1
    assert count_beside(html, "kind", "official_union") == 1


def test_position_filters_scholar_stance_year(client):
    lee = AuthorFactory(slug="lee", family_name="Lee", given_names="Ching Kwan")
    chan = AuthorFactory(slug="chan", family_name="Chan", given_names="Chris")
    old, new = SourceFactory(year=2008), SourceFactory(year=2016)
    SourceAuthorFactory(source=old, author=lee)
    SourceAuthorFactory(source=new, author=chan)
    PositionFactory(title="Anti-solidarity machine", outlook=1, source=old)
    PositionFactory(title="Community organising", outlook=4, source=new)
    PositionFactory(title="Hidden position", outlook=1, source=old, status="review")
    _, html = page(client, "/debate/?scholar=lee")
    listed = results(html)
    assert "Anti-solidarity machine" in listed and "Community organising" not in listed
    assert "Hidden position" not in html
    assert count_beside(html, "scholar", "chan") == 1
    _, html = page(client, "/debate/?stance=hopeful&stance=critical&year_from=2010")
    listed = results(html)
    assert "Community organising" in listed and "Anti-solidarity machine" not in listed
    assert count_beside(html, "stance", "critical") == 0 or 'value="critical"' in html


def test_source_filters_type_and_year(client):
    SourceFactory(title="A book of 2001", kind="book", year=2001)
    SourceFactory(title="An article of 2018", kind="article", year=2018)
    SourceFactory(title="An undated report", kind="report", year=None)
    SourceFactory(title="A hidden article", kind="article", year=2018, status="draft")
    _, html = page(client, "/sources/?type=article&type=book&year_from=2010")
    assert "An article of 2018" in html
    assert "A book of 2001" not in html and "An undated report" not in html and "A hidden article" not in html
    assert count_beside(html, "type", "article") == 1
    _, html = page(client, "/sources/?sort=latest")
    assert html.index("An article of 2018") < html.index("A book of 2001") < html.index("An undated report")


def test_the_filter_form_works_without_javascript(client, three_cases):
    _, html = page(client, "/cases/")
    start = html.index('<form class="find-form"')
    form = html[start : html.index("</form>", start)]
    assert 'method="get" action="/cases/"' in form
    assert form.count("<fieldset") == 9 and form.count("<legend") == 9  # eight facets and the years
    assert '<label for="id_year_from">From year</label>' in form
    assert '<label for="id_sort">Sort by</label>' in form
    assert '<button type="submit"' in form


# Query counts with every filter active: the same for 1 or 6 rows of each kind, and independent of how
# many filters are chosen (the facets cost one aggregate query each).
FILTERED_QUERIES = {
    "intervention_list": 13,
    "organisation_list": 5,
    "position_list": 6,  # and the debate map, which names the cases bearing on each position
    "source_list": 7,  # and where each work is cited, with the citing works' authors
}


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize("name", sorted(FILTERED_URLS))
def test_filtered_list_query_counts_are_pinned(client, django_assert_num_queries, name, size):
    build(size)
    with django_assert_num_queries(FILTERED_QUERIES[name]):
        response = client.get(FILTERED_URLS[name])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters could not be applied" not in html
    matched = re.search(r"(\d+) \w+ match(es)? these filters", html)
    assert int(matched.group(1)) >= 1  # the filters leave rows to list


def test_list_urls_are_stable(client):
    query = "?organisation=hkc&stage=campaign"
    assert reverse("intervention_list") + query == "/cases/" + query
    assert client.get("/cases/?organisation=hkc&stage=campaign").status_code == 200


SEEDED_URLS = {
    "intervention_list": "/cases/?organisation=hkc&stage=campaign&sort=latest",
    "organisation_list": "/organisations/?kind=lngo&base=hong_kong",
    "position_list": "/debate/?stance=critical&stance=sceptical",
    "source_list": "/sources/?type=article&year_from=2000",
}


@pytest.mark.usefixtures("canonical_archive")  # `load_archive` once for the whole class
class TestSeededArchive:
    @pytest.mark.parametrize("name", sorted(SEEDED_URLS))
    def test_the_seeded_archive_costs_the_same_queries(self, client, django_assert_num_queries, name):
        with django_assert_num_queries(FILTERED_QUERIES[name]):
            response = client.get(SEEDED_URLS[name])
        assert response.status_code == 200
        assert re.search(r"[1-9]\d* \w+ match(es)? these filters", response.content.decode())

    def test_the_organisation_facet_shows_the_leads_of_cases_first(self, client):
        """The options shown before "more": organisations that led cases (by the cases they led), then the others
        by their cases, named organisations before unnamed groups, then by name."""
        from cases.interventions.models import Role

        response = client.get(reverse("intervention_list"))
        facet = next(f for f in response.context["facets"] if f.name == "organisation")
        first = [option.value for option in facet.visible]
        assert {"hka", "hkb", "hkc"} <= set(first), first  # the leads of the flagship cases
        assert "hk-jewellery-company" not in first  # an unnamed target of one case
        leads = set(Role.objects.published().filter(kind="lead").values_list("organisation__slug", flat=True))
        order = [option.value for option in facet.options]
        led = [slug in leads for slug in order]
        assert led == sorted(led, reverse=True), "every lead before every organisation that led nothing"
        assert order[0] == "hka"  # led the most cases


def test_a_tactic_used_only_by_a_draft_is_not_named_when_its_slug_is_guessed(client):
    from tests.factories import TacticFactory

    secret = TacticFactory(name="Covert petition drive", slug="covert-petition")
    draft = InterventionFactory(status="draft", title="Unpublished case")
    draft.tactics.add(secret)
    shown = TacticFactory(name="Open letter", slug="open-letter")
    InterventionFactory(status="published", title="Public case").tactics.add(shown)
    InterventionFactory(status="published", title="Other case")
    text = client.get(reverse("intervention_list"), {"tactic": ["covert-petition", "open-letter"]}).content.decode()
    assert "Covert petition drive" not in text and "Unpublished case" not in text
    assert "Open letter" in text
    # A term a public case uses is still named when the other filters leave no case with it.
    text = client.get(
        reverse("intervention_list"), {"tactic": "open-letter", "year_from": "1900", "year_to": "1901"}
    ).content.decode()
    assert "Open letter" in text


@pytest.mark.parametrize(
    ("query", "clean"),
    [
        ("?year_from=&year_to=&stage=campaign", "?stage=campaign"),
        ("?year_from=&year_to=&sort=", ""),
        ("?organisation=&organisation=hka&year_to=%20", "?organisation=hka"),
    ],
)
@pytest.mark.parametrize("list_name", ["intervention_list", "organisation_list", "position_list", "source_list"])
def test_a_filter_form_sent_with_empty_fields_leads_to_the_clean_address(client, list_name, query, clean):
    """Without JavaScript a form sends every field, the empty ones too: the address keeps only the filters."""
    response = client.get(reverse(list_name) + query)
    assert response.status_code == 302
    assert response["Location"] == reverse(list_name) + clean
    assert client.get(response["Location"]).status_code in (200, 400)  # the clean address is served, not redirected


def test_the_default_order_is_left_out_of_the_address(client):
    response = client.get(reverse("intervention_list") + "?stage=campaign&sort=earliest&year_to=")
    assert response["Location"] == reverse("intervention_list") + "?stage=campaign"
    assert client.get(reverse("intervention_list") + "?sort=latest").status_code == 200  # another order is kept


def test_a_clean_filter_address_is_served_as_it_is(client, three_cases):
    response = client.get(reverse("intervention_list"), {"stage": "campaign", "year_from": "2008"})
    assert response.status_code == 200
