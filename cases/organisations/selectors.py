"""Reads for the organisation pages. Related organisations and cases are filtered to published ones."""

from django.db.models import Prefetch

from cases.core.models import Status
from cases.core.selectors import source_authors
from cases.organisations.models import Organisation, OrganisationRelation

PUBLISHED = Status.PUBLISHED


def organisations_for_listing():
    return Organisation.objects.published().order_by("kind", "name")


def organisations_for_detail():
    from cases.interventions.models import Role

    return (
        Organisation.objects.published()
        .select_related("base_place", "source")
        .prefetch_related(
            source_authors(),
            Prefetch(
                "relations_out",
                queryset=OrganisationRelation.objects.filter(object__status=PUBLISHED)
                .select_related("object", "source")
                .prefetch_related(source_authors())
                .order_by("kind", "object__name"),
            ),
            Prefetch(
                "relations_in",
                queryset=OrganisationRelation.objects.filter(subject__status=PUBLISHED)
                .select_related("subject", "source")
                .prefetch_related(source_authors())
                .order_by("kind", "subject__name"),
            ),
            Prefetch(
                "roles",
                queryset=Role.objects.filter(intervention__status=PUBLISHED)
                .select_related("intervention", "source")
                .prefetch_related(source_authors())
                .order_by("intervention__start_date", "intervention__title", "kind"),
            ),
        )
    )
