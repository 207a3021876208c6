# AliAdvisor: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3.11
ifeq (, $(shell command -v $(PYTHON) 2>/dev/null))
PYTHON := python3
endif
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install migrate load-catalog run serve collectstatic backup restore test test-fast test-postgres lint format migrations-check \
        messages browser assets test-assets bench bench-load evaluate train ci clean

help:
	@echo "make run               install, migrate, load the catalog (empty db only), serve on $(HOST):$(PORT)"
	@echo "make serve             production server: collectstatic + gunicorn on $(HOST):$(PORT) (DEBUG off)"
	@echo "make backup            every table, history included, to backups/aliadvisor-<time>.json.gz"
	@echo "make restore FILE=...  load a backup into an empty (fresh) database"
	@echo "make test              the whole test suite (installs Chromium for browser tests if it can)"
	@echo "make test-postgres     the suite on a throwaway PostgreSQL cluster"
	@echo "make lint              ruff"
	@echo "make migrations-check  fail if models and migrations disagree"
	@echo "make evaluate          advisor quality, out of fold, next to plain TF-IDF and BM25"
	@echo "make train             refit the advisor's model (advisor/engine/data/model.json)"
	@echo "make bench             benchmarks under bench/"
	@echo "make bench-load        gunicorn under 50 concurrent clients (bench/load.py, about 2 min)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

load-catalog: migrate
	$(BIN)/python manage.py load_catalog

run: load-catalog
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# A secret key for `make serve` when DJANGO_SECRET_KEY is not set: made once, kept out of git.
.serve-secret-key:
	@umask 077; $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The production stack on this machine: DEBUG off, hashed and compressed static files served
# by WhiteNoise, gunicorn (gunicorn.conf.py). It is meant to be tried on http://127.0.0.1, so
# it turns the HTTPS redirect and secure cookies off unless they are set; behind a TLS proxy
# keep them on (the production default) and set DJANGO_BEHIND_TLS_PROXY=1.
serve: load-catalog .serve-secret-key
	@echo "make serve: DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-0} and DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-0} (plain HTTP on $(HOST):$(PORT)); behind TLS leave both unset so they are on"
	export DJANGO_DEBUG=0 \
	  DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .serve-secret-key)}" \
	  DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
	  DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}" && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	exec $(BIN)/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT) aliadvisor.wsgi

# Every table (catalog, history, users, admin log, login attempts) as compressed JSON.
backup: migrate
	@mkdir -p backups
	$(BIN)/python manage.py backup_database --output backups/aliadvisor-$$(date -u +%Y%m%dT%H%M%SZ).json.gz

restore: migrate
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/aliadvisor-....json.gz"; exit 2; }
	$(BIN)/python manage.py restore_database "$(FILE)"

# Chromium for the browser tests: Debian's package (no browser downloads here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: chromium not installed; browser tests will be skipped (apt-get install chromium)"; fi; }

# axe-core for the browser tests' accessibility checks (test-only, from the npm registry).
test-assets:
	@test -f node_modules/axe-core/axe.min.js || { \
	  if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	  else echo "note: npm not found; accessibility checks will be skipped"; fi; }

test: install browser test-assets
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not browser"

# The same suite (browser tests aside) on a throwaway PostgreSQL cluster.
test-postgres: install
	bash .ci/postgres-test

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# Rebuild the message catalogs' .mo files (they are committed, so running needs no gettext).
messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

assets:
	npm install --no-audit --no-fund
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
	cp node_modules/htmx.org/LICENSE static/vendor/htmx/LICENSE
	mkdir -p static/vendor/g6
	cp node_modules/@antv/g6/dist/g6.min.js static/vendor/g6/g6.min.js
	cp node_modules/@antv/g6/LICENSE static/vendor/g6/LICENSE

evaluate: migrate
	$(BIN)/python manage.py load_catalog
	$(BIN)/python manage.py evaluate_advisor

train: migrate
	$(BIN)/python manage.py load_catalog
	$(BIN)/python manage.py train_advisor

bench: install
	$(BIN)/python bench/run.py

# gunicorn under 50 concurrent clients for a bounded 60 s (not part of CI).
bench-load: install
	$(BIN)/python bench/load.py

ci: lint migrations-check test test-postgres

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
