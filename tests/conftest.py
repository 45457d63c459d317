import os

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, settings

# Hypothesis profiles, chosen by HYPOTHESIS_PROFILE, else "ci" when CI is set (as .ci/run runs), else "dev".
# - ci: the same examples on every run (derandomize), so a red CI run fails the same way again on a laptop with
#   HYPOTHESIS_PROFILE=ci; no example database (a fresh clone has none and keeps none); no deadline and no
#   too-slow health check, because a shared machine's timings say nothing about the code.
# - dev: new random examples on every run, remembering the failing ones in .hypothesis/ to try them first.
# - thorough: ten times the examples, for a deliberate hunt (HYPOTHESIS_PROFILE=thorough make test).
_QUIET_ABOUT_SPEED = [HealthCheck.too_slow]
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=_QUIET_ABOUT_SPEED,
)
settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=_QUIET_ABOUT_SPEED)
settings.register_profile("thorough", parent=settings.get_profile("dev"), max_examples=1000)
_IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _IN_CI else "dev"))


# `make test` gives each pytest-xdist worker whole modules (or classes), in the order collected here: the slowest
# first, so that the last modules handed out are short and the two workers finish together (left to itself,
# xdist starts with the modules of most tests, and a slow module of two tests came last while the other worker
# idled). A module that takes more than a few seconds belongs in this list, by how long it takes.
SLOWEST_FIRST = [
    "test_mirror.py",
    "test_curation_roundtrip.py",
    "test_privilege.py",
    "test_teaching_entries.py",
    "test_admin.py",
    "test_fixtures.py",
    "test_curation_xss.py",
    "test_pages.py",
    "test_public_surfaces.py",
    "test_i18n.py",
    "test_templatetags_queries.py",
    "test_cache.py",
    "test_security_headers.py",
    "test_find_fuzz.py",
    "test_search_page.py",
    "test_search_index.py",
    "test_search_chinese.py",
    "test_curation_workflow.py",
    "test_visual_pages.py",
    "test_find_filters.py",
    "test_search_synthetic.py",
    "test_releases.py",
    "test_oai.py",
    "test_teaching_questions.py",
    "test_teaching_lists.py",
    "test_save_cost.py",
    "test_registry.py",
]


def pytest_collection_modifyitems(items):
    rank = {name: position for position, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each module's order is kept


@pytest.fixture(autouse=True)
def _enable_db_for_all(db):
    """Every test here touches the database; say so once."""


@pytest.fixture
def published_case(db):
    from tests.factories import InterventionFactory

    return InterventionFactory(status="published")


@pytest.fixture(scope="class")
def canonical_archive(django_db_setup, django_db_blocker):
    """The canonical content (fixtures/, through `load_archive`), loaded once for the tests of a class.

    Loading takes seconds: the tests of a class share one load, inside a transaction rolled back after the last
    of them (each test runs in a savepoint within it, so what one test writes is gone before the next), and every
    other test still starts from an empty database. A test outside a class gets a load of its own.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_archive", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def curator():
    """A curator (the Curators group), not signed in; modules that sign one in define their own."""
    from cases.curation import roles
    from tests.test_curation_workflow import member_of

    return member_of(roles.CURATORS, username="curator")


@pytest.fixture
def senior():
    """A senior curator (Curators and Senior curators), not signed in."""
    from cases.curation import roles
    from tests.test_curation_workflow import member_of

    return member_of(roles.CURATORS, roles.SENIOR_CURATORS, username="senior")


@pytest.fixture
def instructor():
    """An instructor (the teaching permissions granted directly); modules may define their own."""
    from tests.teaching_helpers import make_instructor

    return make_instructor()


@pytest.fixture
def signed_in(client, instructor):
    """The test client, signed in as `instructor` (instructors owe no second factor unless they turned it on)."""
    client.force_login(instructor)
    return client


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin_client, signed in with the second factor too (staff need it; see accounts_helpers)."""
    from django.test import Client

    from tests.accounts_helpers import sign_in_verified

    client = Client()
    sign_in_verified(client, admin_user)
    return client


@pytest.fixture(scope="session", autouse=True)
def _empty_postgresql_tables_by_delete():
    """A transactional test ends by emptying every table. On PostgreSQL, Django's TRUNCATE makes new files for
    each of about a hundred tables and their indexes, which took most of those tests' time; a test leaves a few
    rows, which DELETE removes at once (the foreign keys are deferred, so the order does not matter)."""
    from django.conf import settings as django_settings
    from django.db.backends.postgresql.operations import DatabaseOperations

    if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield
        return
    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate
