# Pilot'IAE — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
UV := $(shell command -v uv 2>/dev/null || echo $(VENV)/bin/uv)
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint format migrate demo worker beat clean

$(VENV)/bin/uv:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv

# Fast when up to date: uv only installs what uv.lock adds.
install: $(if $(shell command -v uv 2>/dev/null),,$(VENV)/bin/uv)
	UV_PYTHON=$(PYTHON) $(UV) sync --frozen --python $(PYTHON)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo

run: demo
	$(PY) manage.py runserver $(HOST)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A iae worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A iae beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 var
