"""Reads for the public pages of sources and places.

Every query passes the publication gate: `.published()` for the entries, `PublishedPrefetch` for what a page lists
beside them, so a draft never shows up as a related link. Prefetches are fixed in number, so a page costs the same
number of queries however many rows it lists.
"""

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Lower

from cases.core.gate import PublishedPrefetch, published_count
from cases.core.models import Citation, Place, ResearchMethod, Source, SourceAuthor
from cases.core.selectors import source_authors, sourced
from cases.interventions.models import Event, Evidence, Intervention
from cases.interventions.selectors import lead_roles
from cases.organisations.models import Organisation
from cases.scholarship.models import Concept, Position


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


def sources_for_bibliography():
    """The bibliography page: the listing, with where each work known through a citation is cited."""
    return sources_for_listing().prefetch_related(_cited_in())


def _cited_in():
    """The published texts citing a work, with where: how a work known only through them is cited."""
    return PublishedPrefetch(
        "citations_received",
        Citation.objects.select_related("citing")
        .prefetch_related(source_authors("citing"))
        .order_by("citing__year", "citing__title"),
    )


def sources_for_detail():
    return (
        Source.objects.published()
        .with_public_version()
        .prefetch_related(
            source_authors(None),
            PublishedPrefetch("methods", ResearchMethod.objects.order_by("position")),
            PublishedPrefetch(
                "citations_made",
                Citation.objects.select_related("cited")
                .prefetch_related(source_authors("cited"))
                .order_by("cited__year", "cited__title"),
            ),
            _cited_in(),
            PublishedPrefetch("organisations", Organisation.objects.order_by("name")),
            PublishedPrefetch("interventions", Intervention.objects.order_by("start_date", "title")),
            PublishedPrefetch(
                "evidence",
                Evidence.objects.select_related("intervention").order_by(
                    "intervention__start_date", "intervention__title", "position"
                ),
            ),
            PublishedPrefetch("positions", Position.objects.order_by("outlook", "rank", "title")),
            PublishedPrefetch("positions_reported", Position.objects.order_by("outlook", "rank", "title")),
            PublishedPrefetch("concepts", Concept.objects.order_by("term")),
        )
    )


def places_for_listing():
    return Place.objects.published().annotate(case_count=published_count("interventions")).order_by("kind", "name")


def places_for_detail():
    return (
        Place.objects.published()
        .with_public_version()
        .select_related("parent", "source")
        .prefetch_related(
            source_authors(),
            PublishedPrefetch("children", Place.objects.order_by("name")),
            PublishedPrefetch(
                "interventions",
                Intervention.objects.order_by("start_date", "title").prefetch_related(lead_roles()),
            ),
            PublishedPrefetch("events", sourced(Event.objects.all(), "intervention").order_by("date", "position")),
        )
    )
