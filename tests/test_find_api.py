"""The read-only JSON API: the lists' filters, published entries only, a valid OpenAPI schema, flat query counts."""

import pytest
from drf_spectacular.validation import validate_schema

from tests.factories import EventFactory, EvidenceFactory, InterventionFactory, OrganisationFactory, RoleFactory
from tests.find_support import API_URLS, build


def test_case_list_takes_the_same_filters_as_the_page(client):
    org = OrganisationFactory(slug="hkc", name="HKC")
    wanted = InterventionFactory(title="Campaign by HKC", stage="campaign")
    RoleFactory(intervention=wanted, organisation=org)
    InterventionFactory(title="Another campaign", stage="campaign")
    InterventionFactory(title="A draft", stage="campaign", status="draft")
    response = client.get("/api/cases/?organisation=hkc&stage=campaign")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 1
    [case] = data["results"]
    assert case["slug"] == wanted.slug
    assert case["organisations"] == [{"slug": "hkc", "name": "HKC", "role": "lead"}]
    assert case["start"] == "2011" and case["end"] is None
    assert case["url"] == f"http://testserver{wanted.get_absolute_url()}"
    assert [c["title"] for c in client.get("/api/cases/?stage=campaign&sort=title").json()["results"]] == [
        "Another campaign",
        "Campaign by HKC",
    ]


def test_case_detail_has_timeline_and_evidence_and_hides_drafts(client):
    case = InterventionFactory()
    EventFactory(intervention=case, title="Officials meet workers")
    EvidenceFactory(intervention=case, quotation="In practice nothing happened.")
    hidden_org = OrganisationFactory(name="Hidden org", status="draft")
    RoleFactory(intervention=case, organisation=hidden_org)
    data = client.get(f"/api/cases/{case.slug}/").json()
    assert data["events"][0]["title"] == "Officials meet workers"
    assert data["events"][0]["date"] == "2012-03-31"
    assert data["evidence"][0]["quotation"] == "In practice nothing happened."
    assert data["organisations"] == []  # the draft organisation is not named
    draft = InterventionFactory(status="draft")
    assert client.get(f"/api/cases/{draft.slug}/").status_code == 404
    assert client.get("/api/cases/no-such-case/").status_code == 404


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_no_list_shows_hidden_entries(client, status):
    build(2)
    for url in API_URLS:
        text = client.get(url + "?page_size=100").content.decode()
        assert "Hidden" not in text and "hidden-org" not in text, url


def test_other_lists_and_details(client):
    build(2)
    orgs = client.get("/api/organisations/?pseudonymous=yes").json()
    assert [o["slug"] for o in orgs["results"]] == ["org-a"]
    assert orgs["results"][0]["cases"] == 2
    assert client.get("/api/organisations/org-a/").json()["summary"] == "A labour NGO."
    positions = client.get("/api/positions/?stance=critical&scholar=scholar-a").json()
    assert [p["slug"] for p in positions["results"]] == ["position-a"]
    assert positions["results"][0]["stance"] == "critical"
    sources = client.get("/api/sources/?type=article&year_from=2018&year_to=2018").json()
    assert [s["slug"] for s in sources["results"]] == ["src-a"]
    assert client.get("/api/sources/src-a/").json()["authors"] == ["Ann Lee"]
    assert client.get("/api/positions/position-a/").status_code == 200


def test_bad_input_gets_a_clear_400_or_404(client):
    build(1)
    response = client.get("/api/cases/?year_from=abc&stage=nonsense")
    assert response.status_code == 400
    errors = response.json()
    assert errors["year_from"] == ["Enter a whole number."]
    assert "“nonsense” is not one of the choices" in errors["stage"][0]
    assert client.get("/api/cases/?organisation=a%00b").status_code == 400
    assert client.get("/api/cases/?page=999").json() == {"detail": "Invalid page."}
    assert client.get("/api/cases/?page_size=100000").json()["count"] == 1  # capped, not refused


def test_pagination(client):
    for _ in range(30):
        InterventionFactory()
    first = client.get("/api/cases/?stage=local_rationality").json()
    assert first["count"] == 30 and len(first["results"]) == 25
    assert first["next"] == "http://testserver/api/cases/?page=2&stage=local_rationality"
    assert len(client.get(first["next"]).json()["results"]) == 5


def test_the_openapi_schema_is_valid_and_documents_the_filters(client):
    response = client.get("/api/schema.json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on an invalid OpenAPI document
    assert set(schema["paths"]) == {
        "/api/cases/",
        "/api/cases/{slug}/",
        "/api/organisations/",
        "/api/organisations/{slug}/",
        "/api/positions/",
        "/api/positions/{slug}/",
        "/api/sources/",
        "/api/sources/{slug}/",
    }
    assert not any(method != "get" for path in schema["paths"].values() for method in path if method != "parameters")
    parameters = {p["name"]: p for p in schema["paths"]["/api/cases/"]["get"]["parameters"]}
    assert {"organisation", "kind", "stage", "place", "issue", "tactic", "outcome", "source"} <= set(parameters)
    assert parameters["stage"]["schema"]["items"]["enum"][0] == "local_rationality"
    assert parameters["year_from"]["schema"] == {"type": "integer", "minimum": 1800, "maximum": 2100}


def test_the_docs_page_lists_every_endpoint_without_scripts(client):
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    for path in ("/api/cases/", "/api/organisations/{slug}/", "/api/positions/", "/api/sources/"):
        assert f"GET {path}" in html
    assert 'href="/api/schema.json"' in html
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]


def test_the_api_is_read_only(client):
    build(1)
    assert client.post("/api/cases/", {}).status_code in (403, 405)
    assert client.delete("/api/cases/case-0/").status_code in (403, 404, 405)


API_QUERIES = {
    "/api/cases/": 6,  # count, page with source, roles, places, issues, tactics
    "/api/organisations/": 2,  # count, page with case counts
    "/api/positions/": 2,  # count, page with stance counts and source
    "/api/sources/": 3,  # count, page, authors
}


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize("url", API_URLS)
def test_api_query_counts_are_pinned(client, django_assert_num_queries, url, size):
    build(size)
    with django_assert_num_queries(API_QUERIES[url]):
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] >= size


@pytest.mark.parametrize("size", [1, 6])
def test_api_case_detail_query_count_is_pinned(client, django_assert_num_queries, size):
    build(size)
    case = InterventionFactory()
    for _ in range(size):
        EventFactory(intervention=case)
        EvidenceFactory(intervention=case)
        RoleFactory(intervention=case, kind="partner")
    with django_assert_num_queries(9):  # case, roles, places, issues, tactics, events, evidence, 2× source authors
        response = client.get(f"/api/cases/{case.slug}/")
    assert len(response.json()["events"]) == size
