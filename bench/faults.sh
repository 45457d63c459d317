#!/usr/bin/env bash
# Fault drills under load (see bench/faults.py):
#   bench/faults.sh worker     kill -9 a gunicorn worker under load
#   bench/faults.sh postgres   stop PostgreSQL under load, check the designed 503, start it, check recovery
# The PostgreSQL drill stops the machine's cluster for a few seconds and always starts it again on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_version="$(ls /etc/postgresql | head -n 1)"
restart_postgres() {
    pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start || true
}
trap restart_postgres EXIT INT TERM
.venv/bin/python bench/faults.py "$@"
