"""What the API says about each published entry. Related entries are listed only when published."""

from rest_framework import serializers

from cases.core.gate import public_or_none
from cases.core.models import Source
from cases.interventions.models import Intervention
from cases.organisations.models import Organisation
from cases.scholarship.models import Outlook, Position


class PageUrlField(serializers.SerializerMethodField):
    """The entry's page on the site, as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(method_name="_page_url", **kwargs)


class LinkSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class RoleSerializer(serializers.Serializer):
    slug = serializers.SlugField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    role = serializers.CharField(source="kind")


class EventSerializer(serializers.Serializer):
    date = serializers.CharField(source="date_iso", help_text="ISO 8601 at the precision the source gives.")
    date_display = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    source = serializers.SerializerMethodField()
    locator = serializers.CharField()

    def get_source(self, obj) -> str | None:
        return public_slug(obj.source)


class EvidenceSerializer(serializers.Serializer):
    quotation = serializers.CharField()
    attribution = serializers.CharField()
    source = serializers.SerializerMethodField()
    locator = serializers.CharField()

    def get_source(self, obj) -> str | None:
        return public_slug(obj.source)


class BaseSerializer(serializers.ModelSerializer):
    url = PageUrlField()

    def _page_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class InterventionSerializer(BaseSerializer):
    start = serializers.CharField(source="start_iso", help_text="ISO 8601 at the precision the source gives.")
    end = serializers.CharField(source="end_iso", help_text="Empty when the sources do not say.")
    organisations = RoleSerializer(source="roles", many=True)
    places = LinkSerializer(many=True)
    issues = LinkSerializer(many=True)
    tactics = LinkSerializer(many=True)
    source = serializers.SerializerMethodField()

    class Meta:
        model = Intervention
        fields = [
            "slug",
            "title",
            "kind",
            "stage",
            "outcome",
            "start",
            "end",
            "summary",
            "organisations",
            "places",
            "issues",
            "tactics",
            "source",
            "locator",
            "url",
        ]

    def get_source(self, obj) -> str | None:
        return public_slug(obj.source)


class InterventionDetailSerializer(InterventionSerializer):
    events = EventSerializer(many=True)
    evidence = EvidenceSerializer(many=True)

    class Meta(InterventionSerializer.Meta):
        fields = [*InterventionSerializer.Meta.fields, "narrative", "stage_note", "outcome_note", "events", "evidence"]


class OrganisationSerializer(BaseSerializer):
    cases = serializers.IntegerField(source="case_count", help_text="Published cases it takes part in.")

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "short_name",
            "chinese_name",
            "kind",
            "base",
            "is_pseudonym",
            "is_unnamed",
            "cases",
            "url",
        ]


class OrganisationDetailSerializer(OrganisationSerializer):
    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "summary", "locator"]


class PositionSerializer(BaseSerializer):
    stance = serializers.SerializerMethodField()
    supporting_cases = serializers.IntegerField(source="supporting")
    challenging_cases = serializers.IntegerField(source="challenging")
    complicating_cases = serializers.IntegerField(source="complicating")
    source = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = [
            "slug",
            "title",
            "scholar",
            "stance",
            "claim",
            "key_quotation",
            "supporting_cases",
            "challenging_cases",
            "complicating_cases",
            "source",
            "cited_pages",
            "url",
        ]

    def get_stance(self, obj) -> str:
        return Outlook(obj.outlook).label.lower()

    def get_source(self, obj) -> str | None:
        return public_slug(obj.source)


class SourceSerializer(BaseSerializer):
    type = serializers.CharField(source="kind")
    authors = serializers.SerializerMethodField()
    source_url = serializers.URLField(source="url")

    class Meta:
        model = Source
        fields = [
            "slug",
            "type",
            "authors",
            "year",
            "title",
            "container_title",
            "editors",
            "publisher",
            "publisher_place",
            "volume",
            "issue",
            "pages",
            "doi",
            "source_url",
            "is_seed",
            "needs_checking",
            "url",
        ]

    def get_authors(self, obj) -> list[str]:
        return [author.display_name for author in obj.ordered_authors()]


def public_slug(entry):
    """The slug of a related entry the public may see, else None (never the slug of a draft)."""
    entry = public_or_none(entry)
    return entry.slug if entry else None
