"""Shared set-up for the teaching tests: instructors (with the permission granted directly) and their lists."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from cases.teaching import services


def make_instructor(username="instructor", password="a-long-pass-phrase-42"):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", password)
    # The instructors' role: everything on their own lists, not the support permission or its log.
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="teaching")
        .exclude(codename="support_readinglist")
        .exclude(content_type__model="supportaccess")
    )
    return user


def make_list(owner, title="Labour NGOs in China", **fields):
    return services.create_list(owner, title=title, **fields)


def add(reading_list, *entries):
    return [services.add_entry(reading_list, entry)[0] for entry in entries]
