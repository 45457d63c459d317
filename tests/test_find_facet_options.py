"""Long facets: the most frequent options are listed, every chosen one too, and a link lists them all."""

import re
from html import unescape

import pytest

from cases.interventions.filters import InterventionFilterSet
from tests.factories import InterventionFactory, OrganisationFactory, RoleFactory


def options(html, name):
    """The values of a facet's options, in the order shown."""
    return re.findall(rf'name="{name}" value="([^"]+)"', html)


def count_beside(html, name, value):
    match = re.search(
        rf'name="{name}" value="{re.escape(value)}"[^>]*> <span class="facet__label">[^<]*</span> '
        r'<span class="facet__count">(\d+)<',
        html,
    )
    return int(match.group(1)) if match else None


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def many_organisations(monkeypatch):
    """Org 1 takes part in five campaigns, org 2 in four, ... org 5 in one; a quiet org only in a project."""
    monkeypatch.setattr(InterventionFilterSet, "facet_limit", 3)
    orgs = [OrganisationFactory(slug=f"org-{n}", name=f"Org {n}") for n in range(1, 6)]
    for n, org in enumerate(orgs):
        for _ in range(5 - n):
            RoleFactory(intervention=InterventionFactory(stage="campaign"), organisation=org)
    quiet = OrganisationFactory(slug="quiet", name="Quiet")
    RoleFactory(intervention=InterventionFactory(stage="militant_particularism"), organisation=quiet)
    hidden = OrganisationFactory(slug="hidden", name="Hidden", status="draft")
    for _ in range(9):
        RoleFactory(intervention=InterventionFactory(stage="campaign"), organisation=hidden)
    return orgs, quiet


def test_the_most_frequent_options_are_listed_with_a_link_to_all(client, many_organisations):
    html = get(client, "/cases/?stage=campaign")
    assert options(html, "organisation") == ["org-1", "org-2", "org-3"]
    assert count_beside(html, "organisation", "org-1") == 5
    assert "Show all 5 options" in html  # the published organisations with a campaign; not the draft one
    assert 'href="/cases/?stage=campaign&more=organisation#facet-organisation"' in html
    html = get(client, "/cases/?stage=campaign&more=organisation")
    assert options(html, "organisation") == ["org-1", "org-2", "org-3", "org-4", "org-5"]
    assert count_beside(html, "organisation", "org-5") == 1
    assert "hidden" not in options(html, "organisation")
    assert "Show all" not in html.split('id="facet-organisation"')[1].split("</fieldset>")[0]


def test_a_chosen_option_is_listed_even_when_rare_or_without_cases(client, many_organisations):
    html = get(client, "/cases/?stage=campaign&organisation=org-5")
    assert options(html, "organisation")[0] == "org-5"  # chosen first, though the least frequent
    assert count_beside(html, "organisation", "org-5") == 1
    # Given the stage, the quiet organisation has no case: it is still listed, with 0, and named in the chip.
    html = get(client, "/cases/?stage=campaign&organisation=quiet")
    assert options(html, "organisation")[0] == "quiet"
    assert count_beside(html, "organisation", "quiet") == 0
    assert "nothing published by that name" not in html
    assert "0 cases match these filters" in html
    # A draft organisation is not an option, whatever the URL says.
    html = get(client, "/cases/?stage=campaign&organisation=hidden")
    assert "hidden" not in options(html, "organisation")
    assert "nothing published by that name" in html


# An empty `more=` is not here: an address with an empty field is redirected to the clean one (test_find_filters.py).
@pytest.mark.parametrize("more", ["organisation", "stage", "bogus", "\x00", "x" * 500])
def test_listing_every_option_costs_no_extra_query(client, many_organisations, django_assert_max_num_queries, more):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain:
        get(client, "/cases/?stage=campaign")
    with django_assert_max_num_queries(len(plain)):
        html = get(client, f"/cases/?stage=campaign&more={more}")
    assert "org-1" in options(html, "organisation")
