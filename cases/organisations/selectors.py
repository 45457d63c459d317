"""Reads for the organisation pages. Related organisations and cases are filtered to published ones."""

from django.db.models import Prefetch

from cases.core.models import Status
from cases.core.selectors import source_authors, sourced
from cases.organisations.models import Organisation, OrganisationRelation

PUBLISHED = Status.PUBLISHED


def organisations_for_listing():
    """The organisation list (OrganisationFilterSet narrows and sorts it), with each one's number of cases."""
    from cases.organisations.filters import with_case_counts

    return with_case_counts(Organisation.objects.published()).order_by("kind", "name", "pk")


def organisations_for_detail():
    from cases.interventions.models import Role

    return (
        Organisation.objects.published()
        .select_related("base_place", "source")
        .prefetch_related(
            source_authors(),
            Prefetch(
                "relations_out",
                queryset=sourced(OrganisationRelation.objects.filter(object__status=PUBLISHED), "object").order_by(
                    "kind", "object__name"
                ),
            ),
            Prefetch(
                "relations_in",
                queryset=sourced(OrganisationRelation.objects.filter(subject__status=PUBLISHED), "subject").order_by(
                    "kind", "subject__name"
                ),
            ),
            Prefetch(
                "roles",
                queryset=sourced(Role.objects.filter(intervention__status=PUBLISHED), "intervention").order_by(
                    "intervention__start_date", "intervention__title", "kind"
                ),
            ),
        )
    )
