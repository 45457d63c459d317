# Step 2 of 3: each item's entry, from the column of its kind to (content type, id), and back. The ids, positions,
# notes, pages and chosen questions of the items are not touched. Its own migration: on PostgreSQL a table
# cannot be altered in the transaction that updated its rows.

from django.db import migrations
from django.db.models import F

# The columns the items had, one per kind, and the model each pointed to.
COLUMNS = {
    "intervention": ("interventions", "intervention"),
    "position_entry": ("scholarship", "position"),
    "source": ("core", "source"),
    "organisation": ("organisations", "organisation"),
    "concept": ("scholarship", "concept"),
}


def _content_types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return {
        column: ContentType.objects.get_or_create(app_label=app_label, model=model)[0]
        for column, (app_label, model) in COLUMNS.items()
    }


def to_reference(apps, schema_editor):
    Item = apps.get_model("teaching", "ReadingListItem")
    types = _content_types(apps)
    for column, content_type in types.items():
        Item.objects.filter(**{f"{column}__isnull": False}).update(
            content_type=content_type, object_id=F(f"{column}_id")
        )


def to_columns(apps, schema_editor):
    """Back to one column per kind. Items the old columns cannot hold are deleted: an entry of a kind without a
    column, or one deleted since (the old foreign keys deleted their items with the entry)."""
    Item = apps.get_model("teaching", "ReadingListItem")
    types = _content_types(apps)
    for column, content_type in types.items():
        model = apps.get_model(*COLUMNS[column])
        items = Item.objects.filter(content_type=content_type)
        items.exclude(object_id__in=model.objects.values("pk")).delete()
        items.update(**{f"{column}_id": F("object_id")})
    Item.objects.exclude(content_type__in=types.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("teaching", "0002_readinglistitem_entry_reference"),
        ("interventions", "0001_initial"),
        ("organisations", "0001_initial"),
        ("scholarship", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_reference, to_columns)]
