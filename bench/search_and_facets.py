"""Speed at scale, measured side by side in one run on a generated (synthetic) archive.

1. Faceted browsing, on SQLite: our filtered, faceted case list against Datasette serving the same cases
   as one denormalised table with the same facets (kind, stage, outcome, year, source, and the
   organisations, places, issues and tactics of each case as array facets), 25 rows a page on both.
   Target: ours sustains at least 2x Datasette's requests per second.
2. Search against a case page, on SQLite and on PostgreSQL: wrk rotates over a set of realistic queries
   (words, a phrase, an exclusion, `or`, a misspelling) and over a set of case pages.
   Target: search p95 latency at most 3x the case page's p95.

Our site runs under gunicorn as `make run` serves it (DEBUG=0, gunicorn.conf.py, 2 workers), with the
whole-page cache switched off so that every request is rendered; Datasette runs from its own virtualenv
(pinned below, never in the project's requirements). Each pair is measured in alternating rounds and
the medians are reported.

Environment: SIZE=full|small, DURATION (seconds per round), ROUNDS, CONNECTIONS, BENCH_WORK (a directory
to keep the generated databases and Datasette's virtualenv between runs), PG_URL (default
postgres://postgres@127.0.0.1:5432/la_bench; "skip" to skip PostgreSQL), PARTS (default
"lists,search-sqlite,search-pg": which comparisons to run).
"""

import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATASETTE_VERSION = "0.65.5"
SIZES = {
    "full": ["--interventions", "10000", "--organisations", "2000", "--events", "100000", "--evidence", "50000"],
    "small": ["--interventions", "1000", "--organisations", "200", "--events", "10000", "--evidence", "5000"],
}
SIZE = os.environ.get("SIZE", "full")
DURATION = int(os.environ.get("DURATION", "10"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "8"))
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "2"))
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/la_bench")
PARTS = os.environ.get("PARTS", "lists,search-sqlite,search-pg").split(",")
OUR_PORT, DATASETTE_PORT = 8036, 8037
SEARCHES = [
    "cadmium",
    "minimum wage",
    '"collective bargaining"',
    "strike compensation",
    "Guangdong -strike",
    "hukou or dormitory",
    "cadmuim",
    "occupational disease lawyer",
]
FACETS = ["kind", "stage", "outcome", "year", "source"]
ARRAY_FACETS = ["organisations", "places", "issues", "tactics"]


def say(text=""):
    print(text, flush=True)


def run(*args, env=None, **kwargs):
    return subprocess.run(args, check=True, env=env, cwd=ROOT, **kwargs)


def django_env(database_url):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    # As `make run` serves: the default settings with DEBUG=0.
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        CACHE_URL="locmem://",
        PAGE_CACHE_ENABLED="0",
        LOG_LEVEL="WARNING",
        REQUEST_LOG_LEVEL="WARNING",
        GUNICORN_ACCESSLOG="",
    )
    return env


def manage(env, *args):
    run(PYTHON, "manage.py", *args, env=env)


def build_archive(env, marker):
    """Migrate and generate the synthetic archive once; a marker file lets BENCH_WORK reuse it."""
    if marker.exists():
        say(f"  reusing the generated archive ({marker.name})")
        return
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    started = time.monotonic()
    manage(env, "generate_archive", *SIZES[SIZE])
    say(f"  generated in {time.monotonic() - started:.0f} s")
    marker.touch()


def export_for_datasette(source_db, target_db):
    """The published cases as one denormalised table, the way a data person would publish them."""
    if target_db.exists():
        target_db.unlink()
    con = sqlite3.connect(target_db)
    con.execute(f"ATTACH DATABASE '{source_db}' AS archive")

    def array(table, column, target, slug_table):
        return (
            f"(SELECT json_group_array(t.slug) FROM archive.{table} AS link "
            f"JOIN archive.{slug_table} AS t ON t.id = link.{target} WHERE link.{column} = i.id)"
        )

    con.executescript(
        f"""
        CREATE TABLE cases AS
        SELECT i.id, i.slug, i.title, i.summary, i.kind, i.stage, i.outcome,
               CAST(strftime('%Y', i.start_date) AS INTEGER) AS year,
               s.title AS source,
               {array("interventions_role", "intervention_id", "organisation_id", "organisations_organisation")}
                   AS organisations,
               {array("interventions_intervention_places", "intervention_id", "place_id", "core_place")} AS places,
               {array("interventions_intervention_issues", "intervention_id", "issue_id", "interventions_issue")}
                   AS issues,
               {array("interventions_intervention_tactics", "intervention_id", "tactic_id", "interventions_tactic")}
                   AS tactics
        FROM archive.interventions_intervention AS i JOIN archive.core_source AS s ON s.id = i.source_id
        WHERE i.status = 'published'
        ORDER BY i.start_date, i.title;
        CREATE INDEX cases_kind ON cases(kind);
        CREATE INDEX cases_stage ON cases(stage);
        CREATE INDEX cases_outcome ON cases(outcome);
        CREATE INDEX cases_year ON cases(year);
        CREATE INDEX cases_source ON cases(source);
        """
    )
    con.commit()
    count = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    con.close()
    return count


