"""Receivers that keep the search index in step with every save, delete and change of relations.

The receivers only note what must be indexed again: (kind, pk) pairs, "this case with its events and
evidence", and lookups such as "the cases this organisation takes part in". The notes are kept per database
connection until the outermost transaction commits; then `index.refresh` re-reads every noted entry in one
query per kind and writes the index once. A transaction that rolls back leaves the index as it was. Outside
a transaction (autocommit) the index is written at once, as Django runs on-commit callbacks immediately.

Raw saves (loading fixtures) are skipped: `load_archive` rebuilds the whole index when it has loaded.
Bulk `QuerySet.update()` and `bulk_create()` send no signal: code that changes entries that way runs
`manage.py rebuild_search_index` (or `index.rebuild()`) afterwards.
"""

from django.apps import apps
from django.db import connections, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from cases.core import registry

from . import index
from .documents import indexed_kinds


def _watchers():
    """What each model's rows tell the index (cached until another kind is declared)."""

    if _CACHE.get("version") != registry.version():
        _CACHE.update(version=registry.version(), value=_read_watchers())
    return _CACHE["value"]


_CACHE = {}


def _read_watchers():
    """What each model's rows tell the index, from the registry's search documents:

    - `own`: {model: key} of the models with entries of their own;
    - `parts`: {key: [(part key, foreign key name)]}: the parts found on their own (a case's events), indexed
      again with the entry they belong to, whose state and title they carry;
    - `direct`: {model: [(key, foreign key attname)]}: rows pointing straight at an indexed entry (a case's roles);
    - `lookups`: {model: [(key, lookup)]}: rows reached through a longer path (a case's organisations);
    - `relations`: {through model: key}: many-to-many links whose change re-indexes the entry (a case's places).
    """
    kinds = indexed_kinds()
    own = {indexed.model: key for key, indexed in kinds.items()}
    parts, direct, lookups, relations = {}, {}, {}, {}
    for key, indexed in kinds.items():
        for relation in getattr(registry.kind_for(indexed.model), "parts", {}):
            part_model = indexed.model._meta.get_field(relation).related_model
            if part_model in own:
                fk = indexed.model._meta.get_field(relation).field
                parts.setdefault(key, []).append((own[part_model], fk.name))
        for label, lookup in indexed.document.watch.items():
            model = apps.get_model(label)
            field = indexed.model._meta.get_field(lookup) if "__" not in lookup else None
            if field is not None and field.many_to_many and not field.auto_created:
                relations[field.remote_field.through] = key
                lookups.setdefault(model, []).append((key, lookup))
            elif field is not None and field.one_to_many:
                direct.setdefault(model, []).append((key, field.field.attname))
            else:
                lookups.setdefault(model, []).append((key, lookup))
    return own, parts, direct, lookups, relations


class Pending:
    """What one transaction changed, to be indexed once when it commits (Django calls it then)."""

    def __init__(self, using):
        self.using = using
        self.scheduled = False
        self.pks = {}  # kind -> primary keys
        self.with_parts = {}  # key -> primary keys of entries whose parts are indexed again with them
        self.lookups = {}  # kind -> [Q] finding more entries of that kind when the transaction commits

    def add(self, kind, *pks):
        self.pks.setdefault(kind, set()).update(pk for pk in pks if pk is not None)

    def find(self, kind, q):
        self.lookups.setdefault(kind, []).append(q)

    def schedule(self):
        if not self.scheduled:
            self.scheduled = True
            # Outside a transaction Django runs it at once; inside, when the outermost block commits.
            transaction.on_commit(self, using=self.using, robust=False)

    def __call__(self):
        connection = connections[self.using]
        if getattr(connection, "_search_pending", None) is self:
            connection._search_pending = None
        kinds = indexed_kinds()
        for kind, queries in self.lookups.items():
            model = kinds[kind].model
            found = model._base_manager.using(self.using).filter(_any(queries)).values_list("pk", flat=True)
            self.add(kind, *found.distinct())
        also = {}
        for key, pks in self.with_parts.items():
            self.add(key, *pks)
            for part, condition in parts_of(key, pks).items():
                also[part] = also[part] | condition if part in also else condition
        index.refresh(self.pks, also=also, using=self.using)


def parts_of(key, pks):
    """{part key: filter} finding the searchable parts of these entries (one query a part kind, however many)."""
    if not pks:
        return {}
    return {part: Q(**{f"{fk}__in": pks}) for part, fk in _watchers()[1].get(key, [])}


def _any(queries):
    combined = Q()
    for q in queries:
        combined |= q
    return combined


def notes_for(using):
    """The notes of the transaction running on this connection (new ones if it has none yet)."""
    connection = connections[using]
    notes = getattr(connection, "_search_pending", None)
    if notes is not None and not (connection.in_atomic_block and _still_registered(connection, notes)):
        notes = None  # left over from a transaction (or the savepoint it was registered in) that rolled back
    if notes is None:
        notes = connection._search_pending = Pending(using)
    return notes


def _still_registered(connection, notes):
    # A rollback drops the callbacks registered in what it undoes. Ours is registered early: found quickly.
    return any(callback is notes for _sids, callback, _robust in connection.run_on_commit)


def entry_saved(sender, instance, raw=False, using="default", **kwargs):
    if raw:
        return
    own, parts, direct, lookups, _relations = _watchers()
    notes = notes_for(using)
    if sender in own:
        key = own[sender]
        # Its state and title decide whether and how its parts (a case's events and evidence) are found.
        if key in parts:
            notes.with_parts.setdefault(key, set()).add(instance.pk)
        else:
            notes.add(key, instance.pk)
    for key, attname in direct.get(sender, ()):
        notes.add(key, getattr(instance, attname))
    for key, lookup in lookups.get(sender, ()):
        notes.find(key, Q(**{lookup: instance.pk}))
    notes.schedule()


def entry_deleted(sender, instance, using="default", **kwargs):
    own, _parts, direct, _lookups, _relations = _watchers()
    notes = notes_for(using)
    if sender in own:
        notes.add(own[sender], instance.pk)
    for key, attname in direct.get(sender, ()):
        notes.add(key, getattr(instance, attname))
    notes.schedule()


def relations_changed(sender, instance, action, reverse, pk_set, using="default", **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    key = _watchers()[4].get(sender)
    if key is None:
        return
    field = next(f for f in sender._meta.get_fields() if f.is_relation and f.related_model is instance.__class__)
    if reverse and action == "pre_clear":
        # After a reverse clear the entries it touched are gone from the relation: remember them first.
        entry_fk = next(
            f for f in sender._meta.concrete_fields if f.is_relation and f.related_model is not instance.__class__
        )
        instance._search_cleared = list(
            sender._base_manager.using(using)
            .filter(**{field.name: instance.pk})
            .values_list(entry_fk.attname, flat=True)
        )
        return
    if action == "pre_clear":
        return
    notes = notes_for(using)
    if reverse:
        notes.add(key, *(pk_set or getattr(instance, "_search_cleared", [])))
    else:
        notes.add(key, instance.pk)
    notes.schedule()


def connect():
    """Connect the receivers for the models whose rows the index copies (and for those only)."""
    own, _parts, direct, lookups, relations = _watchers()
    for model in {*own, *direct, *lookups}:
        label = model._meta.label_lower
        post_save.connect(entry_saved, sender=model, dispatch_uid=f"search-saved-{label}")
        post_delete.connect(entry_deleted, sender=model, dispatch_uid=f"search-deleted-{label}")
    for through in relations:
        label = through._meta.label_lower
        m2m_changed.connect(relations_changed, sender=through, dispatch_uid=f"search-relations-{label}")
