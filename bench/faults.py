"""Fault drills under load: PostgreSQL stopped and started again; a gunicorn worker killed.

    bench/faults.sh worker      # kill -9 one worker under load (SQLite, harmless to anyone else)
    bench/faults.sh postgres    # stop the machine's PostgreSQL under load, then start it again
    bench/faults.sh             # both

The PostgreSQL drill stops the shared cluster for well under 30 seconds and always starts it again on
exit (even on Ctrl-C or a failure): anything else using that server sees errors meanwhile.

Each step prints PASS or FAIL; the exit status is non-zero if any step failed.
"""

import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import Gunicorn, environment, fetch, prepare, reset_postgres, say  # noqa: E402

PORT = int(os.environ.get("PORT", "8073"))
PG_VERSION = os.environ.get("PG_VERSION") or sorted(os.listdir("/etc/postgresql"))[0]
PG_URL = os.environ.get("FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/la_faults")
TIMEOUT = 10.0  # a reader who waits longer than this has been failed, whatever the status
results = []


def step(name, ok, detail=""):
    results.append(ok)
    say(f"  [{'PASS' if ok else 'FAIL'}] {name}" + (f": {detail}" if detail else ""))


class Load:
    """Readers hammering the site on keep-alive connections, recording every outcome with its time.

    Like a browser, a reader whose *reused* connection turns out to have been closed before any byte of
    a response arrived sends the (idempotent) GET again once on a new connection; those retries are
    counted separately, so the raw numbers are printed too.
    """

    def __init__(self, port, paths, readers=16):
        self.port, self.paths, self.readers = port, paths, readers
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.outcomes = []  # (start, end, path, outcome)
        self.retries = 0
        self.threads = []
        self.counter = 0

    def _path(self, path):
        with self.lock:
            self.counter += 1
            return path.replace("{n}", str(self.counter))

    def _one(self, connection, path):
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return response.status, body

    def _reader(self, index):
        connection = None
        fresh = True
        while not self.stop_event.is_set():
            path = self._path(self.paths[index % len(self.paths)])
            index += 1
            start = time.monotonic()
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
                fresh = True
            try:
                try:
                    status, body = self._one(connection, path)
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                    if fresh:
                        raise
                    connection.close()
                    with self.lock:
                        self.retries += 1
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
                    status, body = self._one(connection, path)
                fresh = False
                outcome = str(status)
                if b"Traceback" in body:
                    outcome += "+traceback"
            except TimeoutError:
                outcome = "timeout"
                connection.close()
                connection = None
            except OSError as error:
                outcome = type(error).__name__
                connection.close()
                connection = None
            except http.client.HTTPException as error:
                outcome = type(error).__name__
                connection.close()
                connection = None
            with self.lock:
                self.outcomes.append((start, time.monotonic(), path, outcome))
            if outcome not in {"200", "503"}:
                time.sleep(0.01)

    def __enter__(self):
        for index in range(self.readers):
            thread = threading.Thread(target=self._reader, args=(index,), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(TIMEOUT + 5)

    def between(self, start, end):
        with self.lock:
            return [o for o in self.outcomes if start <= o[0] < end]


def summary(outcomes):
    return dict(Counter(o[3] for o in outcomes).most_common())


def timed_fetch(url):
    start = time.monotonic()
    try:
        status, body, headers = fetch(url, timeout=TIMEOUT)
    except OSError as error:
        return type(error).__name__, b"", {}, time.monotonic() - start
    return status, body, headers, time.monotonic() - start


def pg(action):
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            PG_VERSION,
            "main",
            action,
            *(["-m", "fast"] * (action == "stop")),
        ],
        check=True,
    )


def pg_ready():
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0


def sample_paths(server):
    _, home, _ = fetch(server.base + "/")
    # A case page, by the first case link on the home page.
    text = home.decode()
    marker = 'href="/cases/'
    start = text.index(marker, text.index("<main")) + len('href="')
    case = text[start : text.index('"', start)]
    return case


