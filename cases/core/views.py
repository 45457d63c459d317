"""Home, about, the bibliography, places, and the designed error pages."""

import logging

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader

from cases.core import selectors
from cases.core.filters import EXPORT_COLUMNS, SourceFilterSet
from cases.core.models import Source
from cases.find.exports import export
from cases.find.listing import Listing
from cases.interventions.models import Intervention
from cases.interventions.selectors import lead_roles
from cases.organisations.models import Organisation
from cases.scholarship.selectors import positions_with_counts
from cases.teaching.selectors import lists_to_add_to

logger = logging.getLogger(__name__)

FEATURED_CASES = 3
SOURCES_PER_PAGE = 100


def home(request):
    # Where to start: the earliest top-level cases an author places in the movement-process framework
    # (in the seed data, Pringle's HKA, HKB and HKC cases). Chosen by data, so no slug is assumed to exist.
    featured = (
        Intervention.objects.published()
        .filter(parent__isnull=True)
        .exclude(stage="")
        .prefetch_related(lead_roles())
        .order_by("start_date", "title")[:FEATURED_CASES]
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
    return render(request, "core/home.html", context)


def about(request):
    return render(request, "core/about.html")


def source_list(request):
    listing = Listing(
        request,
        SourceFilterSet,
        selectors.sources_for_listing(),
        Source.objects.published(),
        per_page=SOURCES_PER_PAGE,
        export_name="source_export",
    )
    context = listing.context(sources=listing.page.object_list)
    return render(request, "core/source_list.html", context, status=400 if listing.errors else 200)


def source_export(request, fmt):
    return export(
        request, SourceFilterSet, selectors.sources_for_listing(), fmt=fmt, filename="sources", columns=EXPORT_COLUMNS
    )


def source_detail(request, slug):
    source = get_object_or_404(selectors.sources_for_detail(), slug=slug)
    lists = lists_to_add_to(request.user)
    return render(request, "core/source_detail.html", {"source": source, "reading_lists": lists})


def place_list(request):
    return render(request, "core/place_list.html", {"places": selectors.places_for_listing()})


def place_detail(request, slug):
    place = get_object_or_404(selectors.places_for_detail(), slug=slug)
    return render(request, "core/place_detail.html", {"place": place})


def page_not_found(request, exception):
    # The designed page says only that nothing is published here: never whether a draft exists.
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request):
    try:
        body = loader.render_to_string("500.html", request=request)
    except Exception:  # the error page must answer even when templates or the database fail
        logger.exception("500 page failed to render")
        body = "<!doctype html><title>Server error</title><h1>Something went wrong</h1>"
    return HttpResponseServerError(body)
