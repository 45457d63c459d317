"""Slow clients cannot stop the site, reached directly or through nginx; gunicorn's control socket is no one's but
its own instance's.

Starts, on loopback, one instance as production runs it (`gunicorn labourarchive.asgi --config gunicorn.conf.py`,
two workers) and nginx in front of it with deploy/nginx-proxy.conf. For SLOW_CLIENT_SECONDS (20 by default; the
report that led to this test used 60), 32 connections to gunicorn and 32 through nginx each send a request's
first line and then one header line every 2 seconds (SLOW_CLIENT_DRIP), never finishing; meanwhile the page is
requested from gunicorn and through nginx in turn, a quarter second between rounds, and every answer must come
within a second. (The report dripped every 5 seconds; gunicorn's threaded worker gives a thread back after 5
seconds without data, so 2 keeps every thread waiting.) A threaded (gthread) worker fails this: to see it,
GUNICORN_WORKER_CLASS=gthread pytest -m deploy -k slow_clients.

The page (/about/) reads nothing from the database, so the instance runs on an empty SQLite file; the page cache
is off, so every probe is rendered.
"""

import http.client
import os
import socket
import ssl
import statistics
import threading
import time

import pytest

from tests.deploy.servers import (
    collected_static,
    free_port,
    gunicorn_log,
    production_env,
    require,
    start_gunicorn,
    start_nginx,
    stop,
    tls_context,
    wait_for,
)

pytestmark = pytest.mark.deploy

SLOW_CONNECTIONS = 32
WINDOW = float(os.environ.get("SLOW_CLIENT_SECONDS", "20"))
DRIP_EVERY = float(os.environ.get("SLOW_CLIENT_DRIP", "2"))
PROBE_PAGE = "/about/"
PROBE_TIMEOUT = 1.0


def wait_until_serving(port, workdir, name):
    wait_for(lambda: probe(port)[0] == 200, what=lambda: f"gunicorn {name} ({gunicorn_log(workdir, name)})")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require("nginx", "openssl")
    workdir = tmp_path_factory.mktemp("slow-clients")
    home, runtime = workdir / "home", workdir / "run"
    home.mkdir()
    runtime.mkdir()
    env = production_env(
        DATABASE_URL=f"sqlite:///{workdir / 'empty.sqlite3'}",
        CACHE_URL="locmem://",
        PAGE_CACHE_ENABLED="0",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        WEB_CONCURRENCY="2",
        LOG_LEVEL="WARNING",
        # Where gunicorn would put its control socket by default: checked below.
        HOME=str(home),
        XDG_RUNTIME_DIR=str(runtime),
    )
    collected_static(env)
    ports = {"gunicorn": free_port(), "nginx": free_port()}
    processes = []
    try:
        processes.append(start_gunicorn(env, ports["gunicorn"], workdir, "site"))
        wait_until_serving(ports["gunicorn"], workdir, "site")
        processes.append(start_nginx(workdir, [ports["gunicorn"]], ports["nginx"]))
        wait_for(lambda: probe(ports["nginx"], tls=True)[0] == 200, what="nginx")
        warm(ports["gunicorn"])
        yield {**ports, "env": env, "workdir": workdir, "home": home, "runtime": runtime}
    finally:
        stop(processes)


def warm(port):
    """Every worker has rendered the page once: the first rendering in a process compiles the templates, which
    takes a second or more on a busy machine, slow clients or not."""
    fast, deadline = 0, time.monotonic() + 30
    while fast < 10 and time.monotonic() < deadline:
        status, elapsed = probe(port)
        fast = fast + 1 if status == 200 and elapsed < 0.3 else 0


