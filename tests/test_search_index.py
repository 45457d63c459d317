"""The search index stays in step with the content: saves, deletes, relations, renames, rebuilds, loading."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from cases.core.models import Source, Status
from cases.interventions.models import Event, Evidence, Intervention
from cases.organisations.models import Organisation
from cases.scholarship.models import Concept, Position
from cases.search.engine import search
from cases.search.models import SearchEntry, SearchTerm
from cases.search.query import parse
from tests.factories import (
    AuthorFactory,
    EventFactory,
    EvidenceFactory,
    InterventionFactory,
    IssueFactory,
    OrganisationFactory,
    RoleFactory,
    SourceAuthorFactory,
    SourceFactory,
)


def found(text, kind="case"):
    return [hit.url for group in search(parse(text)).groups if group.kind == kind for hit in group.hits]


def test_a_renamed_case_is_found_by_its_new_title_only():
    case = InterventionFactory(title="Pangolin campaign")
    case.title = "Armadillo campaign"
    case.save()
    assert found("armadillo") == [case.get_absolute_url()]
    assert found("pangolin") == []
    assert not SearchTerm.objects.filter(word="pangolin").exists()


def test_relations_of_a_case_are_searchable_and_kept_in_step():
    case = InterventionFactory(title="A case")
    issue = IssueFactory(name="Silicosis")
    case.issues.add(issue)
    assert found("silicosis") == [case.get_absolute_url()]
    issue.name = "Pneumoconiosis"
    issue.save()
    assert found("pneumoconiosis") == [case.get_absolute_url()]
    case.issues.clear()
    assert found("pneumoconiosis") == []

    org = OrganisationFactory(name="Tapir Workers Centre")
    role = RoleFactory(intervention=case, organisation=org)
    assert found("tapir") == [case.get_absolute_url()]
    org.name = "Tamarin Workers Centre"
    org.save()
    assert found("tamarin") == [case.get_absolute_url()]
    role.delete()
    assert found("tamarin") == []


def test_a_source_is_found_by_its_authors():
    source = SourceFactory(title="Labour in the delta")
    SourceAuthorFactory(source=source, author=AuthorFactory(family_name="Pringle", given_names="Tim"), position=1)
    assert found("pringle", kind="source") == [source.get_absolute_url()]


def test_parts_of_a_case_follow_its_status():
    case = InterventionFactory(title="Gecko campaign", status="draft")
    EventFactory(intervention=case, title="Gecko event")
    EvidenceFactory(intervention=case, quotation="A gecko quotation.")
    assert not SearchEntry.objects.filter(title__icontains="gecko").exists()
    case.status = "published"
    case.save()
    assert SearchEntry.objects.filter(title__icontains="gecko").count() == 3


def test_rebuild_indexes_exactly_the_published_entries():
    published = InterventionFactory(title="Iguana case")
    EventFactory(intervention=published)
    EvidenceFactory(intervention=InterventionFactory(status="review"))
    OrganisationFactory(status="withdrawn")
    SearchEntry.objects.all().delete()
    SearchTerm.objects.all().delete()

    call_command("rebuild_search_index", verbosity=0)

    expected = (
        Intervention.objects.published().count()
        + Organisation.objects.published().count()
        + Position.objects.published().count()
        + Source.objects.published().count()
        + Concept.objects.published().count()
        + Evidence.objects.filter(intervention__status=Status.PUBLISHED).count()
        + Event.objects.filter(intervention__status=Status.PUBLISHED).count()
    )
    assert SearchEntry.objects.count() == expected
    assert found("iguana") == [published.get_absolute_url()]
    assert SearchTerm.objects.get(word="iguana").entries == 1


@pytest.mark.usefixtures("canonical_archive")  # `load_archive` once for the whole class
class TestLoadArchive:
    @pytest.mark.parametrize("term", ["cadmium", "Franceschni", "cadmuim", '"minimum wage"', "HKC"])
    def test_load_archive_leaves_a_complete_index(self, client, term):
        published = sum(
            model.objects.published().count() for model in (Intervention, Organisation, Position, Source, Concept)
        )
        parts = Event.objects.filter(intervention__status=Status.PUBLISHED).count()
        parts += Evidence.objects.filter(intervention__status=Status.PUBLISHED).count()
        assert SearchEntry.objects.count() == published + parts
        cache.clear()
        response = client.get(reverse("search"), {"q": term})
        assert response.status_code == 200
        assert response.context["results"].total > 0
