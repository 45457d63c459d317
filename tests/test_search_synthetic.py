"""The synthetic archive: generated fast, clearly marked, never mixed into real content; pages stay flat on it."""

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.core.models import Source
from cases.interventions.models import Event, Evidence, Intervention
from cases.organisations.models import Organisation
from cases.search.models import SearchEntry
from tests.factories import SourceFactory

SMALL = {"interventions": 40, "organisations": 12, "events": 200, "evidence": 100, "positions": 5, "sources": 8}


def wipe():
    """Empty every table inside the test's transaction (PostgreSQL first checks its deferred constraints)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)


def generate(**sizes):
    call_command("generate_archive", verbosity=0, places=6, issues=4, tactics=4, concepts=5, **{**SMALL, **sizes})


def test_generates_the_sizes_asked_for_all_marked_synthetic():
    generate()
    assert Intervention.objects.count() == 40
    assert Organisation.objects.count() == 12
    assert Event.objects.count() == 200
    assert Evidence.objects.count() == 100
    for model in (Intervention, Organisation, Source):
        assert not model.objects.exclude(slug__startswith="synthetic-").exists()
    assert all(title.startswith("Synthetic") for title in Intervention.objects.values_list("title", flat=True))
    assert all(source.title.startswith("Synthetic source") for source in Source.objects.all())
    # Some entries are drafts, as in a real archive; the index holds only the published ones and their parts.
    published = Intervention.objects.published()
    assert 0 < published.count() <= 40
    assert SearchEntry.objects.filter(kind="case").count() == published.count()
    assert SearchEntry.objects.filter(kind="event").count() == Event.objects.filter(intervention__in=published).count()


def test_the_same_seed_gives_the_same_archive_and_a_second_run_refuses():
    generate(seed=7)
    first = list(Intervention.objects.order_by("slug").values_list("title", "status", "start_date"))
    with pytest.raises(CommandError, match="already holds a synthetic archive"):
        generate(seed=7)
    wipe()
    generate(seed=7)
    assert list(Intervention.objects.order_by("slug").values_list("title", "status", "start_date")) == first


def test_refuses_a_database_with_real_content():
    SourceFactory(slug="pringle-2018", title="A Solidarity Machine?")
    with pytest.raises(CommandError, match="real archive content"):
        generate()
    assert Intervention.objects.count() == 0


def test_refuses_negative_sizes():
    with pytest.raises(CommandError):
        generate(events=-1)


PAGES = [
    reverse("intervention_list"),
    reverse("intervention_list") + "?stage=campaign&outcome=won",
    reverse("intervention_export", args=["csv"]),
    reverse("intervention_export", args=["json"]) + "?stage=campaign",
    reverse("organisation_export", args=["csv"]),
    reverse("position_export", args=["json"]),
    reverse("source_export", args=["csv"]),
    reverse("organisation_list"),
    reverse("position_list"),
    reverse("source_list"),
    reverse("concept_list"),
    reverse("search") + "?q=wage",
    reverse("search") + "?q=wage&kind=event",
    reverse("search") + "?q=workers",
]


def measure(client, url):
    """Queries one request for `url` makes, from an empty cache."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.fixture(scope="class")
def seeded_queries(django_db_setup, django_db_blocker):
    """Every page measured once on the seeded archive, which is then replaced by a larger generated one.

    Loading and generating take seconds: done once for the class, inside a transaction rolled back after its last
    test (each test runs in a savepoint within it). Returns each page's query count on the seeded archive.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_archive", verbosity=0)
        seeded = {url: measure(Client(), url) for url in PAGES}
        wipe()
        generate(interventions=120, events=600, evidence=300, organisations=30)
        yield seeded
        transaction.set_rollback(True)


class TestQueriesOnAGeneratedArchive:
    @pytest.mark.parametrize("url", PAGES)
    def test_pages_make_as_many_queries_on_a_generated_archive_as_on_the_seeded_one(self, client, seeded_queries, url):
        assert Intervention.objects.count() == 120
        assert measure(client, url) == seeded_queries[url]
