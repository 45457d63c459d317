"""Who may act on whose account: no account gains a permission the acting account does not hold, for itself or for
anyone else. The user and group admins ask these questions and nothing else; the tests enumerate every admin route
and action on users and groups for each role against them.

- Only a superuser changes a superuser, grants staff or superuser status, or hands out single permissions.
- An account may change (details, password, roles) or delete another only if every permission the other holds is
  one it holds too: changing someone's password or e-mail is as good as holding their permissions.
- An account may put someone into a group, or give a group a permission, only within the permissions it holds.
- Deactivating an account grants nothing, so an account manager may deactivate any account but a superuser's.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

_CACHE = "_held_permission_ids"


def held(user):
    """The ids of the permissions an account holds through its groups and its own grants, active or not (a
    deactivated account regains them when reactivated); None for a superuser, who holds every permission."""
    if user.is_superuser:
        return None
    if not hasattr(user, _CACHE):
        ids = Permission.objects.filter(Q(group__user=user) | Q(user=user)).values_list("pk", flat=True)
        setattr(user, _CACHE, frozenset(ids))
    return getattr(user, _CACHE)


def covers(actor, permission_ids):
    mine = held(actor)
    return mine is None or set(permission_ids) <= mine


def may_take_over(actor, target):
    """May `actor` change or delete `target`'s account?"""
    if actor.is_superuser:
        return True
    if target.is_superuser or (target.is_staff and not actor.is_staff):
        return False
    return covers(actor, held(target))


def may_deactivate(actor, target):
    return target.pk != actor.pk and (actor.is_superuser or not target.is_superuser)


def grantable_groups(actor):
    """The groups `actor` may put an account into, or change."""
    if actor.is_superuser:
        return Group.objects.all()
    return Group.objects.exclude(permissions__in=Permission.objects.exclude(pk__in=held(actor)))


def grantable_permissions(actor):
    if actor.is_superuser:
        return Permission.objects.all()
    return Permission.objects.filter(pk__in=held(actor))


def may_change_group(actor, group):
    return actor.is_superuser or covers(actor, group.permissions.values_list("pk", flat=True))


# Fields of the user form only a superuser may set.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "user_permissions")
