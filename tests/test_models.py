"""The model contract: constraints (in full_clean and in the database), dates at their precision,
publication state, natural keys."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.core.dates import Precision, format_date, iso_date, truncate
from cases.core.models import Curated, Place, Source, Status
from cases.core.public_versions import PublicVersion
from cases.curation.models import PendingRevision, StatusChange
from cases.interventions.models import Event, Evidence, Intervention
from cases.organisations.models import Organisation, OrganisationRelation
from cases.scholarship.models import Concept, Position
from cases.search.models import SearchEntry, SearchTerm
from cases.teaching.models import DiscussionQuestion, ReadingList, ReadingListItem, SupportAccess
from tests import factories as f

D = datetime.date


def db_rejects(create):
    """The database itself refuses the row (bypassing full_clean)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def clean_errors(obj, **kwargs):
    with pytest.raises(ValidationError) as caught:
        obj.full_clean(**kwargs)
    return caught.value.message_dict


# --- Dates -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "precision", "qualifier", "expected"),
    [
        (D(2011, 1, 1), "year", "", "2011"),
        (D(2013, 2, 1), "month", "", "February 2013"),
        (D(2012, 3, 31), "day", "", "31 March 2012"),
        (D(2011, 1, 1), "year", "mid", "mid-2011"),
        (D(2010, 1, 1), "year", "early", "early-2010"),
        (D(2014, 1, 1), "year", "late", "late-2014"),
        (D(2012, 6, 1), "month", "summer of", "summer of June 2012"),
        (None, "day", "", "unknown"),
    ],
)
def test_format_date_at_precision(value, precision, qualifier, expected):
    assert format_date(value, precision, qualifier) == expected


def test_a_year_is_never_shown_as_first_january():
    assert format_date(D(2003, 1, 1), Precision.YEAR) == "2003"
    assert "1 January" not in format_date(D(2003, 1, 1), Precision.YEAR)


@pytest.mark.parametrize(
    ("precision", "expected"),
    [("year", D(2012, 1, 1)), ("month", D(2012, 3, 1)), ("day", D(2012, 3, 31))],
)
def test_truncate_to_precision(precision, expected):
    assert truncate(D(2012, 3, 31), precision) == expected


@pytest.mark.parametrize(("precision", "expected"), [("year", "2012"), ("month", "2012-03"), ("day", "2012-03-31")])
def test_iso_date_at_precision(precision, expected):
    assert iso_date(D(2012, 3, 31), precision) == expected
    assert iso_date(None, precision) == ""


def test_full_clean_stores_dates_at_their_precision():
    case = f.InterventionFactory.build(
        source=f.SourceFactory(),
        start_date=D(2011, 6, 15),
        start_precision="year",
        end_date=D(2013, 2, 20),
        end_precision="month",
    )
    case.full_clean()
    assert case.start_date == D(2011, 1, 1)
    assert case.end_date == D(2013, 2, 1)
    assert case.period_display == "2011 – February 2013"
    assert case.start_iso == "2011"
    assert case.end_iso == "2013-02"


def test_period_display():
    case = f.InterventionFactory.build(start_date=None)
    assert case.period_display == "dates unknown"
    case = f.InterventionFactory.build(start_date=D(2011, 1, 1), start_precision="year", end_date=None)
    assert case.period_display == "2011 – end unknown"
    case = f.InterventionFactory.build(
        start_date=D(2011, 1, 1), start_precision="year", end_date=D(2011, 1, 1), end_precision="year"
    )
    assert case.period_display == "2011"


def test_event_date_display_with_qualifier_and_range():
    event = f.EventFactory(date=D(2011, 1, 1), precision="year", qualifier="mid")
    assert event.date_display == "mid-2011"
    assert event.date_iso == "2011"
    event = f.EventFactory(
        date=D(2012, 3, 31), precision="day", end_date=D(2012, 4, 1), end_precision="month", qualifier=""
    )
    assert event.date_display == "31 March 2012 – April 2012"
    assert str(event) == "31 March 2012 – April 2012: Officials meet five worker activists"


