"""Nobody gains what they were not given: every admin route and action on users and groups, tried by each role
against each kind of account, leaves no account holding a permission the acting account lacks.

The rule is restated here independently of cases/curation/privilege.py (permissions read straight from the
database), and a companion test switches the rule off to show the walk catches the escalations it guards against.
"""

import io

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from cases.curation import privilege, roles
from tests.accounts_helpers import authenticator, sign_in_verified

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-enough-new-passphrase-7"


def perms_of(user):
    """Every permission id a user holds, active or not; None for a superuser (all)."""
    if user.is_superuser:
        return None
    return frozenset(Permission.objects.filter(Q(group__user=user) | Q(user=user)).values_list("pk", flat=True))


def within(gained, actor_perms):
    return actor_perms is None or set(gained) <= actor_perms


def snapshot():
    """Every account and group with the permission ids it holds, in five queries."""
    group_perms = {}
    for group_id, perm_id in Group.permissions.through.objects.values_list("group_id", "permission_id"):
        group_perms.setdefault(group_id, set()).add(perm_id)
    user_perms = {}
    for user_id, group_id in User.groups.through.objects.values_list("user_id", "group_id"):
        user_perms.setdefault(user_id, set()).update(group_perms.get(group_id, ()))
    for user_id, perm_id in User.user_permissions.through.objects.values_list("user_id", "permission_id"):
        user_perms.setdefault(user_id, set()).add(perm_id)
    users = {
        u.pk: {
            "username": u.username,
            "email": u.email,
            "password": u.password,
            "is_active": u.is_active,
            "is_staff": u.is_staff,
            "is_superuser": u.is_superuser,
            "perms": frozenset(user_perms.get(u.pk, ())),
        }
        for u in User.objects.all()
    }
    groups = {g.pk: (g.name, frozenset(group_perms.get(g.pk, ()))) for g in Group.objects.all()}
    return users, groups


def violations(actor, actor_perms, before, after):
    """What the request did that the acting account had no right to do, as readable lines."""
    users_before, groups_before = before
    users_after, groups_after = after
    found = []
    for pk, was in users_before.items():
        is_now = users_after.get(pk)
        taken_over_allowed = actor.is_superuser or (
            not was["is_superuser"] and within(was["perms"], actor_perms) and (actor.is_staff or not was["is_staff"])
        )
        if is_now is None:
            if not taken_over_allowed:
                found.append(f"{actor} deleted {was['username']}")
            continue
        if not within(is_now["perms"] - was["perms"], actor_perms):
            found.append(f"{was['username']} gained permissions {actor} lacks")
        for flag in ("is_staff", "is_superuser"):
            if is_now[flag] and not was[flag] and not actor.is_superuser:
                found.append(f"{actor} set {flag} on {was['username']}")
        for field in ("password", "email", "username"):
            if is_now[field] != was[field] and not taken_over_allowed:
                found.append(f"{actor} changed the {field} of {was['username']}")
    for pk, is_now in users_after.items():
        if pk not in users_before and not within(is_now["perms"], actor_perms):
            found.append(f"{actor} made {is_now['username']} with permissions it lacks")
    for pk, (name, perms) in groups_before.items():
        if pk not in groups_after:
            if not within(perms, actor_perms):
                found.append(f"{actor} deleted the group {name}")
        elif not within(groups_after[pk][1] - perms, actor_perms):
            found.append(f"{actor} added permissions it lacks to the group {name}")
    for pk, (name, perms) in groups_after.items():
        if pk not in groups_before and not within(perms, actor_perms):
            found.append(f"{actor} made the group {name} with permissions it lacks")
    return found


@pytest.fixture(autouse=True)
def _sessions_in_the_database(settings):
    # Each attempt is rolled back, its session with it; a session cached beside the database would outlive that.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture
