# The two commands: `make run` (app with Hilden demo data) and `make test` (the whole suite).
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test test-fast lint format bench system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## make run: migrate, load demo data, start web server, worker and beat on SQLite
run: install
	$(PY) -m app.devserver

system-packages:
	@scripts/ensure-system-packages.sh

## make test: the whole suite on PostgreSQL, Redis, a real worker, SMTP server and Chromium
test: install system-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

## make bench: speed and delivery figures (PostgreSQL, Redis, worker); prints `bench:` lines
bench: install
	@scripts/ensure-system-packages.sh --bench
	$(PY) -m bench