# --- Date ranges ----------------------------------------------------------------------------------------


def test_intervention_end_before_start_rejected_by_full_clean():
    case = f.InterventionFactory.build(
        source=f.SourceFactory(), start_date=D(2013, 5, 1), start_precision="day", end_date=D(2012, 1, 1)
    )
    errors = clean_errors(case)
    assert "end_date" in errors
    assert "before the start date" in errors["end_date"][0]


def test_intervention_end_in_same_year_at_coarser_precision_is_accepted():
    # "March 2012 – 2012": truncating the end to its year must not make it precede the start.
    case = f.InterventionFactory.build(
        source=f.SourceFactory(),
        start_date=D(2012, 1, 1),
        start_precision="year",
        end_date=D(2012, 8, 9),
        end_precision="day",
    )
    case.full_clean()


def test_intervention_end_before_start_rejected_by_database():
    source = f.SourceFactory()
    db_rejects(
        lambda: Intervention.objects.create(
            slug="backwards",
            title="Backwards",
            kind="campaign",
            summary="s",
            narrative="n",
            start_date=D(2013, 1, 1),
            end_date=D(2012, 1, 1),
            source=source,
            locator="p. 1",
        )
    )


def test_event_end_before_start_rejected_by_full_clean():
    case = f.InterventionFactory()
    event = f.EventFactory.build(intervention=case, date=D(2012, 3, 31), end_date=D(2012, 3, 1))
    errors = clean_errors(event)
    assert "before the start date" in errors["end_date"][0]


def test_event_end_before_start_rejected_by_database():
    case = f.InterventionFactory()
    db_rejects(lambda: f.EventFactory(intervention=case, date=D(2012, 3, 31), end_date=D(2012, 3, 1)))


# --- Evidence, locators, self-relations, outlook --------------------------------------------------------


def test_evidence_without_locator_rejected():
    case = f.InterventionFactory()
    evidence = f.EvidenceFactory.build(intervention=case, source=case.source, locator="")
    assert "locator" in clean_errors(evidence)
    db_rejects(lambda: f.EvidenceFactory(intervention=case, locator=""))


def test_evidence_without_quotation_rejected():
    case = f.InterventionFactory()
    evidence = f.EvidenceFactory.build(intervention=case, source=case.source, quotation="")
    assert "quotation" in clean_errors(evidence)
    db_rejects(lambda: f.EvidenceFactory(intervention=case, quotation=""))


@pytest.mark.parametrize(
    "factory",
    [f.RoleFactory, f.EventFactory, f.FigureFactory, f.OrganisationRelationFactory, f.StanceFactory],
)
def test_rows_without_locator_rejected_by_database(factory):
    db_rejects(lambda: factory(locator=""))


def test_organisation_related_to_itself_rejected():
    org = f.OrganisationFactory()
    relation = f.OrganisationRelationFactory.build(subject=org, object=org, source=org.source)
    errors = clean_errors(relation)
    assert errors == {"object": ["An organisation cannot be related to itself: choose the other one."]}
    db_rejects(lambda: f.OrganisationRelationFactory(subject=org, object=org, source=org.source))


def test_source_citing_itself_rejected():
    source = f.SourceFactory()
    citation = f.CitationFactory.build(citing=source, cited=source)
    assert "cannot cite itself" in clean_errors(citation)["cited"][0]
    db_rejects(lambda: f.CitationFactory(citing=source, cited=source))


def test_duplicate_role_rejected():
    role = f.RoleFactory()
    duplicate = f.RoleFactory.build(
        intervention=role.intervention, organisation=role.organisation, kind=role.kind, source=role.source
    )
    assert "__all__" in clean_errors(duplicate)
    db_rejects(lambda: duplicate.save())
    # Another role for the same organisation in the same case is fine.
    f.RoleFactory(intervention=role.intervention, organisation=role.organisation, kind="funder")


def test_duplicate_slug_rejected():
    org = f.OrganisationFactory(slug="hka")
    other = f.OrganisationFactory.build(slug="hka", source=org.source)
    assert "slug" in clean_errors(other)


