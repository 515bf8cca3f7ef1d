# Pilot'IAE — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
# The interpreter itself, not a shim: uv would otherwise rebuild .venv at every call.
PYTHON_REEL := $(shell $(PYTHON) -c 'import sys; print(sys.executable)' 2>/dev/null)
VENV := .venv
# uv lives in its own small environment when the machine has none: `uv sync` keeps .venv exactly as uv.lock says.
UV_LOCAL := .uv/bin/uv
UV := $(shell command -v uv 2>/dev/null || echo $(UV_LOCAL))
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
HOST ?= 127.0.0.1:8000

.PHONY: install run test test-rapide lint format migrate demo worker beat clean

$(UV_LOCAL):
	@test -n "$(PYTHON)" || { echo "Python 3.11 est requis."; exit 1; }
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv

# Fast when up to date: uv only installs what uv.lock adds.
install: $(if $(shell command -v uv 2>/dev/null),,$(UV_LOCAL))
	$(UV) sync --frozen --python $(PYTHON_REEL)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo

# As the product runs: DEBUG off, the French error pages, static files served by WhiteNoise (iae/settings/dev.py).
run: demo
	DEBUG=0 $(PY) manage.py runserver $(HOST)

# axe-core for the accessibility test (tests/navigateur/test_accessibilite.py): an npm package, never vendored,
# installed once under var/ (ignored by git) unless AXE_CORE_JS already names it (CI). The test fails without it.
.PHONY: axe
axe:
	@test -f "$${AXE_CORE_JS:-}" || test -f var/axe/node_modules/axe-core/axe.min.js \
		|| npm install --no-audit --no-fund --silent --prefix var/axe axe-core@4

test: install axe
	$(PY) -m pytest

# While working: the whole suite but the slow tests (marked `lent`: the demo, PDFs, browser, Celery worker).
test-rapide: install
	$(PY) -m pytest -m "not lent"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# One worker for both queues while developing, under the imports' longer lease (docs/decisions.md).
worker: install
	CELERY_WORKER_DES_IMPORTS=1 $(VENV)/bin/celery -A iae worker -Q celery,imports --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A iae beat --loglevel=INFO

clean:
	rm -rf $(VENV) .uv db.sqlite3 var

# The benchmark (benchmarks/): its own PostgreSQL database, generated once, then the key reads measured.
BENCH_DEPARTEMENTS ?= 10
.PHONY: bench
bench: install
	$(PY) -m benchmarks.generer --departements $(BENCH_DEPARTEMENTS)
	$(PY) -m benchmarks.mesurer
	$(PY) -m benchmarks.import_fluxiae --departements $(BENCH_DEPARTEMENTS)
