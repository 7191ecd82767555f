# The two commands a fresh machine needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run setup install messages compilemessages migrate demo test test-unit \
	test-integration test-browser lint format check-compose clean

run: setup
	@$(PY) manage.py ensure_manager
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops web, worker and beat)"
	@$(VENV)/bin/honcho -f Procfile start

setup: install compilemessages migrate demo

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	# XStatic-Bootstrap's setup needs pkg_resources: build it against setuptools<81.
	$(VENV)/bin/pip install --quiet "setuptools<81" wheel
	$(VENV)/bin/pip install --quiet --no-build-isolation -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

compilemessages: install
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

messages: install
	$(PY) manage.py makemessages -l ka -l hy --ignore=.venv --ignore=node_modules \
		--ignore=var --ignore=tests --no-obsolete --add-location=file

migrate: install
	@mkdir -p "$${PRAPP_VAR_DIR:-var}"
	@$(PY) manage.py migrate --no-input -v 0

demo: install
	@$(PY) manage.py seed_demo

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install compilemessages lint test-unit test-integration test-browser

test-unit: install compilemessages
	$(VENV)/bin/pytest tests --ignore=tests/integration --ignore=tests/e2e

# Starts its own PostgreSQL and Redis on loopback (tests/integration/servers.py);
# `python -m` puts the project on sys.path, which `-p tests.…` needs.
test-integration: install compilemessages
	$(PY) -m pytest -p tests.integration.servers tests/integration \
		"tests/inquiries/test_numbering.py::test_concurrent_registrations_get_distinct_numbers_without_gaps"

test-browser: install compilemessages node_modules/.installed
	$(VENV)/bin/pytest tests/e2e

clean:
	rm -rf $(VENV) node_modules var
