# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run setup test test-pg test-e2e lint typecheck fuzz format migrate seed clean

$(STAMP): pyproject.toml constraints.txt package.json package-lock.json
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	@# The place search's data set (cms/places.py), pinned by package-lock.json.
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	mkdir -p var
	$(BIN)/python tools/compile_messages.py
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_booking_demo
	$(BIN)/python manage.py seed_exchanges_demo

## Set everything up on the embedded default (SQLite, demo content) and serve on :8000.
run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The suite runs on every core (pytest-xdist, one test database per worker); TEST_WORKERS=0
# runs it in a single process (e.g. to debug with pdb).
TEST_WORKERS ?= auto

## The whole suite except the browser tests, on SQLite (or on DATABASE_URL when it is set).
test: $(STAMP)
	$(BIN)/python tools/compile_messages.py
	$(BIN)/python -m pytest -m "not e2e" -n $(TEST_WORKERS) $(PYTEST_ARGS)

## The same suite on PostgreSQL (the local server, see DEVELOPERS.md).
test-pg: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/wellness} $(MAKE) test

## Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium).
test-e2e: $(STAMP)
	$(BIN)/python tools/compile_messages.py
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Static types: mypy with the django-stubs plugin on the app code (configured in pyproject.toml).
typecheck: $(STAMP)
	$(BIN)/mypy

## Fuzz the JSON API against its OpenAPI description (schemathesis, throwaway SQLite in var/).
fuzz: $(STAMP)
	$(BIN)/python tools/api_fuzz.py $(FUZZ_ARGS)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var node_modules
