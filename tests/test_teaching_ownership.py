"""Reading lists belong to their owner in the admin too: a curator who is also an instructor sees only their own
lists and items, and opening another's needs a separate support permission whose every use is logged."""

import io

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.urls import reverse

from cases.curation import roles
from cases.teaching.models import ReadingList, ReadingListItem, SupportAccess
from tests import factories as f
from tests.accounts_helpers import sign_in_verified
from tests.teaching_helpers import add, make_instructor, make_list

pytestmark = pytest.mark.django_db

SECRET = "Private note: ask Li about the strike"


@pytest.fixture
def lists(db):
    call_command("setup_roles", stdout=io.StringIO())
    curating_instructor = User.objects.create_user("both", password="x", is_staff=True)
    curating_instructor.groups.set(Group.objects.filter(name__in=[roles.CURATORS, roles.INSTRUCTORS]))
    other = make_instructor("other")
    case = f.InterventionFactory(status="published", title="Cadmium campaign")
    mine = make_list(curating_instructor, title="My own list")
    theirs = make_list(other, title="Another instructor's list")
    (item,) = add(theirs, case)
    item.note = SECRET
    item.save()
    return {"me": User.objects.get(pk=curating_instructor.pk), "mine": mine, "theirs": theirs, "item": item}


def test_a_curating_instructor_sees_only_their_own_lists_in_the_admin(client, lists):
    sign_in_verified(client, lists["me"])
    text = client.get(reverse("admin:teaching_readinglist_changelist")).content.decode()
    assert "My own list" in text and "Another instructor" not in text
    items = client.get(reverse("admin:teaching_readinglistitem_changelist")).content.decode()
    assert "Cadmium campaign" not in items
    for name, obj in (("readinglist", lists["theirs"]), ("readinglistitem", lists["item"])):
        response = client.get(reverse(f"admin:teaching_{name}_change", args=[obj.pk]), follow=True)
        assert SECRET not in response.content.decode()
        assert response.redirect_chain and response.redirect_chain[-1][0] == reverse("admin:index")
    assert not SupportAccess.objects.exists()


def test_a_curating_instructor_cannot_edit_or_delete_another_instructors_list(client, lists):
    sign_in_verified(client, lists["me"])
    theirs, item = lists["theirs"], lists["item"]
    client.post(
        reverse("admin:teaching_readinglistitem_change", args=[item.pk]),
        {"reading_list": theirs.pk, "position": 1, "note": "Changed by someone else", "pages": ""},
    )
    client.post(reverse("admin:teaching_readinglist_delete", args=[theirs.pk]), {"post": "yes"})
    item.refresh_from_db()
    assert item.note == SECRET and ReadingList.objects.filter(pk=theirs.pk).exists()
    shared = client.get(lists["theirs"].get_absolute_url())
    assert shared.status_code == 404
    # Nor can an item be slipped into their list through the item admin.
    response = client.post(
        reverse("admin:teaching_readinglistitem_add"),
        {
            "reading_list": theirs.pk,
            "position": 2,
            "content_type": item.content_type_id,
            "object_id": item.object_id,
            "note": "",
            "pages": "",
        },
    )
    assert response.status_code == 200 and "reading_list" in response.context["adminform"].form.errors
    assert ReadingListItem.objects.filter(reading_list=theirs).count() == 1


def test_a_list_keeps_its_owner_and_a_new_one_is_the_makers(client, lists):
    sign_in_verified(client, lists["me"])
    other = lists["theirs"].owner
    change = reverse("admin:teaching_readinglist_change", args=[lists["mine"].pk])
    data = {"title": "Renamed", "course": "", "description": "", "due_date": "", "owner": other.pk}
    data |= {"items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"}
    assert client.post(change, data).status_code == 302
    lists["mine"].refresh_from_db()
    assert lists["mine"].title == "Renamed" and lists["mine"].owner == lists["me"]
    assert client.post(reverse("admin:teaching_readinglist_add"), data | {"title": "New"}).status_code == 302
    assert ReadingList.objects.get(title="New").owner == lists["me"]


def test_support_access_is_a_separate_permission_and_every_use_is_logged(client, lists):
    me = lists["me"]
    me.user_permissions.add(Permission.objects.get(codename="support_readinglist"))
    me = User.objects.get(pk=me.pk)
    sign_in_verified(client, me)
    assert "Another instructor" in client.get(reverse("admin:teaching_readinglist_changelist")).content.decode()
    page = client.get(reverse("admin:teaching_readinglistitem_change", args=[lists["item"].pk]))
    assert SECRET in page.content.decode()
    client.get(reverse("admin:teaching_readinglist_change", args=[lists["mine"].pk]))  # one's own: not logged
    log = list(SupportAccess.objects.order_by("pk").values_list("username", "action", "list_title", "owner_username"))
    assert log == [
        ("both", "list", "", ""),
        ("both", "view", "Another instructor's list", "other"),
    ]
    # No role carries it, and the log is read-only.
    assert not Group.objects.filter(permissions__codename="support_readinglist").exists()
    assert not Group.objects.filter(permissions__content_type__model="supportaccess").exists()


def test_administrators_make_instructors_but_do_not_see_their_lists(client, lists):
    administrator = User.objects.create_user("accounts", password="x", is_staff=True)
    administrator.groups.set(Group.objects.filter(name=roles.ADMINISTRATORS))
    sign_in_verified(client, administrator)
    text = client.get(reverse("admin:teaching_readinglist_changelist")).content.decode()
    assert "Another instructor" not in text and "My own list" not in text


def test_the_support_log_is_read_only_even_for_a_superuser(admin_client, lists):
    entry = SupportAccess.objects.create(username="x", action="view", path="/admin/")
    changelist = reverse("admin:teaching_supportaccess_changelist")
    assert admin_client.get(changelist, {"at__year": "2026"}).status_code == 200
    assert admin_client.get(reverse("admin:teaching_supportaccess_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:teaching_supportaccess_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert SupportAccess.objects.filter(pk=entry.pk).exists()