def drill_worker(workdir):
    say("Worker killed under load (kill -9 one gunicorn worker while 16 readers hammer the site)")
    env = environment(f"sqlite:///{workdir / 'faults.sqlite3'}", f"file://{workdir / 'cache'}")
    prepare(env)
    with Gunicorn(env, PORT, workers=2, log_path=workdir / "gunicorn-worker.log") as server:
        case = sample_paths(server)
        # Half the readers get cached pages, half force a render (a query string no view reads).
        paths = ["/", case, case + "?render={n}", "/cases/?stage=campaign&render={n}"]
        with Load(server.port, paths) as load:
            time.sleep(3)
            victim = server.worker_pids()[0]
            killed_at = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            say(f"  killed worker {victim}")
            time.sleep(5)
            replaced = victim not in server.worker_pids() and len(server.worker_pids()) == 2
        everything = load.outcomes
        failed = [o for o in everything if o[3] != "200"]
        in_flight = [o for o in failed if o[0] <= killed_at]
        say(f"  requests: {len(everything)}, outcomes {summary(everything)}")
        say(
            f"  failed: {len(failed)} (sent before the kill, i.e. in flight: {len(in_flight)});"
            f" reused connections found closed and retried once, as browsers do: {load.retries}"
        )
        say(f"  without that retry: {len(failed) + load.retries} failed")
        step("the killed worker was replaced by a new one", replaced)
        # The asgi worker serves every connection it holds at once: at most all the readers' requests.
        limit = int(env.get("GUNICORN_THREADS", "4")) if env.get("GUNICORN_WORKER_CLASS") == "gthread" else 16
        step(
            "no request failed beyond those the killed worker was serving",
            len(failed) == len(in_flight) and len(failed) <= limit,
            f"{len(failed)} failed, at most {limit} can be in flight on one worker",
        )
        after = [o for o in everything if o[0] > killed_at + 1]
        step("everything after the kill answered 200", all(o[3] == "200" for o in after), summary(after))


def drill_postgres(workdir):
    say(f"PostgreSQL stopped under load ({PG_URL.rsplit('/', 1)[1]} on the cluster {PG_VERSION}/main)")
    if not pg_ready():
        step("PostgreSQL is running before the drill", False)
        return
    reset_postgres(PG_URL)
    env = environment(PG_URL, f"file://{workdir / 'cache'}")
    prepare(env)
    with Gunicorn(env, PORT, workers=2, log_path=workdir / "gunicorn-postgres.log") as server:
        case = sample_paths(server)
        fetch(server.base + case)  # cached from now on
        uncached = case + "?render=probe"
        paths = [case, case + "?render={n}", "/cases/?stage=campaign&render={n}", "/health/"]
        with Load(server.port, paths) as load:
            time.sleep(3)
            before = load.between(0, time.monotonic())
            step(
                "under load with the database up: every request 200", set(summary(before)) == {"200"}, summary(before)
            )

            stopped_at = time.monotonic()
            try:
                pg("stop")
                say(f"  PostgreSQL stopped ({time.monotonic() - stopped_at:.1f} s)")
                time.sleep(2)
                status, body, headers, took = timed_fetch(server.base + uncached)
                step(
                    "an uncached page answers the designed 503 quickly",
                    status == 503 and b"Temporarily unavailable" in body and took < 5,
                    f"{status} in {took:.2f} s, Retry-After {headers.get('Retry-After')}",
                )
                step("no traceback or error detail in the 503", b"Traceback" not in body and b"psycopg" not in body)
                status, body, _, took = timed_fetch(server.base + "/health/")
                step("/health/ answers 503", status == 503, f"{status} in {took:.2f} s: {body.decode()[:80]}")
                status, _, headers, took = timed_fetch(server.base + case)
                say(f"  (a page already in the shared cache: {status} {headers.get('X-Cache', '')} in {took:.2f} s)")
                time.sleep(3)
            finally:
                restarted_at = time.monotonic()
                pg("start")
                while not pg_ready() and time.monotonic() - restarted_at < 30:
                    time.sleep(0.2)
                say(f"  PostgreSQL started again after {restarted_at - stopped_at:.1f} s down")
            during = load.between(stopped_at + 0.5, restarted_at)
            slow = [o for o in during if o[1] - o[0] > 5]
            step(
                "during the outage every reader got 503 or a cached 200, none waited > 5 s",
                set(summary(during)) <= {"200", "503"} and not slow,
                summary(during),
            )
            recovered_at = None
            while time.monotonic() - restarted_at < 30:
                status, _, _, _ = timed_fetch(server.base + uncached)
                if status == 200 and fetch(server.base + "/health/")[0] == 200:
                    recovered_at = time.monotonic()
                    break
                time.sleep(0.2)
            step(
                "the site recovered by itself (no restart)",
                recovered_at is not None,
                f"{recovered_at - restarted_at:.1f} s after PostgreSQL was back" if recovered_at else "not in 30 s",
            )
            time.sleep(3)
            settled = load.between((recovered_at or time.monotonic()) + 1, time.monotonic())
            step("under load after recovery: every request 200", set(summary(settled)) == {"200"}, summary(settled))


def main():
    which = sys.argv[1:] or ["worker", "postgres"]
    workdir = Path(tempfile.mkdtemp(prefix="la-faults-"))
    try:
        if "worker" in which:
            drill_worker(workdir)
        if "postgres" in which:
            drill_postgres(workdir)
    finally:
        if "postgres" in which and not pg_ready():
            pg("start")
        shutil.rmtree(workdir, ignore_errors=True)
    say("RESULT: " + ("PASS" if results and all(results) else "FAIL"))
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
