"""The debate's filters (`?scholar=lee-ching-kwan&stance=critical&year_from=2010`) and its export columns."""

from django.utils.translation import gettext_lazy as _

from cases.core.models import Author
from cases.find.filters import ChoicesFilter, FacetedFilterSet, RelatedFilter, SortFilter, YearFilter
from cases.scholarship.models import Outlook, Position
from cases.scholarship.representation import POSITION

# `?stance=critical` in every language: the slug is the member's name, the label is translated where it is shown.
STANCES = [(outlook.name.lower(), outlook.label) for outlook in Outlook]


def author_label(family_name, given_names):
    return f"{family_name}, {given_names}" if given_names else family_name


class PositionFilterSet(FacetedFilterSet):
    scholar = RelatedFilter(
        label=_("Scholar"),
        model=Author,
        path="source__authors",
        label_fields=("family_name", "given_names"),
        formatter=author_label,
    )
    stance = ChoicesFilter(
        label=_("Stance"),
        field_name="outlook",
        choices=STANCES,
        values={outlook.name.lower(): outlook.value for outlook in Outlook},
    )
    year_from = YearFilter(label=_("From year"), field_name="source__year", lookup_expr="gte")
    year_to = YearFilter(label=_("To year"), field_name="source__year", lookup_expr="lte")
    sort = SortFilter(
        label=_("Sort by"),
        orderings=[
            ("spectrum", _("From critical to optimistic"), ("outlook", "rank", "title", "pk")),
            ("scholar", _("Scholar (A–Z)"), ("scholar", "title", "pk")),
            ("year", _("Year of the work"), ("source__year", "outlook", "rank", "pk")),
        ],
    )

    class Meta(FacetedFilterSet.Meta):
        model = Position
        fields = []


# The listed fields of the declaration (cases/scholarship/representation.py), also the API's.
EXPORT_COLUMNS = POSITION.columns
