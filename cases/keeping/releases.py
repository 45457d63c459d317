"""Versioned open-data releases: a Frictionless Data Package of the published archive, written once, never changed.

A release is a folder `v<n>` in RELEASES_DIR holding one CSV per table (cases/keeping/tables.py), the
`datapackage.json` describing them, a codebook (`codebook.md`, `codebook.html`), `CITATION.cff`, `LICENCE.md`,
the changes since the previous release (`CHANGES.md`, `changes.json`), `SHA256SUMS` and `release.json` (number,
date, every file's size and SHA-256). Its folder is claimed first (a folder that exists is never written
again) and its manifest written last: a folder without one is not listed, so no reader sees half a release.
"""

import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from . import codebook
from .tables import TABLES, table_schema

NAME = "labour-ngo-case-archive"
TITLE = "Labour NGO Case Archive"
DESCRIPTION = (
    "Case studies of labour NGOs in China and Hong Kong, the organisations involved, the scholarly positions the "
    "cases support or challenge, the concepts and places they refer to, and the sources everything rests on. "
    "Only published entries are included."
)
_VERSION = re.compile(r"^v(\d+)$")
MANIFEST = "release.json"
MIRROR_ZIP = "mirror.zip"


class ReleaseExists(Exception):
    pass


@dataclass(frozen=True)
class Release:
    """A release on disk, as its manifest describes it."""

    path: Path
    number: int
    date: str
    files: list  # [{"name", "bytes", "sha256"}]
    previous: str | None = None

    @property
    def version(self):
        return f"v{self.number}"

    def file(self, name):
        return next((f for f in self.files if f["name"] == name), None)

    @property
    def total_bytes(self):
        return sum(f["bytes"] for f in self.files)


def releases_dir():
    return Path(settings.RELEASES_DIR)


def releases(root=None):
    """Every complete release, newest first."""
    root = Path(root) if root is not None else releases_dir()
    found = []
    if not root.is_dir():
        return found
    for path in root.iterdir():
        match = _VERSION.match(path.name)
        manifest = path / MANIFEST
        if not match or not manifest.is_file():
            continue
        data = json.loads(manifest.read_text(encoding="utf-8"))
        found.append(Release(path, int(match.group(1)), data["date"], data["files"], data.get("previous")))
    return sorted(found, key=lambda release: release.number, reverse=True)


def find(version, root=None):
    return next((release for release in releases(root) if release.version == version), None)


# --- Writing ------------------------------------------------------------------------------------------------------


def cell(value):
    """A value as a CSV cell: null empty, booleans true/false, lists joined with "; "."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join("" if item is None else str(item) for item in value)
    return str(value)


def table_rows(table):
    """[{column: cell text}] of a table, in primary-key order."""
    rows = []
    for record in table.records():
        rows.append(
            {column.name: cell(column.cell_value(record[column.name])) for column in table.columns},
        )
    return rows


def write_csv(table, rows):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column.name for column in table.columns])
    for row in rows:
        writer.writerow([row[column.name] for column in table.columns])
    return out.getvalue().encode("utf-8")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def key_of(table, row):
    return "|".join(row[name] for name in table.primary_key)


def changes(tables_rows, previous):
    """{table: {"added": [keys], "changed": [keys], "removed": [keys]}} against the previous release (or None)."""
    summary = {}
    for table, rows in tables_rows:
        now = {key_of(table, row): row for row in rows}
        before = {}
        if previous is not None and (previous.path / f"{table.name}.csv").is_file():
            before = {key_of(table, row): row for row in read_csv(previous.path / f"{table.name}.csv")}
        summary[table.name] = {
            "added": sorted(now.keys() - before.keys()),
            "changed": sorted(key for key in now.keys() & before.keys() if now[key] != before[key]),
            "removed": sorted(before.keys() - now.keys()),
        }
    return summary


def changes_markdown(summary, number, previous):
    lines = [f"# Changes in release v{number}", ""]
    if previous is None:
        lines += ["The first release: every row is new.", ""]
    else:
        lines += [f"Compared with release {previous.version} ({previous.date}).", ""]
    lines += ["| table | added | changed | removed |", "|---|---:|---:|---:|"]
    for name, change in summary.items():
        lines.append(f"| {name} | {len(change['added'])} | {len(change['changed'])} | {len(change['removed'])} |")
    for name, change in summary.items():
        for what in ("added", "changed", "removed"):
            if change[what] and previous is not None:
                lines += ["", f"## {name}: {what}", ""] + [f"- `{key}`" for key in change[what]]
    return "\n".join(lines) + "\n"


def citation_cff(number, date, site):
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use this data, cite it as below, and cite the original publications it rests on '
        '(sources.csv)."',
        "type: dataset",
        f'title: "{TITLE}: open data, release v{number}"',
        f'version: "{number}"',
        f"date-released: {date[:10]}",
        "authors:",
        f'  - name: "{TITLE}"',
        f'abstract: "{DESCRIPTION}"',
    ]
    if site:
        lines += [f'url: "{site}/"', f'repository-artifact: "{site}/data/v{number}/"']
    return "\n".join(lines) + "\n"


LICENCE = """# Licence