def probe(port, tls=False):
    """(status, seconds) of one request for the page on a new connection, or (None, seconds) past the timeout."""
    started = time.monotonic()
    if tls:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=PROBE_TIMEOUT, context=tls_context())
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PROBE_TIMEOUT)
    headers = {"Host": "localhost"}
    if not tls:
        headers["X-Forwarded-Proto"] = "https"  # as nginx says it
    try:
        connection.request("GET", PROBE_PAGE, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    except OSError:
        return None, time.monotonic() - started
    finally:
        connection.close()


class SlowClients:
    """Connections that send a request's first line, then one header line every DRIP_EVERY seconds, never ending
    the headers. One the server closes is opened again, as an attacker would; `lifetimes` records how long each
    closed one had been held."""

    def __init__(self, port, count, tls=False):
        self.port, self.count, self.tls = port, count, tls
        self.sockets, self.opened_at, self.lifetimes = [], [], []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def open(self):
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        if self.tls:
            sock = tls_context().wrap_socket(sock, server_hostname="localhost")
        sock.sendall(f"GET {PROBE_PAGE} HTTP/1.1\r\nHost: localhost\r\n".encode())
        return sock

    def __enter__(self):
        self.sockets = [self.open() for _ in range(self.count)]
        self.opened_at = [time.monotonic()] * self.count
        self.thread.start()
        return self

    def run(self):
        while not self.stop.wait(DRIP_EVERY):
            for index, sock in enumerate(self.sockets):
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    self.lifetimes.append(time.monotonic() - self.opened_at[index])
                    sock.close()
                    self.sockets[index], self.opened_at[index] = self.open(), time.monotonic()

    def held(self):
        """How many connections the server still holds open, having neither answered nor closed them."""
        self.stop.set()
        self.thread.join()
        held = 0
        for index, sock in enumerate(self.sockets):
            sock.setblocking(False)
            try:
                sock.recv(1)  # an answer (a 408) or the end of the stream: no longer held
                self.lifetimes.append(time.monotonic() - self.opened_at[index])
            except (BlockingIOError, ssl.SSLWantReadError):
                held += 1  # nothing to read yet
            except OSError:
                self.lifetimes.append(time.monotonic() - self.opened_at[index])
        return held

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        for sock in self.sockets:
            sock.close()


def test_slow_clients_do_not_stop_others_being_served_directly_or_through_nginx(site):
    results = {"gunicorn": [], "nginx": []}
    with (
        SlowClients(site["gunicorn"], SLOW_CONNECTIONS) as direct,
        SlowClients(site["nginx"], SLOW_CONNECTIONS, tls=True) as proxied,
    ):
        deadline = time.monotonic() + WINDOW
        while time.monotonic() < deadline:
            for name, tls in (("gunicorn", False), ("nginx", True)):
                results[name].append(probe(site[name], tls=tls))
            time.sleep(0.25)
        held = {"gunicorn": direct.held(), "nginx": proxied.held()}

    for name, probes in results.items():
        seconds = [elapsed for _, elapsed in probes]
        print(
            f"{name}: {len(probes)} probes in {WINDOW:.0f} s with {SLOW_CONNECTIONS} slow connections "
            f"({held[name]} still held at the end): median {statistics.median(seconds) * 1000:.0f} ms, "
            f"max {max(seconds) * 1000:.0f} ms"
        )
        late = [(status, round(elapsed, 2)) for status, elapsed in probes if status != 200]
        assert not late, f"{len(late)} of {len(probes)} probes ({name}) not answered in {PROBE_TIMEOUT} s: {late[:5]}"
        assert len(probes) >= WINDOW  # probes kept coming, about two a second each way
    # The slow connections were there all along: gunicorn neither answered nor dropped one. nginx ends a request
    # whose headers are still unfinished after client_header_timeout (60 s), and the attacker opens another.
    assert held["gunicorn"] == SLOW_CONNECTIONS and not direct.lifetimes
    assert min(proxied.lifetimes, default=WINDOW) >= min(WINDOW, 60) - DRIP_EVERY - 1


def test_gunicorn_opens_no_control_socket_unless_given_a_path_of_its_own(site):
    # The default path is one per user: $XDG_RUNTIME_DIR/gunicorn.ctl, else ~/.gunicorn/gunicorn.ctl.
    assert not (site["runtime"] / "gunicorn.ctl").exists()
    assert not (site["home"] / ".gunicorn").exists()


def test_two_instances_on_one_machine_each_answer_on_their_own_control_socket(site):
    from gunicorn.ctl.client import ControlClient, parse_command

    workdir, processes, sockets = site["workdir"], [], {}
    try:
        for name in ("a", "b"):
            port = free_port()
            sockets[name] = (workdir / f"control-{name}.ctl", port)
            env = {**site["env"], "WEB_CONCURRENCY": "1", "GUNICORN_CONTROL_SOCKET": str(sockets[name][0])}
            processes.append(start_gunicorn(env, port, workdir, f"control-{name}"))
        for name, (_, port) in sockets.items():
            wait_until_serving(port, workdir, f"control-{name}")
        wait_for(lambda: all(path.exists() for path, _ in sockets.values()), what="the control sockets")
        for path, port in sockets.values():
            assert path.stat().st_mode & 0o777 == 0o600
            with ControlClient(str(path), timeout=5) as client:
                listeners = client.send_command(*parse_command("show listeners"))
            assert f"127.0.0.1:{port}" in str(listeners), listeners
        assert not (site["runtime"] / "gunicorn.ctl").exists()
    finally:
        stop(processes)
