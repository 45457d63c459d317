"""The archive's own coding: a stage, outcome, issue or tactic the archive assigns and the source does not state
is recorded per case (Intervention.stage_by_archive, outcome_by_archive, issues_by_archive, tactics_by_archive)
and labelled as such on the case pages, the list, the comparison, the exports and the API.

Also the "not stated" kinds of sources and organisations, and the stage "Campaign (movement process)" that no
longer reads like the kind of intervention "Campaign"."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.interventions.models import Intervention, Kind, Stage
from tests.accounts_helpers import sign_in_verified
from tests.factories import (
    InterventionFactory,
    IssueFactory,
    OrganisationFactory,
    RoleFactory,
    SourceFactory,
    TacticFactory,
)
from tests.test_admin import errors_of, form_data

pytestmark = pytest.mark.django_db

LABEL = "archive's coding"


def body(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.fixture
def coded_case():
    case = InterventionFactory(
        slug="coded",
        stage="militant_particularism",
        stage_by_archive=True,
        outcome="partial",
        outcome_by_archive=True,
        issues_by_archive=["safety"],
        tactics_by_archive=[],
    )
    case.issues.add(IssueFactory(slug="safety", name="Workplace safety"), IssueFactory(slug="wages", name="Wages"))
    case.tactics.add(TacticFactory(slug="survey", name="Worker survey"))
    RoleFactory(intervention=case, organisation=OrganisationFactory(name="HKA"))
    return case


def test_the_case_page_labels_each_coding_and_only_those(client, coded_case):
    html = client.get(coded_case.get_absolute_url()).content.decode()
    start = html.index('id="facts"')  # At a glance
    panel = html[start : html.index("</section>", start)]
    assert panel.count(LABEL) == 3 + 1  # stage, outcome, one issue; and the note explaining the label
    assert f'Workplace safety <span class="badge badge--coding">{LABEL}</span>' in panel
    assert "Wages <span" not in panel
    assert "Worker survey <span" not in panel
    assert "the source does not state it" in panel


def test_a_case_without_coding_shows_no_label(client):
    case = InterventionFactory()
    RoleFactory(intervention=case)
    assert LABEL not in client.get(case.get_absolute_url()).content.decode()


def test_the_list_and_the_comparison_label_the_coding(client, coded_case):
    other = InterventionFactory(slug="plain")
    RoleFactory(intervention=other)
    html = client.get(reverse("intervention_list")).content.decode()
    assert html.count(f'<span class="badge badge--coding">{LABEL}</span>') == 3  # stage, outcome, issue
    html = client.get(reverse("compare") + "?cases=coded&cases=plain").content.decode()
    assert html.count(f'<span class="badge badge--coding">{LABEL}</span>') == 3


def test_exports_and_api_say_which_values_are_the_archives_coding(client, coded_case):
    rows = json.loads(body(client.get("/cases/export.json")))
    row = rows["results"][0] if isinstance(rows, dict) else rows[0]
    assert row["is_stage_archive_coding"] is True and row["is_outcome_archive_coding"] is True
    assert {i["slug"]: i["is_archive_coding"] for i in row["issues"]} == {"safety": True, "wages": False}
    assert row["tactics"] == [{"slug": "survey", "name": "Worker survey", "is_archive_coding": False}]

    (record,) = csv.DictReader(io.StringIO(body(client.get("/cases/export.csv"))))
    assert record["is_stage_archive_coding"] in ("true", "yes", "True")
    assert record["issues"] == f"Wages; Workplace safety ({LABEL})"

    detail = client.get("/api/cases/coded/").json()
    assert detail["is_outcome_archive_coding"] is True
    assert [i["is_archive_coding"] for i in detail["issues"]] == [False, True]
    schema = client.get("/api/schema.json").json()
    assert "is_archive_coding" in json.dumps(schema)


def test_coding_must_be_of_the_cases_own_values():
    case = InterventionFactory(stage="", outcome="unknown")
    case.stage_by_archive = True
    case.outcome_by_archive = True
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert set(error.value.message_dict) == {"stage_by_archive", "outcome_by_archive"}
    with pytest.raises(ValidationError) as error:
        case.issues_by_archive = ["wages", "elsewhere"]
        case.clean_archive_coding(["wages"], [])
    assert "elsewhere" in str(error.value)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Intervention.objects.filter(pk=case.pk).update(stage_by_archive=True)


def test_the_admin_refuses_a_coded_tag_the_case_lacks(client, admin_user):
    sign_in_verified(client, admin_user)
    case = InterventionFactory(status="draft")
    wages = IssueFactory(slug="wages")
    url = reverse("admin:interventions_intervention_change", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200 and "issues_by_archive" in page.content.decode()
    data = form_data(page) | {"issues": [str(wages.pk)], "issues_by_archive": '["safety"]'}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Not among the case" in errors_of(response)
    page = client.get(url)
    data = form_data(page) | {"issues": [str(wages.pk)], "issues_by_archive": '["wages"]', "tactics_by_archive": ""}
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    case.refresh_from_db()
    assert case.issues_by_archive == ["wages"] and case.tactics_by_archive == []


def test_not_stated_kinds_read_as_such_on_pages_facets_and_citations(client):
    source = SourceFactory(kind="not_stated", title="", short_title="Shieh 2009")
    organisation = OrganisationFactory(kind="not_stated", name="Asian Pacific Solidarity Links")
    assert "Type not stated in the sources" in client.get(source.get_absolute_url()).content.decode()
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Kind not stated in the sources" in html
    assert "Kind not stated in the sources" in client.get(reverse("organisation_list")).content.decode()
    assert "Type not stated in the sources" in client.get(reverse("source_list")).content.decode()
    reference = reverse("source_reference", args=[source.slug, "bib"])
    assert client.get(reference).content.decode().lstrip().startswith("@misc")
    assert "TY  - GEN" in client.get(reverse("source_reference", args=[source.slug, "ris"])).content.decode()
    assert client.get(reverse("organisation_list") + "?kind=not_stated").status_code == 200


def test_campaign_the_stage_and_campaign_the_kind_read_differently(client):
    assert Stage.CAMPAIGN.label == "Campaign (movement process)" and Kind.CAMPAIGN.label == "Campaign"
    case = InterventionFactory(kind="campaign", stage="campaign")
    RoleFactory(intervention=case)
    html = client.get("/cases/?stage=campaign").content.decode()  # old links keep working
    assert case.title in html and "Campaign (movement process)" in html
    page = client.get(case.get_absolute_url()).content.decode()
    assert "<dt>Kind</dt><dd>Campaign</dd>" in page and "Campaign (movement process)" in page


def test_a_source_shows_its_online_date_beside_its_year(client):
    import datetime

    source = SourceFactory(
        year=2019, published_online=datetime.date(2020, 3, 19), published_online_locator="journal page"
    )
    html = client.get(source.get_absolute_url()).content.decode()
    assert '<time datetime="2020-03-19">19 March 2020</time>' in html
    assert "later than the year the work is dated, 2019" in html
