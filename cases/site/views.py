"""Home, about, the bibliography and places."""

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, render

from cases.core.models import Source
from cases.core.registry import service
from cases.find.exports import export
from cases.find.listing import Listing, listing_params
from cases.interventions.models import Intervention, Stage
from cases.interventions.selectors import lead_roles
from cases.organisations.models import Organisation
from cases.scholarship.selectors import positions_with_counts
from cases.site import selectors
from cases.site.filters import EXPORT_COLUMNS, SourceFilterSet

FEATURED_CASES = 3
SOURCES_PER_PAGE = 100


def home(request):
    # Where to start: top-level cases an author places in the movement-process framework (in the canonical
    # content, Pringle's HKA, HKB and HKC cases). Chosen by data, so no slug is assumed to exist. The page asks
    # readers to take them in order, so they come in the framework's order (local rationality, militant
    # particularism, campaign...), not by date: the earliest case is HKC's campaign.
    stage_order = Case(
        *[When(stage=value, then=Value(rank)) for rank, value in enumerate(Stage.values)],
        output_field=IntegerField(),
    )
    featured = (
        Intervention.objects.published()
        .filter(parent__isnull=True)
        .exclude(stage="")
        .prefetch_related(lead_roles())
        .order_by(stage_order, "start_date", "title")[:FEATURED_CASES]
    )
    context = {
        "featured": featured,
        "positions": positions_with_counts(),
        "counts": {
            "cases": Intervention.objects.published().count(),
            "organisations": Organisation.objects.published().count(),
            "sources": Source.objects.published().count(),
        },
    }
    return render(request, "site/home.html", context)


def about(request):
    return render(request, "site/about.html")


@listing_params(SourceFilterSet)
def source_list(request):
    listing = Listing(
        request,
        SourceFilterSet,
        selectors.sources_for_bibliography(),
        Source.objects.published(),
        per_page=SOURCES_PER_PAGE,
        export_name="source_export",
    )
    context = listing.context(sources=listing.page.object_list)
    return render(request, "site/source_list.html", context, status=400 if listing.errors else 200)


def source_export(request, fmt):
    return export(
        request, SourceFilterSet, selectors.sources_for_listing(), fmt=fmt, filename="sources", columns=EXPORT_COLUMNS
    )


def source_detail(request, slug):
    source = get_object_or_404(selectors.sources_for_detail(), slug=slug)
    lists = service("reading_lists_to_add_to")(request.user)
    return render(request, "site/source_detail.html", {"source": source, "reading_lists": lists})


def place_list(request):
    return render(request, "site/place_list.html", {"places": selectors.places_for_listing()})


def place_detail(request, slug):
    place = get_object_or_404(selectors.places_for_detail(), slug=slug)
    return render(request, "site/place_detail.html", {"place": place})
