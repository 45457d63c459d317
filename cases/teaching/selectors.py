"""Reads for the teaching pages. Owners read through `owned_by`; students through a share token."""

import re
from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from cases.citations.selectors import citable
from cases.citations.works import with_works
from cases.interventions.models import Intervention
from cases.teaching.models import DiscussionQuestion, ReadingList, ReadingListItem, listable_kinds

# What secrets.token_urlsafe(32) produces; anything else is rejected before the database is asked.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def published_questions():
    return DiscussionQuestion.objects.published().order_by("position", "pk")


def lists_for_owner(user):
    return (
        ReadingList.objects.owned_by(user)
        .annotate(item_count=Count("items", filter=Q(items__removed_at__isnull=True)))
        .order_by("archived", "-updated_at", "pk")
    )


def active_lists_for_owner(user):
    return ReadingList.objects.owned_by(user).active().order_by("-updated_at", "pk").only("pk", "title")


def lists_to_add_to(user):
    """The lists the "Add to reading list" form offers on an entry's page: none for anyone who may not add.

    Anonymous readers cost no query; for a signed-in user the permission check reads what the page's header
    reads anyway (Django caches it on the user).
    """
    if not user.has_perm("teaching.add_readinglist"):
        return []
    return list(active_lists_for_owner(user))


def list_for_owner(user, pk):
    """The owner's list, or 404: another instructor's list is indistinguishable from one that does not exist."""
    try:
        return ReadingList.objects.owned_by(user).get(pk=pk)
    except (ReadingList.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404("No such reading list.") from exc


def list_for_token(token):
    """The shared list for `token`, or 404 for a malformed, tampered, renewed or revoked token."""
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        raise Http404("No such shared list.")
    # An exact match on a unique index: the token is the whole secret, nothing is compared piecewise.
    found = ReadingList.objects.filter(share_token=token).select_related("owner").first()
    if found is None:
        raise Http404("No such shared list.")
    return found


def items_for_list(reading_list):
    """The list's items in order, each with its entry if published (`published_entry`) and its chosen questions.

    Queries: the items, their questions, then one per kind of entry on the list (see with_published_entries).
    """
    return with_published_entries(list(_items(reading_list).kept()))


def items_for_owner(reading_list, removed_limit=20):
    """(the list's items in order, the items last removed from it, latest first) for the owner's page.

    Read together, so that offering to undo a removal costs the page no query: the same queries as items_for_list.
    """
    items = with_published_entries(list(_items(reading_list)))
    removed = sorted((item for item in items if item.is_removed), key=lambda i: (i.removed_at, i.pk), reverse=True)
    return [item for item in items if not item.is_removed], removed[:removed_limit]


def _items(reading_list):
    return (
        ReadingListItem.objects.filter(reading_list=reading_list)
        .prefetch_related(Prefetch("questions", queryset=published_questions()))
        .order_by("position", "pk")
    )


def item_for_list(reading_list, item_pk):
    """One item of the owner's list, with its `published_entry`, or 404."""
    item = ReadingListItem.objects.kept().filter(reading_list=reading_list, pk=item_pk).first()
    if item is None:
        raise Http404("No such item on this list.")
    return with_published_entries([item])[0]


def removed_item(reading_list, item_pk):
    """One removed item of the owner's list, or 404."""
    item = ReadingListItem.objects.removed().filter(reading_list=reading_list, pk=item_pk).first()
    if item is None:
        raise Http404("No such removed item on this list.")
    return with_published_entries([item])[0]


def with_published_entries(items):
    """Set each item's `published_entry`: the entry if the public may see it, else None.

    One query per kind present, through the gate (with what a citation of the kind reads: a source's authors, the
    works an entry rests on and theirs), never one per item. An unpublished, withdrawn or deleted entry, or one of
    a kind that reading lists no longer hold, is None: pages then neither show nor name it.
    """
    kinds = listable_kinds()
    wanted = defaultdict(set)
    for item in items:
        if item.content_type_id in kinds:
            wanted[item.content_type_id].add(item.object_id)
    found = {}
    for content_type_id, ids in wanted.items():
        for entry in with_works(citable(kinds[content_type_id].model_name)).filter(pk__in=ids):
            found[content_type_id, entry.pk] = entry
    for item in items:
        item.published_entry = found.get((item.content_type_id, item.object_id))
    return items


def available_items(items):
    """The items students may see (published entries), and how many are left out."""
    shown = [item for item in items if item.is_available]
    return shown, len(items) - len(shown)


def questions_for_case(case):
    return published_questions().filter(intervention=case)


def question_choices(item):
    """Questions an instructor may choose for an item: the published questions of that item's case."""
    kind = item.listed_kind
    if kind is None or kind.model_class is not Intervention:
        return DiscussionQuestion.objects.none()
    return published_questions().filter(intervention_id=item.object_id)
