#!/usr/bin/env bash
# Our faceted case list against Datasette on the same generated data, and search against a case page.
#   bench/search_and_facets.sh                  the full-size synthetic archive, SQLite then PostgreSQL
#   SIZE=small DURATION=5 bench/search_and_facets.sh   a quick run
# See bench/README.md. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
exec .venv/bin/python bench/search_and_facets.py "$@"
