# Newsroom: `make run` serves the demo site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core (accessibility checks in the browser tests), pinned by package-lock.json.
AXE := node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format check clean backup restore soak bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.txt requirements-s3.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# The address the demo is served on; every absolute URL (canonical links, feeds, mails) uses it.
SITE_URL ?= http://$(HOST)

run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 NEWSROOM_SITE_URL=$(SITE_URL) $(BIN)/python manage.py load_demo
	@echo "Serving Newsroom on $(SITE_URL)/ (admin at $(SITE_URL)/admin/) with a job worker beside it. Ctrl-C stops both."
	@export DJANGO_DEBUG=1 NEWSROOM_SITE_URL=$(SITE_URL); \
	$(BIN)/python manage.py db_worker --no-startup-delay --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else \
		echo "npm is not installed: the axe-core accessibility tests will be skipped (apt-get install npm)."; \
	fi

test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

check: lint test

# A minute of reads and comment posts against a live gunicorn (NEWSROOM_SOAK_SECONDS to change it).
soak: $(STAMP)
	$(BIN)/python -m pytest -m soak -s tests/test_soak.py

# Reader pages under load (gunicorn + wrk), uncached and cached, against a trivial view: see bench/run.py.
# N articles (10000), on PostgreSQL (BENCH_DATABASE_URL) or SQLITE=1; not part of `make test`.
N ?= 10000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_bench_run
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/10
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk from Debian"; $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q wrk; }
	$(BIN)/python bench/run.py --n $(N) --database-url $(BENCH_DATABASE_URL) --redis-url $(BENCH_REDIS_URL) $(if $(SQLITE),--sqlite) $(BENCH_ARGS)

# The database and the uploaded media, into NEWSROOM_BACKUP_DIR (./backups); the newest NEWSROOM_BACKUP_KEEP kept.
backup: $(STAMP)
	$(BIN)/python manage.py dbbackup --clean --noinput
	$(BIN)/python manage.py mediabackup --clean --noinput --servername media
	NEWSROOM_BACKUP_ORIGINALS=1 $(BIN)/python manage.py mediabackup --clean --noinput --servername originals

# The newest backup back into the database, the media folder and the library's private originals. Stop the site first.
restore: $(STAMP)
	$(BIN)/python manage.py dbrestore --noinput
	$(BIN)/python manage.py mediarestore --noinput --servername media
	NEWSROOM_BACKUP_ORIGINALS=1 $(BIN)/python manage.py mediarestore --noinput --servername originals

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles node_modules
