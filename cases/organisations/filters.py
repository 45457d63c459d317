"""The organisation list's filters (`?kind=lngo&base=hong_kong&pseudonymous=yes`) and its export columns."""

from cases.core.gate import published_count
from cases.find.exports import absolute_url
from cases.find.filters import ChoicesFilter, FacetedFilterSet, SortFilter
from cases.organisations.models import Base, Organisation, OrgKind


class OrganisationFilterSet(FacetedFilterSet):
    kind = ChoicesFilter(label="Kind", choices=OrgKind.choices)
    base = ChoicesFilter(label="Based in", choices=Base.choices)
    pseudonymous = ChoicesFilter(
        label="Name",
        field_name="is_pseudonym",
        choices=[("yes", "Pseudonym chosen by the author"), ("no", "Name as given in the source")],
        values={"yes": True, "no": False},
    )
    sort = SortFilter(
        label="Sort by",
        orderings=[
            ("kind", "Kind, then name", ("kind", "name", "pk")),
            ("name", "Name (A–Z)", ("name", "pk")),
        ],
    )

    class Meta(FacetedFilterSet.Meta):
        model = Organisation
        fields = []


def with_case_counts(queryset):
    """How many published cases each organisation takes part in (one query with the rows)."""
    return queryset.annotate(case_count=published_count("roles__intervention"))


EXPORT_COLUMNS = [
    ("slug", lambda org, request: org.slug),
    ("name", lambda org, request: org.name),
    ("short_name", lambda org, request: org.short_name or None),
    ("chinese_name", lambda org, request: org.chinese_name or None),
    ("kind", lambda org, request: org.kind),
    ("base", lambda org, request: org.base),
    ("pseudonym", lambda org, request: org.is_pseudonym),
    ("unnamed_in_source", lambda org, request: org.is_unnamed),
    ("cases", lambda org, request: org.case_count),
    ("url", absolute_url),
]
