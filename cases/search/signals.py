"""Receivers that keep the search index in step with every save, delete and change of relations.

Raw saves (loading fixtures) are skipped: `load_archive` rebuilds the whole index when it has loaded.
Bulk `QuerySet.update()` sends no signal; code that changes status in bulk calls `rebuild_search_index`.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from cases.core.models import Author, Place, Source, SourceAuthor
from cases.interventions.models import Event, Evidence, Intervention, Issue, Role, Tactic
from cases.organisations.models import Organisation
from cases.scholarship.models import Concept, Position

from . import index
from .models import Kind

SIMPLE = {Organisation: Kind.ORGANISATION, Position: Kind.POSITION, Source: Kind.SOURCE, Concept: Kind.CONCEPT}
# Rows of a case that are found on their own: a case's status and title decide whether and how.
PARTS = {Event: Kind.EVENT, Evidence: Kind.EVIDENCE}
# Every model with entries of its own in the index.
INDEXED = {**SIMPLE, Intervention: Kind.CASE, **PARTS}


def _reindex_case(pk, with_parts=False):
    index.reindex(Kind.CASE, pk)
    if with_parts:
        for model, kind in PARTS.items():
            for part_pk in model.objects.filter(intervention_id=pk).values_list("pk", flat=True):
                index.reindex(kind, part_pk)


def _cases_of(**lookup):
    return Intervention.objects.filter(**lookup).values_list("pk", flat=True).distinct()


@receiver(post_save, dispatch_uid="search_saved")
def entry_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender in SIMPLE:
        index.reindex(SIMPLE[sender], instance.pk)
    if sender is Intervention:
        # Its status and title decide whether and how its events and evidence are found.
        _reindex_case(instance.pk, with_parts=True)
    elif sender is Organisation:
        for pk in _cases_of(roles__organisation=instance):
            _reindex_case(pk)
    elif sender in PARTS:
        index.reindex(PARTS[sender], instance.pk)
    elif sender is Role:
        _reindex_case(instance.intervention_id)
    elif sender is SourceAuthor:
        index.reindex(Kind.SOURCE, instance.source_id)
    elif sender is Author:
        for pk in Source.objects.filter(authorships__author=instance).values_list("pk", flat=True):
            index.reindex(Kind.SOURCE, pk)
    elif sender in (Place, Issue, Tactic):
        for pk in _cases_of(**{_CASE_LOOKUP[sender]: instance}):
            _reindex_case(pk)


_CASE_LOOKUP = {Place: "places", Issue: "issues", Tactic: "tactics"}


@receiver(post_delete, dispatch_uid="search_deleted")
def entry_deleted(sender, instance, **kwargs):
    if sender in INDEXED:
        index.remove_object(INDEXED[sender], instance.pk)
    elif sender is Role:
        _reindex_case(instance.intervention_id)
    elif sender is SourceAuthor:
        index.reindex(Kind.SOURCE, instance.source_id)


@receiver(m2m_changed, dispatch_uid="search_relations_changed")
def relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if sender not in (Intervention.places.through, Intervention.issues.through, Intervention.tactics.through):
        return
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            _reindex_case(instance.pk)
    elif action == "pre_clear":
        # After a reverse clear the cases it touched are gone from the relation: remember them first.
        instance._search_cleared = list(instance.interventions.values_list("pk", flat=True))
    else:
        for pk in pk_set or getattr(instance, "_search_cleared", []):
            _reindex_case(pk)