def datasette_metadata(path):
    facets = [*FACETS, *({"array": name} for name in ARRAY_FACETS)]
    metadata = {"databases": {"cases": {"tables": {"cases": {"facets": facets, "size": 25}}}}}
    path.write_text(json.dumps(metadata, indent=2))


def ensure_datasette(work):
    venv = work / "venv-datasette"
    binary = venv / "bin" / "datasette"
    if not binary.exists():
        say(f"  installing Datasette {DATASETTE_VERSION} into its own virtualenv")
        run(
            sys.executable if not os.environ.get("BASE_PYTHON") else os.environ["BASE_PYTHON"], "-m", "venv", str(venv)
        )
        run(str(venv / "bin" / "pip"), "install", "--quiet", f"datasette=={DATASETTE_VERSION}")
    return str(binary)


class Server:
    def __init__(self, name, args, env, port, log):
        self.name, self.args, self.env, self.port, self.log = name, args, env, port, log
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            self.args, env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited; see {self.log.name}") from None
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not start; see {self.log.name}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def gunicorn(env, log):
    args = [
        GUNICORN, "labourarchive.asgi", "--config", "gunicorn.conf.py",
        "--bind", f"127.0.0.1:{OUR_PORT}", "--workers", str(WORKERS),
    ]  # fmt: skip
    return Server("gunicorn", args, env, OUR_PORT, log)


