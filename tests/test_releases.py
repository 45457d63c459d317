"""Open-data releases (cases/keeping/releases.py, `manage.py release_data`, /data/): valid Frictionless data packages
whose schemas match the models and whose columns match the exports, only published content and no curator's
field, immutable, listed with sizes and checksums, and two releases differing by exactly what changed."""

import csv
import hashlib
import io
import json
import stat

import frictionless
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.interventions.models import Intervention
from cases.keeping import releases, tables
from tests import factories as f
from tests import surfaces

CURATOR_ONLY = {"curator_note", "status", "published_at", "created_at", "updated_at", "text"}


def make(root):
    # The static copy a release also holds is tested in tests/test_mirror.py.
    call_command("release_data", dir=str(root), mirror=False, stdout=io.StringIO(), stderr=io.StringIO())
    return releases.releases(root)[0]


def every_file(release):
    return {item["name"]: (release.path / item["name"]).read_bytes() for item in release.files}


def header(data):
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture(scope="class")
def first_release(django_db_setup, django_db_blocker, tmp_path_factory):
    """The canonical archive released once for the class (curator notes and private texts filled with markers)."""
    root = tmp_path_factory.mktemp("releases")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_archive", verbosity=0)
        for table in tables.TABLES:
            model = table.representation.model
            if hasattr(model, "curator_note"):
                model._base_manager.update(curator_note="zqcuratornotezq")
        from cases.core.models import Source

        Source.objects.update(text="zqprivatetextzq")
        User.objects.create_user("zqaccountzq", email="zqmailzq@example.org", password="x")
        yield make(root)
        transaction.set_rollback(True)


@pytest.mark.usefixtures("first_release")
class TestARelease:
    def test_frictionless_validates_it(self, first_release):
        report = frictionless.validate(str(first_release.path / "datapackage.json"))
        assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:10]

    def test_it_holds_what_it_lists_with_sizes_and_checksums(self, first_release):
        files = every_file(first_release)
        expected = {f"{table.name}.csv" for table in tables.TABLES} | {
            "datapackage.json",
            "codebook.md",
            "codebook.html",
            "CITATION.cff",
            "LICENCE.md",
            "CHANGES.md",
            "changes.json",
            "SHA256SUMS",
        }
        assert set(files) == expected
        for item in first_release.files:
            assert item["bytes"] == len(files[item["name"]])
            assert item["sha256"] == hashlib.sha256(files[item["name"]]).hexdigest()
        sums = dict(reversed(line.split("  ")) for line in files["SHA256SUMS"].decode().splitlines())
        assert all(sums[name] == hashlib.sha256(data).hexdigest() for name, data in files.items() if name in sums)

    def test_columns_are_named_as_in_the_exports(self, first_release, client):
        files = every_file(first_release)
        for table, export in (("cases", "/cases/export.csv"), ("organisations", "/organisations/export.csv")) + (
            ("positions", "/debate/export.csv"),
            ("sources", "/sources/export.csv"),
        ):
            response = client.get(export)
            exported = header(b"".join(response.streaming_content))
            # The export's columns, in its order; then the API's detail fields that fit in a cell.
            assert header(files[f"{table}.csv"])[: len(exported)] == exported, table

    def test_schemas_match_the_models_and_the_files(self, first_release):
        package = json.loads((first_release.path / "datapackage.json").read_text())
        for resource, table in zip(package["resources"], tables.TABLES, strict=True):
            fields = resource["schema"]["fields"]
            assert [f["name"] for f in fields] == header((first_release.path / resource["path"]).read_bytes())
            for field, column in zip(fields, table.columns, strict=True):
                model_field = tables.model_field(table.representation, column)
                if model_field is None:
                    continue
                constraints = field.get("constraints", {})
                if model_field.choices and not model_field.is_relation:
                    assert constraints["enum"] == [value for value, _label in model_field.choices], field["name"]
                    assert [c["label"] for c in field["categories"]] == [
                        str(label) for _value, label in model_field.choices
                    ]
                if getattr(model_field, "max_length", None) and not model_field.is_relation:
                    assert constraints["maxLength"] == model_field.max_length, field["name"]
                if model_field.help_text:
                    assert str(model_field.help_text) in field["description"]
                if model_field.null or model_field.blank:
                    assert not constraints.get("required"), field["name"]
            assert set(resource["schema"]["primaryKey"]) <= {f["name"] for f in fields}

    def test_no_curator_field_or_account_anywhere(self, first_release):
        package = json.loads((first_release.path / "datapackage.json").read_text())
        names = {field["name"] for r in package["resources"] for field in r["schema"]["fields"]}
        assert not names & CURATOR_ONLY
        for name, data in every_file(first_release).items():
            text = data.decode("utf-8").lower()
            for marker in ("zqcuratornotezq", "zqprivatetextzq", "zqaccountzq", "zqmailzq", "curator_note"):
                assert marker not in text, f"{marker} in {name}"

    def test_every_published_entry_once(self, first_release):
        files = every_file(first_release)
        slugs = [row["slug"] for row in csv.DictReader(io.StringIO(files["cases.csv"].decode()))]
        assert sorted(slugs) == sorted(Intervention.objects.published().values_list("slug", flat=True))

    def test_citation_codebook_and_licence(self, first_release):
        files = every_file(first_release)
        assert b"cff-version: 1.2.0" in files["CITATION.cff"] and b'version: "1"' in files["CITATION.cff"]
        assert b"No licence has been chosen" in files["LICENCE.md"]
        for column in tables.CASE_ORGANISATION.columns:
            assert f"`{column.name}`".encode() in files["codebook.md"]
            assert f"<code>{column.name}</code>".encode() in files["codebook.html"]
        assert b"`campaign` (Campaign)" in files["codebook.md"]

    def test_the_data_page_lists_it_and_latest_points_to_it(self, first_release, client, settings):
        settings.RELEASES_DIR = str(first_release.path.parent)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/data/")
        assert page.status_code == 200 and len(queries) == 0  # read from the folder, not the database
        text = page.content.decode()
        for item in first_release.files:
            assert item["sha256"] in text and f"/data/v1/{item['name']}" in text
        assert client.get("/data/latest/")["Location"] == "/data/v1/"
        assert client.get("/data/latest/cases.csv")["Location"] == "/data/v1/cases.csv"
        response = client.get("/data/v1/cases.csv")
        assert b"".join(response.streaming_content) == (first_release.path / "cases.csv").read_bytes()
        assert client.get("/data/v1/").status_code == 200
        for missing in ("/data/v1/release.json.bak", "/data/v2/cases.csv", "/data/v1/nothing.csv", "/data/v9/"):
            assert client.get(missing).status_code == 404

    def test_a_release_is_never_overwritten(self, first_release):
        (first_release.path.parent / "v2").mkdir()  # another release claimed the next number meanwhile
        with pytest.raises(CommandError, match="never overwritten"):
            make(first_release.path.parent)
        (first_release.path.parent / "v2").rmdir()
        assert {stat.S_IMODE((first_release.path / item["name"]).stat().st_mode) for item in first_release.files} == {
            0o444
        }