@pytest.mark.parametrize("outlook", [0, 6])
def test_position_outlook_range(outlook):
    position = f.PositionFactory.build(source=f.SourceFactory(), outlook=outlook)
    assert "outlook" in clean_errors(position)
    db_rejects(lambda: f.PositionFactory(outlook=outlook))


@pytest.mark.parametrize("outlook", [1, 3, 5])
def test_position_outlook_in_range_accepted(outlook):
    f.PositionFactory.build(source=f.SourceFactory(), outlook=outlook).full_clean()


def test_position_reported_in_needs_a_locator():
    position = f.PositionFactory.build(source=f.SourceFactory(), reported_in=f.SourceFactory(), reported_locator="")
    assert "reported_locator" in clean_errors(position)
    position.reported_locator = "p. 664"
    position.full_clean()


def test_source_year_plausible():
    source = f.SourceFactory.build(year=1066)
    assert "year" in clean_errors(source)
    db_rejects(lambda: f.SourceFactory(year=3000))
    f.SourceFactory.build(year=None).full_clean()


def test_place_coordinates_in_range():
    place = f.PlaceFactory.build(latitude="95.00000", longitude="200.00000")
    errors = clean_errors(place)
    assert {"latitude", "longitude"} <= set(errors)
    db_rejects(lambda: f.PlaceFactory(latitude="-91.00000"))


# --- Publication ----------------------------------------------------------------------------------------

CURATED_FACTORIES = {
    Source: f.SourceFactory,
    Place: f.PlaceFactory,
    Organisation: f.OrganisationFactory,
    Intervention: f.InterventionFactory,
    Position: f.PositionFactory,
    Concept: f.ConceptFactory,
    DiscussionQuestion: f.DiscussionQuestionFactory,
}


def test_every_curated_model_has_a_factory():
    curated = {m for m in apps.get_models() if issubclass(m, Curated)}
    assert curated == set(CURATED_FACTORIES)


@pytest.mark.parametrize("model", list(CURATED_FACTORIES), ids=lambda m: m.__name__)
def test_published_excludes_draft_review_withdrawn(model):
    factory = CURATED_FACTORIES[model]
    entries = {status: factory(status=status) for status in Status.values}
    published = set(model.objects.published())
    assert entries[Status.PUBLISHED] in published
    for status in (Status.DRAFT, Status.REVIEW, Status.WITHDRAWN):
        assert entries[status] not in published


def test_published_at_set_on_first_publish_only():
    case = f.InterventionFactory(status="draft")
    assert case.published_at is None
    case.status = Status.REVIEW
    case.save()
    assert case.published_at is None
    case.status = Status.PUBLISHED
    case.save()
    first = case.published_at
    assert first is not None
    case.refresh_from_db()
    assert case.published_at == first
    case.title = "Corrected title"
    case.save()
    case.status = Status.WITHDRAWN
    case.save()
    case.status = Status.PUBLISHED
    case.save()
    case.refresh_from_db()
    assert case.published_at == first
    assert case.updated_at >= first


def test_created_published_is_stamped():
    assert f.SourceFactory(status="published").published_at is not None
    assert f.SourceFactory(status="draft").published_at is None


# --- Sources --------------------------------------------------------------------------------------------


def test_author_label_follows_author_order():
    source = f.SourceFactory()
    assert source.author_label == "Anonymous"
    # Added out of order: the label follows `position`, not insertion.
    f.SourceAuthorFactory(source=source, position=2, author=f.AuthorFactory(family_name="Shen"))
    f.SourceAuthorFactory(source=source, position=1, author=f.AuthorFactory(family_name="Lee"))
    source = Source.objects.get(pk=source.pk)
    assert source.author_label == "Lee and Shen"
    assert [a.family_name for a in source.ordered_authors()] == ["Lee", "Shen"]
    f.SourceAuthorFactory(source=source, position=3, author=f.AuthorFactory(family_name="Xu"))
    source = Source.objects.get(pk=source.pk)
    assert source.author_label == "Lee et al."


