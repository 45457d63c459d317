"""A backup restores whatever its groups are called; restored into a database that already holds content it is
matched by natural key, and nothing changes hands; backup files are readable by their owner only. Runs on SQLite
and, with DATABASE_URL, on PostgreSQL."""

import io
import json
import os
import stat

import pytest
import reversion
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from reversion.models import Version

from cases.core.models import Status
from cases.curation import roles, workflow
from cases.curation.models import StatusChange
from cases.interventions.models import Intervention
from cases.teaching import services
from cases.teaching.models import ReadingList
from tests.factories import InterventionFactory
from tests.teaching_helpers import add, make_instructor, make_list


def back_up(tmp_path, name="archive.yaml.gz"):
    path = tmp_path / name
    call_command("backup_archive", output=str(path), stdout=io.StringIO())
    return path


def restore(path, **options):
    call_command("restore_archive", str(path), stdout=io.StringIO(), **options)


def empty_database():
    call_command("flush", interactive=False, verbosity=0)
    assert not User.objects.exists() and not Intervention.objects.exists()


def permissions_of(group_or_user, related="permissions"):
    return sorted(p.natural_key() for p in getattr(group_or_user, related).all())


# Not inside a test transaction: PostgreSQL refuses to TRUNCATE (flush) tables with pending deferred checks.
@pytest.mark.django_db(transaction=True)
def test_custom_groups_renamed_roles_and_custom_permissions_restore_into_a_fresh_database(tmp_path):
    call_command("setup_roles", stdout=io.StringIO())
    Group.objects.filter(name=roles.CURATORS).update(name="Content editors")
    custom = Permission.objects.create(
        codename="export_everything",
        name="Can export everything",
        content_type=ContentType.objects.get_for_model(Intervention),
    )
    visitors = Group.objects.create(name="Visiting scholars")
    visitors.permissions.set([custom, Permission.objects.get(codename="view_intervention")])
    editor = User.objects.create_user("editor", "editor@example.org", "a-long-pass-phrase-42", is_staff=True)
    editor.groups.set([Group.objects.get(name="Content editors"), visitors])
    editor.user_permissions.add(custom)
    groups = {group.name: permissions_of(group) for group in Group.objects.all()}
    assert {"Content editors", "Visiting scholars"} <= groups.keys() and roles.CURATORS not in groups

    path = back_up(tmp_path)
    empty_database()
    restore(path)  # raised "Group matching query does not exist" and restored nothing

    restored = {group.name: permissions_of(group) for group in Group.objects.all()}
    for name in ("Content editors", "Visiting scholars", roles.SENIOR_CURATORS, roles.INSTRUCTORS):
        assert restored[name] == groups[name], name
    assert roles.CURATORS in restored  # the role, made again as `migrate` makes it
    editor = User.objects.get(username="editor")
    assert set(editor.groups.values_list("name", flat=True)) == {"Content editors", "Visiting scholars"}
    assert permissions_of(editor, "user_permissions") == [custom.natural_key()]
    assert editor.check_password("a-long-pass-phrase-42") and editor.is_staff


@pytest.mark.django_db(transaction=True)
def test_restoring_into_a_database_with_overlapping_ids_changes_no_owner(tmp_path):
    # Database B: bob's list holds B's case, which has a history. (Ids counted from 1, as in A below.)
    empty_database()
    bob, sam = make_instructor("bob"), make_instructor("sam")
    b_case = InterventionFactory(slug="b-case", title="B's case")
    with reversion.create_revision():
        b_case.curator_note = "Checked in B."
        b_case.save()
    workflow.transition(b_case, Status.WITHDRAWN, note="Withdrawn in B")
    bob_list = make_list(bob, "Bob's syllabus")
    add(bob_list, b_case)
    services.share(bob_list)
    make_list(sam, "Sam's B list")
    in_b = {"user": bob.pk, "list": bob_list.pk, "case": b_case.pk, "token": bob_list.share_token}
    b_log = [(change.to_status, change.note) for change in StatusChange.objects.for_object(b_case)]
    path = back_up(tmp_path)

    # Database A: the same ids belong to other rows and other people.
    empty_database()
    carol, sam_here = make_instructor("carol"), make_instructor("sam", password="sam's own password in A")
    a_case = InterventionFactory(slug="a-case", title="A's case")
    carol_list = make_list(carol, "Carol's course")
    add(carol_list, a_case)
    # Carol's list holds the share token of bob's list in B: it stays hers, and works for her list only.
    ReadingList.objects.filter(pk=carol_list.pk).update(share_token=in_b["token"])
    assert (carol.pk, carol_list.pk, a_case.pk) == (in_b["user"], in_b["list"], in_b["case"])
    sam_password = sam_here.password
    a_log = [(change.to_status, change.note) for change in StatusChange.objects.for_object(a_case)]

    restore(path, force=True)

    owners = {reading_list.title: reading_list.owner.username for reading_list in ReadingList.objects.all()}
    assert owners == {"Carol's course": "carol", "Bob's syllabus": "bob", "Sam's B list": "sam"}
    carol_list = ReadingList.objects.get(pk=carol_list.pk)
    assert carol_list.owner == carol and carol_list.share_token == in_b["token"]
    assert [item.entry for item in carol_list.items.all()] == [Intervention.objects.get(slug="a-case")]
    bob_list = ReadingList.objects.get(title="Bob's syllabus")
    b_case = Intervention.objects.get(slug="b-case")
    assert b_case.pk != a_case.pk and Intervention.objects.get(slug="a-case").title == "A's case"
    assert [item.entry for item in bob_list.items.all()] == [b_case]
    assert bob_list.share_token is None  # another owner's token here: not taken

    # B's case keeps its history, under its id here; A's case gains none.
    versions = list(Version.objects.get_for_object(b_case))
    assert len(versions) == 1 and json.loads(versions[0].serialized_data)[0]["pk"] == b_case.pk
    assert versions[0].field_dict["curator_note"] == "Checked in B."
    assert [(change.to_status, change.note) for change in StatusChange.objects.for_object(b_case)] == b_log
    assert ("withdrawn", "Withdrawn in B") in b_log
    assert not Version.objects.get_for_object(a_case).exists()
    assert [(change.to_status, change.note) for change in StatusChange.objects.for_object(a_case)] == a_log

    # An account already here is the same person: kept as it is.
    assert User.objects.get(username="sam").password == sam_password
    assert User.objects.filter(username="bob").exists() and User.objects.get(username="carol") == carol

    # Again: what is already here is matched, nothing doubles and nothing changes hands.
    restore(path, force=True)
    assert sorted(ReadingList.objects.values_list("title", "owner__username")) == sorted(
        [("Carol's course", "carol"), ("Bob's syllabus", "bob"), ("Sam's B list", "sam")]
    )


@pytest.mark.django_db
def test_backup_files_are_readable_by_their_owner_only(tmp_path):
    old_umask = os.umask(0o022)
    try:
        fresh = back_up(tmp_path)
        existing = tmp_path / "existing.json"
        existing.write_text("{}")
        existing.chmod(0o644)
        back_up(tmp_path, existing.name)
    finally:
        os.umask(old_umask)
    for path in (fresh, existing):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert json.loads(existing.read_text())  # written in full
