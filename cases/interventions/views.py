"""The case list and the case page."""

import re

from django.shortcuts import get_object_or_404, render

from cases.core.gate import public_or_none
from cases.core.pages import PER_PAGE, sources_with_locators
from cases.core.registry import service
from cases.find.exports import export
from cases.find.listing import Listing, listing_params
from cases.interventions import selectors
from cases.interventions.filters import EXPORT_COLUMNS, InterventionFilterSet
from cases.interventions.models import Intervention, RoleKind

QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


@listing_params(InterventionFilterSet)
def intervention_list(request):
    listing = Listing(
        request,
        InterventionFilterSet,
        selectors.interventions_for_listing(),
        Intervention.objects.published(),
        per_page=PER_PAGE,
        export_name="intervention_export",
    )
    context = listing.context(cases=listing.page.object_list)
    return render(request, "interventions/intervention_list.html", context, status=400 if listing.errors else 200)


def intervention_export(request, fmt):
    return export(
        request,
        InterventionFilterSet,
        selectors.interventions_for_export(),
        fmt=fmt,
        filename="cases",
        columns=EXPORT_COLUMNS,
        rows=selectors.with_related_names,
    )


def intervention_detail(request, slug):
    case = get_object_or_404(selectors.interventions_for_detail(), slug=slug)
    concepts = list(service("glossary")())
    roles = case.roles.all()
    stances = case.stances.all()
    context = {
        "case": case,
        "concepts": concepts,
        "stage_concept": _stage_concept(case, concepts),
        "role_groups": _grouped(roles, "kind", RoleKind),
        "stance_groups": _grouped(stances, "relation", _field_choices(Intervention, "stances", "relation")),
        "episodes": case.episodes.all(),
        "parent": public_or_none(case.parent),
        "sources": sources_with_locators(
            [case], roles, case.events.all(), case.evidence.all(), case.figures.all(), stances
        ),
        "questions": list(service("discussion_questions")(case)),
        "reading_lists": service("reading_lists_to_add_to")(request.user),
    }
    return render(request, "interventions/intervention_detail.html", context)


def _stage_concept(case, concepts):
    """The glossary entry for the case's movement-process stage, if one is published.

    A term may carry a qualifier to tell it from the everyday word: "Campaign (movement process)".
    """
    if not case.stage:
        return None
    label = QUALIFIER.sub("", case.get_stage_display()).casefold()
    for concept in concepts:
        terms = {QUALIFIER.sub("", term).casefold() for term in concept.match_terms}
        if concept.is_framework_stage and label in terms:
            return concept
    return None


def _field_choices(model, relation, field):
    """The choices of `field` on the rows of `relation` (a stance's relation to its case), read from the model so
    this app needs nothing from the app that keeps those rows."""
    return model._meta.get_field(relation).related_model._meta.get_field(field).choices


def _grouped(items, field, choices):
    """[(label, value, [items])] in the order the choices are declared, leaving out empty groups."""
    groups = []
    for value, label in choices.choices if hasattr(choices, "choices") else choices:
        members = [item for item in items if getattr(item, field) == value]
        if members:
            groups.append((label, value, members))
    return groups
