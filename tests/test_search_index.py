"""The search index stays in step with the content: saves, deletes, relations, renames, rebuilds, loading."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from cases.core.models import Place, Source, Status
from cases.interventions.models import Event, Evidence, Intervention
from cases.organisations.models import Organisation
from cases.scholarship.models import Concept, Position
from cases.search import index, signals
from cases.search.engine import search
from cases.search.models import SearchEntry, SearchTerm
from cases.search.query import parse
from tests.factories import (
    AuthorFactory,
    ConceptFactory,
    EventFactory,
    EvidenceFactory,
    InterventionFactory,
    IssueFactory,
    OrganisationFactory,
    PlaceFactory,
    RoleFactory,
    SourceAuthorFactory,
    SourceFactory,
)

# The index is written when a transaction commits: these tests commit their writes as a site would.
pytestmark = pytest.mark.django_db(transaction=True)


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
        + Place.objects.published().count()
        + Evidence.objects.filter(intervention__status=Status.PUBLISHED).count()
        + Event.objects.filter(intervention__status=Status.PUBLISHED).count()
    )
    assert SearchEntry.objects.count() == expected
    assert found("iguana") == [published.get_absolute_url()]
    assert SearchTerm.objects.get(word="iguana").entries == 1


@pytest.mark.django_db  # load_archive rebuilds the index itself; loaded once for the whole class
@pytest.mark.usefixtures("canonical_archive")
class TestLoadArchive:
    @pytest.mark.parametrize("term", ["cadmium", "Franceschni", "cadmuim", '"minimum wage"', "HKC"])
    def test_load_archive_leaves_a_complete_index(self, client, term):
        published = sum(
            model.objects.published().count()
            for model in (Intervention, Organisation, Position, Source, Concept, Place)
        )
        parts = Event.objects.filter(intervention__status=Status.PUBLISHED).count()
        parts += Evidence.objects.filter(intervention__status=Status.PUBLISHED).count()
        assert SearchEntry.objects.count() == published + parts
        cache.clear()
        response = client.get(reverse("search"), {"q": term})
        assert response.status_code == 200
        assert response.context["results"].total > 0


def _index_contents():
    rows = set(SearchEntry.objects.values_list("kind", "object_id", *index.ENTRY_FIELDS))
    return rows, dict(SearchTerm.objects.values_list("word", "entries"))


def test_indexing_on_commit_gives_what_a_rebuild_gives():
    source = SourceFactory(title="Labour in the Pearl delta")
    SourceAuthorFactory(source=source, author=AuthorFactory(family_name="Pringle"), position=1)
    case = InterventionFactory(title="Pangolin campaign", source=source)
    draft = InterventionFactory(title="Tapir campaign", status="draft")
    org = OrganisationFactory(name="Tamarin Workers Centre")
    RoleFactory(intervention=case, organisation=org)
    events = [EventFactory(intervention=case, title=f"Pangolin event {n}") for n in range(3)]
    EvidenceFactory(intervention=case, quotation="Pangolins said so.")
    issue, place = IssueFactory(name="Silicosis"), PlaceFactory(name="Shenzhen")
    author = AuthorFactory(family_name="Chan")

    with transaction.atomic():
        case.title = "Armadillo campaign"
        case.save()
        case.issues.add(issue)
        case.places.add(place)
        events[0].delete()
        events[1].title = "Armadillo strike"
        events[1].save()
        draft.status = "published"
        draft.save()
        EventFactory(intervention=draft, title="Tapir event")
        org.name = "Marmoset Workers Centre"
        org.save()
        issue.name = "Pneumoconiosis"
        issue.save()
        SourceAuthorFactory(source=source, author=author, position=2)
        author.family_name = "Chen"
        author.save()
        with pytest.raises(RuntimeError), transaction.atomic():
            case.summary = "Rolled back with its savepoint."
            case.save()
            raise RuntimeError
    case.refresh_from_db()
    with transaction.atomic():
        place.interventions.clear()
        OrganisationFactory(name="Jerboa Group", status="withdrawn")
    ConceptFactory(term="Gecko rights")  # outside any transaction
    Evidence.objects.filter(intervention=case).first().delete()

    incremental = _index_contents()
    assert any(row[2] == "Armadillo strike" for row in incremental[0])
    assert not any("rolled back" in row[3].lower() for row in incremental[0])
    index.rebuild()
    assert _index_contents() == incremental
    if connection.vendor == "sqlite":  # the FTS5 table followed every insert, upsert and delete
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")


def test_a_transaction_that_rolls_back_leaves_the_index_as_it_was():
    case = InterventionFactory(title="Pangolin campaign")
    with pytest.raises(RuntimeError), transaction.atomic():
        case.title = "Armadillo campaign"
        case.save()
        raise RuntimeError
    assert found("armadillo") == []
    with transaction.atomic():
        case.title = "Okapi campaign"
        case.save()
    assert found("okapi") == [case.get_absolute_url()]


@pytest.mark.parametrize("parts", [1, 8])
def test_a_case_is_indexed_with_its_parts_in_a_fixed_number_of_queries(parts, django_assert_num_queries):
    case = InterventionFactory(title="Pangolin campaign")
    for n in range(parts):
        EventFactory(intervention=case, title=f"Event {n}")
        EvidenceFactory(intervention=case)
    Intervention.objects.filter(pk=case.pk).update(title="Armadillo campaign")  # no signal
    # The case and its related rows (5), its events and evidence (2); then in one transaction the entries it
    # had, one upsert and the vocabulary (a word gone; counts up and down and a new word in one upsert).
    with django_assert_num_queries(7 + 2 + 4):
        index.refresh({"case": {case.pk}}, also=signals.parts_of("case", {case.pk}))


def test_vocabulary_counts_go_up_and_down_in_two_queries(django_assert_num_queries):
    SearchTerm.objects.bulk_create([SearchTerm(word="okapi", entries=2), SearchTerm(word="tapir", entries=1)])
    with django_assert_num_queries(2):
        index.count_terms({"okapi": -1, "tapir": -1, "gecko": 2, "ghost": -1})
    # A word no entry uses goes; one counted down that was not there is not added.
    assert dict(SearchTerm.objects.values_list("word", "entries")) == {"okapi": 1, "gecko": 2}
    with django_assert_num_queries(1):  # nothing counted down: nothing to delete
        index.count_terms({"okapi": 1, "gecko": 1})
    assert dict(SearchTerm.objects.values_list("word", "entries")) == {"okapi": 2, "gecko": 3}


def test_an_entry_handed_over_is_indexed_from_its_rows_unless_something_changes_after(django_assert_num_queries):
    from cases.curation.admin_save import entry_relations
    from cases.curation.loading import with_rows

    org = OrganisationFactory(name="Tapir Workers Centre")
    case = InterventionFactory(title="Pangolin campaign")
    RoleFactory(intervention=case, organisation=org)
    EventFactory(intervention=case, title="Pangolin strike")

    def loaded():
        queryset, attach = with_rows(Intervention.objects.filter(pk=case.pk), entry_relations(Intervention))
        entry = queryset.get()
        attach(entry)
        return entry

    entry = loaded()
    entry.title = "Armadillo campaign"
    # Saved and handed over (BEGIN, UPDATE, COMMIT): on commit only the index is written (BEGIN, old entries,
    # upsert, two for the vocabulary, COMMIT), nothing is read again.
    with django_assert_num_queries(3 + 6), transaction.atomic():
        entry.save()
        signals.hold(entry)
    assert found("armadillo") == [case.get_absolute_url()]
    assert found("strike", kind="event") == [case.get_absolute_url() + "#timeline"]

    entry = loaded()
    with transaction.atomic():
        entry.title = "Okapi campaign"
        entry.save()
        signals.hold(entry)
        org.name = "Tamarin Workers Centre"  # saved after the hand-over: what it holds is read again
        org.save()
    assert found("okapi tamarin") == [case.get_absolute_url()]
    incremental = _index_contents()
    index.rebuild()
    assert _index_contents() == incremental
