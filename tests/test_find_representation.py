"""One representation per kind: the exports, the API and the JSON-LD name and value an entry's fields alike.

Each kind declares its public fields once (cases/<app>/representation.py); these tests read the same rows
through every surface and compare them field by field.
"""

import csv
import datetime
import io
import json
import re
from urllib.parse import urlsplit

import pytest

from cases.find.exports import csv_cell
from cases.interventions.representation import CASE
from cases.organisations.representation import ORGANISATION
from cases.scholarship.representation import POSITION
from cases.site.representation import SOURCE
from tests.factories import InterventionFactory, OrganisationFactory, RoleFactory, SourceFactory
from tests.find_support import build

# kind: (its declaration, list page (exports at <list>export.<fmt>), API list)
KINDS = {
    "case": (CASE, "/cases/", "/api/cases/"),
    "organisation": (ORGANISATION, "/organisations/", "/api/organisations/"),
    "position": (POSITION, "/debate/", "/api/positions/"),
    "source": (SOURCE, "/sources/", "/api/sources/"),
}


def streamed(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def archive(db):
    """The filter tests' archive, with the blanks and extras that differ between "" and null."""
    entries = build(2)
    odd = InterventionFactory(
        title="=SUM(1) case", stage="", end_date=datetime.date(2013, 6, 1), end_precision="month"
    )
    RoleFactory(intervention=odd, organisation=OrganisationFactory(short_name="CWC", name_zh_hans="工人中心"))
    RoleFactory(intervention=odd, organisation=OrganisationFactory(is_unnamed=True), kind="partner")
    SourceFactory(doi="10.1177/0896920516661000", publisher="Sage", publisher_place="London", url="")
    SourceFactory(kind="web", url="https://example.org/report", container_title="", volume="", issue="")
    return entries


def surfaces(client, kind):
    """The kind's rows as the CSV export, the JSON export and the API list give them, by slug."""
    _declaration, listing, api = KINDS[kind]
    text = streamed(client.get(f"{listing}export.csv")).removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    csv_rows = {row["slug"]: row for row in reader}
    json_rows = {row["slug"]: row for row in json.loads(streamed(client.get(f"{listing}export.json")))["results"]}
    response = client.get(f"{api}?page_size=100")
    assert response.status_code == 200
    api_rows = {row["slug"]: row for row in response.json()["results"]}
    return reader.fieldnames, csv_rows, json_rows, api_rows


@pytest.mark.parametrize("kind", KINDS)
def test_export_columns_are_the_api_fields_with_the_same_values(client, archive, kind):
    declaration = KINDS[kind][0]
    header, csv_rows, json_rows, api_rows = surfaces(client, kind)
    names = [f.name for f in declaration.listed]
    assert header == names
    assert set(api_rows) == set(json_rows) == set(csv_rows) and len(api_rows) >= 3
    for slug, api_row in api_rows.items():
        assert list(api_row) == names, slug
        assert json_rows[slug] == api_row, slug  # the JSON download says what the API says
        for f in declaration.listed:  # and the CSV writes that value as text
            assert csv_rows[slug][f.name] == csv_cell(f.cell_value(api_row[f.name])), (slug, f.name)


@pytest.mark.parametrize("kind", KINDS)
def test_the_api_detail_and_schema_use_the_declared_names(client, archive, kind):
    declaration, _listing, api = KINDS[kind]
    schema = client.get("/api/schema.json").json()["components"]["schemas"]
    _header, _csv_rows, _json_rows, api_rows = surfaces(client, kind)
    slug, listed = next(iter(api_rows.items()))
    detail = client.get(f"{api}{slug}/").json()
    assert list(detail) == [f.name for f in (*declaration.listed, *declaration.detail)]
    assert {name: detail[name] for name in listed} == listed
    assert list(schema[declaration.schema_name]["properties"]) == list(listed)
    if declaration.detail:
        assert list(schema[f"{declaration.schema_name}Detail"]["properties"]) == list(detail)


def test_the_chosen_names_and_blank_values(client, archive):
    """The choices documented in cases/find/representation.py and the README."""
    _header, _csv, _json, orgs = surfaces(client, "organisation")
    assert orgs["org-a"]["is_pseudonym"] is True and orgs["org-a"]["is_unnamed_in_source"] is False
    assert orgs["org-a"]["short_name"] is None  # not given: null, not ""
    _header, _csv, _json, sources = surfaces(client, "source")
    assert sources["src-a"]["is_seed"] is False and sources["src-a"]["source_url"] is None
    _header, csv_cases, _json, cases = surfaces(client, "case")
    odd = next(case for case in cases.values() if case["title"] == "=SUM(1) case")
    assert odd["stage"] is None and odd["start"] == "2011" and odd["end"] == "2013-06"
    assert csv_cases[odd["slug"]]["title"] == "'=SUM(1) case"  # the CSV still defuses formulas
    case = cases["case-0"] if "case-0" in cases else next(c for c in cases.values() if c["organisations"])
    assert {"slug": "org-a", "name": "HKA", "role": "lead"} in case["organisations"]
    assert case["lead_organisations"] == ["HKA"]
    assert {"slug": "shenzhen", "name": "Shenzhen"} in case["places"]
    assert "HKA (lead)" in csv_cases[case["slug"]]["organisations"].split("; ")


def jsonld(client, url):
    html = client.get(url).content.decode()
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])


def path(url):
    return urlsplit(url).path


@pytest.mark.parametrize("kind", KINDS)
def test_json_ld_shares_the_declared_values(client, archive, kind):
    _header, _csv, _json, api_rows = surfaces(client, kind)
    for row in api_rows.values():
        data = jsonld(client, path(row["url"]))
        assert path(data["url"]) == path(row["url"])  # the same page; JSON-LD names it on SITE_URL
        if kind == "case":
            assert data["name"] == row["title"] and data["headline"] == row["title"][:110]
            assert data["temporalCoverage"] == f"{row['start']}/{row['end'] or '..'}"
        elif kind == "organisation":
            assert data["name"] == row["name"]
            alternates = [n for n in (row["short_name"],) if n and n != row["name"]] + [
                {"@value": row[field], "@language": tag}
                for field, tag in (
                    ("name_zh_hans", "zh-Hans"),
                    ("name_zh_hant", "zh-Hant"),
                    ("name_pinyin", "zh-Latn-pinyin"),
                )
                if row[field]
            ]
            assert data.get("alternateName", []) == alternates
        elif kind == "position":
            assert data["name"] == f"{row['scholar']}: {row['title']}"
        else:
            assert data["name"] == row["title"]
            assert data.get("pagination") == row["pages"]
            assert data.get("publisher", {}).get("name") == row["publisher"]
            assert data.get("publisher", {}).get("location") == row["publisher_place"]
            same_as = f"https://doi.org/{row['doi']}" if row["doi"] else row["source_url"]
            assert data.get("sameAs") == same_as


def test_the_readme_lists_the_declared_fields():
    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    for kind, (declaration, _listing, _api) in KINDS.items():
        row = re.search(rf"^\| {kind} \| `([^`]*)` \| *`?([^`|]*?)`? *\|$", readme, re.M)
        assert row, kind
        assert row[1].split() == [f.name for f in declaration.listed], kind
        assert row[2].split() == [f.name for f in declaration.detail], kind
