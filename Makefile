# The two commands: `make run` and `make test`. Both create .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test build lint format clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Exactly the versions of the lock (requirements.txt: pip-compile's hashed lock of the runtime
# and test dependencies), then the project itself without resolving anything again.
$(STAMP): pyproject.toml requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	touch $@

# Refresh the lock after changing the dependencies in pyproject.toml (pins kept where they
# still fit; `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest allowed version).
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools==7.6.2
	.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra test --strip-extras \
		--no-emit-index-url --no-emit-find-links $(LOCK_FLAGS) \
		--output-file requirements.txt pyproject.toml

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
