# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app coordination
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format translations translations-compile lock node-deps system-deps security fuzz outbox-outage bench serve-prod clean install

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependency declarations change.
$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[dev,postgres,redis]'
	touch $@

install: $(VENV)/.installed

translations-compile: $(VENV)/.installed
	$(BIN)/pybabel compile -d coordination/translations

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: node_modules/.installed

# Debian packages of the tests (chromium, WeasyPrint's libraries): installed when missing.
system-deps:
	@tools/system-deps.sh

## make run: set up, migrate SQLite, load demo data, deliver e-mails in the background, serve.
run: translations-compile
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo "Serving on http://$(HOST):$(PORT) (outbox delivered every 10 s; Ctrl-C stops both)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(FLASK) outbox deliver --loop --interval 10 & \
	  $(FLASK) run --host $(HOST) --port $(PORT)

## make test: lint, format and type checks, the whole suite (SQLite, plus PostgreSQL when
## configured) on every core, then the security audit (bandit, pip-audit).
# The browser tests share one xdist worker (one server, one browser): --dist loadgroup.
PYTEST_ARGS ?= -n auto --dist loadgroup --durations=20
test: translations-compile node-deps system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)
	$(BIN)/python tools/security_audit.py

## make fuzz: 10,000 hostile requests (every route, every role, valid CSRF tokens) per database:
## SQLite, and PostgreSQL when COORDINATION_TEST_POSTGRES_URL is set. Never a 500.
FUZZ_REQUESTS ?= 10000
fuzz: translations-compile
	COORDINATION_FUZZ_REQUESTS=$(FUZZ_REQUESTS) $(BIN)/pytest -p no:cacheprovider -q tests/security/test_fuzz.py

## make outbox-outage: 1,000 e-mails through repeated database and SMTP outages: 0 lost, 0 twice.
outbox-outage: translations-compile
	OUTBOX_OUTAGE_MESSAGES=1000 $(BIN)/pytest -p no:cacheprovider -q -s tests/notifications/test_duplicates.py -k repeated_outages

## make security: static code scanning (bandit) and the dependency audit (pip-audit).
security: $(VENV)/.installed
	$(BIN)/python tools/security_audit.py

## make serve-prod: gunicorn workers + a separate outbox worker, PostgreSQL and Redis (see README).
WORKERS ?= 4
# Threads keep connections alive and share a worker's database pool (bench/RESULTS.md compares).
WORKER_CLASS ?= gthread
THREADS ?= 4
serve-prod: translations-compile
	@test -n "$$COORDINATION_DATABASE_URL" || { echo "Error: set COORDINATION_DATABASE_URL (postgresql+psycopg://...)" >&2; exit 2; }
	@test -n "$$COORDINATION_SECRET_KEY" || { echo "Error: set COORDINATION_SECRET_KEY (32+ characters)" >&2; exit 2; }
	export COORDINATION_ENV=production \
	  COORDINATION_RATELIMIT_STORAGE_URI="$${COORDINATION_RATELIMIT_STORAGE_URI:-redis://127.0.0.1:6379/0}" \
	  COORDINATION_CACHE_REDIS_URL="$${COORDINATION_CACHE_REDIS_URL:-redis://127.0.0.1:6379/1}"; \
	$(FLASK) db upgrade && \
	trap 'kill 0' EXIT INT TERM; \
	$(FLASK) outbox deliver --loop --interval 10 & \
	$(BIN)/gunicorn --workers $(WORKERS) --worker-class $(WORKER_CLASS) --threads $(THREADS) \
	  --bind $(HOST):$(PORT) --access-logfile - 'coordination:create_app()'

## make bench: 1x and 10x data on PostgreSQL, gunicorn under wrk, micro-benchmarks -> bench/RESULTS.md.
# Needs PostgreSQL (BENCH_POSTGRES, default postgresql://postgres@127.0.0.1:5432; it drops and
# recreates the databases bench_1x and bench_10x) and Redis (BENCH_REDIS_URL, default db 5).
# wrk comes from Debian; without apt the bench falls back to its own Python load generator.
BENCH_ARGS ?=
bench: translations-compile
	@command -v wrk >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } || \
	  echo "wrk could not be installed: using the Python load generator" >&2
	$(BIN)/python bench/load.py $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make translations: extract marked strings and update the nl and fr catalogs.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs ".*" -k _l -k lazy_gettext -k ngettext:1,2 --no-location --sort-output --omit-header -o coordination/translations/messages.pot .
	$(BIN)/pybabel update -i coordination/translations/messages.pot -d coordination/translations --no-fuzzy-matching --ignore-obsolete --width 100

lock: $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev,postgres,redis]'
	( echo '# Exact versions the project is tested with (pip install -c requirements/constraints.txt).'; \
	  echo '# Regenerate with: make lock'; \
	  $(BIN)/pip freeze --exclude-editable | grep -vi '^coordination' ) > requirements/constraints.txt

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .mypy_cache
