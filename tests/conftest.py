import pytest


@pytest.fixture(autouse=True)
def _enable_db_for_all(db):
    """Every test here touches the database; say so once."""


@pytest.fixture
def published_case(db):
    from tests.factories import InterventionFactory

    return InterventionFactory(status="published")
