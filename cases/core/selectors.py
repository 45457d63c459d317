"""Reads for the public pages of sources and places.

Every query starts from `.published()`, and every Prefetch that reaches another curated model
filters it to published rows too, so a draft never shows up as a related link. Prefetches are
fixed in number, so a page costs the same number of queries however many rows it lists.
"""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower

from cases.core.models import Citation, Place, ResearchMethod, Source, SourceAuthor, Status

PUBLISHED = Status.PUBLISHED


def source_authors(path="source"):
    """Prefetch the ordered authors of the source at `path` (Source.author_label reads them)."""
    lookup = f"{path}__authorships" if path else "authorships"
    return Prefetch(lookup, queryset=SourceAuthor.objects.select_related("author"))


def sourced(queryset, *related):
    """Rows that cite a source: join the source (and `related`) and prefetch the source's authors."""
    return queryset.select_related("source", *related).prefetch_related(source_authors())


def sources_for_listing():
    """The bibliography: ordered by first author's family name, then year and title.

    Works without authors are shown as "Anonymous", so they are filed under that name.
    """
    first_author = (
        SourceAuthor.objects.filter(source=OuterRef("pk")).order_by("position").values("author__family_name")
    )
    return (
        Source.objects.published()
        .annotate(sort_name=Lower(Coalesce(Subquery(first_author[:1]), Value("Anonymous"))))
        .prefetch_related(source_authors(None))
        .order_by("sort_name", "year", "title", "pk")
    )


def sources_for_detail():
    from cases.interventions.models import Evidence, Intervention
    from cases.organisations.models import Organisation
    from cases.scholarship.models import Concept, Position

    return Source.objects.published().prefetch_related(
        source_authors(None),
        Prefetch("methods", queryset=ResearchMethod.objects.order_by("position")),
        Prefetch(
            "citations_made",
            queryset=Citation.objects.filter(cited__status=PUBLISHED)
            .select_related("cited")
            .prefetch_related(source_authors("cited"))
            .order_by("cited__year", "cited__title"),
        ),
        Prefetch(
            "citations_received",
            queryset=Citation.objects.filter(citing__status=PUBLISHED)
            .select_related("citing")
            .prefetch_related(source_authors("citing"))
            .order_by("citing__year", "citing__title"),
        ),
        Prefetch("organisations", queryset=Organisation.objects.published().order_by("name")),
        Prefetch("interventions", queryset=Intervention.objects.published().order_by("start_date", "title")),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(intervention__status=PUBLISHED)
            .select_related("intervention")
            .order_by("intervention__start_date", "intervention__title", "position"),
        ),
        Prefetch("positions", queryset=Position.objects.published().order_by("outlook", "rank", "title")),
        Prefetch("positions_reported", queryset=Position.objects.published().order_by("outlook", "rank", "title")),
        Prefetch("concepts", queryset=Concept.objects.published().order_by("term")),
    )


def places_for_listing():
    return (
        Place.objects.published()
        .annotate(case_count=Count("interventions", filter=Q(interventions__status=PUBLISHED), distinct=True))
        .order_by("kind", "name")
    )


def places_for_detail():
    from cases.interventions.models import Event, Intervention
    from cases.interventions.selectors import lead_roles

    return (
        Place.objects.published()
        .select_related("parent", "source")
        .prefetch_related(
            source_authors(),
            Prefetch("children", queryset=Place.objects.published().order_by("name")),
            Prefetch(
                "interventions",
                queryset=Intervention.objects.published()
                .order_by("start_date", "title")
                .prefetch_related(lead_roles()),
            ),
            Prefetch(
                "events",
                queryset=sourced(Event.objects.filter(intervention__status=PUBLISHED), "intervention").order_by(
                    "date", "position"
                ),
            ),
        )
    )
