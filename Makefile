# The two commands: `make run` serves the portal with demo data, `make test` runs the suite.
# Also: `make test-fast` (the suite less the browser tests), `make lint`, `make coverage`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test test-fast lint coverage test-setup test-assets optimiser serve setup translations extract-messages update-messages vendor clean

run: setup translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed taxonomy --keep-names
	$(BIN)/flask seed plan --keep
	$(BIN)/flask seed programs --keep
	$(BIN)/flask seed legal
	$(BIN)/flask seed scenarios
	$(BIN)/flask search status --check || $(BIN)/flask search rebuild
	$(BIN)/flask seed demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# The suite runs on every core (pytest-xdist), a test file per worker at a time; each worker has
# databases of its own. TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= auto
PYTEST = $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

test: test-setup
	$(PYTEST) $(PYTEST_ARGS)

test-fast: test-setup
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

coverage: test-setup
	$(PYTEST) --cov=app --cov-branch --cov-report=term:skip-covered $(PYTEST_ARGS)

lint: $(BIN)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test-setup: $(BIN)/.dev-installed translations test-assets

# Test-only front-end assets (axe-core for the accessibility tests): pinned npm packages checked
# against their registry sha512, kept in .test-assets/ (git-ignored); fetched once per version.
test-assets: $(BIN)/.installed
	$(BIN)/python scripts/fetch-test-assets.py

setup: $(BIN)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(BIN)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# The scheduler's optional CP-SAT step; without it, organisers have the greedy scheduler only.
optimiser: $(BIN)/.optimiser-installed

$(BIN)/.optimiser-installed: requirements-optimise.txt $(BIN)/.installed
	$(BIN)/pip install --quiet -r requirements-optimise.txt
	touch $@

$(BIN)/.dev-installed: requirements-dev.txt $(BIN)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Compiled catalogues are build output; the .po files are the source. Compiled again only when a
# .po changed, so that two test runs side by side never rewrite a catalogue the other is reading.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

translations: $(MO_FILES)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -d translations -l $*

extract-messages: $(BIN)/.installed
	$(BIN)/pybabel extract --ignore-dirs='.* venv' -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output .

update-messages: extract-messages
	$(BIN)/pybabel update -i translations/messages.pot -d translations --ignore-obsolete

vendor:
	scripts/vendor-assets.sh

clean:
	rm -rf $(VENV) .pytest_cache
