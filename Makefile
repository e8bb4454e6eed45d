# replyflow: `make run` (demo on SQLite at http://127.0.0.1:5000) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-pg test-browser lint demo-db clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## Set up, migrate the SQLite database, load the demo (once) and serve it.
run: $(VENV)/.runtime
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host $(HOST) --port $(PORT)

## Set up and run the whole test suite (SQLite; set REPLYFLOW_TEST_DATABASE_URL for PostgreSQL).
test: $(VENV)/.dev
	$(BIN)/ruff check replyflow tests migrations config.py wsgi.py
	$(BIN)/python -m pytest -q

## The same suite on the local PostgreSQL.
test-pg: $(VENV)/.dev
	REPLYFLOW_TEST_DATABASE_URL=$${REPLYFLOW_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest -q

## Only the browser tests (Playwright + Debian's Chromium: apt-get install chromium), screenshots in screenshots/browser/.
test-browser: $(VENV)/.dev
	$(BIN)/python -m pytest -q tests/browser

clean:
	rm -rf $(VENV) instance .pytest_cache
