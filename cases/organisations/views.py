"""The organisations: a list grouped by kind, and each organisation's page."""

from django.shortcuts import get_object_or_404, render

from cases.core.pages import sources_with_locators
from cases.organisations import selectors


def organisation_list(request):
    return render(
        request, "organisations/organisation_list.html", {"organisations": selectors.organisations_for_listing()}
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
        "base_place": organisation.base_place
        if organisation.base_place and organisation.base_place.is_published
        else None,
        "sources": sources_with_locators([organisation], relations_out, relations_in, roles),
    }
    return render(request, "organisations/organisation_detail.html", context)
