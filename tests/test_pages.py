"""The public pages: every page type answers, drafts never show, and query counts stay flat as data grows."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import (
    AuthorFactory,
    CitationFactory,
    ConceptFactory,
    EventFactory,
    EvidenceFactory,
    FigureFactory,
    InterventionFactory,
    IssueFactory,
    OrganisationFactory,
    OrganisationRelationFactory,
    PlaceFactory,
    PositionFactory,
    ResearchMethodFactory,
    RoleFactory,
    SourceAuthorFactory,
    SourceFactory,
    StanceFactory,
    TacticFactory,
)

HIDDEN_STATUSES = ["draft", "review", "withdrawn"]


def authored_source(authors=2, **kwargs):
    """A published source with its authors in order (pages show author labels, so authors must be prefetched)."""
    source = SourceFactory(**kwargs)
    for position in range(1, authors + 1):
        SourceAuthorFactory(source=source, author=AuthorFactory(), position=position)
    return source


def build_archive(size):
    """A small archive in which every page has `size` related rows of each kind, plus hidden ones it must skip."""
    source = authored_source(is_seed=True)
    place = PlaceFactory()
    parent = InterventionFactory(source=source)
    case = InterventionFactory(source=source, parent=parent, narrative="A campaign about hukou and wages.")
    organisation = OrganisationFactory(source=source, base_place=place)
    position = PositionFactory(source=authored_source(), reported_in=source, reported_locator="p. 662")
    concept = ConceptFactory(source=source, term="Hukou", is_framework_stage=False)
    for _ in range(size):
        other_source = authored_source()
        other_place = PlaceFactory(parent=place)
        other_org = OrganisationFactory(source=other_source)
        other_case = InterventionFactory(source=other_source, parent=case)
        other_case.places.add(place)
        case.places.add(other_place)
        case.issues.add(IssueFactory())
        case.tactics.add(TacticFactory())
        RoleFactory(intervention=case, organisation=other_org, source=other_source)
        RoleFactory(intervention=other_case, organisation=organisation, kind="partner", source=other_source)
        RoleFactory(intervention=other_case, organisation=other_org, source=other_source)
        OrganisationRelationFactory(subject=organisation, object=other_org, source=other_source)
        OrganisationRelationFactory(subject=other_org, object=organisation, kind="funder", source=other_source)
        EventFactory(intervention=case, place=other_place, source=other_source)
        EventFactory(intervention=other_case, place=place, source=other_source)
        EvidenceFactory(intervention=case, source=other_source)
        EvidenceFactory(intervention=other_case, source=source)
        FigureFactory(intervention=case, source=other_source)
        other_position = PositionFactory(source=other_source, outlook=size % 5 + 1)
        StanceFactory(intervention=case, position=other_position, source=other_source)
        StanceFactory(intervention=other_case, position=position, relation="supports", source=other_source)
        ResearchMethodFactory(source=source)
        CitationFactory(citing=source, cited=other_source)
        CitationFactory(citing=authored_source(), cited=source)
        other_concept = ConceptFactory(source=other_source)
        concept.related.add(other_concept)
        OrganisationFactory(source=source)
    return {
        "case": case,
        "organisation": organisation,
        "position": position,
        "source": source,
        "concept": concept,
        "place": place,
    }


# Pinned query counts per page. Each is the same whether a page lists 1 or 5 related rows of each kind:
# a change that adds a query per row (an N+1) fails here.
QUERIES = {
    "home": 6,
    "about": 0,
    "intervention_list": 13,  # 5 for the page, 8 for the facet counts (one aggregate query per facet)
    "intervention_detail": 19,  # 17 for the case, 1 for its discussion questions, 1 for its network (relations)
    "organisation_list": 5,  # count, page, 3 facets
    "organisation_detail": 8,
    "position_list": 6,  # count, page, 2 facets, and the debate map: its positions and the cases it names
    "position_detail": 5,
    "source_list": 7,  # count, page, authors, where each work is cited and the citing works' authors, 2 facets
    "source_detail": 13,
    "concept_list": 1,
    "concept_detail": 5,
    "place_list": 1,
    "place_detail": 6,
}

LIST_PAGES = [
    "home",
    "about",
    "intervention_list",
    "organisation_list",
    "position_list",
    "source_list",
    "concept_list",
    "place_list",
]
DETAIL_PAGES = {
    "intervention_detail": "case",
    "organisation_detail": "organisation",
    "position_detail": "position",
    "source_detail": "source",
    "concept_detail": "concept",
    "place_detail": "place",
}


def page_url(name, archive):
    if name in DETAIL_PAGES:
        return archive[DETAIL_PAGES[name]].get_absolute_url()
    return reverse(name)


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_count_is_pinned_and_does_not_grow(client, django_assert_num_queries, name, size):
    archive = build_archive(size)
    url = page_url(name, archive)
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_page_type_answers_with_one_h1_and_the_designed_layout(client, name):
    response = client.get(page_url(name, build_archive(1)))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert '<html lang="en-GB">' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "style=" not in html and "<style" not in html and "<script>" not in html


def test_case_page_shows_its_facts_with_sources(client):
    archive = build_archive(2)
    case = archive["case"]
    html = client.get(case.get_absolute_url()).content.decode()
    assert case.parent.get_absolute_url() in html
    for role in case.roles.all():
        assert role.organisation.get_absolute_url() in html
    for stance in case.stances.all():
        assert stance.position.get_absolute_url() in html
        assert stance.sentence in html
    for item in case.evidence.all():
        assert item.quotation in html
    for figure in case.figures.all():
        assert figure.value in html
    for episode in case.episodes.all():
        assert episode.get_absolute_url() in html
    assert case.source.get_absolute_url() in html
    assert "Building &#x27;Local Rationality&#x27;" in html  # the locator
    assert archive["concept"].get_absolute_url() in html  # "hukou" in the narrative is linked


def test_stage_links_to_its_framework_concept(client):
    concept = ConceptFactory(term="Local rationality", is_framework_stage=True)
    case = InterventionFactory(stage="local_rationality")
    html = client.get(case.get_absolute_url()).content.decode()
    assert f'<a href="{concept.get_absolute_url()}">Local rationality</a>' in html


def test_home_shows_the_start_cases_in_the_frameworks_order_not_by_date(client):
    """The home page asks readers to take the start cases in order: local rationality, militant
    particularism, campaign, whatever their dates (Pringle's campaign case is the earliest)."""
    campaign = InterventionFactory(title="Campaign case", stage="campaign", start_date=datetime.date(2003, 1, 1))
    particularism = InterventionFactory(
        title="Particularism case", stage="militant_particularism", start_date=datetime.date(2008, 1, 1)
    )
    rationality = InterventionFactory(
        title="Rationality case", stage="local_rationality", start_date=datetime.date(2011, 1, 1)
    )
    html = client.get(reverse("home")).content.decode()
    positions = [html.index(case.get_absolute_url()) for case in (rationality, particularism, campaign)]
    assert positions == sorted(positions)


def test_case_list_leaves_out_an_unassigned_stage_and_an_unknown_outcome(client):
    InterventionFactory(title="Unstaged case", stage="", outcome="unknown")
    InterventionFactory(title="Staged case", stage="campaign", outcome="won")
    html = client.get(reverse("intervention_list")).content.decode()
    assert "Demands won" in html and "<dt>Stage</dt>" in html
    assert "not assigned" not in html
    assert "Not stated in the sources</dd>" not in html


def test_a_year_is_shown_as_a_year_never_as_first_of_january(client):
    case = InterventionFactory(start_date=datetime.date(2011, 1, 1), start_precision="year")
    EventFactory(intervention=case, date=datetime.date(2011, 1, 1), precision="year", title="Campaign starts")
    EventFactory(intervention=case, date=datetime.date(2013, 2, 1), precision="month", title="Petition")
    html = client.get(case.get_absolute_url()).content.decode()
    assert '<time datetime="2011">2011</time>' in html
    assert '<time datetime="2013-02">February 2013</time>' in html
    assert "1 January 2011" not in html
    assert "1 February 2013" not in html
    listing = client.get(reverse("intervention_list")).content.decode()
    assert "2011" in listing and "1 January 2011" not in listing


def test_unknown_slug_gives_the_designed_404(client):
    response = client.get("/cases/no-such-case/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "There is no page at this address" in html
    assert '<main id="main"' in html


def test_404_says_nothing_about_drafts(client):
    draft = InterventionFactory(status="draft", title="Secret draft title")
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert b"Secret draft title" not in response.content
    assert response.content == client.get("/cases/no-such-case/").content


def test_server_error_page_is_designed():
    from django.test import RequestFactory

    from cases.core.errors import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"Traceback" not in response.content


HIDDEN_FACTORIES = {
    "intervention": (InterventionFactory, "intervention_list"),
    "organisation": (OrganisationFactory, "organisation_list"),
    "position": (PositionFactory, "position_list"),
    "source": (SourceFactory, "source_list"),
    "concept": (ConceptFactory, "concept_list"),
    "place": (PlaceFactory, "place_list"),
}


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
@pytest.mark.parametrize("kind", sorted(HIDDEN_FACTORIES))
def test_unpublished_entries_give_404_and_are_absent_from_lists(client, kind, status):
    factory, list_name = HIDDEN_FACTORIES[kind]
    hidden = factory(status=status)
    shown = factory()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    listing = client.get(reverse(list_name)).content.decode()
    assert shown.get_absolute_url() in listing
    assert hidden.get_absolute_url() not in listing
    home = client.get(reverse("home")).content.decode()
    assert hidden.get_absolute_url() not in home


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_unpublished_entries_are_not_linked_from_other_pages(client, status):
    archive = build_archive(1)
    case, organisation, source = archive["case"], archive["organisation"], archive["source"]
    place, position, concept = archive["place"], archive["position"], archive["concept"]

    hidden_case = InterventionFactory(status=status, parent=case, source=source)
    hidden_case.places.add(place)
    RoleFactory(intervention=hidden_case, organisation=organisation)
    StanceFactory(intervention=hidden_case, position=position)
    EvidenceFactory(intervention=hidden_case, source=source, quotation="Hidden quotation")
    EventFactory(intervention=hidden_case, place=place, title="Hidden event")

    hidden_org = OrganisationFactory(status=status, source=source)
    RoleFactory(intervention=case, organisation=hidden_org)
    OrganisationRelationFactory(subject=organisation, object=hidden_org)
    OrganisationRelationFactory(subject=hidden_org, object=organisation, kind="funder")

    hidden_position = PositionFactory(status=status, source=source)
    StanceFactory(intervention=case, position=hidden_position)

    hidden_place = PlaceFactory(status=status, parent=place)
    case.places.add(hidden_place)
    EventFactory(intervention=case, place=hidden_place, title="Event in a hidden place")

    hidden_source = SourceFactory(status=status)
    CitationFactory(citing=source, cited=hidden_source)
    CitationFactory(citing=hidden_source, cited=source)

    hidden_concept = ConceptFactory(status=status, source=source, term="Militant particularism")
    concept.related.add(hidden_concept)
    case.narrative += " It never reached militant particularism."
    case.save()

    hidden = (hidden_case, hidden_org, hidden_position, hidden_place, hidden_source, hidden_concept)
    hidden_urls = [obj.get_absolute_url() for obj in hidden]
    pages = [obj.get_absolute_url() for obj in archive.values()]
    pages += [reverse(name) for name in LIST_PAGES]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        for url in hidden_urls:
            assert url not in html, (page, url)
        assert "Hidden quotation" not in html, page
        assert "Hidden event" not in html, page


def test_debate_runs_from_critical_to_optimistic_with_counts(client):
    hopeful = PositionFactory(outlook=4, title="Organisers of solidarity")
    critical = PositionFactory(outlook=1, title="An anti-solidarity machine")
    StanceFactory(position=critical, relation="supports")
    StanceFactory(position=critical, relation="challenges")
    StanceFactory(position=critical, relation="challenges")
    StanceFactory(position=critical, relation="challenges", intervention=InterventionFactory(status="draft"))
    html = client.get(reverse("position_list")).content.decode()
    assert html.index(critical.title) < html.index(hopeful.title)
    assert html.index("Critical") < html.index("Hopeful")
    assert '<span class="counts__n">2</span> challenging' in html  # the draft case is not counted
    assert '<span class="counts__n">1</span> supporting' in html


def test_pagination_keeps_the_query_string(client):
    issue = IssueFactory(slug="minimum-wage")
    for case in InterventionFactory.create_batch(30):
        case.issues.add(issue)
    html = client.get(reverse("intervention_list") + "?issue=minimum-wage").content.decode()
    assert 'href="?issue=minimum-wage&amp;page=2"' in html
    second = client.get(reverse("intervention_list") + "?page=2&issue=minimum-wage")
    assert second.status_code == 200
    assert 'href="?issue=minimum-wage"' in second.content.decode()  # back to the first page, filter kept


def test_organisation_badges_and_pseudonym_note(client):
    pseudonym = OrganisationFactory(name="HKA", is_pseudonym=True)
    unnamed = OrganisationFactory(name="A Guangzhou NGO", is_unnamed=True)
    listing = client.get(reverse("organisation_list")).content.decode()
    assert '<span class="badge">pseudonym</span>' in listing
    assert '<span class="badge">unnamed in the source</span>' in listing
    html = client.get(pseudonym.get_absolute_url()).content.decode()
    assert "a pseudonym chosen by the author; the archive does not identify the organisation" in html.lower()
    assert "none: the archive does not invent names" in html  # no Chinese name for a pseudonym
    assert client.get(unnamed.get_absolute_url()).status_code == 200


def test_bibliography_orders_by_author_and_cites_secondary_works_as_cited_in(client):
    from tests.factories import CitationFactory

    later = authored_source(authors=0, title="Zhou's study")
    SourceAuthorFactory(source=later, author=AuthorFactory(family_name="Zhou"))
    earlier = authored_source(authors=0, title="Anderson's study", needs_checking=True, doi="10.1177/x")
    SourceAuthorFactory(source=earlier, author=AuthorFactory(family_name="Anderson"))
    pringle = authored_source(authors=0, title="A Solidarity Machine?", year=2018, is_seed=True)
    SourceAuthorFactory(source=pringle, author=AuthorFactory(family_name="Pringle"))
    untitled = authored_source(authors=0, title="", year=2013, needs_checking=True)
    SourceAuthorFactory(source=untitled, author=AuthorFactory(family_name="Chan"))
    CitationFactory(citing=pringle, cited=untitled, locator="Introduction")
    html = client.get(reverse("source_list")).content.decode()
    assert html.index("Anderson&#x27;s study") < html.index("Zhou&#x27;s study")
    assert 'href="https://doi.org/10.1177/x"' in html
    # A work known through a citation is cited as cited in the text, with no alarm and no internal words.
    assert f'Cited in <a href="{pringle.get_absolute_url()}">Pringle 2018</a>, Introduction.' in html
    assert "reference incomplete" not in html and ">seed<" not in html and "to be checked" not in html
    assert '<span class="badge badge--seed">read in full</span>' in html
    # No made-up title: the work is named by author and year.
    assert re.search(r'<span class="reference">Chan, [^<(]*\(2013\)\.\s*<cite>', html) and "[Work cited" not in html
    detail = client.get(untitled.get_absolute_url()).content.decode()
    assert "<h1>Chan 2013</h1>" in detail
    assert "cite it as “Chan 2013, cited in Pringle 2018”" in detail


def test_first_page_link_without_filters_is_the_bare_path(client):
    InterventionFactory.create_batch(30)
    html = client.get(reverse("intervention_list") + "?page=2").content.decode()
    assert f'href="{reverse("intervention_list")}">First</a>' in html


def test_position_page_links_its_source_reported_in_and_cases(client):
    archive = build_archive(2)
    position = archive["position"]
    html = client.get(position.get_absolute_url()).content.decode()
    assert position.source.get_absolute_url() in html
    assert position.reported_in.get_absolute_url() in html
    assert "p. 662" in html
    for stance in position.stances.all():
        assert stance.intervention.get_absolute_url() in html
        assert stance.sentence in html


def test_a_reference_never_doubles_its_punctuation(client):
    SourceFactory(title="Labour NGOs in China: A Real Force for Political Change?")
    html = client.get(reverse("source_list")).content.decode()
    assert "Political Change?" in html
    assert "Political Change?." not in html


def test_markdown_with_quotes_stays_inside_the_meta_description(client):
    position = PositionFactory(claim='LNGOs are "a *machine*" <b>against</b> solidarity.')
    html = client.get(position.get_absolute_url()).content.decode()
    assert '<meta name="description" content="LNGOs are &quot;a machine&quot; against solidarity.">' in html


def test_a_case_without_dates_has_no_empty_time_element(client):
    case = InterventionFactory(start_date=None, title="Undated case")
    for url in (reverse("intervention_list"), case.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'datetime=""' not in html
        assert "dates unknown" in html


def test_stage_links_to_a_qualified_framework_concept(client):
    concept = ConceptFactory(term="Campaign (movement process)", is_framework_stage=True)
    ConceptFactory(term="Campaign", is_framework_stage=False)
    case = InterventionFactory(stage="campaign")
    html = client.get(case.get_absolute_url()).content.decode()
    assert f'<a href="{concept.get_absolute_url()}">Campaign (movement process)</a>' in html


def test_the_favicon_is_linked_and_served_from_the_site(client):
    page = client.get(reverse("about")).content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page)
    assert any(href.endswith(".svg") for href in icons) and any(href.endswith(".png") for href in icons)
    assert all(href.startswith("/static/") for href in icons)  # the site's own files, no other host
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/") and response["Location"].endswith(".ico")
    assert client.head("/favicon.ico").status_code == 302


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [("", "http://testserver"), ("https://archive.example.org/", "https://archive.example.org")],
)
def test_printed_link_targets_carry_the_site_address(client, settings, site_url, expected):
    """Print writes a link's target out (static/css/site.css, `var(--site-url) attr(href)`): the address comes
    from SITE_URL, else from the request, so a printed /sources/pringle-2018/ reads as a full address."""
    settings.SITE_URL = site_url
    page = client.get(reverse("about")).content.decode()
    assert f'<link rel="stylesheet" href="{reverse("print_addresses")}" media="print">' in page
    response = client.get(reverse("print_addresses"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert response.content.decode() == f':root {{ --site-url: "{expected}"; }}\n'
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert 'content: " <" var(--site-url, "") attr(href) ">"' in css


def test_a_hostile_site_address_cannot_break_out_of_the_stylesheet_string(client, settings):
    settings.SITE_URL = 'https://x.example"; } body { display: none } :root { --a: "'
    body = client.get(reverse("print_addresses")).content.decode()
    assert body.count('"') == 2  # one string, from which nothing escapes: the braces inside it are inert
