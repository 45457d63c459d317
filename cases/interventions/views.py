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
        "leads": [role.organisation for role in roles if role.kind == RoleKind.LEAD],
        "role_groups": [_compact_group(*group) for group in _grouped(roles, "kind", RoleKind)],
        "stance_groups": [
            (label, relation, _quotations(members))
            for label, relation, members in _grouped(
                stances, "relation", _field_choices(Intervention, "stances", "relation")
            )
        ],
        # The same drawing as /network/?case=<slug>, made by the visual app (above this one) from the roles read here.
        "case_network": service("case_network")(case, roles),
        "episodes": case.episodes.all(),
        "parent": public_or_none(case.parent),
        "sources": sources_with_locators(
            [case], roles, case.events.all(), case.evidence.all(), case.figures.all(), stances
        ),
        "questions": list(service("discussion_questions")(case)),
        "reading_lists": service("reading_lists_to_add_to")(request.user),
    }
    return render(request, "interventions/intervention_detail.html", context)


# Headings of the groups of organisations when a group has more than one.
ROLE_PLURALS = {RoleKind.ALLY: "Allies", RoleKind.AUTHORITY: "Authorities"}


def _compact_group(label, kind, roles):
    """One role's organisations, compactly: organisations with the same note are named together and the note said
    once; a source that every organisation of the group (or of one note) rests on is given once.

    Returns {"label", "kind", "roles", "clusters": [{"note", "roles", "source", "locator", "each"}], "source",
    "locator"}: `source` is set on the group or on a cluster when shared there; `each` when every role names its own.
    """
    clusters = {}
    for role in roles:
        clusters.setdefault(role.note.strip(), []).append(role)
    group_source = _shared_source(roles)
    return {
        "label": label if len(roles) == 1 else ROLE_PLURALS.get(kind, f"{label}s"),
        "kind": kind,
        "roles": roles,
        "clusters": [_cluster(note, members, group_source) for note, members in clusters.items()],
        "source": group_source and group_source[0],
        "locator": group_source and group_source[1],
    }


def _cluster(note, roles, group_source):
    source = None if group_source else _shared_source(roles)
    return {
        "note": note,
        "roles": roles,
        "source": source and source[0],
        "locator": source and source[1],
        "each": not group_source and not source,
    }


def _shared_source(roles):
    """(source, locator) when every role rests on the same place of the same source, else None."""
    if len({(role.source_id, role.locator) for role in roles}) == 1:
        return roles[0].source, roles[0].locator
    return None


def _quotations(stances):
    """The stances of one relation, one entry per quotation: a sentence cited for several positions (Chan's and
    Xu Yi's, say) is shown once, with every position it is cited for.

    Returns [{"sentence", "source", "locator", "row", "stances"}] in the order the stances come; `row` is the first
    stance, whose quotation check the page shows.
    """
    quotations = {}
    for stance in stances:
        key = (stance.sentence.strip(), stance.source_id, stance.locator)
        if key not in quotations:
            quotations[key] = {
                "sentence": stance.sentence,
                "source": stance.source,
                "locator": stance.locator,
                "row": stance,
                "stances": [],
            }
        quotations[key]["stances"].append(stance)
    return list(quotations.values())


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
