"""A kind of entry that may be put on reading lists needs its column on ReadingListItem: say so at startup."""

from django.core import checks


@checks.register()
def reading_list_columns(app_configs, **kwargs):
    from cases.core import registry
    from cases.teaching.models import item_field_for

    return [
        checks.Error(
            f"The kind {kind.key!r} may be put on reading lists, but ReadingListItem has no column for {kind.model}.",
            hint="Add a nullable foreign key to it in cases/teaching/models.py (and to ITEM_FIELDS), or declare the "
            "kind with reading_lists=False.",
            id="teaching.E001",
        )
        for kind in registry.kinds()
        if kind.reading_lists and item_field_for(kind.model_class) is None
    ]
