"""The debate (positions from critical to optimistic), each position, and the glossary."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from cases.core.gate import public_or_none
from cases.core.pages import sources_with_locators
from cases.core.registry import service
from cases.find.exports import export
from cases.find.listing import Listing, listing_params
from cases.interventions.models import Intervention
from cases.scholarship import debate, selectors
from cases.scholarship.filters import EXPORT_COLUMNS, PositionFilterSet
from cases.scholarship.models import Position, Relation

MENTIONING_CASES = 20
PER_PAGE = 50


@listing_params(PositionFilterSet)
def position_list(request):
    listing = Listing(
        request,
        PositionFilterSet,
        selectors.positions_with_counts(),
        Position.objects.published(),
        per_page=PER_PAGE,
        export_name="position_export",
    )
    # The debate map shows every published position, whatever the filters, and names the cases bearing on each
    # (two queries: the positions, and their cases).
    spectrum = debate.spectrum(selectors.positions_for_spectrum())
    context = listing.context(positions=listing.page.object_list, spectrum=spectrum)
    return render(request, "scholarship/position_list.html", context, status=400 if listing.errors else 200)


def position_export(request, fmt):
    return export(
        request,
        PositionFilterSet,
        selectors.positions_with_counts().select_related("source"),
        fmt=fmt,
        filename="positions",
        columns=EXPORT_COLUMNS,
    )


def position_detail(request, slug):
    position = get_object_or_404(selectors.positions_for_detail(), slug=slug)
    stances = position.stances.all()
    context = {
        "position": position,
        "supporting": [s for s in stances if s.relation == Relation.SUPPORTS],
        "challenging": [s for s in stances if s.relation == Relation.CHALLENGES],
        "complicating": [s for s in stances if s.relation == Relation.COMPLICATES],
        "reported_in": public_or_none(position.reported_in),
        "sources": sources_with_locators(stances),
        "reading_lists": service("reading_lists_to_add_to")(request.user),
    }
    return render(request, "scholarship/position_detail.html", context)


def concept_list(request):
    return render(request, "scholarship/concept_list.html", {"concepts": selectors.concepts_for_listing()})


def concept_detail(request, slug):
    concept = get_object_or_404(selectors.concepts_for_detail(), slug=slug)
    mentions = Q()
    for term in concept.match_terms:
        mentions |= Q(narrative__icontains=term) | Q(summary__icontains=term)
    context = {
        "concept": concept,
        "cases": Intervention.objects.published()
        .filter(mentions)
        .order_by("start_date", "title_en_gb")[:MENTIONING_CASES],
        # Link the other glossary terms in the definition, never the concept to itself.
        "concepts": list(selectors.concepts_for_linking().exclude(pk=concept.pk)),
        "reading_lists": service("reading_lists_to_add_to")(request.user),
    }
    return render(request, "scholarship/concept_detail.html", context)
