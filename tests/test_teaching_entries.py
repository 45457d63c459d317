"""How a reading list item refers to its entry: by content type and id, for any kind the registry lets lists hold.

An entry deleted, or of a kind lists no longer hold, leaves its item in place, shown to its owner as no longer
published and to students not at all. The migration from one column per kind carries items over and back, and a
backup names the kinds by natural key.
"""

import gzip
import io
from types import SimpleNamespace

import pytest
import reversion
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from cases.core import registry
from cases.core.models import Place, Source
from cases.interventions.models import Intervention
from cases.teaching import checks, services
from cases.teaching.models import GONE, ReadingListItem
from tests.factories import (
    ConceptFactory,
    DiscussionQuestionFactory,
    InterventionFactory,
    OrganisationFactory,
    PlaceFactory,
    PositionFactory,
    SourceFactory,
)
from tests.teaching_helpers import add, make_instructor, make_list


def pages(client, reading_list):
    """The owner's page, the shared page, and the three exports (with the archive's pages), as text."""
    owner = client.get(reading_list.get_absolute_url()).content.decode()
    student = Client()
    token = reading_list.share_token
    shared = student.get(reverse("teaching:shared", args=[token])).content.decode()
    handout = student.get(reverse("teaching:shared_print", args=[token])).content.decode()
    exports = [
        student.get(reverse("teaching:shared_export", args=[token, fmt]), {"pages": "1"}).content.decode()
        for fmt in ("bib", "ris", "json")
    ]
    return owner, shared, handout, exports


def test_a_deleted_entry_stays_on_the_list_as_no_longer_published_and_comes_back_if_recovered(client):
    instructor = make_instructor()
    client.force_login(instructor)
    reading_list = make_list(instructor)
    case = InterventionFactory(title="A minimum-wage campaign")
    question = DiscussionQuestionFactory(intervention=case, text="What was the demand?")
    with reversion.create_revision():
        source = SourceFactory(title="A deleted source")
    kept, gone = add(reading_list, case, source)
    kept.questions.add(question)
    services.share(reading_list)
    source_pk = source.pk
    source.delete()

    owner, shared, handout, exports = pages(client, reading_list)
    assert "A deleted source" not in owner and owner.count(GONE) == 1
    assert "1 item is no longer published" in owner and "A minimum-wage campaign" in owner
    assert "A deleted source" not in shared and "1 item is not available" in shared
    assert "What was the demand?" in shared and "1 item is not available" in handout
    assert all("A minimum-wage campaign" in body and "A deleted source" not in body for body in exports)
    edit = client.get(reverse("teaching:item_edit", args=[reading_list.pk, gone.pk]))
    assert edit.status_code == 200 and "A deleted source" not in edit.content.decode()
    copy = services.duplicate_list(reading_list)
    assert [(i.content_type_id, i.object_id) for i in copy.items.all()] == [
        (kept.content_type_id, case.pk),
        (gone.content_type_id, source_pk),
    ]

    # Recovered from the history with its id, the entry is on the list again, notes and all.
    Version.objects.get_deleted(Source).get(object_id=str(source_pk)).revision.revert()
    owner, shared, *_ = pages(client, reading_list)
    assert "A deleted source" in shared and GONE not in owner

    # Removing an item that is no longer published does not name it either.
    Source.objects.filter(pk=source_pk).delete()
    response = client.post(reverse("teaching:item_remove", args=[reading_list.pk, gone.pk]), follow=True)
    assert f"Removed “{GONE}” from the list." in response.content.decode()
    assert list(reading_list.items.kept()) == [kept]


def test_an_item_of_a_kind_lists_no_longer_hold_is_not_shown(client):
    instructor = make_instructor()
    client.force_login(instructor)
    reading_list = make_list(instructor)
    add(reading_list, InterventionFactory(title="A minimum-wage campaign"))
    place = PlaceFactory(name="Shenzhen")
    assert not registry.kind_for(Place).reading_lists
    # As if places had been listable once: the item is kept, and nothing shows it.
    ReadingListItem.objects.create(
        reading_list=reading_list,
        position=2,
        content_type=ContentType.objects.get_for_model(place),
        object_id=place.pk,
    )
    services.share(reading_list)
    owner, shared, handout, exports = pages(client, reading_list)
    assert owner.count(GONE) == 1 and "1 item is not available" in shared
    assert all("Shenzhen" not in body for body in (owner, shared, handout, *exports))
    with pytest.raises(ValueError, match="Reading lists do not hold entries of Place"):
        services.add_entry(reading_list, place)


def test_a_listable_kind_needs_an_integer_key(monkeypatch):
    assert checks.listable_kinds_have_integer_keys(None) == []
    kinds = [SimpleNamespace(key="session", model="sessions.Session", model_class=Session, reading_lists=True)]
    monkeypatch.setattr(registry, "kinds", lambda: kinds)
    (error,) = checks.listable_kinds_have_integer_keys(None)
    assert error.id == "teaching.E002" and "'session'" in error.msg


