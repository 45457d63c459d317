"""Writes for reading lists: adding, ordering, duplicating and sharing."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from cases.teaching.models import ReadingList, ReadingListItem, kind_of, new_share_token


def create_list(owner, **fields):
    return ReadingList.objects.create(owner=owner, **fields)


def entry_reference(entry):
    """The columns that name `entry` on an item. A kind the registry does not let lists hold is refused."""
    if kind_of(entry) is None:
        raise ValueError(f"Reading lists do not hold entries of {type(entry).__name__}.")
    return {"content_type": ContentType.objects.get_for_model(entry), "object_id": entry.pk}


@transaction.atomic
def add_entry(reading_list, entry):
    """Put `entry` at the end of the list; an entry already on the list stays where it is.

    Returns (item, created).
    """
    reference = entry_reference(entry)
    existing = reading_list.items.filter(**reference).first()
    if existing is not None and existing.is_removed:  # removed earlier: back at the end, with its notes
        _restore(existing, _last_position(reading_list) + 1)
        return existing, True
    if existing is not None:
        return existing, False
    last = _last_position(reading_list)
    try:
        with transaction.atomic():
            item = ReadingListItem.objects.create(reading_list=reading_list, position=last + 1, **reference)
    except IntegrityError:  # added by a second request at the same moment
        return reading_list.items.get(**reference), False
    reading_list.save(update_fields=["updated_at"])
    return item, True


def _last_position(reading_list):
    return reading_list.items.kept().aggregate(last=Max("position"))["last"] or 0


def _renumber(items):
    for number, item in enumerate(items, start=1):
        item.position = number
    ReadingListItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def move_item(item, new_position):
    """Move `item` to `new_position` (1 = first). A position outside the list raises ValidationError."""
    items = list(item.reading_list.items.kept().select_for_update().order_by("position", "pk"))
    if not 1 <= new_position <= len(items):
        raise ValidationError(
            gettext("Position %(position)s is outside this list: choose a position from 1 to %(last)s.")
            % {"position": new_position, "last": len(items)},
            code="out_of_range",
        )
    current = next(i for i in items if i.pk == item.pk)
    items.remove(current)
    items.insert(new_position - 1, current)
    _renumber(items)
    item.reading_list.save(update_fields=["updated_at"])


@transaction.atomic
def remove_item(item):
    """Take `item` off its list. It is kept, with its notes and questions, so `restore_item` can put it back; its
    `position` remembers where it was."""
    reading_list = item.reading_list
    item.removed_at = timezone.now()
    item.save(update_fields=["removed_at"])
    _renumber(list(reading_list.items.kept().order_by("position", "pk")))
    reading_list.save(update_fields=["updated_at"])


@transaction.atomic
def restore_item(item):
    """Undo a removal: the item goes back where it was (or at the end, if the list has become shorter since)."""
    _restore(item, item.position)


def _restore(item, position):
    reading_list = item.reading_list
    items = list(reading_list.items.kept().select_for_update().order_by("position", "pk"))
    item.removed_at = None
    item.save(update_fields=["removed_at"])
    items.insert(min(max(position, 1), len(items) + 1) - 1, item)
    _renumber(items)
    reading_list.save(update_fields=["updated_at"])


@transaction.atomic
def duplicate_list(reading_list):
    """A private copy of the list with its items, notes and questions; the copy is not shared."""
    copy = ReadingList.objects.create(
        owner=reading_list.owner,
        title=(gettext("Copy of %(title)s") % {"title": reading_list.title})[:200],
        course=reading_list.course,
        description=reading_list.description,
        due_date=reading_list.due_date,
    )
    # Attribute names (content_type_id...): copying ids reads no related row.
    fields = [
        f.attname
        for f in ReadingListItem._meta.concrete_fields
        if f.name not in {"id", "reading_list", "added_at", "removed_at"}
    ]
    items = list(reading_list.items.kept().prefetch_related("questions").order_by("position", "pk"))
    copies = ReadingListItem.objects.bulk_create(
        [ReadingListItem(reading_list=copy, **{name: getattr(item, name) for name in fields}) for item in items]
    )
    Through = ReadingListItem.questions.through
    Through.objects.bulk_create(
        [
            Through(readinglistitem_id=new.pk, discussionquestion_id=question.pk)
            for item, new in zip(items, copies, strict=True)
            for question in item.questions.all()
        ]
    )
    return copy


def set_archived(reading_list, archived):
    reading_list.archived = archived
    reading_list.save(update_fields=["archived", "updated_at"])


def share(reading_list):
    """Give the list a share link, or a new one (renew): any earlier link stops working."""
    reading_list.share_token = new_share_token()
    reading_list.shared_at = timezone.now()
    reading_list.save(update_fields=["share_token", "shared_at", "updated_at"])


def revoke(reading_list):
    reading_list.share_token = None
    reading_list.shared_at = None
    reading_list.save(update_fields=["share_token", "shared_at", "updated_at"])
