"""Gunicorn settings for `make run` and production; every value can be overridden on the command line.

Threaded workers (gthread) keep connections alive behind nginx and let one slow page not hold up a
whole process; `bench/load.sh` measures them against the static-file floor of the same server.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A request that runs longer than this is killed and its worker replaced: no reader waits for ever.
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
