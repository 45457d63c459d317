"""Load test: the archive's pages under wrk, side by side with a static file of the same bytes.

Starts gunicorn as `make run` does (DEBUG=0, gunicorn.conf.py) on a fresh database loaded with the
canonical fixtures, writes the home page's bytes into STATIC_ROOT so WhiteNoise in the same server
serves them as a plain file (the floor no dynamic page can beat), warms the page cache, then runs
wrk on each URL in turn, in several rounds, and prints requests per second, latency, errors, the ratio to
the static floor, the workers' CPU time per request, and their resident memory at the start, middle and
end of the run.

On a machine that runs other work the load on it changes from one minute to the next, so one URL measured
once against a floor measured a minute later can be off by a factor of several. Each round therefore
starts one page later than the one before, the ratio is taken within each round, and the report gives
medians. CPU milliseconds per request (from /proc) hardly depend on what else runs: a page that is slow
for a reason of its own shows there, not only in requests per second.

    bench/load.sh                    # 3 rounds of 20 s per URL at 64 connections, SQLite
    DURATION=5 ROUNDS=2 bench/load.sh  # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/la_load CACHE_URL=redis://127.0.0.1:6379/1 bench/load.sh
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import PYTHON, ROOT, Gunicorn, environment, fetch, prepare, reset_postgres, say  # noqa: E402

DURATION = int(os.environ.get("DURATION", "20"))  # seconds per URL and round
ROUNDS = max(1, int(os.environ.get("ROUNDS", "3")))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "64"))
THREADS = int(os.environ.get("WRK_THREADS", "2"))
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "2"))
PORT = int(os.environ.get("PORT", "8071"))
FLOOR_DIR = ROOT / "staticfiles" / "bench"
FLOOR_FILE = FLOOR_DIR / "home.html"
# Targets the run is judged by.
MIN_RATIO_TO_FLOOR = 0.5
MAX_MEMORY_GROWTH = 0.10


def sample_urls(env):
    """A case and a position that exist in the loaded archive."""
    code = (
        "from cases.interventions.models import Intervention as I; from cases.scholarship.models import Position as P;"
        "print(I.objects.published().order_by('slug').first().get_absolute_url());"
        "print(P.objects.published().order_by('slug').first().get_absolute_url())"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    case, position = out.stdout.split()[-2:]
    return case, position


def parse_wrk(output):
    def seconds(value, unit):
        return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]

    result = {"rps": 0.0, "p50": None, "p99": None, "requests": 0, "non2xx": 0, "socket_errors": 0}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = float(match.group(1))
    if match := re.search(r"(\d+) requests in", output):
        result["requests"] = int(match.group(1))
    for pct in ("50", "99"):
        if match := re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M):
            result[f"p{pct}"] = seconds(*match.groups())
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["non2xx"] = int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result["socket_errors"] = sum(int(n) for n in match.groups())
    return result


def wrk(url):
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(out.stdout)


def measure(server, path):
    cpu = server.worker_cpu_seconds()
    result = wrk(server.base + path)
    used = server.worker_cpu_seconds() - cpu
    result["cpu_ms"] = used * 1000 / result["requests"] if result["requests"] else None
    return result


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_ms(value):
    return "-" if value is None else f"{value * 1000:.1f}"


def main():
    workdir = Path(tempfile.mkdtemp(prefix="la-load-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'load.sqlite3'}"
    cache_url = os.environ.get("CACHE_URL") or ""
    env = environment(database_url, cache_url or None, WEB_CONCURRENCY=WORKERS, GUNICORN_ACCESSLOG="-")
    if database_url.startswith("postgres"):
        reset_postgres(database_url)
    say(f"Preparing the archive ({database_url.split('@')[-1]}; cache {cache_url or 'default (files)'})")
    prepare(env)
    case, position = sample_urls(env)
    log = workdir / "gunicorn.log"
    server = Gunicorn(env, PORT, workers=WORKERS, log_path=log)

    # The floor: the home page's bytes, written where WhiteNoise serves static files from.
    with server:
        status, home, _ = fetch(server.base + "/")
        assert status == 200, f"home page answered {status}"
    FLOOR_DIR.mkdir(parents=True, exist_ok=True)
    FLOOR_FILE.write_bytes(home)

    pages = [
        ("home", "/"),
        ("filtered list", "/cases/?stage=campaign"),
        ("case", case),
        ("position", position),
        ("search", "/search/?q=cadmium"),
        ("static floor", "/static/bench/home.html"),
    ]
    memory = []
    try:
        with server:
            runnable = []
            for label, path in pages:
                status, body, headers = fetch(server.base + path)
                for _ in range(3):  # warm every worker's imports and the shared page cache
                    fetch(server.base + path)
                if status == 404:
                    say(f"  skipping {label} ({path}): 404 here (not built yet)")
                    continue
                if status != 200:
                    say(f"  {label} ({path}) answered {status}: measured anyway, it will count as errors")
                runnable.append((label, path, len(body), fetch(server.base + path)[2].get("X-Cache", "-")))
            memory.append(("start", server.worker_rss_kib()))
            results = {label: [] for label, *_ in runnable}
            runs = [
                # Each round starts one page later: no page is always measured at the same point of the run.
                (number, label, path)
                for number in range(ROUNDS)
                for label, path, *_ in runnable[number % len(runnable) :] + runnable[: number % len(runnable)]
            ]
            for index, (number, label, path) in enumerate(runs):
                if index == len(runs) // 2:
                    memory.append(("middle", server.worker_rss_kib()))
                say(f"  round {number + 1}/{ROUNDS}: wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}s {path}")
                results[label].append(measure(server, path))
            memory.append(("end", server.worker_rss_kib()))
    finally:
        shutil.rmtree(FLOOR_DIR, ignore_errors=True)

    floor = results.get("static floor", [])
    say()
    say(
        f"gunicorn: {WORKERS} workers ({os.environ.get('GUNICORN_WORKER_CLASS', 'asgi')}),"
        f" wrk {ROUNDS} rounds of {DURATION}s x {CONNECTIONS} connections; medians of the rounds"
    )
    say(
        f"{'page':<15} {'bytes':>7} {'cache':>5} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7} {'x floor':>8}"
        f" {'cpu ms':>7}  non-2xx/socket  x floor by round"
    )
    failures = []
    for label, _path, size, cache_state in runnable:
        runs = results[label]
        non2xx, socket_errors = sum(r["non2xx"] for r in runs), sum(r["socket_errors"] for r in runs)
        errors = non2xx + socket_errors
        # Within each round, against the floor measured in that round.
        ratios = [r["rps"] / f["rps"] if f["rps"] else 0 for r, f in zip(runs, floor, strict=False)]
        ratio = median(ratios) or 0
        say(
            f"{label:<15} {size:>7} {cache_state:>5} {median([r['rps'] for r in runs]):>9.0f}"
            f" {fmt_ms(median([r['p50'] for r in runs])):>7} {fmt_ms(median([r['p99'] for r in runs])):>7}"
            f" {errors:>7} {ratio:>8.2f} {fmt_cpu(median([r['cpu_ms'] for r in runs])):>7}"
            f"  {f'{non2xx}/{socket_errors}':<14}  {' '.join(f'{x:.2f}' for x in ratios)}"
        )
        if errors:
            failures.append(f"{label}: {errors} errors")
        if label != "static floor" and cache_state == "HIT" and ratio < MIN_RATIO_TO_FLOOR:
            failures.append(f"{label}: {ratio:.2f} x the static floor (target >= {MIN_RATIO_TO_FLOOR})")
    say()
    say("worker RSS (MiB): " + "; ".join(f"{when} {fmt_rss(sizes)}" for when, sizes in memory))
    start = statistics.mean(memory[0][1].values()) if memory[0][1] else 0
    end = statistics.mean(memory[-1][1].values()) if memory[-1][1] else 0
    growth = (end - start) / start if start else 0
    say(f"mean worker RSS change start->end: {growth:+.1%} (target within {MAX_MEMORY_GROWTH:.0%})")
    if growth > MAX_MEMORY_GROWTH:
        failures.append(f"worker memory grew {growth:+.1%}")
    say(f"targets: zero errors; cached pages >= {MIN_RATIO_TO_FLOOR} x static floor; memory flat")
    say("RESULT: " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if not failures else 1


def fmt_cpu(value):
    return "-" if value is None else f"{value:.2f}"


def fmt_rss(sizes):
    return "[" + ", ".join(f"{kib / 1024:.0f}" for _, kib in sorted(sizes.items())) + "]"


if __name__ == "__main__":
    sys.exit(main())
