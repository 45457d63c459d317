"""Receivers that keep the search index in step with every save, delete and change of relations.

The receivers only note what must be indexed again: (kind, pk) pairs, "this case with its events and
evidence", and lookups such as "the cases this organisation takes part in". The notes are kept per database
connection until the outermost transaction commits; then `index.refresh` re-reads every noted entry in one
query per kind and writes the index once. An entry the admin's form has saved with every row its documents
read is handed over (`hold`) and its documents are built from those rows instead. A transaction that rolls
back leaves the index as it was. Outside a transaction (autocommit) the index is written at once, as Django
runs on-commit callbacks immediately.

Raw saves (loading fixtures) are skipped: `load_archive` rebuilds the whole index when it has loaded.
Bulk `QuerySet.update()` and `bulk_create()` send no signal: code that changes entries that way runs
`manage.py rebuild_search_index` (or `index.rebuild()`) afterwards.
"""

from django.apps import apps
from django.db import connections, transaction
from django.db.models import Prefetch, Q
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
        self.in_hand = {}  # (kind, pk) -> an object saved with every row its document reads (see `hold`)
        self.parts_in_hand = {}  # (key, pk) of an entry in hand -> {part key: primary keys of all its parts}

    def changed(self):
        # Anything saved after the objects were handed over may have changed what they hold: read them again.
        self.in_hand.clear()
        self.parts_in_hand.clear()

    def hold(self, entry):
        """Take `entry`, and the parts it holds, as they are now: the transaction has saved them and will save
        nothing more of what their documents read, which they hold already (`SearchDocument.queryset` says what).
        Their documents are built from them when it commits, instead of being read again."""
        own, parts = _watchers()[:2]
        kinds = indexed_kinds()
        key = own.get(type(entry))
        if key is None or entry.pk is None or not loaded_like(entry, kinds[key].queryset()):
            return
        found = {}
        for part, fk in parts.get(key, ()):
            model = kinds[part].model
            rows = held_rows(entry, model._meta.get_field(fk).remote_field.get_accessor_name())
            if rows is None or not all(loaded_like(row, kinds[part].queryset()) for row in rows):
                found = None
                break
            found[part] = rows
        self.in_hand[(key, entry.pk)] = entry
        if found is not None:
            self.parts_in_hand[(key, entry.pk)] = {part: {row.pk for row in rows} for part, rows in found.items()}
            self.in_hand.update({(part, row.pk): row for part, rows in found.items() for row in rows})

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
            for pk in pks & {pk for k, pk in self.parts_in_hand if k == key}:
                for part, part_pks in self.parts_in_hand[(key, pk)].items():
                    self.add(part, *part_pks)
            others = {pk for pk in pks if (key, pk) not in self.parts_in_hand}
            for part, condition in parts_of(key, others).items():
                also[part] = also[part] | condition if part in also else condition
        index.refresh(self.pks, also=also, using=self.using, in_hand=self.in_hand)


def held_rows(obj, accessor):
    """The rows of `obj`'s relation `accessor` in its prefetch cache, or None when they were not read with it."""
    manager = getattr(obj, accessor)
    cache_name = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    cached = getattr(obj, "_prefetched_objects_cache", {}).get(cache_name)
    return None if cached is None else list(cached)


def loaded_like(obj, queryset):
    """Whether `obj` holds every row `queryset` reads with its objects (its select_related and prefetch_related
    lookups, one level of these), so that reading them costs no query."""
    if obj.get_deferred_fields() or not _selected(obj, queryset.query.select_related):
        return False
    for lookup in queryset._prefetch_related_lookups:
        path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
        if "__" in path:
            return False
        rows = held_rows(obj, path)
        inner = lookup.queryset if isinstance(lookup, Prefetch) else None
        if rows is None or (inner is not None and not all(_selected(row, inner.query.select_related) for row in rows)):
            return False
    return True


def _selected(obj, select_related):
    if select_related is True:  # every relation: cannot be told
        return False
    for name, nested in (select_related or {}).items():
        field = obj._meta.get_field(name)
        if not field.is_cached(obj):
            return False
        related = getattr(obj, name)
        if related is not None and not _selected(related, nested):
            return False
    return True


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
    notes.changed()
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
    notes.changed()
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
    notes.changed()
    if reverse:
        notes.add(key, *(pk_set or getattr(instance, "_search_cleared", [])))
    else:
        notes.add(key, instance.pk)
    notes.schedule()


def hold(entry, using="default"):
    """The admin's save hands over an entry it has saved with its rows (see Pending.hold)."""
    connection = connections[using]
    if connection.in_atomic_block:
        notes_for(using).hold(entry)


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
