"""The bibliography's filters (`?type=article&year_from=2015`) and its export columns."""

from django.db.models import F

from cases.core.models import Source, SourceKind
from cases.find.exports import absolute_url
from cases.find.filters import ChoicesFilter, FacetedFilterSet, SortFilter, YearFilter


class SourceFilterSet(FacetedFilterSet):
    type = ChoicesFilter(label="Type", field_name="kind", choices=SourceKind.choices)
    seed = ChoicesFilter(
        label="Role in the archive",
        field_name="is_seed",
        choices=[("yes", "Texts the archive was built from"), ("no", "Works those texts cite")],
        values={"yes": True, "no": False},
    )
    year_from = YearFilter(label="From year", field_name="year", lookup_expr="gte")
    year_to = YearFilter(label="To year", field_name="year", lookup_expr="lte")
    # `sort_name` (first author's family name) is annotated by the bibliography's selector.
    sort = SortFilter(
        label="Sort by",
        orderings=[
            ("author", "Author, then year", ("sort_name", "year", "title", "pk")),
            ("year", "Oldest first", (F("year").asc(nulls_last=True), "sort_name", "title", "pk")),
            ("latest", "Newest first", (F("year").desc(nulls_last=True), "sort_name", "title", "pk")),
            ("title", "Title (A–Z)", ("title", "pk")),
        ],
    )

    class Meta(FacetedFilterSet.Meta):
        model = Source
        fields = []


def _authors(source, request):
    return [author.display_name for author in source.ordered_authors()]


EXPORT_COLUMNS = [
    ("slug", lambda s, request: s.slug),
    ("type", lambda s, request: s.kind),
    ("authors", _authors),
    ("year", lambda s, request: s.year),
    ("title", lambda s, request: s.title),
    ("container_title", lambda s, request: s.container_title or None),
    ("editors", lambda s, request: s.editors or None),
    ("publisher", lambda s, request: s.publisher or None),
    ("volume", lambda s, request: s.volume or None),
    ("issue", lambda s, request: s.issue or None),
    ("pages", lambda s, request: s.pages or None),
    ("doi", lambda s, request: s.doi or None),
    ("source_url", lambda s, request: s.url or None),
    ("seed", lambda s, request: s.is_seed),
    ("needs_checking", lambda s, request: s.needs_checking),
    ("url", absolute_url),
]
