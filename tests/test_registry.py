"""The registry is the only list of kinds: a throwaway kind, declared once in a test app, shows up in search, the
sitemap, the feed, citations, previews, the revision history, roles, backups and reading lists with no other
change.

The test app must be installed before Django starts, so its checks run in a process of their own
(tests/kindapp/kind_checks.py with tests.kindapp.settings), on SQLite.
"""

import os
import subprocess
import sys
from pathlib import Path

from cases.core import registry

ROOT = Path(__file__).resolve().parent.parent


def test_every_kind_is_declared_once_with_its_own_key():
    kinds = registry.kinds()
    assert {kind.key for kind in kinds} == {"case", "organisation", "position", "concept", "source", "place"}
    assert len({kind.model for kind in kinds}) == len(kinds)


def test_a_kind_declared_in_another_app_is_everywhere():
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/kindapp/kind_checks.py",
            "--ds=tests.kindapp.settings",
            "-p",
            "no:cacheprovider",
            "-q",
            "-o",
            "addopts=",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
