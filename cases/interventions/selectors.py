"""Reads for the case pages. Every related curated row is filtered to published ones."""

from django.db.models import Prefetch

from cases.core.models import Place, Status
from cases.core.selectors import source_authors, sourced
from cases.interventions.models import Event, Evidence, Figure, Intervention, Role, RoleKind

PUBLISHED = Status.PUBLISHED


def lead_roles():
    return Prefetch(
        "roles",
        queryset=Role.objects.filter(kind=RoleKind.LEAD, organisation__status=PUBLISHED)
        .select_related("organisation")
        .order_by("organisation__name"),
        to_attr="lead_roles",
    )


def published_places():
    return Prefetch("places", queryset=Place.objects.published().order_by("name"))


def interventions_for_listing():
    """The case list; InterventionFilterSet (cases/interventions/filters.py) narrows and sorts it."""
    return (
        Intervention.objects.published()
        .prefetch_related(published_places(), "issues", lead_roles())
        .order_by("start_date", "title", "pk")
    )


def interventions_for_export():
    """The case list's rows for CSV and JSON: every related name in a fixed number of queries per chunk."""
    return (
        Intervention.objects.published()
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=Role.objects.filter(organisation__status=PUBLISHED)
                .select_related("organisation")
                .order_by("kind", "organisation__name"),
            ),
            published_places(),
            "issues",
            "tactics",
        )
        .order_by("start_date", "title", "pk")
    )


def interventions_for_detail():
    from cases.scholarship.models import Stance

    return (
        Intervention.objects.published()
        .select_related("source", "parent")
        .prefetch_related(
            source_authors(),
            published_places(),
            "issues",
            "tactics",
            Prefetch(
                "roles",
                queryset=sourced(Role.objects.filter(organisation__status=PUBLISHED), "organisation").order_by(
                    "organisation__name"
                ),
            ),
            Prefetch("events", queryset=sourced(Event.objects.all(), "place").order_by("date", "position")),
            Prefetch("evidence", queryset=sourced(Evidence.objects.all()).order_by("position")),
            Prefetch("figures", queryset=sourced(Figure.objects.all()).order_by("position")),
            Prefetch(
                "stances",
                queryset=sourced(Stance.objects.filter(position__status=PUBLISHED), "position").order_by(
                    "relation", "position__outlook", "position__rank"
                ),
            ),
            Prefetch("episodes", queryset=Intervention.objects.published().order_by("start_date", "title")),
        )
    )
