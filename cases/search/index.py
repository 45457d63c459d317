"""Keeping the index in step: bring a set of entries up to date in a few queries, or rebuild everything."""

import re
from collections import Counter
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.utils import translation

from . import chinese
from .documents import indexed_kinds
from .models import SearchEntry, SearchTerm

BATCH = 2000
# Words whose counts change together in one query (four parameters a word: well within SQLite's limit).
TERMS_AT_ONCE = 400
WORD = re.compile(r"[^\W\d_]{4,60}")
ENTRY_FIELDS = (
    "title",
    "summary",
    "body",
    "url",
    "context",
    "title_words",
    "summary_words",
    "body_words",
    "hidden_words",
)


def vocabulary(title, summary):
    """The words of an entry the misspelling fallback can suggest: its title's and summary's (alphabetic ones:
    a run of Chinese characters is not a word, and the fallback does not correct Chinese)."""
    return {w.casefold() for w in WORD.findall(f"{title} {summary}") if not chinese.has_chinese(w)}


def entry_fields(built):
    """The fields of a SearchEntry from what a document built (None stays None): its texts, and what the index
    reads of them when they hold Chinese (cases/search/chinese.py). `names` (optional) are the entry's Chinese
    names, whose pinyin it is also found by, as by its title's."""
    if built is None:
        return None
    fields = dict(built)
    names = fields.pop("names", ())
    texts = [fields["title"], fields["summary"], fields["body"]]
    for name, text in zip(("title_words", "summary_words", "body_words"), texts, strict=True):
        fields[name] = chinese.indexed_text(text)
    fields["hidden_words"] = chinese.hidden_words([fields["title"], *names], texts)
    return fields


def built_in_english(build, obj):
    """An entry's document, built in the site's own language whoever saved it: a curator's admin in Chinese would
    otherwise index the Chinese page's address and labels (the Chinese texts are in the document either way)."""
    with translation.override(settings.LANGUAGE_CODE):
        return entry_fields(build(obj))


def refresh(pks_by_kind, also=None, using="default", in_hand=None):
    """Bring the entries of these objects up to date: add, update or remove each as its state requires.

    `pks_by_kind` is {kind: primary keys}; `also` is {kind: Q} for more objects of a kind found by a filter
    (a case's events and evidence by `intervention_id__in`); `in_hand` is {(kind, pk): object} for objects
    already loaded with what their documents read, which are not read again. Whatever the number of objects:
    one query per kind (with its related rows) to read the others, one for the entries they had, then at most
    one upsert, one delete and two vocabulary queries, the writes in one transaction.
    """
    also = also or {}
    in_hand = in_hand or {}
    built = {}  # (kind, pk) -> the entry's fields, or None when it must not be found
    for kind, indexed in indexed_kinds().items():
        build, queryset = indexed.build, indexed.queryset
        pks = set(pks_by_kind.get(kind, ()))
        for pk in pks:
            if (kind, pk) in in_hand:
                built[(kind, pk)] = built_in_english(build, in_hand[(kind, pk)])
        pks = {pk for pk in pks if (kind, pk) not in built}
        if not pks and kind not in also:
            continue
        lookup = Q(pk__in=pks) | also[kind] if kind in also else Q(pk__in=pks)
        for obj in queryset().using(using).filter(lookup):
            built[(kind, obj.pk)] = built_in_english(build, obj)
        for pk in pks:
            built.setdefault((kind, pk), None)  # gone: its entry goes too
    if built:
        _write(built, using)


def reindex(kind, pk, using="default"):
    """Re-read one entry with its related rows and index it (or remove it if it is gone or unpublished)."""
    refresh({kind: {pk}}, using=using)


