"""What a curator's save costs, and that the cheap save still checks, logs and records what it must.

The admin change form of a published case with a role and six timeline events, posted back as a browser does
with only the title changed: the whole request, search indexing on commit included, stays within BUDGET queries
(counted as Django counts them: BEGIN, COMMIT and SAVEPOINT lines included), 15 at most on SQLite and PostgreSQL for
the save and its index; the public version the change makes renders the case page once more on top of that.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from cases.core.cache import GENERATION_KEY, page_cache
from cases.curation import roles
from cases.curation.models import StatusChange
from cases.interventions.models import Event, Intervention
from cases.search import index
from cases.search.models import SearchEntry
from tests import factories as f
from tests.accounts_helpers import sign_in_verified
from tests.test_admin import add_inline_row, errors_of, form_data
from tests.test_curation_workflow import member_of
from tests.test_search_index import _index_contents

# What remains (SQLite and PostgreSQL alike), with the content types already known as in a running server:
#   the session and the user (2); BEGIN; the case with its source and parent, and all its rows: places, issues,
#   tactics, roles with their organisations, events, evidence, figures, stances with their positions (one
#   query, cases/curation/loading.py); the UPDATE; the admin log; the revision and its versions (2); COMMIT.
#   Then the search index on commit, its documents built from the rows in hand: BEGIN, the entries they had,
#   one upsert, the vocabulary (a word gone; the new word), COMMIT.
ADMIN_SAVE = 9
INDEXING = 6
# Then the public version the change makes (cases/keeping/versions.py): the case read again, its last versions, the
# case page rendered once as the public gets it (16, as the page costs a reader), the new version.
VERSIONING = 3 + 16
BUDGET = ADMIN_SAVE + INDEXING + VERSIONING
# A curator who is not a superuser: their own and their groups' permissions, read once a request.
PERMISSIONS = 2


@pytest.fixture
def case_with_timeline():
    case = f.InterventionFactory(title="Pangolin campaign", status="published")
    f.RoleFactory(intervention=case)
    events = [
        f.EventFactory(
            intervention=case, position=n + 1, title=f"Meeting number {n}", date=datetime.date(2012, 3, n + 1)
        )
        for n in range(6)
    ]
    return case, events


def change_url(case):
    return reverse("admin:interventions_intervention_change", args=[case.pk])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["superuser", "senior curator"])
def test_saving_a_case_in_the_admin_stays_cheap(client, admin_user, case_with_timeline, who):
    user = admin_user if who == "superuser" else member_of(roles.CURATORS, roles.SENIOR_CURATORS, username="senior")
    sign_in_verified(client, user)  # staff sign in with their second factor
    budget = BUDGET if user.is_superuser else BUDGET + PERMISSIONS
    case, events = case_with_timeline
    data = form_data(client.get(change_url(case)))
    data["title_en_gb"] = "Armadillo campaign"
    # A running server knows them after its first request: look them up once, as it would have.
    ContentType.objects.get_for_models(*apps.get_models())
    assert connection.features.has_json_object_function  # asked once per connection (a query on SQLite)
    generation = page_cache().get(GENERATION_KEY)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(change_url(case), data)

    assert response.status_code == 302, errors_of(response)
    print(f"admin save of a case with six events by a {who}: {len(queries)} queries")
    assert len(queries) <= budget, "\n".join(q["sql"][:150] for q in queries.captured_queries)
    # The index was written when the request's transaction committed: the case and its events' context.
    assert SearchEntry.objects.get(kind="case", object_id=case.pk).title == "Armadillo campaign"
    for event in events:
        assert "Armadillo campaign" in SearchEntry.objects.get(kind="event", object_id=event.pk).context
    # The history still records the child rows with the case, and the page cache moved on.
    revision = Version.objects.get_for_object(case).latest("pk").revision
    assert revision.version_set.filter(content_type=ContentType.objects.get_for_model(Event)).count() == 6
    assert page_cache().get(GENERATION_KEY) != generation
    assert not StatusChange.objects.for_object(case).filter(from_status="published").exists()


def _recorded_as_now(case):
    """The last revision of `case` holds each of its rows as it is now, serialised as django-reversion does."""
    revision = Version.objects.get_for_object(case).latest("pk").revision
    recorded = {(v.content_type.model_class(), v.object_id): v for v in revision.version_set.all()}
    case = Intervention.objects.get(pk=case.pk)
    rows = [
        case,
        *(row for name in ("roles", "events", "evidence", "figures", "stances") for row in getattr(case, name).all()),
    ]
    assert set(recorded) == {(type(row), str(row.pk)) for row in rows}
    for row in rows:
        version = recorded[(type(row), str(row.pk))]
        assert (version.serialized_data, version.object_repr) == (serializers.serialize("json", [row]), str(row))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["title", "event title", "rows added, deleted and moved"])
def test_the_revision_and_the_index_hold_what_was_saved(admin_client, case_with_timeline, change):
    case, events = case_with_timeline
    f.StanceFactory(intervention=case)
    f.FigureFactory(intervention=case)
    f.RoleFactory(intervention=case, organisation=f.OrganisationFactory(name="aardvark Group"), kind="partner")
    case.places.add(f.PlaceFactory(name="Zhuhai"), f.PlaceFactory(name="Amoy", latitude="22.27100"))
    case.issues.add(f.IssueFactory(name="Wages"))
    data = form_data(admin_client.get(change_url(case)))
    data["title_en_gb"] = "Armadillo campaign"
    if change == "event title":
        data["events-0-title_en_gb"] = "Armadillo meeting"
    elif change == "rows added, deleted and moved":
        data["events-1-DELETE"] = "on"
        data["events-2-date"] = "2013-01-01"
        add_inline_row(
            data,
            "events",
            position="9",
            title_en_gb="Armadillo march",
            date="2012-05-01",
            precision="day",
            end_precision="day",
            source=str(events[0].source_id),
            locator="p. 2",
        )
        data["roles-0-organisation"] = str(f.OrganisationFactory(name="Zebra Workers Centre").pk)
    response = admin_client.post(change_url(case), data)
    assert response.status_code == 302, errors_of(response)
    _recorded_as_now(case)
    incremental = _index_contents()
    assert any(row[2] == "Armadillo campaign" for row in incremental[0])
    index.rebuild()
    assert _index_contents() == incremental


def test_a_changed_timeline_row_that_breaks_a_constraint_is_refused(admin_client, case_with_timeline):
    case, events = case_with_timeline
    data = form_data(admin_client.get(change_url(case)))
    data["events-2-end_date"] = "2011-01-01"  # before the event's own date; the other rows untouched
    response = admin_client.post(change_url(case), data)
    assert response.status_code == 200
    assert "end date is before the start date" in errors_of(response)
    events[2].refresh_from_db()
    assert events[2].end_date is None


def test_a_changed_row_may_not_take_the_place_of_an_unchanged_one(admin_client, case_with_timeline):
    case, events = case_with_timeline
    data = form_data(admin_client.get(change_url(case)))
    data["events-0-position"] = data["events-1-position"]
    response = admin_client.post(change_url(case), data)
    assert response.status_code == 200
    assert "already exists" in errors_of(response) or "duplicate" in errors_of(response)


def test_an_added_row_may_not_take_the_place_of_an_unchanged_one(admin_client, case_with_timeline):
    case, events = case_with_timeline
    role = case.roles.get()
    data = form_data(admin_client.get(change_url(case)))
    add_inline_row(
        data,
        "events",
        position=str(events[3].position),
        title_en_gb="Late",
        date="2012-06-01",
        precision="day",
        end_precision="day",
        source=str(events[0].source_id),
        locator="p. 9",
    )
    add_inline_row(
        data,
        "roles",
        organisation=str(role.organisation_id),
        kind=role.kind,
        source=str(role.source_id),
        locator="p. 9",
    )
    response = admin_client.post(change_url(case), data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert "Please correct the duplicate data for position." in errors
    assert "Please correct the duplicate data for organisation and kind, which must be unique." in errors
    assert case.events.count() == 6 and case.roles.count() == 1


def test_an_end_before_an_unchanged_start_is_refused(admin_client, case_with_timeline):
    case, _events = case_with_timeline
    data = form_data(admin_client.get(change_url(case)))
    data.update(end_date="2009-01-01", end_precision="year")
    response = admin_client.post(change_url(case), data)
    assert response.status_code == 200
    assert "end date" in errors_of(response).lower()


def test_a_slug_changed_to_another_entrys_is_refused(admin_client, case_with_timeline):
    case, _events = case_with_timeline
    other = f.InterventionFactory(slug="taken")
    data = form_data(admin_client.get(change_url(case)))
    data["slug"] = other.slug
    response = admin_client.post(change_url(case), data)
    assert response.status_code == 200
    assert "already used by" in errors_of(response)


def test_relations_changed_in_the_form_are_saved_and_unchanged_ones_kept(admin_client, case_with_timeline):
    case, _events = case_with_timeline
    kept, added = f.IssueFactory(name="Wages"), f.TacticFactory(name="Petitions")
    case.issues.add(kept)
    data = form_data(admin_client.get(change_url(case)))
    data["tactics"] = [str(added.pk)]
    response = admin_client.post(change_url(case), data)
    assert response.status_code == 302, errors_of(response)
    case.refresh_from_db()
    assert list(case.issues.all()) == [kept]
    assert list(case.tactics.all()) == [added]


def test_a_status_changed_in_the_admin_is_logged_from_the_loaded_status(admin_client, case_with_timeline):
    case, _events = case_with_timeline
    data = form_data(admin_client.get(change_url(case)))
    data["status"] = "withdrawn"
    response = admin_client.post(change_url(case), data)
    assert response.status_code == 302, errors_of(response)
    change = StatusChange.objects.for_object(case).get(to_status="withdrawn")
    assert change.from_status == "published"


def test_a_status_changed_behind_an_instance_is_logged_from_the_stored_one():
    case = f.InterventionFactory(status="draft")
    loaded = Intervention.objects.get(pk=case.pk)
    Intervention.objects.filter(pk=case.pk).update(status="review")  # no signal, no log
    loaded.refresh_from_db()
    loaded.status = "published"
    loaded.save()
    assert StatusChange.objects.for_object(case).latest("pk").from_status == "review"
    with transaction.atomic():
        loaded.save()  # the same status again: nothing to log
    assert StatusChange.objects.for_object(case).filter(to_status="published").count() == 1
