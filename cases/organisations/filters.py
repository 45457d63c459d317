"""The organisation list's filters (`?kind=lngo&base=hong_kong&pseudonymous=yes`) and its export columns."""

from django.utils.translation import gettext_lazy as _

from cases.core.gate import published_count
from cases.find.filters import ChoicesFilter, FacetedFilterSet, SortFilter
from cases.organisations.models import Base, Organisation, OrgKind
from cases.organisations.representation import ORGANISATION


class OrganisationFilterSet(FacetedFilterSet):
    kind = ChoicesFilter(label=_("Kind"), choices=OrgKind.choices)
    base = ChoicesFilter(label=_("Based in"), choices=Base.choices)
    pseudonymous = ChoicesFilter(
        label=_("Name"),
        field_name="is_pseudonym",
        choices=[("yes", _("Pseudonym chosen by the author")), ("no", _("Name as given in the source"))],
        values={"yes": True, "no": False},
    )
    sort = SortFilter(
        label=_("Sort by"),
        orderings=[
            ("kind", _("Kind, then name"), ("kind", "name", "pk")),
            ("name", _("Name (A–Z)"), ("name", "pk")),
        ],
    )

    class Meta(FacetedFilterSet.Meta):
        model = Organisation
        fields = []


def with_case_counts(queryset):
    """How many published cases each organisation takes part in (one query with the rows)."""
    return queryset.annotate(case_count=published_count("roles__intervention"))


# The listed fields of the declaration (cases/organisations/representation.py), also the API's.
EXPORT_COLUMNS = ORGANISATION.columns
