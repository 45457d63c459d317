"""An entry's datestamp moves whenever its public record changes.

An entry's `updated_at` moves when the entry itself is saved (cases/core/models.py: `Curated.save`), which is also
how its status changes (the workflow saves it). Its OAI-PMH record also shows other rows: a case's organisations,
places, issues and tactics, a record's source and that source's authors (the `reads` of cases/keeping/records.py).
Saving or deleting one of those rows, or changing a many-to-many link the record shows, moves the `updated_at` of
every entry whose record reads it, so a harvester asking for changes since its last visit gets them.

An entry saved inside an atomic block that is still open is left as its save stamped it: the admin saves a case and
then the rows of its form (roles, places) in one transaction, and the revision it records holds the case's time as
saved; loading fixtures or a backup (raw saves, in a transaction) restores each entry with its own time, and the
rows and links loaded with it leave that time alone.
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.utils import timezone

from cases.core import registry

from . import records

_CONNECTED = set()


def watched():
    """{model: [(kind's model, lookup)]}: the rows each kind's record reads, besides the entry itself."""
    found = {}
    for kind in registry.kinds():
        for label, lookup in records.dublin_core(kind).reads.items():
            found.setdefault(apps.get_model(label), []).append((kind.model_class, lookup))
    return found


# Per database connection: the entries saved inside atomic blocks still open, [(block, model, pk)].
_SAVED = {}


def _open_saves():
    """The saves made inside the atomic blocks now open on the default connection (older ones are dropped)."""
    connection = transaction.get_connection()
    blocks = connection.atomic_blocks if connection.in_atomic_block else []
    saves = [save for save in _SAVED.get(connection.alias, []) if any(save[0] is block for block in blocks)]
    _SAVED[connection.alias] = saves
    return saves, blocks


def _entry_saved(sender, instance, **kwargs):
    saves, blocks = _open_saves()
    if blocks:
        saves.append((blocks[-1], sender, instance.pk))


def touch(model, **lookup):
    """Move the `updated_at` of the entries of `model` matching `lookup` to now (no signal is sent), except those
    saved inside an atomic block still open (the save that is going on stamped them)."""
    saves, _blocks = _open_saves()
    saved = [pk for _block, saved_model, pk in saves if saved_model is model]
    return model._base_manager.filter(**lookup).exclude(pk__in=saved).update(updated_at=timezone.now())


def _owners(owner_model, lookup, instance):
    field = owner_model._meta.get_field(lookup) if "__" not in lookup else None
    if field is not None and field.one_to_many:
        # The entry's own rows (a case's roles): the row names its entry, even while it is being deleted.
        return {"pk": getattr(instance, field.field.attname)}
    return {lookup: instance.pk}


def _changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for owner_model, lookup in watched().get(sender, ()):
        touch(owner_model, **_owners(owner_model, lookup, instance))


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    for kind in registry.kinds():
        owner_model = kind.model_class
        for lookup in records.dublin_core(kind).reads.values():
            if "__" in lookup:
                continue
            field = owner_model._meta.get_field(lookup)
            if not field.many_to_many or field.remote_field.through is not sender:
                continue
            if not reverse:
                touch(owner_model, pk=instance.pk)
            elif pk_set:
                touch(owner_model, pk__in=pk_set)
            else:  # a reverse clear: every entry linked to the instance
                touch(owner_model, **{lookup: instance.pk})


def connect():
    """Connect the receivers for every model some record reads (again after a kind is declared)."""
    for kind in registry.kinds():
        model = kind.model_class
        post_save.connect(_entry_saved, sender=model, dispatch_uid=f"keeping-entry-{model._meta.label}")
    for model in watched():
        if model not in _CONNECTED:
            post_save.connect(_changed, sender=model, dispatch_uid=f"keeping-save-{model._meta.label}")
            pre_delete.connect(_changed, sender=model, dispatch_uid=f"keeping-delete-{model._meta.label}")
            _CONNECTED.add(model)
    m2m_changed.connect(_links_changed, dispatch_uid="keeping-links")
