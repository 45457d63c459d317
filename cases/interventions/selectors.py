"""Reads for the case pages. Every related row passes the publication gate (cases/core/gate.py)."""

from cases.core.gate import PublishedPrefetch, is_published_state, related_rows, status_lookup
from cases.core.models import Place
from cases.core.selectors import source_authors, sourced
from cases.interventions.models import Event, Evidence, Figure, Intervention, Role, RoleKind


def lead_roles():
    # Checked by correlated EXISTS rather than joins: SQLite then starts from the roles of the listed cases (an
    # index lookup) instead of from every published organisation.
    return PublishedPrefetch(
        "roles",
        Role.objects.filter(kind=RoleKind.LEAD).select_related("organisation").order_by("organisation__name"),
        to_attr="lead_roles",
        exists=True,
    )


def published_places():
    return PublishedPrefetch("places", Place.objects.order_by("name"))


def interventions_for_listing():
    """The case list; InterventionFilterSet (cases/interventions/filters.py) narrows and sorts it."""
    return (
        Intervention.objects.published()
        .defer("narrative", "curator_note")  # long texts the list does not show
        .prefetch_related(published_places(), "issues", lead_roles())
        .order_by("start_date", "title_en_gb", "pk")
    )


EXPORT_FIELDS = [
    "slug",
    "title",
    "kind",
    "stage",
    "stage_by_archive",
    "outcome",
    "outcome_by_archive",
    "issues_by_archive",
    "tactics_by_archive",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "summary",
    "locator",
    "source__slug",
    status_lookup("source"),
]


def interventions_for_export():
    """The listed fields of a case (exports and API lists), without the long texts; `with_related_names` adds
    the related names."""
    return (
        Intervention.objects.published()
        .select_related("source")
        .only(*EXPORT_FIELDS)
        .order_by("start_date", "title_en_gb", "pk")
    )


def interventions_for_api_detail():
    """One case for the API: every field, its timeline and evidence; `attach_names` adds the related names."""
    return (
        Intervention.objects.published()
        .select_related("source")
        .prefetch_related(
            PublishedPrefetch("events", sourced(Event.objects.all()).order_by("date", "position")),
            PublishedPrefetch("evidence", sourced(Evidence.objects.all()).order_by("position")),
        )
    )


def with_related_names(queryset, chunk_size):
    """Stream the cases of `queryset`, each with `names`: its published roles, places, issues and tactics.

    `names["roles"]` holds `{"slug", "name", "role"}` dicts (by role, then name), `names["issues"]` and
    `names["tactics"]` `{"slug", "name", "is_archive_coding"}` dicts and `names["places"]` `{"slug", "name"}` dicts
    (by name), the values the case's declaration (cases/interventions/representation.py) gives out.

    The related names are read as plain values, four queries per chunk of cases, so an export of the whole
    archive costs a fixed number of queries per chunk and never builds thousands of related model objects.
    """
    chunk = []
    for case in queryset.iterator(chunk_size=chunk_size):
        chunk.append(case)
        if len(chunk) == chunk_size:
            yield from attach_names(chunk)
            chunk = []
    if chunk:
        yield from attach_names(chunk)


def attach_names(cases):
    """`with_related_names` for cases already read (an API page, one case): four queries, whatever the number."""
    ids = [case.pk for case in cases]
    through = Intervention.places.through, Intervention.issues.through, Intervention.tactics.through
    # The publication state of organisations and places is checked here rather than in SQL: SQLite without
    # table statistics would otherwise start from every published organisation instead of these cases.
    lookups = {
        "roles": Role.objects.filter(intervention_id__in=ids)
        .order_by("kind", "organisation__name")
        .values_list(
            "intervention_id", status_lookup("organisation"), "organisation__slug", "organisation__name", "kind"
        ),
        "places": through[0]
        .objects.filter(intervention_id__in=ids)
        .order_by("place__name")
        .values_list("intervention_id", status_lookup("place"), "place__slug", "place__name"),
        "issues": through[1]
        .objects.filter(intervention_id__in=ids)
        .order_by("issue__name")
        .values_list("intervention_id", "issue__slug", "issue__name"),
        "tactics": through[2]
        .objects.filter(intervention_id__in=ids)
        .order_by("tactic__name")
        .values_list("intervention_id", "tactic__slug", "tactic__name"),
    }
    names = {case.pk: {key: [] for key in lookups} for case in cases}
    for key, rows in lookups.items():
        for case_id, *values in rows:
            if key in ("roles", "places"):
                state, *values = values
                if not is_published_state(state):
                    continue
            link = {"slug": values[0], "name": values[1]}
            if key == "roles":
                link["role"] = values[2]
            names[case_id][key].append(link)
    for case in cases:
        case.names = names[case.pk]
        # Which issues and tactics the archive assigned without the source stating them (read with the case).
        for key, coded in (("issues", case.issues_by_archive), ("tactics", case.tactics_by_archive)):
            coded = set(coded or ())
            for link in case.names[key]:
                link["is_archive_coding"] = link["slug"] in coded
    return cases


def interventions_for_detail():
    return (
        Intervention.objects.published()
        .with_public_version()
        .select_related("source", "parent")
        .defer("source__text")  # long, and private to curators
        .prefetch_related(
            source_authors(),
            published_places(),
            "issues",
            "tactics",
            PublishedPrefetch("roles", sourced(Role.objects.all(), "organisation").order_by("organisation__name")),
            PublishedPrefetch("events", sourced(Event.objects.all(), "place").order_by("date", "position")),
            PublishedPrefetch("evidence", sourced(Evidence.objects.all()).order_by("position")),
            PublishedPrefetch("figures", sourced(Figure.objects.all()).order_by("position")),
            # Stances belong to the scholarship app above this one: reached by relation name, not imported.
            PublishedPrefetch(
                "stances",
                sourced(related_rows(Intervention, "stances"), "position").order_by(
                    "relation", "position__outlook", "position__rank"
                ),
            ),
            PublishedPrefetch("episodes", Intervention.objects.order_by("start_date", "title")),
        )
    )