def _write(built, using):
    by_kind = {}
    for kind, pk in built:
        by_kind.setdefault(kind, set()).add(pk)
    with transaction.atomic(using=using):
        entries = SearchEntry.objects.using(using)
        old = {
            (row["kind"], row["object_id"]): row
            for row in entries.filter(
                reduce(or_, (Q(kind=kind, object_id__in=pks) for kind, pks in by_kind.items()))
            ).values("id", "kind", "object_id", *ENTRY_FIELDS)
        }
        words = Counter()
        upserts, removed = [], []
        for key, fields in built.items():
            before = old.get(key)
            if before is not None:
                words.subtract(vocabulary(before["title"], before["summary"]))
            if fields is None:
                if before is not None:
                    removed.append(before["id"])
                continue
            words.update(vocabulary(fields["title"], fields["summary"]))
            if before is None or any(before[name] != fields[name] for name in ENTRY_FIELDS):
                upserts.append(SearchEntry(kind=key[0], object_id=key[1], **fields))
        if removed:
            # A raw delete: SearchEntry has no relations, and the signals would only tell the page cache again.
            entries.filter(id__in=removed)._raw_delete(using)
        if upserts:
            # On SQLite the FTS5 triggers follow both the insert and the update path of an upsert; on
            # PostgreSQL the search vector is a generated column.
            entries.bulk_create(
                upserts,
                update_conflicts=True,
                unique_fields=("kind", "object_id"),
                update_fields=ENTRY_FIELDS,
                batch_size=BATCH,
            )
        count_terms(words, using)


def count_terms(changes, using="default"):
    """Apply {word: change in the number of entries using it} to the vocabulary: two queries at most (for up to
    TERMS_AT_ONCE words; more are done in as many rounds)."""
    words = sorted(word for word, n in changes.items() if n)
    for start in range(0, len(words), TERMS_AT_ONCE):
        _count_some_terms({word: changes[word] for word in words[start : start + TERMS_AT_ONCE]}, using)


def _count_some_terms(changes, using):
    table = connections[using].ops.quote_name(SearchTerm._meta.db_table)
    fewer = {word: -n for word, n in changes.items() if n < 0}
    gone = set()
    with connections[using].cursor() as cursor:
        if fewer:
            # A word no entry uses any more goes (a count stays positive).
            cursor.execute(
                f"DELETE FROM {table} WHERE word IN ({', '.join(['%s'] * len(fewer))}) "
                f"AND entries <= CASE word {' '.join(['WHEN %s THEN %s'] * len(fewer))} END RETURNING word",
                [*fewer, *[value for pair in fewer.items() for value in pair]],
            )
            gone = {word for (word,) in cursor.fetchall()}
        rest = {word: n for word, n in changes.items() if word not in gone}
        if not rest:
            return
        pairs = [value for pair in rest.items() for value in pair]
        # One upsert counts the known words up or down and adds the new ones. The row proposed for a known word
        # only finds it (a count in it must still pass the table's checks); a word that would be counted down
        # is not added when it is not there.
        cursor.execute(
            f"INSERT INTO {table} (word, entries) "
            f"SELECT column1, CASE WHEN column2 > 0 THEN column2 ELSE 1 END "
            f"FROM (VALUES {', '.join(['(%s, %s)'] * len(rest))}) AS changes "
            f"WHERE column2 > 0 OR EXISTS (SELECT 1 FROM {table} known WHERE known.word = changes.column1) "
            f"ON CONFLICT (word) DO UPDATE SET entries = {table}.entries + "
            f"CASE excluded.word {' '.join(['WHEN %s THEN %s'] * len(rest))} END",
            [*pairs, *pairs],
        )


def _rebuild_queryset(indexed):
    # The gate knows which rows are public: entries that are published, parts of published entries.
    return indexed.queryset().published().order_by("pk")


def rebuild(stdout=None):
    """Empty the index and fill it from every published entry; returns {kind: count}."""
    counts = {}
    terms = Counter()
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
        for kind, indexed in indexed_kinds().items():
            build = indexed.build
            batch, total = [], 0
            for obj in _rebuild_queryset(indexed).iterator(chunk_size=BATCH):
                fields = built_in_english(build, obj)
                if fields is None:
                    continue
                batch.append(SearchEntry(kind=kind, object_id=obj.pk, **fields))
                terms.update(vocabulary(fields["title"], fields["summary"]))
                if len(batch) >= BATCH:
                    SearchEntry.objects.bulk_create(batch)
                    total += len(batch)
                    batch = []
            SearchEntry.objects.bulk_create(batch)
            counts[kind] = total + len(batch)
            if stdout:
                stdout.write(f"  {indexed.label}: {counts[kind]}")
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=word, entries=n) for word, n in terms.items()], batch_size=BATCH
        )
    return counts