def test_single_author_label_and_str():
    source = f.SourceFactory(year=2018, title="A solidarity machine?", short_title="")
    f.SourceAuthorFactory(source=source, author=f.AuthorFactory(family_name="Pringle", given_names="Tim"))
    source = Source.objects.get(pk=source.pk)
    assert source.author_label == "Pringle"
    assert str(source) == "Pringle (2018) A solidarity machine?"
    assert source.authorships.get().author.display_name == "Tim Pringle"


def test_author_label_uses_prefetched_authors(django_assert_num_queries):
    for _ in range(3):
        f.SourceAuthorFactory(source=f.SourceFactory())
    with django_assert_num_queries(3):  # sources, authorships, authors
        labels = [s.author_label for s in Source.objects.prefetch_related("authorships__author")]
    assert len(labels) == 3


def test_source_year_display_and_pages():
    source = f.SourceFactory.build(year=None, pages="661–675")
    assert source.year_display == "n.d."
    assert (source.first_page, source.last_page) == ("661", "675")
    source.pages = "12"
    assert (source.first_page, source.last_page) == ("12", "")


def test_author_position_unique_per_source():
    link = f.SourceAuthorFactory()
    db_rejects(lambda: f.SourceAuthorFactory(source=link.source, position=link.position))
    db_rejects(lambda: f.SourceAuthorFactory(source=link.source, author=link.author, position=2))


def test_concept_match_terms():
    concept = f.ConceptFactory.build(term="Hukou", aliases="household registration; hukou system;")
    assert concept.match_terms == ["Hukou", "household registration", "hukou system"]


def test_organisation_label():
    assert f.OrganisationFactory.build(name="ACFTU", short_name="ACFTU").label == "ACFTU"
    org = f.OrganisationFactory.build(name="All-China Federation of Trade Unions", short_name="ACFTU")
    assert org.label == "All-China Federation of Trade Unions (ACFTU)"


# --- Natural keys ---------------------------------------------------------------------------------------


# What users make on the site (instructors' reading lists) is not archive content: no fixture refers to it.
USER_DATA_MODELS = {ReadingList, ReadingListItem}
# Rows derived from the content (the search index) or logged about it (status changes and changes waiting for
# approval and public versions, which point at their entry by content type and id; support access to reading lists)
# are rebuilt or
# written by the site, never referred to by a fixture.
DERIVED_MODELS = {SearchEntry, SearchTerm, StatusChange, PendingRevision, SupportAccess, PublicVersion}


def test_natural_keys_round_trip_for_every_model():
    objects = list(f.one_of_each().values())
    archive_models = {m for m in apps.get_models() if m.__module__.startswith("cases.")}
    archive_models -= USER_DATA_MODELS | DERIVED_MODELS
    with_keys = {m for m in archive_models if hasattr(m, "natural_key")}
    # Every archive model has a natural key (fixtures refer to rows by them), and each is checked here.
    assert with_keys == archive_models
    assert {type(o) for o in objects} == with_keys
    for obj in objects:
        key = obj.natural_key()
        assert all(part not in (None, "") for part in key), (type(obj).__name__, key)
        assert type(obj)._default_manager.get_by_natural_key(*key) == obj, type(obj).__name__


def test_natural_key_values():
    role = f.RoleFactory(
        intervention=f.InterventionFactory(slug="minimum-wage"), organisation=f.OrganisationFactory(slug="hka")
    )
    assert role.natural_key() == ("minimum-wage", "hka", "lead")
    event = f.EventFactory(intervention=role.intervention, position=4)
    assert event.natural_key() == ("minimum-wage", 4)
    assert Event.objects.get_by_natural_key("minimum-wage", 4) == event
    relation = f.OrganisationRelationFactory(subject=role.organisation, kind="funder")
    assert OrganisationRelation.objects.get_by_natural_key(*relation.natural_key()) == relation
    assert Evidence.objects.filter(intervention=role.intervention).count() == 0