No licence has been chosen for the archive's content: neither the project's README nor the archive's About page
states one. What the About page says about reuse is:

> Cite the original publications listed under Sources; the archive is a guide to them, not a substitute.

The quotations in these files (evidence, stances, key quotations) are short extracts of the works listed in
`sources.csv`, whose rights stay with their authors and publishers. Until the archive states a licence, ask its
maintainers before reusing this data beyond what the law allows without permission.
"""


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def _write_mirror(target, number, date, site):
    """Render the mirror into a scratch folder beside the release, zip it into the release: (size, SHA-256)."""
    from . import mirror  # renders pages through the site: only when a release asks for it

    scratch = target.parent / f".{target.name}-mirror"
    mirror.remove(scratch)
    try:
        mirror.build(scratch, mirror.Stamp.now(release_number=number, release_date=date), site_url=site)
        path = mirror.zip_folder(scratch, target / MIRROR_ZIP)
    finally:
        mirror.remove(scratch)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    os.chmod(path, 0o444)
    return path.stat().st_size, digest.hexdigest()


def make_release(*, root=None, site="", now=None, mirror=False):
    """Write the next release and return it; ReleaseExists if its folder appeared meanwhile.

    With `mirror`, the release holds a static copy of the site made with it (MIRROR_ZIP, cases/keeping/mirror.py),
    whose pages name this release.
    """
    root = Path(root) if root is not None else releases_dir()
    root.mkdir(parents=True, exist_ok=True)
    existing = releases(root)
    previous = existing[0] if existing else None
    number = previous.number + 1 if previous else 1
    date = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    target = root / f"v{number}"
    if target.exists():
        raise ReleaseExists(f"{target.name} exists already: a release is never overwritten.")

    files = {}
    tables_rows = [(table, table_rows(table)) for table in TABLES]
    resources = []
    for table, rows in tables_rows:
        data = write_csv(table, rows)
        files[f"{table.name}.csv"] = data
        resources.append(
            {
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "path": f"{table.name}.csv",
                "type": "table",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": f"sha256:{sha256(data)}",
                "dialect": {"header": True, "delimiter": ",", "quoteChar": '"'},
                "schema": table_schema(table, absolute=bool(site)),
            }
        )
    package = {
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": str(number),
        "created": date,
        "resources": resources,
    }
    if site:
        package["homepage"] = f"{site}/"
    summary = changes(tables_rows, previous)
    counts = {table.name: len(rows) for table, rows in tables_rows}
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files["codebook.md"] = codebook.markdown(package, counts).encode("utf-8")
    files["codebook.html"] = codebook.html(package, counts).encode("utf-8")
    files["CITATION.cff"] = citation_cff(number, date, site).encode("utf-8")
    files["LICENCE.md"] = LICENCE.encode("utf-8")
    files["CHANGES.md"] = changes_markdown(summary, number, previous).encode("utf-8")
    previous_version = previous.version if previous else None
    files["changes.json"] = (
        json.dumps({"previous": previous_version, "tables": summary}, ensure_ascii=False, indent=2) + "\n"
    ).encode("utf-8")
    try:
        target.mkdir()  # claims the number: fails if another release took it meanwhile
    except FileExistsError as error:
        raise ReleaseExists(f"{target.name} exists already: a release is never overwritten.") from error
    digests = {name: (len(data), sha256(data)) for name, data in files.items()}
    if mirror:
        digests[MIRROR_ZIP] = _write_mirror(target, number, date, site)
    sums = "".join(f"{digest}  {name}\n" for name, (_size, digest) in sorted(digests.items())).encode()
    files["SHA256SUMS"] = sums
    digests["SHA256SUMS"] = (len(sums), sha256(sums))
    listing = [{"name": name, "bytes": size, "sha256": digest} for name, (size, digest) in digests.items()]
    manifest = {"number": number, "version": f"v{number}", "date": date, "previous": previous_version}
    manifest["files"] = listing

    # The manifest last: a folder without one is not (yet) a release, and is never listed.
    for name, data in [*files.items(), (MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())]:
        (target / name).write_bytes(data)
        os.chmod(target / name, 0o444)
    return find(target.name, root)
