import pytest


def pytest_collection_modifyitems(config, items):
    """Leave the deployment tests out unless asked for by name (`pytest -m deploy`, `make test-deploy`).

    They start servers and take two minutes, and they need nginx, PostgreSQL and Redis (redis-server too).
    """
    if "deploy" in (config.getoption("markexpr") or "").replace("not deploy", ""):
        return
    kept = [item for item in items if not item.get_closest_marker("deploy")]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker("deploy")])
        items[:] = kept


@pytest.fixture(autouse=True)
def _enable_db_for_all():
    """Overrides the suite-wide database fixture: the servers under test use their own database."""