def accounts(db):
    call_command("setup_roles", stdout=io.StringIO())
    helpers = Group.objects.create(name="Publishing helpers")  # an administrator-made group holding a power
    helpers.permissions.set(Permission.objects.filter(codename="publish_entry"))
    Group.objects.create(name="Empty group")

    def make(username, groups=(), staff=True, superuser=False):
        user = User.objects.create_user(
            username, email=f"{username}@example.org", password="x", is_staff=staff, is_superuser=superuser
        )
        user.groups.set(Group.objects.filter(name__in=groups))
        authenticator(user)  # signed in with both factors below, as staff must be
        return user

    return {
        "root": make("root", superuser=True),
        "administrator": make("administrator", [roles.ADMINISTRATORS]),
        "senior": make("senior", [roles.SENIOR_CURATORS]),
        "curator": make("curator", [roles.CURATORS]),
        "curating instructor": make("curating-instructor", [roles.CURATORS, roles.INSTRUCTORS]),
        "instructor": make("instructor", [roles.INSTRUCTORS], staff=False),
    }


def user_form(target, group_ids):
    """A change form for `target` as a hostile browser would send it: every escalation at once."""
    return {
        "username": target.username,
        "first_name": "",
        "last_name": "",
        "email": f"attacker+{target.pk}@example.org",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [str(pk) for pk in group_ids],
        "user_permissions": [
            str(pk) for pk in Permission.objects.filter(codename="publish_entry").values_list("pk", flat=True)
        ],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }


