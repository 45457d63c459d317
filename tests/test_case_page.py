"""The case page reads in order and can be got around: "At a glance" first, a contents list whose every link lands
on a section, organisations grouped by role, each quotation once, and the case's own network."""

import re

import pytest

from tests.factories import (
    DiscussionQuestionFactory,
    EventFactory,
    InterventionFactory,
    OrganisationFactory,
    OrganisationRelationFactory,
    PositionFactory,
    RoleFactory,
    StanceFactory,
)

pytestmark = pytest.mark.django_db

SHARED = "This campaign represents a hybrid of community intervention and workplace mobilization."


def page(client, case):
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def contents_links(html):
    nav = html[html.index('<nav class="page-toc"') : html.index("</nav>", html.index('<nav class="page-toc"'))]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav)


def test_at_a_glance_comes_before_the_story_and_names_the_lead(client):
    case = InterventionFactory(narrative="The campaign began in a dormitory.", stage_note="A campaign, says Pringle.")
    lead = RoleFactory(intervention=case, organisation=OrganisationFactory(name="HKC"), kind="lead")
    html = page(client, case)
    glance = html.index('id="facts"')
    assert glance < html.index('id="narrative"') < html.index("The campaign began in a dormitory.")
    facts = html[glance : html.index("</section>", glance)]
    assert "Led by" in facts and lead.organisation.get_absolute_url() in facts
    # The long note is said once, in its own section, and the summary links to it.
    assert html.count("A campaign, says Pringle.") == 1
    assert 'href="#assessment"' in facts and html.index('id="assessment"') < html.index("A campaign, says Pringle.")


def test_every_contents_link_lands_on_a_section_of_the_page(client):
    case = InterventionFactory()
    RoleFactory(intervention=case)
    EventFactory(intervention=case)
    DiscussionQuestionFactory(intervention=case)
    StanceFactory(intervention=case)
    html = page(client, case)
    links = contents_links(html)
    targets = [target for target, _label in links]
    for target in targets:
        assert html.count(f'id="{target}"') == 1, target
    expected = {"facts", "narrative", "timeline", "organisations", "case-network-heading", "debate", "discussion"}
    assert expected | {"cite-page"} <= set(targets)
    # In the order the sections come on the page.
    assert targets == sorted(targets, key=lambda target: html.index(f'id="{target}"'))


def test_the_contents_list_names_only_sections_the_case_has(client):
    case = InterventionFactory()
    targets = {target for target, _label in contents_links(page(client, case))}
    assert "timeline" not in targets and "discussion" not in targets and "debate" not in targets
    assert "case-network-heading" not in targets and "organisations" not in targets


def test_a_quotation_cited_for_two_positions_is_shown_once_with_both(client):
    case = InterventionFactory(slug="cadmium")
    chan = PositionFactory(slug="chan", scholar="Chan", title="Community organising")
    xu = PositionFactory(slug="xu-yi", scholar="Xu Yi", title="Mobilising capacity")
    first = StanceFactory(intervention=case, position=chan, relation="supports", sentence=SHARED)
    StanceFactory(intervention=case, position=xu, relation="supports", sentence=SHARED, source=first.source)
    other = StanceFactory(intervention=case, relation="challenges", sentence="Another sentence entirely.")
    html = page(client, case)
    assert html.count(SHARED) == 1
    quote = html.index(SHARED)
    item = html[html.rindex('<li class="stance', 0, quote) : html.index("</li>", quote)]
    for position in (chan, xu):
        assert f'id="position-{position.slug}"' in item
        assert f'href="{position.get_absolute_url()}#case-cadmium"' in item
    assert "Another sentence entirely." in html and f'id="position-{other.position.slug}"' in html


def test_the_same_sentence_from_different_places_is_kept_apart(client):
    case = InterventionFactory()
    first = StanceFactory(intervention=case, relation="supports", sentence=SHARED, locator="Conclusion")
    StanceFactory(intervention=case, relation="supports", sentence=SHARED, source=first.source, locator="Note 4")
    assert page(client, case).count(SHARED) == 2


def test_organisations_are_grouped_by_role_and_a_shared_note_is_said_once(client):
    case = InterventionFactory()
    RoleFactory(intervention=case, organisation=OrganisationFactory(name="HKC"), kind="lead", note="Led it.")
    allies = [OrganisationFactory(name=name) for name in ("FNV", "Good Electronics", "Peuples Solidaires")]
    for ally in allies:
        RoleFactory(intervention=case, organisation=ally, kind="ally", note="Involved through HKC's contacts.")
    ituc = OrganisationFactory(name="ITUC")
    RoleFactory(intervention=case, organisation=ituc, kind="ally", note="Printed under another name.")
    html = page(client, case)
    section = html[html.index('id="organisations"') : html.index("</section>", html.index('id="organisations"'))]
    assert "Allies" in section and "(4)" in section
    assert section.count("Involved through HKC&#x27;s contacts.") == 1
    line = section[section.index(allies[0].get_absolute_url()) : section.index("Involved through")]
    assert all(ally.get_absolute_url() in line for ally in allies) and ituc.get_absolute_url() not in line
    assert "Printed under another name." in section and "Led it." in section
    # Every role rests on the case's source at the same place: the reference is given once per role.
    assert section.count('class="cite"') == 2


def test_an_organisation_citing_its_own_source_keeps_its_reference(client):
    case = InterventionFactory()
    RoleFactory(intervention=case, kind="target", note="Petitioned.", locator="p. 3")
    RoleFactory(intervention=case, kind="target", note="Occupied.", locator="p. 5")
    html = page(client, case)
    section = html[html.index('id="organisations"') : html.index("</section>", html.index('id="organisations"'))]
    assert "p. 3" in section and "p. 5" in section and section.count('class="cite"') == 2


def test_the_case_page_draws_the_case_network_without_drafts(client):
    case = InterventionFactory()
    hkc = OrganisationFactory(slug="hkc", name="HKC")
    fnv = OrganisationFactory(slug="fnv", name="FNV", kind="international_union", base="international")
    draft = OrganisationFactory(slug="hidden-org", name="Hidden organisation", status="draft")
    RoleFactory(intervention=case, organisation=hkc, kind="lead")
    RoleFactory(intervention=case, organisation=fnv, kind="ally")
    RoleFactory(intervention=case, organisation=draft, kind="ally")
    OrganisationRelationFactory(subject=fnv, object=hkc, kind="funder")
    OrganisationRelationFactory(subject=hkc, object=draft, kind="partner")
    html = page(client, case)
    start = html.index('<svg class="network-svg')
    svg = html[start : html.index("</svg>", start)]
    assert set(re.findall(r'data-slug="([^"]+)"', svg)) == {"hkc", "fnv"}
    edges = set(re.findall(r'data-from="([^"]+)" data-to="([^"]+)"', svg))
    assert edges == {("hkc", "fnv"), ("fnv", "hkc")}  # the ally's role, and the funding the sources state
    assert "hidden-org" not in html and "Hidden organisation" not in html
    assert f'href="/network/?case={case.slug}"' in html
