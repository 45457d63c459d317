"""Reads for citation downloads, the sitemap and the feed: published entries only."""

from django.db.models import F

from cases.core.models import Place, Source
from cases.core.selectors import source_authors
from cases.interventions.models import Intervention
from cases.organisations.models import Organisation
from cases.scholarship.models import Concept, Position

# The entries with a public page of their own, by the model name used in URL names ("<name>_cite").
CITABLE_MODELS = {
    "intervention": Intervention,
    "organisation": Organisation,
    "position": Position,
    "concept": Concept,
    "place": Place,
    "source": Source,
}

# How the feed and the sitemap name each kind of entry.
KIND_LABELS = {
    "intervention": "Case",
    "organisation": "Organisation",
    "position": "Scholarly position",
    "concept": "Concept",
    "place": "Place",
    "source": "Source",
}


def citable(model_name):
    """The published entries of one kind, with what a citation of them reads (a source's authors)."""
    model = CITABLE_MODELS[model_name]
    queryset = model.objects.published()
    if model is Source:
        queryset = queryset.prefetch_related(source_authors(None))
    return queryset


def for_sitemap(model_name):
    return CITABLE_MODELS[model_name].objects.published().only("slug", "updated_at").order_by("pk")


def newly_published(limit):
    """The `limit` most recently published entries of every kind, newest first."""
    entries = []
    for model_name in CITABLE_MODELS:
        newest = citable(model_name).order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]
        entries.extend(newest)
    entries.sort(key=lambda entry: (entry.published_at is not None, entry.published_at, entry.pk), reverse=True)
    return entries[:limit]
