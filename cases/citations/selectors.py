"""Reads for citation downloads, the sitemap and the feed: published entries of every registered kind."""

from django.db.models import F
from django.http import Http404

from cases.core import registry
from cases.core.models import Source
from cases.core.selectors import source_authors


def kind_of(model_name):
    """The registered kind whose model is `model_name` ("intervention"), or 404."""
    for kind in registry.kinds():
        if kind.model_name == model_name:
            return kind
    raise Http404("No such kind of entry.")


def label_of(entry):
    """How the feed and the sitemap name the kind of an entry ("Case", "Scholarly position")."""
    return registry.kind_for(entry).label


def citable(model_name):
    """The published entries of one kind, with what a citation of them reads (a source's authors)."""
    model = kind_of(model_name).model_class
    queryset = model.objects.published()
    if model is Source:
        queryset = queryset.prefetch_related(source_authors(None))
    return queryset


def for_sitemap(model_name):
    return kind_of(model_name).model_class.objects.published().only("slug", "updated_at").order_by("pk")


def newly_published(limit):
    """The `limit` most recently published entries of every kind in the feed, newest first."""
    entries = []
    for kind in registry.kinds():
        if not kind.feed:
            continue
        newest = citable(kind.model_name).order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]
        entries.extend(newest)
    entries.sort(key=lambda entry: (entry.published_at is not None, entry.published_at, entry.pk), reverse=True)
    return entries[:limit]
