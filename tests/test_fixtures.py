"""The canonical content (fixtures/*.yaml) loads into an empty database and keeps its promises:
every claim has a source and a locator, every published case has a lead and a timeline, the debate is
populated, pseudonyms are marked, and reloading never duplicates."""

from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from cases.core.dates import truncate
from cases.core.models import Curated, Source, Status
from cases.core.public_versions import PublicVersion
from cases.interventions.models import Event, Evidence, Intervention, RoleKind
from cases.organisations.models import Organisation
from cases.scholarship.models import Position

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
ARTEFACTS = ("„", "‟")  # quotation marks left behind by PDF text extraction
PSEUDONYMS = ("hka", "hkb", "hkc", "gma")
PRINGLE_LEADS = ("hka", "hkb", "hkc")


def fixture_files():
    return sorted(FIXTURE_DIR.glob("[0-9][0-9]_*.yaml"))


def archive_models():
    return [m for m in apps.get_models() if m.__module__.startswith("cases.")]


def row_counts():
    return {m.__name__: m._default_manager.count() for m in archive_models()}


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """Load the fixtures once for this module, inside a transaction rolled back at its end
    (each test runs in a savepoint within it), so other modules still start from an empty database."""
    files = fixture_files()
    assert files, f"no fixtures found in {FIXTURE_DIR}"
    with django_db_blocker.unblock(), transaction.atomic():
        assert not any(row_counts().values()), "the test database should be empty before loading"
        call_command("load_archive", verbosity=0)
        yield files
        transaction.set_rollback(True)


def test_the_canonical_files_are_there(archive):
    names = [p.name for p in archive]
    assert names[0] == "01_sources.yaml"
    for expected in (
        "01_sources.yaml",
        "02_places.yaml",
        "03_organisations.yaml",
        "04_interventions.yaml",
        "05_scholarship.yaml",
    ):
        assert any(name.endswith(expected[2:]) for name in names), f"missing a fixture like {expected}: {names}"


def test_every_row_passes_model_validation(archive):
    """Raw loads skip clean(): check here what a curator's form would have refused."""
    problems = []
    for model in archive_models():
        for obj in model._default_manager.all():
            try:
                obj.full_clean()
            except ValidationError as error:
                problems.append(f"{model.__name__} {obj.natural_key()}: {error.message_dict}")
    assert not problems, "\n".join(problems[:50])


def test_every_evidence_has_source_locator_and_quotation(archive):
    assert Evidence.objects.exists()
    for evidence in Evidence.objects.select_related("source", "intervention"):
        assert evidence.source_id and evidence.source, evidence.natural_key()
        assert evidence.locator.strip(), f"evidence without locator: {evidence.natural_key()}"
        assert evidence.quotation.strip(), f"evidence without quotation: {evidence.natural_key()}"


def test_every_locator_is_filled(archive):
    for model in archive_models():
        if not any(f.name == "locator" and not f.blank for f in model._meta.fields):
            continue
        blank = [o.natural_key() for o in model._default_manager.all() if not o.locator.strip()]
        assert not blank, f"{model.__name__} rows without locator: {blank}"


def test_every_published_case_has_a_lead_and_a_timeline(archive):
    published = Intervention.objects.published().annotate(
        leads=Count("roles", filter=Q(roles__kind=RoleKind.LEAD), distinct=True),
        published_leads=Count(
            "roles",
            filter=Q(roles__kind=RoleKind.LEAD, roles__organisation__status=Status.PUBLISHED),
            distinct=True,
        ),
        event_count=Count("events", distinct=True),
    )
    assert published.exists()
    without_lead = [c.slug for c in published if not c.leads]
    without_published_lead = [c.slug for c in published if not c.published_leads]
    without_events = [c.slug for c in published if not c.event_count]
    assert not without_lead, f"published cases without a lead role: {without_lead}"
    # The public lists show only published organisations: a lead in draft leaves a case leaderless.
    assert not without_published_lead, f"published cases whose lead is not published: {without_published_lead}"
    assert not without_events, f"published cases without events: {without_events}"


