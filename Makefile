# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# Test processes for `make test` (pytest-xdist; one test database each): auto is one per CPU, 0 runs in one process.
TEST_WORKERS ?= auto
E2E_WORKERS ?= 2
DEPLOY_STATIC := $(CURDIR)/staticfiles-deploy

.PHONY: run serve setup install migrate load test test-e2e test-deploy e2e-deps lint format lock clean backup restore release messages static

# A stamp file: reinstall only when the pins change.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --no-input

# Loads the canonical content into an empty archive; never overwrites what curators entered.
load: migrate
	$(BIN)/python manage.py load_archive

# Static files before the content: loading records each entry's first public version by rendering its page.
setup: migrate
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py load_archive

run: setup serve

serve:
	@echo "Serving the archive at http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	DEBUG=0 $(BIN)/gunicorn labourarchive.asgi --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WORKERS)

test: install
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0 --settings labourarchive.settings.test
	$(BIN)/pytest -m "not e2e and not deploy" -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder

# Two instances behind nginx sharing PostgreSQL and Redis (see README, "Deployment"). The production static files
# are collected once, in a folder of their own (CI runs this beside the browser tests, which serve staticfiles/); then each test module runs in a process of its own, so the slow-client windows wait while
# the two instances are set up.
test-deploy: install
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && apt-get install -y -qq nginx)
	command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)
	DJANGO_SETTINGS_MODULE=labourarchive.settings.production SECRET_KEY=only-for-collectstatic ALLOWED_HOSTS=localhost \
		STATIC_ROOT=$(DEPLOY_STATIC) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	STATIC_ROOT=$(DEPLOY_STATIC) DEPLOY_STATIC_COLLECTED=1 $(BIN)/pytest -m deploy -n 2 --dist loadfile

# Browser tests: Debian's Chromium driven by Playwright, axe-core and vnu from npm (see README).
# Stamp files again: installed once per change of the pins, so CI can fetch them while the suites run.
e2e-deps: $(VENV)/.e2e-installed node_modules/.installed

$(VENV)/.e2e-installed: $(VENV)/.installed requirements-e2e.txt
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	$(BIN)/python -m pip install --quiet -r requirements-e2e.txt
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Two browsers at once, taking the next test as each is free (each worker has its own live server and database,
# and loads the archive once: tests/e2e/conftest.py).
test-e2e: e2e-deps
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m e2e -n $(E2E_WORKERS) --dist load

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The interface's catalogues (see CONTRIBUTING.md, "Translations"): collect the marked strings into the simplified
# catalogue, bring the traditional one up to date from it (OpenCC; translators' edits kept), compile both. The compiled
# .mo files are committed, so a fresh clone and a deployment serve Chinese without gettext installed.
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete $(MESSAGES_IGNORE)
	$(BIN)/python manage.py sync_traditional
	$(BIN)/python manage.py compilemessages $(MESSAGES_IGNORE)
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=staticfiles-deploy --ignore=tests --ignore=bench --ignore=deploy --ignore=var --ignore=releases --ignore=mirror

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-pin after changing pyproject.toml: resolves in a scratch venv and writes both pin files.
lock:
	rm -rf /tmp/labourarchive-lock && $(PYTHON) -m venv /tmp/labourarchive-lock
	/tmp/labourarchive-lock/bin/pip install --quiet ".[dev]"
	/tmp/labourarchive-lock/bin/pip freeze --exclude labourarchive > requirements.lock.new
	@echo "Review requirements.lock.new and split it into requirements.txt / requirements-dev.txt"

# Back up the running archive (content, accounts, history) to backups/archive-<time>.yaml.gz.
backup: install
	$(BIN)/python manage.py backup_archive

# Restore a backup into a fresh database: make restore FILE=backups/archive-....yaml.gz [FORCE=1]
restore: migrate
	@test -n "$(FILE)" || (echo "Usage: make restore FILE=backups/archive-....yaml.gz [FORCE=1]" && exit 2)
	$(BIN)/python manage.py restore_archive "$(FILE)" $(if $(FORCE),--force)

clean:
	rm -rf $(VENV) staticfiles staticfiles-deploy .pytest_cache .ruff_cache

# The next open-data release of the published archive in RELEASES_DIR (default releases/; see README, "Keeping the
# archive"). Set SITE_URL so its `url` columns are full addresses.
release: install
	$(BIN)/python manage.py release_data

# A static copy of the published archive in mirror/ (MIRROR=...), rebuilt whole: it works from any static host and
# from file:// (see README, "Keeping the archive"). `make release` puts one in each release as mirror.zip.
MIRROR ?= mirror
static: install
	rm -rf "$(MIRROR).new"
	$(BIN)/python manage.py export_static "$(MIRROR).new"
	rm -rf "$(MIRROR)" && mv "$(MIRROR).new" "$(MIRROR)"
