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

from django.db import connections, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from cases.core.models import Author, Place, SourceAuthor
from cases.interventions.models import Event, Evidence, Intervention, Issue, Role, Tactic
from cases.organisations.models import Organisation

from . import index
from .documents import KINDS
from .models import Kind

# Every model with entries of its own in the index, from the one table of indexed kinds.
INDEXED = {model: kind for kind, (model, _build, _queryset) in KINDS.items()}
# Rows of a case that are found on their own: a case's status and title decide whether and how.
PARTS = {Event: Kind.EVENT, Evidence: Kind.EVIDENCE}
# Rows whose names a case's entry copies, and how to find the cases that use one.
CASE_LOOKUP = {Place: "places", Issue: "issues", Tactic: "tactics"}
_CASE_RELATIONS = (Intervention.places.through, Intervention.issues.through, Intervention.tactics.through)


class Pending:
    """What one transaction changed, to be indexed once when it commits (Django calls it then)."""

    def __init__(self, using):
        self.using = using
        self.scheduled = False
        self.pks = {}  # kind -> primary keys
        self.cases_with_parts = set()
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
        for kind, queries in self.lookups.items():
            model = KINDS[kind][0]
            found = model._base_manager.using(self.using).filter(_any(queries)).values_list("pk", flat=True)
            self.add(kind, *found.distinct())
        self.add(Kind.CASE, *self.cases_with_parts)
        index.refresh(self.pks, also=parts_of(self.cases_with_parts), using=self.using)


def parts_of(case_pks):
    """{kind: filter} finding the events and evidence of these cases (one query a kind, however many parts)."""
    return {kind: Q(intervention_id__in=case_pks) for kind in PARTS.values()} if case_pks else {}


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
    notes = notes_for(using)
    if sender is Intervention:
        # Its status and title decide whether and how its events and evidence are found.
        notes.cases_with_parts.add(instance.pk)
    elif sender in INDEXED:
        notes.add(INDEXED[sender], instance.pk)
    if sender is Organisation:
        notes.find(Kind.CASE, Q(roles__organisation_id=instance.pk))
    elif sender is Role:
        notes.add(Kind.CASE, instance.intervention_id)
    elif sender is SourceAuthor:
        notes.add(Kind.SOURCE, instance.source_id)
    elif sender is Author:
        notes.find(Kind.SOURCE, Q(authorships__author_id=instance.pk))
    elif sender in CASE_LOOKUP:
        notes.find(Kind.CASE, Q(**{CASE_LOOKUP[sender]: instance.pk}))
    notes.schedule()


def entry_deleted(sender, instance, using="default", **kwargs):
    notes = notes_for(using)
    if sender in INDEXED:
        notes.add(INDEXED[sender], instance.pk)
    elif sender is Role:
        notes.add(Kind.CASE, instance.intervention_id)
    elif sender is SourceAuthor:
        notes.add(Kind.SOURCE, instance.source_id)
    notes.schedule()


def relations_changed(sender, instance, action, reverse, pk_set, using="default", **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if reverse and action == "pre_clear":
        # After a reverse clear the cases it touched are gone from the relation: remember them first.
        instance._search_cleared = list(instance.interventions.using(using).values_list("pk", flat=True))
        return
    if action == "pre_clear":
        return
    notes = notes_for(using)
    if reverse:
        notes.add(Kind.CASE, *(pk_set or getattr(instance, "_search_cleared", [])))
    else:
        notes.add(Kind.CASE, instance.pk)
    notes.schedule()


def connect():
    """Connect the receivers for the models whose rows the index copies (and for those only)."""
    for model in {*INDEXED, Role, SourceAuthor, Author, *CASE_LOOKUP}:
        label = model._meta.label_lower
        post_save.connect(entry_saved, sender=model, dispatch_uid=f"search-saved-{label}")
        post_delete.connect(entry_deleted, sender=model, dispatch_uid=f"search-deleted-{label}")
    for through in _CASE_RELATIONS:
        label = through._meta.label_lower
        m2m_changed.connect(relations_changed, sender=through, dispatch_uid=f"search-relations-{label}")
