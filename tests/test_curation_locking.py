"""Optimistic locking: a change form built from an older version of an entry is not saved over a newer one. The
curator is told who changed what and when, keeps their input, and can save again deliberately."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.curation import roles
from cases.curation.locking import TOKEN_FIELD
from cases.interventions.models import Event, Intervention, Tactic
from tests import factories as f
from tests.accounts_helpers import sign_in_verified
from tests.test_admin import add_inline_row, errors_of, form_data, url
from tests.test_curation_workflow import member_of


@pytest.fixture
def first():
    return member_of(roles.CURATORS, username="first")


@pytest.fixture
def second():
    return member_of(roles.CURATORS, username="second")


@pytest.fixture
def case():
    case = f.InterventionFactory(status="draft", title="Cadmium campaign", narrative="Workers fell ill.")
    f.EventFactory(intervention=case, position=1, title="Officials meet five worker activists")
    return case


def signed_in(user):
    client = Client()
    sign_in_verified(client, user)
    return client


def change_url(obj):
    return url(type(obj), "change", obj.pk)


def open_form(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return form_data(response)


def test_the_second_of_two_saves_from_the_same_version_is_refused_and_keeps_its_input(first, second, case):
    a, b = signed_in(first), signed_in(second)
    data_a, data_b = open_form(a, case), open_form(b, case)
    assert data_a[TOKEN_FIELD] and data_b[TOKEN_FIELD]
    saved = a.post(change_url(case), {**data_a, "narrative": "Workers fell ill with cadmium poisoning."})
    assert saved.status_code == 302

    response = b.post(change_url(case), {**data_b, "title_en_gb": "Cadmium poisoning campaign"})
    assert response.status_code == 200
    errors = errors_of(response)
    assert "Someone else (first) saved this entry at" in errors and "since you opened it" in errors
    assert "your changes are not saved. What changed: Narrative." in errors
    # The differences, escaped, against what the form was built from.
    page = response.content.decode()
    assert "Changed since you opened this form" in page
    assert "<del>ill.</del> <ins>ill with cadmium poisoning.</ins>" in page
    # Nothing of the first save is lost, the second curator's input is still in the form.
    case.refresh_from_db()
    assert (case.title, case.narrative) == ("Cadmium campaign", "Workers fell ill with cadmium poisoning.")
    form = response.context["adminform"].form
    assert form["title_en_gb"].value() == "Cadmium poisoning campaign"
    # With a token of the version now saved: saving again is a deliberate choice, and it works.
    again = form_data(response)
    assert again[TOKEN_FIELD] != data_b[TOKEN_FIELD]
    again["narrative"] = "Workers fell ill with cadmium poisoning."  # the second curator merges by hand
    assert b.post(change_url(case), again).status_code == 302
    case.refresh_from_db()
    assert (case.title, case.narrative) == ("Cadmium poisoning campaign", "Workers fell ill with cadmium poisoning.")


def test_a_change_to_an_inline_row_since_the_form_was_opened_is_a_conflict_too(first, second, case):
    a, b = signed_in(first), signed_in(second)
    data_a, data_b = open_form(a, case), open_form(b, case)
    assert a.post(
        change_url(case), {**data_a, "events-0-title_en_gb": "Officials meet six worker activists"}
    ).status_code
    assert Event.objects.get().title == "Officials meet six worker activists"

    response = b.post(change_url(case), {**data_b, "narrative": "Workers fell ill with cadmium poisoning."})
    assert response.status_code == 200
    errors = errors_of(response)
    assert "What changed: Event 31 March 2012: Officials meet six worker activists — Title [en-gb]." in errors
    assert "<del>five</del> <ins>six</ins>" in response.content.decode()
    assert Event.objects.get().title == "Officials meet six worker activists"
    case.refresh_from_db()
    assert case.narrative == "Workers fell ill."
    assert response.context["adminform"].form["narrative"].value() == "Workers fell ill with cadmium poisoning."


def test_a_row_changed_or_deleted_in_its_own_admin_is_a_conflict_for_the_entrys_form(first, second, case):
    event = case.events.get()
    b = signed_in(second)
    data_b = open_form(b, case)
    a = signed_in(first)
    data_event = open_form(a, event)
    assert a.post(change_url(event), {**data_event, "locator": "p. 667"}).status_code == 302
    response = b.post(change_url(case), {**data_b, "events-0-title_en_gb": "A new title"})
    assert response.status_code == 200 and "Locator" in errors_of(response)
    event.refresh_from_db()
    assert (event.title, event.locator) == ("Officials meet five worker activists", "p. 667")

    data_b = form_data(response)
    event.delete()
    response = b.post(change_url(case), {**data_b, "events-0-title_en_gb": "A new title"})
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_a_row_added_elsewhere_is_no_conflict_and_is_kept(first, second, case):
    b = signed_in(second)
    data_b = open_form(b, case)
    f.EventFactory(intervention=case, position=2, title="A strike", date=datetime.date(2012, 5, 1))
    assert b.post(change_url(case), {**data_b, "narrative": "Workers fell ill twice."}).status_code == 302
    assert sorted(case.events.values_list("title", flat=True)) == ["A strike", "Officials meet five worker activists"]


def test_a_row_added_in_the_form_still_saves(first, case):
    a = signed_in(first)
    data = open_form(a, case)
    add_inline_row(
        data, "evidence", position="1", quotation="We will not give up.", source=str(case.source.pk), locator="p. 9"
    )
    assert a.post(change_url(case), data).status_code == 302
    assert case.evidence.get().quotation == "We will not give up."


def test_every_archive_form_is_locked_vocabularies_included(first, second):
    tactic = f.TacticFactory(name="Petitions")
    a, b = signed_in(first), signed_in(second)
    data_a, data_b = open_form(a, tactic), open_form(b, tactic)
    assert a.post(change_url(tactic), {**data_a, "name": "Collective petitions"}).status_code == 302
    response = b.post(change_url(tactic), {**data_b, "description": "Letters signed by many workers."})
    assert response.status_code == 200 and "What changed: Name." in errors_of(response)
    assert Tactic.objects.get().name == "Collective petitions"
    # The token is one hidden input at the top of the form, never a visible row.
    page = b.get(change_url(tactic)).content.decode()
    assert page.count(f'name="{TOKEN_FIELD}"') == 1 and 'type="hidden" name="version_token"' in page


def test_a_status_moved_by_a_bulk_action_is_a_conflict(first, second, case):
    b = signed_in(second)
    data_b = open_form(b, case)
    a = signed_in(first)
    a.post(url(Intervention, "changelist"), {"action": "send_to_review", "_selected_action": [case.pk]})
    case.refresh_from_db()
    assert case.status == "review"
    response = b.post(change_url(case), {**data_b, "narrative": "Workers fell ill twice."})
    assert response.status_code == 200 and "What changed: Status." in errors_of(response)
    case.refresh_from_db()
    assert case.status == "review"


def test_a_forged_token_is_refused(first, case):
    a = signed_in(first)
    data = open_form(a, case)
    response = a.post(change_url(case), {**data, TOKEN_FIELD: "forged", "narrative": "Something else."})
    assert response.status_code == 200 and "cannot be matched with the saved entry" in errors_of(response)
    case.refresh_from_db()
    assert case.narrative == "Workers fell ill."


def test_the_lock_costs_no_query(admin_client, case):
    data = form_data(admin_client.get(change_url(case)))

    def cost(posted):
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.post(change_url(case), posted).status_code == 302
        return len(queries)

    cost(data)  # the first version of the entry costs more than the next ones
    data = form_data(admin_client.get(change_url(case)))
    without = cost({k: v for k, v in data.items() if k != TOKEN_FIELD})
    data = form_data(admin_client.get(change_url(case)))
    assert cost(data) == without


def test_approving_a_proposal_checks_the_lock_of_the_version_it_was_made_on(first, case):
    """The proposal keeps the token of the version it was made on; see test_curation_review.py for the refusal."""
    case.status = "published"
    case.save()
    a = signed_in(first)
    data = open_form(a, case)
    assert a.post(change_url(case), {**data, "narrative": "Proposed."}).status_code == 302
    from cases.curation.models import PendingRevision

    pending = PendingRevision.objects.get()
    assert pending.base_token and TOKEN_FIELD not in pending.data and "csrfmiddlewaretoken" not in pending.data
    assert reverse("admin:curation_pendingrevision_change", args=[pending.pk])
