import pytest
from django.core.management import call_command
from django.db import transaction


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
def admin_client(db, admin_user):
    """pytest-django's admin_client, signed in with the second factor too (staff need it; see accounts_helpers)."""
    from django.test import Client

    from tests.accounts_helpers import sign_in_verified

    client = Client()
    sign_in_verified(client, admin_user)
    return client