def test_dates_are_stored_at_their_precision(archive):
    for case in Intervention.objects.all():
        for value, precision in ((case.start_date, case.start_precision), (case.end_date, case.end_precision)):
            if value:
                assert truncate(value, precision) == value, (case.slug, value, precision)
    for event in Event.objects.select_related("intervention"):
        assert truncate(event.date, event.precision) == event.date, event.natural_key()
        if event.end_date:
            assert truncate(event.end_date, event.end_precision) == event.end_date, event.natural_key()


def test_the_debate_is_populated(archive):
    assert Position.objects.published().count() >= 10
    for position in Position.objects.select_related("source"):
        assert position.source_id and position.source, position.slug
    outlooks = set(Position.objects.published().values_list("outlook", flat=True))
    assert len(outlooks) >= 3, f"the spectrum needs several outlooks, got {sorted(outlooks)}"
    assert Position.objects.published().filter(stances__isnull=False).exists()


def test_the_three_pringle_cases_have_evidence(archive):
    stages = set()
    for slug in PRINGLE_LEADS:
        cases = (
            Intervention.objects.published()
            .filter(roles__organisation__slug=slug, roles__kind=RoleKind.LEAD)
            .exclude(stage="")
            .annotate(evidence_count=Count("evidence", distinct=True))
            .order_by("-evidence_count")
        )
        assert cases, f"no published case led by {slug} with a movement-process stage"
        main = cases[0]
        assert main.evidence_count >= 5, f"{main.slug} (led by {slug}) has {main.evidence_count} evidence"
        stages.add(main.stage)
    # Pringle reads the three Hong Kong LNGOs as three different movement processes.
    assert len(stages) == 3, stages


def test_pseudonyms_are_marked(archive):
    for name in PSEUDONYMS:
        org = Organisation.objects.filter(Q(slug=name) | Q(short_name__iexact=name) | Q(name__iexact=name)).first()
        assert org is not None, f"no organisation {name.upper()}"
        assert org.is_pseudonym, f"{org.name} should be marked as a pseudonym"
        assert not (org.name_zh_hans or org.name_zh_hant or org.name_pinyin), (
            f"{org.name} is a pseudonym: the archive never guesses its real name"
        )


# A source's text is its extract, kept as extracted (fixtures/texts/README.md): private, never shown.
RAW_TEXTS = {("Source", "text")}


def test_no_extraction_artefacts_in_any_text(archive):
    found = []
    for model in archive_models():
        text_fields = [
            f.name
            for f in model._meta.fields
            if isinstance(f, models.CharField | models.TextField) and (model.__name__, f.name) not in RAW_TEXTS
        ]
        if not text_fields:
            continue
        for artefact in ARTEFACTS:
            query = Q()
            for name in text_fields:
                query |= Q(**{f"{name}__contains": artefact})
            found += [f"{model.__name__} {o.natural_key()}" for o in model._default_manager.filter(query)]
    assert not found, f"text containing „ or ‟: {found}"


def _source_fields(model):
    return [f.name for f in model._meta.fields if f.is_relation and f.related_model.__name__ == "Source"]


def test_published_entries_rest_on_published_sources(archive):
    """What a public page shows beside a published entry (its rows and their sources) must exist and be public."""
    problems = []
    for model in archive_models():
        if not issubclass(model, Curated):
            continue
        for obj in model.objects.published():
            for name in _source_fields(model):
                source = getattr(obj, name)
                if source is not None and source.status != Status.PUBLISHED:
                    problems.append(f"{model.__name__} {obj.slug}.{name} -> {source.slug} ({source.status})")
    for case in Intervention.objects.published():
        for related in ("roles", "events", "evidence", "figures", "stances"):
            for row in getattr(case, related).select_related("source"):
                if row.source is None:
                    problems.append(f"{case.slug}: {related} {row.natural_key()} has no source")
                elif row.source.status != Status.PUBLISHED:
                    problems.append(f"{case.slug}: {related} {row.natural_key()} -> {row.source.slug} (draft)")
    assert not problems, "\n".join(problems[:50])


def test_slugs_are_unique_and_readable(archive):
    for model in archive_models():
        # A public version repeats its entry's slug (the entry as it was): every entry's versions share it.
        if not any(f.name == "slug" for f in model._meta.fields) or model is PublicVersion:
            continue
        slugs = list(model._default_manager.values_list("slug", flat=True))
        duplicates = [s for s, n in Counter(slugs).items() if n > 1]
        assert not duplicates, (model.__name__, duplicates)


def test_loading_twice_changes_no_row_counts(archive):
    before = row_counts()
    call_command("loaddata", *[str(p) for p in archive], verbosity=0)
    assert row_counts() == before


def test_load_archive_reload_updates_in_place_and_stamps_publication(archive):
    before = row_counts()
    call_command("load_archive", verbosity=0)  # the archive has content: nothing happens
    assert row_counts() == before
    with CaptureQueriesContext(connection) as queries:
        call_command("load_archive", "--reload", verbosity=0)
    assert row_counts() == before
    # Each row is looked up by its natural key once, however often the fixtures name it (hundreds of times for a
    # seed): a lookup a query, loading took most of a minute on PostgreSQL.
    lookups = Counter(
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and "slug" in q["sql"]
    )
    assert lookups and max(lookups.values()) == 1, lookups.most_common(3)
    for model in archive_models():
        if issubclass(model, Curated):
            assert not model.objects.published().filter(published_at__isnull=True).exists(), model.__name__


def test_every_published_entry_has_a_page_and_drafts_have_none(archive, client):
    """Every published entry of the canonical content answers 200, on whichever database runs the suite."""
    pages = 0
    for model in (m for m in archive_models() if issubclass(m, Curated) and hasattr(m, "get_absolute_url")):
        for entry in model.objects.published():
            response = client.get(entry.get_absolute_url())
            assert response.status_code == 200, (model.__name__, entry.slug, response.status_code)
            pages += 1
    assert pages > 100
    draft = Intervention.objects.published().first()
    Intervention.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.title not in client.get("/cases/").content.decode()


def test_the_seeds_carry_their_texts_and_every_quotation_on_them_is_checked(archive):
    seeds = Source.objects.filter(is_seed=True)
    assert seeds.count() == 3
    assert all(seed.text for seed in seeds)
    unchecked = [str(e) for e in Evidence.objects.filter(source__is_seed=True, quotation_checked=False)]
    assert not unchecked, f"quotations not found verbatim in their seed's text: {unchecked}"
    assert Evidence.objects.filter(quotation_checked=True).count() >= 50
    assert not Position.objects.filter(reported_in__is_seed=True, quotation_checked=False).exclude(key_quotation="")


def test_the_archives_coding_marks_only_the_cases_own_tags(archive):
    """A coded issue or tactic is one the case has; a coded stage or outcome is one the case states."""
    coded = 0
    for case in Intervention.objects.prefetch_related("issues", "tactics"):
        case.clean_archive_coding([i.slug for i in case.issues.all()], [t.slug for t in case.tactics.all()])
        coded += case.has_archive_coding
    assert coded >= 5
    regulations = Intervention.objects.get(slug="guangdong-collective-bargaining-regulations")
    assert regulations.outcome_by_archive and regulations.outcome == "partial"
    hkc = Intervention.objects.get(slug="hkc-cadmium-compensation-campaign")
    assert hkc.issues_by_archive == ["workplace-safety"] and not hkc.outcome_by_archive


def test_kinds_the_texts_do_not_give_are_not_stated(archive):
    """No placeholder kinds: works and bodies whose type the texts do not give say so."""
    for slug in ("shieh-2009", "mckay-2006", "huang-2017", "globalization-monitor-2007"):
        assert Source.objects.get(slug=slug).kind == "not_stated", slug
    for slug in ("globalization-monitor", "asian-pacific-solidarity-links", "ilrf", "cefc"):
        assert Organisation.objects.get(slug=slug).kind == "not_stated", slug
    for model in (Source, Organisation):
        for obj in model.objects.exclude(curator_note=""):
            assert "placeholder" not in obj.curator_note, obj


def test_the_texts_datings_and_the_online_date_are_kept_with_their_sources(archive):
    from cases.scholarship.models import Concept

    seed = Source.objects.get(slug="franceschini-lin-2019")
    assert str(seed.published_online) == "2020-03-19" and seed.year == 2019
    definition = Concept.objects.get(slug="labour-ngo").definition
    assert "early 1990s" in definition and "mid-1990s" in definition and "Abstract" in definition
