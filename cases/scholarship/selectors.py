"""Reads for the debate and the glossary. Counts and links consider published cases only."""

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower, Substr, Upper

from cases.core.models import Status
from cases.core.selectors import source_authors, sourced
from cases.scholarship.models import Concept, Position, Relation, Stance

PUBLISHED = Status.PUBLISHED


def _stance_count(relation):
    return Count("stances", filter=Q(stances__relation=relation, stances__intervention__status=PUBLISHED))


def positions_with_counts():
    """Positions from most critical to most optimistic, with how many published cases bear on each."""
    return (
        Position.objects.published()
        .annotate(
            supporting=_stance_count(Relation.SUPPORTS),
            challenging=_stance_count(Relation.CHALLENGES),
            complicating=_stance_count(Relation.COMPLICATES),
        )
        .order_by("outlook", "rank", "title")
    )


def positions_for_detail():
    return (
        Position.objects.published()
        .select_related("source", "reported_in")
        .prefetch_related(
            source_authors(),
            source_authors("reported_in"),
            Prefetch(
                "stances",
                queryset=sourced(Stance.objects.filter(intervention__status=PUBLISHED), "intervention").order_by(
                    "intervention__start_date", "intervention__title"
                ),
            ),
        )
    )


def concepts_for_listing():
    return Concept.objects.published().annotate(letter=Upper(Substr("term", 1, 1))).order_by(Lower("term"))


def concepts_for_linking():
    """The published glossary, for linking terms in texts (one query per page)."""
    return Concept.objects.published().only("slug", "term", "aliases", "is_framework_stage")


def concepts_for_detail():
    return (
        Concept.objects.published()
        .select_related("source")
        .prefetch_related(source_authors(), Prefetch("related", queryset=Concept.objects.published().order_by("term")))
    )
