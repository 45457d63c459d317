"""Read-only endpoints: each list takes the filters of its HTML page and is paginated."""

from functools import lru_cache

from django.shortcuts import render
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination

from cases.api import serializers
from cases.core.cache import query_params
from cases.interventions import selectors as case_selectors
from cases.interventions.filters import InterventionFilterSet
from cases.organisations.filters import OrganisationFilterSet
from cases.organisations.selectors import organisations_for_listing
from cases.scholarship.filters import PositionFilterSet
from cases.scholarship.selectors import positions_with_counts
from cases.site.filters import SourceFilterSet
from cases.site.selectors import sources_for_listing


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    filter_backends = [DjangoFilterBackend]
    pagination_class = Pagination
    detail_serializer_class = None

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        # What the page cache may key on: a list reads its filters and the page; `format` is DRF's override.
        if (actions or {}).get("get") == "list":
            view.page_cache_params = query_params("page", "page_size", "format", filterset=cls.filterset_class)
        else:
            view.page_cache_params = query_params("format")
        return view

    def rows(self, entries):
        """The listed entries as the declaration reads them (a hook to attach what is read per page)."""
        return entries

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else self.rows(list(page))

    def get_object(self):
        return self.rows([super().get_object()])[0]

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def filter_queryset(self, queryset):
        # The filters describe lists; a single entry is looked up by its slug alone.
        return queryset if self.action == "retrieve" else super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(summary="Published cases, filtered and paginated"),
    retrieve=extend_schema(summary="One published case, with its timeline and evidence"),
)
class InterventionViewSet(ReadOnly):
    serializer_class = serializers.InterventionSerializer
    detail_serializer_class = serializers.InterventionDetailSerializer
    filterset_class = InterventionFilterSet

    def get_queryset(self):
        if self.action == "retrieve":
            return case_selectors.interventions_for_api_detail()
        return case_selectors.interventions_for_export()

    def rows(self, entries):
        # The same related names as the export, read for the whole page in four queries.
        return case_selectors.attach_names(entries)


@extend_schema_view(
    list=extend_schema(summary="Published organisations, filtered and paginated"),
    retrieve=extend_schema(summary="One published organisation"),
)
class OrganisationViewSet(ReadOnly):
    serializer_class = serializers.OrganisationSerializer
    detail_serializer_class = serializers.OrganisationDetailSerializer
    filterset_class = OrganisationFilterSet

    def get_queryset(self):
        return organisations_for_listing()


@extend_schema_view(
    list=extend_schema(summary="Published scholarly positions, filtered and paginated"),
    retrieve=extend_schema(summary="One published position"),
)
class PositionViewSet(ReadOnly):
    serializer_class = serializers.PositionSerializer
    detail_serializer_class = serializers.PositionDetailSerializer
    filterset_class = PositionFilterSet

    def get_queryset(self):
        return positions_with_counts().select_related("source")


@extend_schema_view(
    list=extend_schema(summary="Published sources (the bibliography), filtered and paginated"),
    retrieve=extend_schema(summary="One published source"),
)
class SourceViewSet(ReadOnly):
    serializer_class = serializers.SourceSerializer
    filterset_class = SourceFilterSet

    def get_queryset(self):
        return sources_for_listing()


@lru_cache(maxsize=1)
def _schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def endpoints():
    """[(path, summary, [parameters])] for the GET operations of the schema, for the documentation page."""
    found = []
    for path, operations in _schema()["paths"].items():
        operation = operations.get("get")
        if operation:
            parameters = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "type": p.get("schema", {}).get("type", ""),
                    "choices": p.get("schema", {}).get("enum") or p.get("schema", {}).get("items", {}).get("enum"),
                    "description": p.get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            found.append({"path": path, "summary": operation.get("summary", ""), "parameters": parameters})
    return found


def docs(request):
    """The API's documentation as a plain page (no scripts): endpoints, their parameters, the schema link."""
    return render(request, "api/docs.html", {"endpoints": endpoints()})
