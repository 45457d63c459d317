"""Gunicorn settings for `make run` and production; every value can be overridden on the command line.

The worker is gunicorn's own asyncio ASGI worker, serving `labourarchive.asgi`: its event loop reads every
request, so a client that sends its headers slowly, or stops half-way, holds a few bytes of buffer and not a
worker or a thread. Threaded (gthread) and sync workers read a request's headers in a thread: a few dozen slow
clients take every thread and no one else is served, whether or not nginx is in front (the site can be reached
directly). Django runs each request's views and middleware in a thread of its own; the database is reached
through a pool per worker (labourarchive/settings/production.py), so requests in flight do not each open a
connection. `tests/deploy/test_slow_clients.py` holds 32 slow connections open, to gunicorn and through nginx,
while every probe is answered within a second.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
wsgi_app = "labourarchive.asgi:application"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "asgi")
if worker_class == "gthread":  # kept for comparison (bench/): serve labourarchive.wsgi with it
    threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Connections each worker holds at once (slow or idle ones included); past it, new ones wait in the backlog.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker silent for longer than this is killed and replaced; a request body that stalls for as long is dropped.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Worker recycling is off by default: bench/load.sh shows worker memory flat without it, and a recycled
# worker drops the keep-alive connections it holds (clients see resets). Set GUNICORN_MAX_REQUESTS if a
# leak ever appears; the jitter keeps workers from restarting together, and as the app is loaded once in
# the master (preload_app) a fresh worker starts in milliseconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log (nginx keeps one)
errorlog = "-"
# The control socket (gunicornc: reload, shutdown, worker count) defaults to one path per user, shared by every
# gunicorn on the machine: the last one started takes it over, and commands meant for one instance reach
# another. Off unless given a path of the instance's own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


def on_starting(server):
    # The asgi worker needs the ASGI application: an old command line naming labourarchive.wsgi fails here.
    app = getattr(server.app, "app_uri", "") or ""
    if server.cfg.worker_class_str == "asgi" and ".wsgi" in app:
        raise SystemExit(f"gunicorn: the asgi worker serves labourarchive.asgi, not {app}")