def test_the_admin_opens_items_and_offers_only_listable_kinds(admin_client):
    reading_list = make_list(make_instructor())
    (item,) = add(reading_list, SourceFactory(title="Solidarity and the state"))
    changelist = admin_client.get(reverse("admin:teaching_readinglistitem_changelist")).content.decode()
    assert "Solidarity and the state" in changelist
    response = admin_client.get(reverse("admin:teaching_readinglistitem_change", args=[item.pk]))
    offered = {ct.model_class() for ct in response.context["adminform"].form.fields["content_type"].queryset}
    assert Source in offered and Intervention in offered and Place not in offered
    assert admin_client.get(reverse("admin:teaching_readinglist_change", args=[reading_list.pk])).status_code == 200


# --- The migration from one column per kind -------------------------------------------------------------------

OLD = ("teaching", "0001_initial")


class TeachingAsWritten(MigrationLoader):
    """The graph with teaching's migrations as they were written, not the squash a new database is made with: the
    step from one column per kind is among them, and a database made before the squash ran it. The other apps keep
    their squashes (rendering their old series costs half a minute)."""

    def load_disk(self):
        super().load_disk()
        squashes = [key for key, migration in self.disk_migrations.items() if migration.replaces]
        for key in squashes:
            if key[0] == "teaching":
                del self.disk_migrations[key]


def old_series():
    executor = MigrationExecutor(connection)
    executor.loader = TeachingAsWritten(connection)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_items_over_and_back():
    owner = User.objects.create_user("instructor")
    case, position, source = InterventionFactory(), PositionFactory(), SourceFactory()
    organisation, concept = OrganisationFactory(), ConceptFactory()
    question = DiscussionQuestionFactory(intervention=case)
    latest = old_series().loader.graph.leaf_nodes("teaching")

    executor = old_series()
    executor.migrate([OLD])
    old = executor.loader.project_state([OLD]).apps
    Old = old.get_model("teaching", "ReadingListItem")
    reading_list = old.get_model("teaching", "ReadingList").objects.create(owner_id=owner.pk, title="Week 1")
    rows = [
        ("intervention_id", case.pk, "Read the timeline.", "pp. 1-3"),
        ("source_id", source.pk, "", "§ 2"),
        ("position_entry_id", position.pk, "Compare.", ""),
        ("organisation_id", organisation.pk, "", ""),
        ("concept_id", concept.pk, "Define it.", ""),
    ]
    for number, (column, pk, note, read) in enumerate(rows, start=1):
        Old.objects.create(reading_list=reading_list, position=number, note=note, pages=read, **{column: pk})
    Old.objects.get(intervention_id=case.pk).questions.add(question.pk)
    before = list(Old.objects.order_by("position").values_list("pk", "position", "note", "pages"))

    executor = old_series()
    executor.migrate(latest)
    ContentType.objects.clear_cache()
    items = list(ReadingListItem.objects.filter(reading_list_id=reading_list.pk).order_by("position"))
    assert [(i.pk, i.position, i.note, i.pages) for i in items] == before
    assert [i.entry for i in items] == [case, source, position, organisation, concept]
    assert list(items[0].questions.all()) == [question]

    # Back: items the old columns cannot hold (an entry deleted since, a kind with no column) are dropped.
    for position, model, pk in [(6, Source, source.pk + 1000), (7, Place, PlaceFactory().pk)]:
        ReadingListItem.objects.create(
            reading_list_id=reading_list.pk,
            position=position,
            content_type=ContentType.objects.get_for_model(model),
            object_id=pk,
        )
    executor = old_series()
    executor.migrate([OLD])
    Old = executor.loader.project_state([OLD]).apps.get_model("teaching", "ReadingListItem")
    assert list(Old.objects.order_by("position").values_list("pk", "position", "note", "pages")) == before
    assert Old.objects.get(position=2).source_id == source.pk
    assert list(Old.objects.get(position=1).questions.values_list("pk", flat=True)) == [question.pk]

    old_series().migrate(latest)
    ContentType.objects.clear_cache()


# --- Backups ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_backup_round_trips_reading_lists(tmp_path):
    instructor = make_instructor()
    reading_list = make_list(instructor, course="SOC 214")
    case, source, concept = InterventionFactory(), SourceFactory(), ConceptFactory()
    question = DiscussionQuestionFactory(intervention=case)
    items = add(reading_list, source, case, concept)
    items[1].questions.add(question)
    ReadingListItem.objects.filter(pk=items[0].pk).update(note="Read first.", pages="pp. 664–668")
    services.share(reading_list)

    def state():
        return [
            (
                i.pk,
                i.position,
                i.content_type.natural_key(),
                i.object_id,
                i.note,
                i.pages,
                [q.pk for q in i.questions.all()],
            )
            for i in ReadingListItem.objects.order_by("pk")
        ]

    def shared_page():
        return Client().get(reverse("teaching:shared", args=[reading_list.share_token])).content

    before, page = state(), shared_page()
    backup = tmp_path / "archive.yaml.gz"
    call_command("backup_archive", output=str(backup), stdout=io.StringIO())
    assert "content_type:\n    - interventions\n    - intervention\n" in gzip.decompress(backup.read_bytes()).decode()
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    call_command("restore_archive", str(backup), stdout=io.StringIO())
    assert state() == before
    assert shared_page() == page
