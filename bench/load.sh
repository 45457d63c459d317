#!/usr/bin/env bash
# Load test of the archive under gunicorn against the static-file floor (see bench/load.py).
#   bench/load.sh                      3 rounds of 20 s per URL, 64 connections, SQLite + the default file cache
#   DURATION=5 ROUNDS=2 bench/load.sh  a quick run
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/la_load CACHE_URL=redis://127.0.0.1:6379/1 bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
exec .venv/bin/python bench/load.py "$@"