def fetch(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
        return response.status, response.read().decode("utf-8", "replace")


def warm(port, paths, times=3):
    for _ in range(times):
        for path in paths:
            status, _body = fetch(port, path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")


RESULT = re.compile(r"RESULT (.*)")


def wrk(port, paths):
    env = dict(os.environ, WRK_PATHS="|".join(paths))
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "30s",
         "-s", str(ROOT / "bench" / "wrk_report.lua"), f"http://127.0.0.1:{port}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    fields = dict(item.split("=") for item in RESULT.search(out).group(1).split())
    return {key: float(value) for key, value in fields.items()}


def compare(label_a, port_a, paths_a, label_b, port_b, paths_b):
    """Alternate rounds of A and B; the medians of each."""
    runs = {label_a: [], label_b: []}
    for n in range(ROUNDS):
        for label, port, paths in ((label_a, port_a, paths_a), (label_b, port_b, paths_b)):
            result = wrk(port, paths)
            runs[label].append(result)
            say(
                f"    round {n + 1} {label:<34} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
                f"p95 {result['p95_ms']:7.1f} ms  errors {result['errors']:.0f}"
            )
    return {
        label: {key: statistics.median(r[key] for r in results) for key in results[0]}
        for label, results in runs.items()
    }


def line(label, result):
    return (
        f"  {label:<36} {result['rps']:8.1f} req/s   p50 {result['p50_ms']:7.1f} ms   p95 {result['p95_ms']:7.1f} ms"
        f"   errors {result['errors']:.0f}"
    )


def sample_paths(database_url, env):
    """Published case slugs and a busy organisation, read with the project's own code."""
    code = (
        "import json\n"
        "from django.db.models import Count\n"
        "from cases.interventions.models import Intervention\n"
        "from cases.organisations.models import Organisation\n"
        "cases = list(Intervention.objects.published().order_by('pk').values_list('slug', flat=True)[:400:40])\n"
        "org = (Organisation.objects.published().annotate(n=Count('roles')).order_by('-n', 'pk')"
        ".values_list('slug', flat=True).first())\n"
        "print(json.dumps({'cases': cases, 'organisation': org}))\n"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def search_paths():
    from urllib.parse import urlencode

    return ["/search/?" + urlencode({"q": q}) for q in SEARCHES]


def search_vs_detail(env, samples, log, database):
    detail = [f"/cases/{slug}/" for slug in samples["cases"]]
    search = search_paths()
    with gunicorn(env, log):
        warm(OUR_PORT, detail + search)
        say(f"  search vs a case page ({database})")
        medians = compare("search (8 queries)", OUR_PORT, search, "case page (10 cases)", OUR_PORT, detail)
    if not medians["search (8 queries)"]["requests"] or not medians["case page (10 cases)"]["requests"]:
        return medians, float("inf")
    ratio = medians["search (8 queries)"]["p95_ms"] / medians["case page (10 cases)"]["p95_ms"]
    return medians, ratio


def main():
    work = Path(os.environ.get("BENCH_WORK") or tempfile.mkdtemp(prefix="labourarchive-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log = open(work / "servers.log", "a")  # noqa: SIM115 (open for the servers' whole lifetime)
    say(f"Synthetic archive size: {SIZE} ({' '.join(SIZES[SIZE])}); work directory {work}")
    say(f"wrk: {ROUNDS} alternating rounds of {DURATION} s, {CONNECTIONS} connections; gunicorn {WORKERS} workers")
    summary = []

    # SQLite
    sqlite_db = work / f"archive-{SIZE}.sqlite3"
    sqlite_url = f"sqlite:///{sqlite_db}"
    env = django_env(sqlite_url)
    say("\nSQLite: building the archive")
    build_archive(env, work / f"archive-{SIZE}.sqlite3.done")
    run(PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0", env=env)
    datasette_db = work / "cases.db"
    count = export_for_datasette(sqlite_db, datasette_db)
    datasette_metadata(work / "metadata.json")
    say(f"  exported {count} published cases for Datasette")
    samples = sample_paths(sqlite_url, env)
    org = samples["organisation"]
    our_lists = [
        "/cases/?stage=campaign",
        f"/cases/?organisation={org}&stage=campaign",
    ]
    facets = "".join(f"&_facet={name}" for name in FACETS) + "".join(f"&_facet_array={n}" for n in ARRAY_FACETS)
    theirs = [
        f"/cases/cases?stage=campaign&_size=25{facets}",
        f"/cases/cases?organisations__arraycontains={org}&stage=campaign&_size=25{facets}",
    ]
    datasette = [
        ensure_datasette(work), "serve", str(datasette_db), "-h", "127.0.0.1", "-p", str(DATASETTE_PORT),
        "-m", str(work / "metadata.json"),
        "--setting", "facet_time_limit_ms", "20000", "--setting", "sql_time_limit_ms", "20000",
        "--setting", "default_facet_size", "30",
    ]  # fmt: skip
    with gunicorn(env, log), Server("datasette", datasette, dict(os.environ), DATASETTE_PORT, log):
        for ours, their in zip(our_lists, theirs, strict=True) if "lists" in PARTS else ():
            warm(OUR_PORT, [ours])
            status, body = fetch(DATASETTE_PORT, their)
            if "timed out" in body.lower():
                say("  warning: a Datasette facet timed out")
            warm(DATASETTE_PORT, [their])
            say(f"  case list {ours}  vs  Datasette {their.split('&_size')[0]}")
            medians = compare(
                "ours: faceted case list", OUR_PORT, [ours], "Datasette: faceted table", DATASETTE_PORT, [their]
            )
            ratio = medians["ours: faceted case list"]["rps"] / max(medians["Datasette: faceted table"]["rps"], 1e-9)
            if not medians["ours: faceted case list"]["requests"]:
                ratio = 0.0  # not one request finished within a round: say so rather than divide by zero
            summary.append(
                (
                    f"SQLite case list {ours}",
                    medians,
                    f"ours / Datasette req/s = {ratio:.2f} (target >= 2)",
                    ratio >= 2,
                )
            )

    if "search-sqlite" in PARTS:
        medians, ratio = search_vs_detail(env, samples, log, "SQLite")
        summary.append(
            (
                "SQLite search vs case page",
                medians,
                f"search p95 / case page p95 = {ratio:.2f} (target <= 3)",
                ratio <= 3,
            )
        )

    # PostgreSQL
    if PG_URL != "skip" and "search-pg" in PARTS:
        env = django_env(PG_URL)
        name = PG_URL.rsplit("/", 1)[1]
        marker = work / f"{name}-{SIZE}.done"
        if not marker.exists():
            admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
            for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                run("psql", admin, "-q", "-c", statement)
        say(f"\nPostgreSQL ({name}): building the archive")
        build_archive(env, marker)
        samples = sample_paths(PG_URL, env)
        medians, ratio = search_vs_detail(env, samples, log, "PostgreSQL")
        summary.append(
            (
                "PostgreSQL search vs case page",
                medians,
                f"search p95 / case page p95 = {ratio:.2f} (target <= 3)",
                ratio <= 3,
            )
        )

    say("\n=== Results (medians of the rounds) ===")
    for title, medians, verdict, ok in summary:
        say(f"{title}")
        for label, result in medians.items():
            say(line(label, result))
        errors = sum(result["errors"] for result in medians.values())
        warning = f" (but {errors:.0f} requests failed: the figures are unreliable)" if errors else ""
        say(f"  {verdict}: {'met' if ok else 'MISSED'}{warning}")
    log.close()
    if not os.environ.get("BENCH_WORK"):
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(ok for *_rest, ok in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
