"""Reads for the timeline, network, map and comparison. Every curated row passes through published()."""

from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from cases.core.gate import PublishedPrefetch, published_count, published_q
from cases.core.models import Place, Source
from cases.core.selectors import sourced
from cases.interventions.models import Event, Intervention, Role, RoleKind
from cases.organisations.models import Organisation, OrganisationRelation, RelationKind

MAX_ROLES = 400
MAX_RELATIONS = 200


def cases_for_timeline():
    """The cases the timeline starts from; a FilterSet narrows them."""
    return Intervention.objects.published().order_by("start_date", "title_en_gb", "pk")


def events_of(cases):
    """The events of the given cases, in date order, with what each row shows."""
    return sourced(Event.objects.filter(intervention__in=cases.values("pk")), "intervention", "place").order_by(
        "date", "intervention__title", "position", "pk"
    )


def cases_with_events(cases, limit):
    """[(case, [its events in date order])] for the first `limit` of the cases, earliest first, in one query.

    A case with no dated event has nothing to place on the timeline, and is left out."""
    first = cases.order_by(F("start_date").asc(nulls_last=True), "title_en_gb", "pk").values("pk")[:limit]
    events = (
        Event.objects.filter(intervention__in=first)
        .select_related("intervention")
        .defer("intervention__narrative")
        .order_by(
            F("intervention__start_date").asc(nulls_last=True),
            "intervention__title",
            "intervention__pk",
            "date",
            "position",
        )
    )
    grouped = {}
    for event in events:
        grouped.setdefault(event.intervention.pk, (event.intervention, []))[1].append(event)
    return list(grouped.values())


# --- Network ----------------------------------------------------------------------------------------------

# How a role in a case links the case's lead organisation to another organisation, in the words of relations.
ROLE_RELATION = {
    RoleKind.PARTNER: RelationKind.PARTNER,
    RoleKind.ALLY: RelationKind.ALLY,
    RoleKind.TARGET: RelationKind.TARGET,
    RoleKind.FUNDER: RelationKind.FUNDER,
    RoleKind.AUTHORITY: RelationKind.CONNECTED,
    RoleKind.PARTICIPANT: RelationKind.CONNECTED,
}


@dataclass
class Link:
    """A row of the network table: a relation a source states, or one read from a case's roles."""

    subject: Organisation
    kind: str
    object: Organisation
    source: Source
    locator: str
    case: Intervention | None = None
    description: str = ""

    @property
    def label(self):
        return RelationKind(self.kind).label


def relation_links(kind="", case=None):
    relations = sourced(
        OrganisationRelation.objects.published(),
        "subject",
        "object",
    ).order_by("subject__name", "kind", "object__name")
    if kind:
        relations = relations.filter(kind=kind)
    if case is not None:
        involved = Role.objects.filter(intervention=case).values("organisation")
        relations = relations.filter(subject__in=involved, object__in=involved)
    return [Link(r.subject, r.kind, r.object, r.source, r.locator, description=r.description) for r in relations]


def case_roles(case=None):
    roles = sourced(
        Role.objects.published(),
        "organisation",
        "intervention",
    ).order_by("intervention__start_date", "intervention__title", "intervention__pk", "kind", "organisation__name")
    if case is not None:
        roles = roles.filter(intervention=case)
    return list(roles[:MAX_ROLES])


def role_links(roles, kind=""):
    """Links from each case's lead organisations to the others involved, as the case's roles say."""
    by_case = {}
    for role in roles:
        by_case.setdefault(role.intervention.pk, []).append(role)
    links = []
    for case_roles_ in by_case.values():
        leads = [r for r in case_roles_ if r.kind == RoleKind.LEAD]
        for lead in leads:
            for role in case_roles_:
                relation = ROLE_RELATION.get(role.kind)
                if relation is None or role.organisation.pk == lead.organisation.pk:
                    continue
                if kind and relation != kind:
                    continue
                subject, obj = (
                    (role.organisation, lead.organisation)
                    if relation == RelationKind.FUNDER
                    else (lead.organisation, role.organisation)
                )
                links.append(Link(subject, relation, obj, role.source, role.locator, case=role.intervention))
    return links


def network_cases():
    return Intervention.objects.published().only("slug", "title").order_by("title_en_gb", "pk")


# --- Map ----------------------------------------------------------------------------------------------------


def places_for_map():
    """Published places that have published cases, with how many."""
    return (
        Place.objects.published()
        .annotate(case_count=published_count("interventions"))
        .filter(case_count__gt=0)
        .order_by("name", "pk")
    )


def first_cases_by_place(places, limit):
    """{place pk: [its first `limit` published cases, earliest first]} in one query, however many cases there are."""
    through = Intervention.places.through
    rows = (
        through.objects.filter(published_q("intervention"), place__in=[place.pk for place in places])
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("place_id")],
                order_by=[F("intervention__start_date").asc(nulls_last=True), F("intervention__title"), F("pk")],
            )
        )
        .filter(rank__lte=limit)
        .select_related("intervention")
        .order_by("place_id", "rank")
    )
    cases = {}
    for row in rows:
        cases.setdefault(row.place_id, []).append(row.intervention)
    return cases


# --- Compare ------------------------------------------------------------------------------------------------


def cases_for_compare(slugs):
    """The chosen cases with everything a column shows, in the order they were chosen."""
    from cases.scholarship.models import Stance

    queryset = Intervention.objects.published().prefetch_related(
        PublishedPrefetch("places", Place.objects.order_by("name")),
        "issues",
        "tactics",
        PublishedPrefetch("roles", Role.objects.select_related("organisation").order_by("organisation__name")),
        PublishedPrefetch("events", Event.objects.order_by("date", "position")),
        PublishedPrefetch(
            "stances",
            Stance.objects.select_related("position").order_by("relation", "position__outlook", "position__rank"),
        ),
    )
    found = {case.slug: case for case in queryset.filter(slug__in=slugs)}
    return [found[slug] for slug in slugs if slug in found]


def compare_choices():
    return (
        Intervention.objects.published()
        .only("slug", "title", "start_date", "start_precision")
        .order_by("title_en_gb", "pk")
    )


def case_network(case, roles=None):
    """The network of one case, for a page that shows it: {"case", "links", "graph", "narrow_graph"}.

    `roles` are the case's published roles with their organisations and sources, as a case page prefetches them
    (`case.roles.all()`); without them they are read here. Then one query: the relations the sources state between
    the organisations involved. Offered to the case page as the service "case_network".
    """
    from cases.visual import network

    roles = list(case_roles(case) if roles is None else roles)
    involved = {role.organisation.pk for role in roles}
    relations = (
        OrganisationRelation.objects.published()
        .filter(subject__in=involved, object__in=involved)
        .select_related("subject", "object")
        .order_by("subject__name", "kind", "object__name")
        if involved
        else []
    )
    links = [Link(r.subject, r.kind, r.object, None, r.locator, description=r.description) for r in relations]
    links += role_links(roles)
    organisations = {role.organisation.pk: role.organisation for role in roles}
    return {
        "case": case,
        "links": links,
        "graph": network.layout(organisations.values(), links),
        "narrow_graph": network.narrow_layout(organisations.values(), links),
    }
