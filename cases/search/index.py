"""Keeping the index in step: index one entry, remove one, or rebuild everything."""

import re
from collections import Counter

from django.db import transaction
from django.db.models import F

from cases.core.models import Status

from .documents import KINDS
from .models import Kind, SearchEntry, SearchTerm

BATCH = 2000
WORD = re.compile(r"[^\W\d_]{4,60}")


def vocabulary(title, summary):
    """The words of an entry the misspelling fallback can suggest: its title's and summary's."""
    return {w.casefold() for w in WORD.findall(f"{title} {summary}")}


def _count_terms(added=(), removed=()):
    if removed:
        # A word no other entry uses goes; the others count one entry fewer.
        SearchTerm.objects.filter(word__in=removed, entries__lte=1).delete()
        SearchTerm.objects.filter(word__in=removed).update(entries=F("entries") - 1)
    if added:
        SearchTerm.objects.filter(word__in=added).update(entries=F("entries") + 1)
        existing = set(SearchTerm.objects.filter(word__in=added).values_list("word", flat=True))
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=w, entries=1) for w in added if w not in existing], ignore_conflicts=True
        )


def index_object(kind, obj):
    """Bring one entry's row up to date: add, update or remove it as its state requires."""
    _model, build, _queryset = KINDS[kind]
    fields = build(obj)
    if fields is None:
        remove_object(kind, obj.pk)
        return
    with transaction.atomic():
        old = SearchEntry.objects.filter(kind=kind, object_id=obj.pk).values("title", "summary").first()
        SearchEntry.objects.update_or_create(kind=kind, object_id=obj.pk, defaults=fields)
        before = vocabulary(old["title"], old["summary"]) if old else set()
        after = vocabulary(fields["title"], fields["summary"])
        _count_terms(added=sorted(after - before), removed=sorted(before - after))


def remove_object(kind, pk):
    with transaction.atomic():
        old = SearchEntry.objects.filter(kind=kind, object_id=pk).values("title", "summary").first()
        if old is None:
            return
        SearchEntry.objects.filter(kind=kind, object_id=pk).delete()
        _count_terms(removed=sorted(vocabulary(old["title"], old["summary"])))


def reindex(kind, pk):
    """Re-read an entry with its related rows and index it (or remove it if it is gone)."""
    _model, _build, queryset = KINDS[kind]
    obj = queryset().filter(pk=pk).first()
    if obj is None:
        remove_object(kind, pk)
    else:
        index_object(kind, obj)


def _rebuild_queryset(kind):
    _model, _build, queryset = KINDS[kind]
    qs = queryset()
    if kind in (Kind.EVIDENCE, Kind.EVENT):
        return qs.filter(intervention__status=Status.PUBLISHED).order_by("pk")
    return qs.filter(status=Status.PUBLISHED).order_by("pk")


def rebuild(stdout=None):
    """Empty the index and fill it from every published entry; returns {kind: count}."""
    counts = {}
    terms = Counter()
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
        for kind in Kind:
            build = KINDS[kind][1]
            batch, total = [], 0
            for obj in _rebuild_queryset(kind).iterator(chunk_size=BATCH):
                fields = build(obj)
                if fields is None:
                    continue
                batch.append(SearchEntry(kind=kind, object_id=obj.pk, **fields))
                terms.update(vocabulary(fields["title"], fields["summary"]))
                if len(batch) >= BATCH:
                    SearchEntry.objects.bulk_create(batch)
                    total += len(batch)
                    batch = []
            SearchEntry.objects.bulk_create(batch)
            counts[kind.value] = total + len(batch)
            if stdout:
                stdout.write(f"  {kind.label}: {counts[kind.value]}")
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=word, entries=n) for word, n in terms.items()], batch_size=BATCH
        )
    return counts