def test_only_published_entries_and_their_public_rows(db, tmp_path):
    pub = surfaces.build_published()
    markers = {}
    for status in ("draft", "review", "withdrawn"):
        _world, made = surfaces.build_unpublished(status, pub)
        markers.update(made)
    release = make(tmp_path)
    for name, data in every_file(release).items():
        text = data.decode("utf-8").lower()
        for word, entry in markers.items():
            assert word not in text, f"{word} in {name}"
            assert entry.slug not in text, f"{entry.slug} in {name}"


def test_two_releases_differ_by_exactly_what_changed(db, tmp_path):
    source = f.SourceFactory(status="published", slug="src")
    org = f.OrganisationFactory(status="published", slug="org", source=source)
    other_org = f.OrganisationFactory(status="published", slug="other-org", source=source)
    case = f.InterventionFactory(status="published", slug="case-a", source=source)
    f.RoleFactory(intervention=case, organisation=org, kind="lead", source=source)
    f.InterventionFactory(status="published", slug="case-b", source=source)
    concept = f.ConceptFactory(status="published", slug="concept", source=source)
    make(tmp_path)

    org.name = "Renamed organisation"
    org.save()
    f.InterventionFactory(status="published", slug="case-c", source=source)
    concept.status = "withdrawn"
    concept.save()
    f.InterventionFactory(status="draft", slug="case-draft", source=source)
    second = make(tmp_path)

    summary = json.loads((second.path / "changes.json").read_text())
    assert summary["previous"] == "v1"
    changed = {
        name: {what: keys for what, keys in change.items() if keys}
        for name, change in summary["tables"].items()
        if any(change.values())
    }
    assert changed == {
        "organisations": {"changed": ["org"]},
        # case-a names its organisation: the rename shows in its row.
        "cases": {"added": ["case-c"], "changed": ["case-a"]},
        "concepts": {"removed": ["concept"]},
    }
    assert other_org.slug not in str(changed)
    assert b"| cases | 1 | 1 | 0 |" in (second.path / "CHANGES.md").read_bytes()
    assert [r.version for r in releases.releases(tmp_path)] == ["v2", "v1"]
