"""The case list's filters (`?organisation=hkc&stage=campaign&year_from=2010`) and its export columns."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from cases.core.models import Place, Source
from cases.find.filters import (
    ChoicesFilter,
    FacetedFilterSet,
    RelatedFilter,
    SortFilter,
    YearFilter,
    year_end,
    year_start,
)
from cases.interventions.models import Intervention, Issue, Kind, Outcome, RoleKind, Stage, Tactic
from cases.interventions.representation import CASE
from cases.organisations.models import Organisation


def source_label(short_title, title, year):
    return f"{short_title or title} ({year or 'n.d.'})"


class InterventionFilterSet(FacetedFilterSet):
    # Readers look for the organisations that led cases: those first (by the cases they led), then by the cases
    # they took part in, named organisations before unnamed groups, then by name.
    organisation = RelatedFilter(
        label=_("Organisation"),
        model=Organisation,
        path="roles__organisation",
        weigh=(Count("pk", filter=Q(roles__kind=RoleKind.LEAD), distinct=True),),
        then=("is_unnamed",),
    )
    kind = ChoicesFilter(label=_("Kind of intervention"), choices=Kind.choices)
    stage = ChoicesFilter(label=_("Movement-process stage"), choices=Stage.choices)
    place = RelatedFilter(label=_("Place"), model=Place, path="places")
    issue = RelatedFilter(label=_("Issue"), model=Issue, path="issues")
    tactic = RelatedFilter(label=_("Tactic"), model=Tactic, path="tactics")
    outcome = ChoicesFilter(label=_("Outcome"), choices=Outcome.choices)
    source = RelatedFilter(
        label=_("Source"),
        model=Source,
        path="source",
        label_fields=("short_title", "title", "year"),
        formatter=source_label,
    )
    year_from = YearFilter(label=_("From year"), method="filter_year_from")
    year_to = YearFilter(label=_("To year"), method="filter_year_to")
    sort = SortFilter(
        label=_("Sort by"),
        orderings=[
            ("earliest", _("Earliest first"), ("start_date", "title", "pk")),
            ("latest", _("Latest first"), (F("start_date").desc(nulls_last=True), "title", "pk")),
            ("title", _("Title (A–Z)"), ("title", "pk")),
        ],
    )

    class Meta(FacetedFilterSet.Meta):
        model = Intervention
        fields = []

    # A case matches a range of years when its period overlaps it; a case without an end date
    # is taken to end in the year it began, and a case without dates matches no range.
    def filter_year_from(self, queryset, name, value):
        start = year_start(value)
        return queryset.filter(Q(end_date__gte=start) | Q(end_date__isnull=True, start_date__gte=start))

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(start_date__lte=year_end(value))


# The listed fields of the declaration (cases/interventions/representation.py), also the API's.
EXPORT_COLUMNS = CASE.columns
