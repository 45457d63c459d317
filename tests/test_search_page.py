"""The search page: every kind found, ranking, query syntax, misspellings, safe highlighting, drafts never shown."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import (
    ConceptFactory,
    EventFactory,
    EvidenceFactory,
    InterventionFactory,
    OrganisationFactory,
    PositionFactory,
    RoleFactory,
    SourceFactory,
)

# The index is written when a transaction commits: these tests commit their writes as a site would.
pytestmark = pytest.mark.django_db(transaction=True)


URL = reverse("search")


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    # Pages may be cached whole; every request here must reach the view.
    cache.clear()
    yield
    cache.clear()


def search(client, **params):
    cache.clear()
    return client.get(URL, params)


def kinds_found(response):
    results = response.context["results"]
    return {group.kind: [hit.url for hit in group.hits] for group in results.groups}


def test_finds_every_kind_with_counts(client):
    case = InterventionFactory(title="The zebrafish campaign")
    OrganisationFactory(name="Zebrafish Workers Centre")
    PositionFactory(title="Zebrafish as a machine")
    SourceFactory(title="On zebrafish and labour")
    ConceptFactory(term="Zebrafish")
    EvidenceFactory(intervention=case, quotation="We called it the zebrafish plan.")
    EventFactory(intervention=case, title="Zebrafish meeting")

    response = search(client, q="zebrafish")

    assert response.status_code == 200
    found = kinds_found(response)
    assert set(found) == {"case", "organisation", "position", "source", "concept", "evidence", "event"}
    assert response.context["results"].counts == dict.fromkeys(found, 1)
    assert found["evidence"] == [f"{case.get_absolute_url()}#evidence"]
    assert found["event"] == [f"{case.get_absolute_url()}#timeline"]
    body = response.content.decode()
    assert "<mark>zebrafish</mark>" in body.lower()
    # Groups come cases first, then the other kinds in a fixed order.
    assert [g.kind for g in response.context["results"].groups][:2] == ["case", "organisation"]


def test_a_title_match_ranks_above_a_body_match(client):
    in_body = InterventionFactory(title="A strike at a toy factory", narrative="The quokka union. " * 3)
    in_title = InterventionFactory(title="The quokka union", narrative="A long story about something else.")

    hits = kinds_found(search(client, q="quokka", kind="case"))["case"]

    assert hits == [in_title.get_absolute_url(), in_body.get_absolute_url()]


def test_phrases_exclusions_and_or(client):
    together = InterventionFactory(title="Minimum wage standard", summary="A campaign.")
    apart = InterventionFactory(title="A wage campaign", summary="The minimum they asked for.")
    strike = InterventionFactory(title="Wage strike", summary="A strike over the minimum wage.")
    hukou = InterventionFactory(title="Hukou reform", summary="Registration.")

    def urls(q):
        return set(kinds_found(search(client, q=q)).get("case", []))

    assert urls('"minimum wage"') == {together.get_absolute_url(), strike.get_absolute_url()}
    assert apart.get_absolute_url() in urls("minimum wage")
    assert urls("wage -strike") == {together.get_absolute_url(), apart.get_absolute_url()}
    assert urls("hukou or strike") == {hukou.get_absolute_url(), strike.get_absolute_url()}
    # Characters that mean something to the database's query syntax are only ever words to look for.
    for text in ['wage"', "wage*", "wage AND", "(wage", "NEAR(wage)", "wage:", "^wage", "wage OR OR", "- -"]:
        assert search(client, q=text).status_code == 200


def test_a_misspelt_name_still_finds_its_target(client):
    source = SourceFactory(title="Labour NGOs in China")
    org = OrganisationFactory(name="Franceschini Institute")
    case = InterventionFactory(title="Cadmium poisoning compensation")
    RoleFactory(intervention=case, organisation=org, source=source)

    response = search(client, q="Franceschni")
    assert org.get_absolute_url() in kinds_found(response)["organisation"]
    assert "Showing results for" in response.content.decode()
    assert response.context["results"].corrected.display() == "franceschini"

    response = search(client, q="cadmuim")
    assert case.get_absolute_url() in kinds_found(response)["case"]


def test_nothing_found_offers_suggestions(client):
    InterventionFactory(title="Minimum wage campaign")
    response = search(client, q="qwxzv")
    assert response.status_code == 200
    assert response.context["results"].total == 0
    assert "Nothing matches" in response.content.decode()
    assert reverse("intervention_list") in response.content.decode()


def test_nothing_found_says_what_was_searched_and_how_to_find_more(client):
    InterventionFactory(title="Minimum wage campaign")
    # Two words, one of them rare: each alone is offered, since every word must match.
    page = search(client, q="wage qwxzv").content.decode()
    assert "Nothing matches <q>wage qwxzv</q>" in page
    assert f'href="{reverse("search")}?q=wage"' in page and f'href="{reverse("search")}?q=qwxzv"' in page
    assert f'href="{reverse("position_list")}"' in page and f'href="{reverse("timeline")}"' in page
    # Narrowed to one kind: the other kinds are offered, and the looser searches keep the kind.
    page = search(client, q="wage qwxzv", kind="source").content.decode()
    assert "among the sources" in page.lower()
    assert 'href="?q=wage+qwxzv">Every kind' in page  # the same words, no kind
    assert '?q=wage&amp;kind=source"' in page
    # Words left out with a minus sign: the search without them is offered.
    page = search(client, q="campaign -wage").content.decode()
    assert "Nothing matches" in page and f'href="{reverse("search")}?q=campaign"' in page


def test_highlighting_escapes_the_content(client):
    InterventionFactory(
        title="<script>alert('x')</script> cadmium & <b>lead</b>", summary="<img src=x onerror=alert(1)> cadmium"
    )
    body = search(client, q="cadmium").content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;" in body
    assert "<mark>cadmium</mark>" in body


def test_drafts_and_their_parts_are_never_found(client):
    for status in ["draft", "review", "withdrawn"]:
        case = InterventionFactory(title=f"Narwhal {status} case", status=status)
        EvidenceFactory(intervention=case, quotation="The narwhal quotation.")
        EventFactory(intervention=case, title="Narwhal event")
        OrganisationFactory(name=f"Narwhal {status} group", status=status)
        SourceFactory(title=f"Narwhal {status} report", status=status)
    response = search(client, q="narwhal")
    assert response.context["results"].total == 0
    assert "Narwhal" not in response.content.decode().replace("narwhal", "")


def test_an_entry_sent_back_to_draft_disappears_with_its_parts(client):
    case = InterventionFactory(title="Okapi campaign")
    EvidenceFactory(intervention=case, quotation="The okapi said so.")
    assert search(client, q="okapi").context["results"].total == 2

    case.status = "draft"
    case.save()
    assert search(client, q="okapi").context["results"].total == 0

    case.status = "published"
    case.save()
    assert search(client, q="okapi").context["results"].total == 2
    case.delete()
    assert search(client, q="okapi").context["results"].total == 0


def test_a_word_only_drafts_use_is_never_suggested(client):
    InterventionFactory(title="Xylophonics campaign", status="draft")
    response = search(client, q="xylophonix")
    assert response.context["results"].corrected is None
    assert "xylophonics" not in response.content.decode().lower()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "wage\x00"},
        {"q": "\x00"},
        {"q": "w" * 5000},
        {"q": "wage", "kind": "nonsense"},
    ],
)
def test_bad_input_gets_a_clear_400(client, params):
    response = search(client, **params)
    assert response.status_code == 400
    assert "The search could not be run" in response.content.decode()


@pytest.mark.parametrize(
    "query_string",
    ["q=wage&q=strike", "q=wage&kind=case&kind=event", "q=wage&page=abc", "q=wage&kind=case&page=99999", "q=", "q=-"],
)
def test_odd_but_harmless_input_is_answered(client, query_string):
    InterventionFactory(title="Wage campaign")
    cache.clear()
    response = client.get(f"{URL}?{query_string}")
    assert response.status_code == 200


def test_one_kind_pages_through_its_results(client):
    case = InterventionFactory(title="Capybara case")
    for n in range(25):
        EventFactory(intervention=case, title=f"Capybara event {n}")
    first = search(client, q="capybara", kind="event")
    assert len(first.context["results"].groups[0].hits) == 20
    assert first.context["results"].has_next
    second = search(client, q="capybara", kind="event", page=2)
    assert len(second.context["results"].groups[0].hits) == 5
    assert not second.context["results"].has_next
    # The other kinds keep their counts for the tabs.
    assert second.context["results"].counts == {"case": 1, "event": 25}


def test_every_page_has_the_search_box(client):
    body = client.get(reverse("home")).content.decode()
    assert 'role="search"' in body
    assert f'action="{URL}"' in body
    assert 'for="site-search-q"' in body


@pytest.mark.parametrize("size", [1, 12])
def test_search_page_queries_stay_flat(client, django_assert_num_queries, size):
    for n in range(size):
        case = InterventionFactory(title=f"Ocelot case {n}")
        EvidenceFactory(intervention=case, quotation=f"Ocelot quotation {n}")
        EventFactory(intervention=case, title=f"Ocelot event {n}")
        OrganisationFactory(name=f"Ocelot group {n}")
    cache.clear()
    # One query ranks and counts every match, one fetches the highlighted rows shown.
    with django_assert_num_queries(2):
        assert client.get(URL, {"q": "ocelot"}).status_code == 200
    cache.clear()
    with django_assert_num_queries(2):
        assert client.get(URL, {"q": "ocelot", "kind": "event"}).status_code == 200
    cache.clear()
    # A misspelling: the ranking finds nothing, the vocabulary is checked, the nearest word looked up,
    # then the corrected query is ranked and its rows fetched.
    with django_assert_num_queries(5):
        response = client.get(URL, {"q": "ocelott"})
    assert response.context["results"].corrected.display() == "ocelot"
