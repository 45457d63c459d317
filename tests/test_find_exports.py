"""CSV and JSON downloads of every list: the list's filters, published rows only, streamed, formulas defused."""

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse

from cases.find.exports import csv_cell
from tests.factories import InterventionFactory, OrganisationFactory, PositionFactory, RoleFactory, SourceFactory
from tests.find_support import EXPORT_URLS, build


def body(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response).removeprefix("\ufeff"))))


def json_rows(response):
    return json.loads(body(response))["results"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("HKA (a pseudonym)", "HKA (a pseudonym)"),
        ("2011-05", "2011-05"),
        (None, ""),
        (True, "yes"),
        (["Shenzhen", "=1+1"], "Shenzhen; =1+1"),  # inside a joined cell a formula cannot start the cell
    ],
)
def test_csv_cells_that_would_start_a_formula_are_escaped(value, cell):
    assert csv_cell(value) == cell


def test_case_export_has_the_list_filters_and_formula_safe_cells(client):
    org = OrganisationFactory(slug="hka", name="HKA")
    shown = InterventionFactory(title="=cmd|' /C calc'!A0", stage="campaign")
    RoleFactory(intervention=shown, organisation=org)
    other = InterventionFactory(title="Other case", stage="campaign")
    InterventionFactory(title="Hidden case", stage="campaign", status="draft")
    response = client.get("/cases/export.csv?organisation=hka&stage=campaign")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cases.csv"'
    rows = csv_rows(response)
    assert [row["title"] for row in rows] == ["'=cmd|' /C calc'!A0"]
    assert rows[0]["lead_organisations"] == "HKA"
    assert rows[0]["start"] == "2011"  # a year stays a year
    assert rows[0]["url"] == f"http://testserver{shown.get_absolute_url()}"
    everything = csv_rows(client.get("/cases/export.csv"))
    assert {row["slug"] for row in everything} == {shown.slug, other.slug}  # no draft


def test_json_export_is_valid_json_with_lists_and_the_filters(client):
    org = OrganisationFactory(slug="hka", name="HKA")
    case = InterventionFactory(title="=not a formula in JSON", outcome="won")
    RoleFactory(intervention=case, organisation=org)
    InterventionFactory(outcome="suppressed")
    response = client.get("/cases/export.json?outcome=won&sort=title")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body(response))
    assert data["filters"] == {"outcome": ["won"], "sort": "title"}
    assert [row["title"] for row in data["results"]] == ["=not a formula in JSON"]
    assert data["results"][0]["lead_organisations"] == ["HKA"]
    assert data["results"][0]["end"] is None


def test_an_empty_export_is_still_well_formed(client):
    assert json.loads(body(client.get("/cases/export.json?organisation=nobody")))["results"] == []
    assert csv_rows(client.get("/cases/export.csv?organisation=nobody")) == []


def test_invalid_filters_answer_400_with_what_to_correct(client):
    response = client.get("/cases/export.csv?year_from=abc&stage=%00")
    assert response.status_code == 400
    text = response.content.decode()
    assert "year_from: Enter a whole number." in text
    assert "stage:" in text and "\x00" not in text


@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_every_export_leaves_out_hidden_entries(client, status):
    build(2)
    InterventionFactory(title=f"Hidden {status} case", status=status)
    OrganisationFactory(name=f"Hidden {status} org", status=status)
    PositionFactory(title=f"Hidden {status} position", status=status)
    SourceFactory(title=f"Hidden {status} source", status=status)
    for url in EXPORT_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        assert "Hidden" not in text, url
        assert "hidden-org" not in text, url


def test_organisation_position_and_source_exports_use_their_filters(client):
    build(3)
    orgs = csv_rows(client.get("/organisations/export.csv?pseudonymous=yes"))
    assert [row["name"] for row in orgs] == ["HKA"]
    assert orgs[0]["is_pseudonym"] == "yes" and orgs[0]["cases"] == "3"
    positions = json_rows(client.get("/debate/export.json?scholar=scholar-a"))
    assert [row["slug"] for row in positions] == ["position-a"]
    assert positions[0]["supporting_cases"] == 0 and positions[0]["challenging_cases"] == 3
    sources = csv_rows(client.get("/sources/export.csv?year_from=2011&year_to=2012&sort=latest"))
    assert [row["year"] for row in sources] == ["2012", "2011"]
    assert sources[0]["authors"].count(";") == 1  # two authors, in order


# The whole export in a fixed number of queries: the rows and one query per prefetch (per chunk of 500).
EXPORT_QUERIES = {
    "/cases/export.csv": 5,  # cases with their source, roles, places, issues, tactics
    "/cases/export.json": 5,
    "/organisations/export.csv": 1,
    "/organisations/export.json": 1,
    "/debate/export.csv": 1,
    "/debate/export.json": 1,
    "/sources/export.csv": 2,  # sources, their authors
    "/sources/export.json": 2,
}


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize("url", EXPORT_URLS)
def test_export_query_counts_are_pinned(client, django_assert_num_queries, url, size):
    build(size)
    with django_assert_num_queries(EXPORT_QUERIES[url]):
        response = client.get(url)
        text = body(response)
    assert response.status_code == 200
    assert text.count("\n") > size  # the rows are there


# Committed rows: under ASGI, Django runs the view in a thread of the request's own, with its own connection.
@pytest.mark.django_db(transaction=True)
def test_under_asgi_an_export_is_streamed_a_batch_at_a_time(monkeypatch, recwarn):
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    from cases.find import exports

    for title in ("Cadmium campaign", "Wage arrears case", "Pension case"):
        InterventionFactory(title=title)
    monkeypatch.setattr(exports, "_next_batch", lambda chunks, size=1, batch=exports._next_batch: batch(chunks, 1))

    async def download():
        response = await AsyncClient().get("/cases/export.csv")
        return response, [chunk async for chunk in response.streaming_content]

    response, chunks = async_to_sync(download)()
    assert response.status_code == 200 and response.is_async
    assert len(chunks) == 5  # the byte-order mark, the header and each row, one at a time
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode().removeprefix("\ufeff"))))
    assert sorted(row["title"] for row in rows) == ["Cadmium campaign", "Pension case", "Wage arrears case"]
    assert not [w for w in recwarn if "synchronous iterators" in str(w.message)]