def user_attempts(target):
    """Every route of the user admin, each with what an attacker would send. Keys are the URL names."""
    groups = list(Group.objects.order_by("pk"))
    current = list(target.groups.values_list("pk", flat=True))
    return {
        "auth_user_changelist": [("get", {})]
        + [
            ("post", {"action": action, "_selected_action": [str(target.pk)], "post": "yes"})
            for action in ("delete_selected", "deactivate")
        ],
        "auth_user_add": [
            ("post", {"username": f"new-{target.pk}", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        ],
        "auth_user_change": [("get", {})] + [("post", user_form(target, [*current, g.pk])) for g in groups],
        "auth_user_password_change": [
            ("get", {}),
            ("post", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
        ],
        "auth_user_delete": [("get", {}), ("post", {"post": "yes"})],
        "auth_user_history": [("get", {})],
    }


def group_attempts(group):
    lacking = list(Permission.objects.filter(codename__in=["publish_entry", "change_user", "delete_intervention"]))
    mine = list(group.permissions.values_list("pk", flat=True))
    return {
        "auth_group_changelist": [
            ("get", {}),
            ("post", {"action": "delete_selected", "_selected_action": [str(group.pk)], "post": "yes"}),
        ],
        "auth_group_add": [("post", {"name": f"Made {group.pk}", "permissions": [str(p.pk) for p in lacking]})],
        "auth_group_change": [
            ("get", {}),
            ("post", {"name": group.name, "permissions": [str(pk) for pk in [*mine, *(p.pk for p in lacking)]]}),
        ],
        "auth_group_delete": [("get", {}), ("post", {"post": "yes"})],
        "auth_group_history": [("get", {})],
    }


def route_names(model):
    return {pattern.name for pattern in admin.site._registry[model].get_urls() if pattern.name}


def address(name, obj):
    if name.endswith(("_changelist", "_add")):
        return reverse(f"admin:{name}")
    return reverse(f"admin:{name}", args=[obj.pk])


def walk(client, people):
    """Try every route and action as every role; return the violations found."""
    found = []
    for actor in people.values():
        # Every attempt is rolled back, so each starts from the state read here, signed in with this session.
        sign_in_verified(client, actor)
        signed_in = client.cookies[settings.SESSION_COOKIE_NAME].value
        start = (snapshot(), perms_of(actor))
        for target in User.objects.order_by("pk"):
            attempts = user_attempts(target)
            assert set(attempts) == route_names(User), "a user admin route is not tried here"
            found += try_all(client, actor, target, attempts, signed_in, start)
        for group in Group.objects.order_by("pk"):
            attempts = group_attempts(group)
            assert set(attempts) == route_names(Group), "a group admin route is not tried here"
            found += try_all(client, actor, group, attempts, signed_in, start)
        assert snapshot() == start[0], "an attempt outlived its rollback"
    return found


def try_all(client, actor, obj, attempts, signed_in, start):
    before, actor_perms = start
    found = []
    for name, tries in attempts.items():
        for method, data in tries:
            # A request that cycles or ends the session is rolled back with the rest; the browser keeps the first.
            client.cookies[settings.SESSION_COOKIE_NAME] = signed_in
            with transaction.atomic():
                response = getattr(client, method)(address(name, obj), data)
                assert response.status_code < 500, (actor, name, method)
                # Staff are walked signed in: a bounce to the login page would make the walk prove nothing.
                assert not (actor.is_staff and "/login/" in response.get("Location", "")), (actor, name, method)
                found += [
                    f"{line} via {method.upper()} {name}"
                    for line in violations(actor, actor_perms, before, snapshot())
                ]
                transaction.set_rollback(True)
    return found


def test_no_role_gains_what_it_was_not_given_through_the_user_and_group_admin(client, accounts):
    # The superuser may do everything (test_a_superuser_may_do_all_of_it); every other role is walked.
    people = {name: user for name, user in accounts.items() if not user.is_superuser}
    assert walk(client, people) == []


def test_the_walk_finds_escalations_when_the_rule_is_switched_off(client, accounts, monkeypatch):
    monkeypatch.setattr(privilege, "may_take_over", lambda actor, target: True)
    monkeypatch.setattr(privilege, "may_change_group", lambda actor, group: True)
    monkeypatch.setattr(privilege, "grantable_groups", lambda actor: Group.objects.all())
    monkeypatch.setattr(privilege, "grantable_permissions", lambda actor: Permission.objects.all())
    found = walk(client, {"administrator": accounts["administrator"]})
    assert any("changed the password of root" in line for line in found)
    assert any("administrator gained permissions" in line for line in found)
    assert any("added permissions it lacks to the group" in line for line in found)


# --- The reproduced findings, and what account managers may still do ------------------------------------------


def test_an_administrator_cannot_take_over_the_superuser(client, accounts):
    root, administrator = accounts["root"], accounts["administrator"]
    sign_in_verified(client, administrator)
    password = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.get(password).status_code == 403
    response = client.post(password, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 403
    root.refresh_from_db()
    assert not root.check_password(NEW_PASSWORD)
    assert not client.login(username="root", password=NEW_PASSWORD)


def test_an_administrator_cannot_join_senior_curators(client, accounts):
    administrator = accounts["administrator"]
    sign_in_verified(client, administrator)
    change = reverse("admin:auth_user_change", args=[administrator.pk])
    senior = Group.objects.get(name=roles.SENIOR_CURATORS)
    response = client.post(
        change, user_form(administrator, [*administrator.groups.values_list("pk", flat=True), senior.pk])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["adminform"].form.errors["groups"])
    assert not User.objects.get(pk=administrator.pk).has_perm("curation.publish_entry")


def test_an_administrator_makes_an_instructor_and_manages_its_account(client, accounts):
    administrator, instructor = accounts["administrator"], accounts["instructor"]
    sign_in_verified(client, administrator)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "newteacher", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    new = User.objects.get(username="newteacher")
    form = user_form(new, [Group.objects.get(name=roles.INSTRUCTORS).pk])
    assert client.post(reverse("admin:auth_user_change", args=[new.pk]), form).status_code == 302
    new = User.objects.get(pk=new.pk)
    assert new.has_perm("teaching.add_readinglist") and not new.is_staff and not new.is_superuser
    assert not new.user_permissions.exists()
    # An instructor's password can be reset by an account manager: it grants nothing the manager lacks.
    password = reverse("admin:auth_user_password_change", args=[instructor.pk])
    assert client.post(password, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302


def test_an_administrator_deactivates_a_curator_but_cannot_change_its_password(client, accounts):
    administrator, curator = accounts["administrator"], accounts["curator"]
    sign_in_verified(client, administrator)
    password = reverse("admin:auth_user_password_change", args=[curator.pk])
    assert client.get(password).status_code == 403
    changelist = reverse("admin:auth_user_changelist")
    client.post(changelist, {"action": "deactivate", "_selected_action": [str(curator.pk)]})
    assert not User.objects.get(pk=curator.pk).is_active
    client.post(changelist, {"action": "deactivate", "_selected_action": [str(accounts["root"].pk)]})
    assert User.objects.get(pk=accounts["root"].pk).is_active


def test_a_superuser_may_do_all_of_it(client, accounts):
    sign_in_verified(client, accounts["root"])
    curator = accounts["curator"]
    senior = Group.objects.get(name=roles.SENIOR_CURATORS)
    response = client.post(reverse("admin:auth_user_change", args=[curator.pk]), user_form(curator, [senior.pk]))
    assert response.status_code == 302
    assert User.objects.get(pk=curator.pk).has_perm("curation.publish_entry")
