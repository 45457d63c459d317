"""The organisations: a list grouped by kind, and each organisation's page."""

from django.shortcuts import get_object_or_404, render

from cases.core.gate import public_or_none
from cases.core.pages import sources_with_locators
from cases.core.registry import service
from cases.find.exports import export
from cases.find.listing import Listing, listing_params
from cases.organisations import selectors
from cases.organisations.filters import EXPORT_COLUMNS, OrganisationFilterSet
from cases.organisations.models import Organisation

PER_PAGE = 100


@listing_params(OrganisationFilterSet)
def organisation_list(request):
    listing = Listing(
        request,
        OrganisationFilterSet,
        selectors.organisations_for_listing(),
        Organisation.objects.published(),
        per_page=PER_PAGE,
        export_name="organisation_export",
    )
    context = listing.context(organisations=listing.page.object_list)
    return render(request, "organisations/organisation_list.html", context, status=400 if listing.errors else 200)


def organisation_export(request, fmt):
    return export(
        request,
        OrganisationFilterSet,
        selectors.organisations_for_listing(),
        fmt=fmt,
        filename="organisations",
        columns=EXPORT_COLUMNS,
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(selectors.organisations_for_detail(), slug=slug)
    relations_out = organisation.relations_out.all()
    relations_in = organisation.relations_in.all()
    roles = organisation.roles.all()
    context = {
        "organisation": organisation,
        "relations_out": relations_out,
        "relations_in": relations_in,
        "roles": roles,
        "base_place": public_or_none(organisation.base_place),
        "sources": sources_with_locators([organisation], relations_out, relations_in, roles),
        "reading_lists": service("reading_lists_to_add_to")(request.user),
    }
    return render(request, "organisations/organisation_detail.html", context)
