"""The bibliography's filters (`?type=article&year_from=2015`) and its export columns."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from cases.core.models import Source, SourceKind
from cases.find.filters import ChoicesFilter, FacetedFilterSet, SortFilter, YearFilter
from cases.site.representation import SOURCE


class SourceFilterSet(FacetedFilterSet):
    type = ChoicesFilter(label=_("Type"), field_name="kind", choices=SourceKind.choices)
    seed = ChoicesFilter(
        label=_("Role in the archive"),
        field_name="is_seed",
        choices=[("yes", _("Texts the archive was built from")), ("no", _("Works those texts cite"))],
        values={"yes": True, "no": False},
    )
    year_from = YearFilter(label=_("From year"), field_name="year", lookup_expr="gte")
    year_to = YearFilter(label=_("To year"), field_name="year", lookup_expr="lte")
    # `sort_name` (first author's family name) is annotated by the bibliography's selector.
    sort = SortFilter(
        label=_("Sort by"),
        orderings=[
            ("author", _("Author, then year"), ("sort_name", "year", "title", "pk")),
            ("year", _("Oldest first"), (F("year").asc(nulls_last=True), "sort_name", "title", "pk")),
            ("latest", _("Newest first"), (F("year").desc(nulls_last=True), "sort_name", "title", "pk")),
            ("title", _("Title (A–Z)"), ("title", "pk")),
        ],
    )

    class Meta(FacetedFilterSet.Meta):
        model = Source
        fields = []


# The listed fields of the declaration (cases/site/representation.py), also the API's.
EXPORT_COLUMNS = SOURCE.columns
