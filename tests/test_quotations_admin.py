"""A source's text is private to curators; quotations are checked against it on save in the admin, the result is
recorded on the row, and public pages mark the checked ones (and only those)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.core.models import Source
from cases.curation.quotation_check import recheck
from cases.interventions.models import Evidence, Intervention
from cases.scholarship.models import Position
from tests import factories as f
from tests.test_admin import add_inline_row, errors_of, form_data, url

pytestmark = pytest.mark.django_db

TEXT = """Introduction

The workers of the pangolin factory went on strike. In practice nothing hap-
pened. Their answer was clear enough.\x20\x20

Conclusion

The armadillo campaign won a raise after a long fight.
"""
SECRET = "pangolin factory"
MARK = "Quotation checked against the text"


@pytest.fixture
def case():
    source = f.SourceFactory(text=TEXT)
    return f.InterventionFactory(source=source, status="draft")


def evidence_inline(response):
    return next(i for i in response.context["inline_admin_formsets"] if i.formset.model is Evidence)


def test_a_verbatim_quotation_is_recorded_as_checked(admin_client, case):
    change = url(Intervention, "change", case.pk)
    data = form_data(admin_client.get(change))
    add_inline_row(
        data, "evidence", position="1", quotation="In practice nothing happened.", source=str(case.source.pk),
        locator="Introduction",
    )  # fmt: skip
    response = admin_client.post(change, data)
    assert response.status_code == 302, errors_of(response)
    evidence = case.evidence.get()
    assert evidence.quotation_checked

    # The change page shows where it sits, with its context.
    page = admin_client.get(change)
    assert "Found in “Introduction”" in page.content.decode()


def test_a_quotation_not_in_the_text_is_a_form_error(admin_client, case):
    change = url(Intervention, "change", case.pk)
    data = form_data(admin_client.get(change))
    add_inline_row(
        data, "evidence", position="1", quotation="In practice nothing happend.", source=str(case.source.pk),
        locator="Introduction",
    )  # fmt: skip
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "Not found verbatim in the source’s text" in str(evidence_inline(response).formset.errors)
    assert not case.evidence.exists()


def test_a_source_without_text_leaves_the_quotation_unchecked(admin_client):
    case = f.InterventionFactory(status="draft")
    change = url(Intervention, "change", case.pk)
    data = form_data(admin_client.get(change))
    add_inline_row(data, "evidence", position="1", quotation="Anything", source=str(case.source.pk), locator="p. 1")
    response = admin_client.post(change, data)
    assert response.status_code == 302, errors_of(response)
    assert not case.evidence.get().quotation_checked


def test_a_position_quotation_is_checked_against_the_reporting_source(admin_client, case):
    position = f.PositionFactory(status="draft", reported_in=case.source, reported_locator="Conclusion")
    change = url(Position, "change", position.pk)
    data = form_data(admin_client.get(change))
    data["key_quotation"] = "won a raise [...] fight"
    response = admin_client.post(change, data)
    assert response.status_code == 302, errors_of(response)
    position.refresh_from_db()
    assert position.quotation_checked

    data["key_quotation"] = "won a raise after a short fight"
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "Not found verbatim" in errors_of(response)


def test_changing_the_text_rechecks_its_quotations(case):
    evidence = f.EvidenceFactory(intervention=case, source=case.source, quotation="Their answer was clear enough.")
    assert recheck() == []
    evidence.refresh_from_db()
    assert evidence.quotation_checked
    Source.objects.filter(pk=case.source.pk).update(text=TEXT.replace("clear", "plain"))
    failures = recheck([case.source])
    assert [failure.row.pk for failure in failures] == [evidence.pk]
    evidence.refresh_from_db()
    assert not evidence.quotation_checked


def test_check_quotations_command_fails_on_a_quotation_not_verbatim(case):
    f.EvidenceFactory(intervention=case, source=case.source, quotation="The workers went on a strike.")
    with pytest.raises(Exception, match="not found verbatim"):
        call_command("check_quotations", verbosity=0)


def test_the_public_mark_shows_only_where_the_check_passed(client, case):
    case.status = "published"
    case.save()
    checked = f.EvidenceFactory(intervention=case, source=case.source, quotation="Their answer was clear enough.")
    f.EvidenceFactory(intervention=case, source=case.source, quotation="Words from elsewhere.")
    recheck()
    checked.refresh_from_db()
    assert checked.quotation_checked
    html = client.get(case.get_absolute_url()).content.decode()
    assert html.count(MARK) == 1
    assert html.index("Their answer was clear enough.") < html.index(MARK) < html.index("Words from elsewhere.")


def test_the_text_never_reaches_the_public(client, case):
    source = case.source
    case.status = "published"
    case.save()
    f.EvidenceFactory(intervention=case, source=source, quotation="Their answer was clear enough.")
    pages = [
        source.get_absolute_url(),
        case.get_absolute_url(),
        reverse("source_list"),
        reverse("source_export", args=["csv"]),
        reverse("source_export", args=["json"]),
        reverse("source_reference", args=[source.slug, "json"]),
        reverse("source_reference", args=[source.slug, "bib"]),
        reverse("source_reference", args=[source.slug, "ris"]),
        reverse("api-source-detail", args=[source.slug]),
        reverse("api-source-list"),
        reverse("api-case-detail", args=[case.slug]),
        reverse("search") + "?q=pangolin",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET not in body.decode(), page


def test_saving_a_new_text_in_the_admin_checks_the_quotations_again(admin_client):
    source = f.SourceFactory(status="draft")
    case = f.InterventionFactory(source=source, status="draft")
    evidence = f.EvidenceFactory(intervention=case, source=source, quotation="Their answer was clear enough.")
    change = url(Source, "change", source.pk)
    page = admin_client.get(change)
    assert "Text (private to curators)" in page.content.decode()
    data = form_data(page)
    data["text"] = TEXT
    response = admin_client.post(change, data)
    assert response.status_code == 302, errors_of(response)
    evidence.refresh_from_db()
    assert evidence.quotation_checked
