"""Reading lists refer to entries by content type and integer id: a kind they may hold needs an integer key."""

from django.core import checks
from django.db import models


def _key_field(model):
    field = model._meta.pk
    while field.is_relation:  # a child model's key is its parent's
        field = field.target_field
    return field


@checks.register()
def listable_kinds_have_integer_keys(app_configs, **kwargs):
    from cases.core import registry

    return [
        checks.Error(
            f"The kind {kind.key!r} may be put on reading lists, but the primary key of {kind.model} is not an "
            "integer: ReadingListItem.object_id holds integers.",
            hint="Give the model an integer primary key (the default BigAutoField), or declare the kind with "
            "reading_lists=False.",
            obj=kind.model_class,
            id="teaching.E002",
        )
        for kind in registry.kinds()
        if kind.reading_lists and not isinstance(_key_field(kind.model_class), models.IntegerField)
    ]
