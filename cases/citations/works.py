"""The published works an archive entry rests on, for citing the scholarship rather than the archive's pages.

The convention every kind follows: an entry rests on its `source` at its `locator` (a position: at `cited_pages`),
and where the archive knows that work only through another text, `reported_in` at `reported_locator` says which
("Lee and Shen 2011, as cited in Pringle 2018"). A source rests on itself.
"""

from dataclasses import dataclass

from cases.core.gate import is_public
from cases.core.models import Source
from cases.core.selectors import source_authors


@dataclass(frozen=True)
class WorkCited:
    source: Source
    locator: str = ""
    via: Source | None = None
    via_locator: str = ""

    @property
    def key(self):
        return self.source.pk


def works_cited(entry):
    if isinstance(entry, Source):
        return [WorkCited(entry)]
    source = getattr(entry, "source", None)
    if source is None or not is_public(source):
        return []
    locator = getattr(entry, "locator", "") or getattr(entry, "cited_pages", "")
    via = getattr(entry, "reported_in", None)
    if via is not None and via.pk != source.pk and is_public(via):
        return [WorkCited(source, locator, via, getattr(entry, "reported_locator", ""))]
    return [WorkCited(source, locator)]


def with_works(queryset):
    """`queryset` of one kind, reading the works its entries rest on in a fixed number of queries."""
    fields = {field.name for field in queryset.model._meta.get_fields()}
    for name in ("source", "reported_in"):
        if name in fields:
            queryset = queryset.select_related(name).prefetch_related(source_authors(name))
    return queryset


def distinct_works(entries):
    """Each work the entries rest on, once, in the order first met (the works they are cited through too)."""
    seen, works = set(), []
    for entry in entries:
        for work in works_cited(entry):
            for source in (work.source, work.via):
                if source is not None and source.pk not in seen:
                    seen.add(source.pk)
                    works.append(source)
    return works
