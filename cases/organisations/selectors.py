"""Reads for the organisation pages. Related organisations and cases pass the publication gate."""

from cases.core.gate import PublishedPrefetch, related_rows
from cases.core.selectors import source_authors, sourced
from cases.organisations.models import Organisation, OrganisationRelation


def organisations_for_listing():
    """The organisation list (OrganisationFilterSet narrows and sorts it), with each one's number of cases."""
    from cases.organisations.filters import with_case_counts

    return with_case_counts(Organisation.objects.published()).order_by("kind", "name", "pk")


def organisations_for_detail():
    return (
        Organisation.objects.published()
        .with_public_version()
        .select_related("base_place", "source")
        .prefetch_related(
            source_authors(),
            PublishedPrefetch(
                "relations_out", sourced(OrganisationRelation.objects.all(), "object").order_by("kind", "object__name")
            ),
            PublishedPrefetch(
                "relations_in",
                sourced(OrganisationRelation.objects.all(), "subject").order_by("kind", "subject__name"),
            ),
            # Roles belong to the cases of the app above this one: reached by relation name, not imported.
            PublishedPrefetch(
                "roles",
                sourced(related_rows(Organisation, "roles"), "intervention").order_by(
                    "intervention__start_date", "intervention__title", "kind"
                ),
            ),
        )
    )
