# The two commands: `make run` and `make test`. Both create .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test build lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(STAMP)
	$(BIN)/gcm-graph build

run: $(STAMP)
	$(BIN)/gcm-graph build
	@echo
	@echo "Release written to build/ (see build/manifest.json); serving it now (Ctrl-C stops)."
	$(BIN)/gcm-graph serve --host 127.0.0.1 --port 8000

# The browser tests need Debian's chromium: installed here (as root, e.g. in CI); elsewhere
# they are skipped with a reason unless CI=true.
test: $(TEST_STAMP)
	bash scripts/install-chromium.sh || echo "chromium could not be installed: browser tests skip outside CI"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache
