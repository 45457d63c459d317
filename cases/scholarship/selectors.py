"""Reads for the debate and the glossary. Counts and links consider published cases only."""

from django.db.models import Count, Q
from django.db.models.functions import Lower, Substr, Upper

from cases.core.chinese import columns
from cases.core.gate import PublishedPrefetch, published_q
from cases.core.selectors import source_authors, sourced
from cases.scholarship.models import Concept, Position, Relation, Stance


def _stance_count(relation):
    return Count("stances", filter=published_q("stances__intervention") & Q(stances__relation=relation))


def positions_with_counts():
    """Positions from most critical to most optimistic, with how many published cases bear on each."""
    return (
        Position.objects.published()
        .annotate(
            supporting=_stance_count(Relation.SUPPORTS),
            challenging=_stance_count(Relation.CHALLENGES),
            complicating=_stance_count(Relation.COMPLICATES),
        )
        .order_by("outlook", "rank", "title_en_gb")
    )


def positions_for_spectrum():
    """Every published position for the debate map, with the published cases bearing on each (two queries)."""
    return positions_with_counts().prefetch_related(
        PublishedPrefetch(
            "stances",
            Stance.objects.select_related("intervention")
            # A stance is not translated, so its queryset does not expand a related title into its languages.
            .only(
                "position",
                "relation",
                "intervention__slug",
                *columns("intervention__title"),
                "intervention__start_date",
            )
            .order_by("intervention__start_date", "intervention__title", "pk"),
        )
    )


def positions_for_detail():
    return (
        Position.objects.published()
        .with_public_version()
        .select_related("source", "reported_in")
        .prefetch_related(
            source_authors(),
            source_authors("reported_in"),
            PublishedPrefetch(
                "stances",
                sourced(Stance.objects.all(), "intervention").order_by(
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
        .with_public_version()
        .select_related("source")
        .prefetch_related(source_authors(), PublishedPrefetch("related", Concept.objects.order_by("term")))
    )
