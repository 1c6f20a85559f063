# Engawa: `make run` serves the demo, `make test` runs the whole suite.
# Needs only Python 3.12 and make: uv is installed with pip when it is missing.
SHELL := /bin/bash
# A broken `uv` shim may be on PATH (pyenv), so ask it for its version before trusting it.
UV := $(shell uv --version >/dev/null 2>&1 && command -v uv || echo $(HOME)/.local/bin/uv)
PORT ?= 8000
# The demo runs with DEBUG on: development secret key, runserver serving static files. Links it
# prints and e-mails (invitations, QR codes) point at the port it serves on, unless SITE_URL is set.
SITE_URL ?= http://127.0.0.1:$(PORT)
DEV := DEBUG=1 SITE_URL=$(SITE_URL)

.PHONY: install run test lint format bench mutate

$(UV):
	@echo "uv not found: installing it with pip"
	python3 -m pip install --user --quiet uv \
		|| python3 -m pip install --user --quiet --break-system-packages uv

install: $(UV)
	@$(UV) sync --frozen --quiet
	@$(DEV) $(UV) run --frozen python manage.py compilecatalogs --verbosity 0

# Quiet on purpose: the demo logins are the last thing printed before the server starts.
run: install
	@$(DEV) $(UV) run --frozen python manage.py migrate --noinput --verbosity 0
	@$(DEV) $(UV) run --frozen python manage.py seed_demo
	@echo
	@echo "Engawa is at $(SITE_URL)/  (sign in with a demo login above; Ctrl-C stops it)"
	@echo
	@$(DEV) $(UV) run --frozen python manage.py runserver 127.0.0.1:$(PORT)

# The browser tests inject axe-core (npm, pinned by tests/e2e/package-lock.json) into pages.
tests/e2e/node_modules/axe-core/axe.min.js: tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund --silent

test: install tests/e2e/node_modules/axe-core/axe.min.js
	$(UV) run --frozen pytest $(PYTEST_ARGS)

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

# `make bench SCALE=1m` (1k, 10k, 100k or 1m units); DATABASE_URL chooses the database.
SCALE ?= 1k
bench: install
	$(UV) run --frozen python tests/bench/run.py $(SCALE)

# Mutation testing of the rule modules (docs/testing.md); slow, not part of `make test`. One
# module at a time, one worker; the test database is built once and reused by every mutant.
MUTATE_MODULES ?= review work orders deliveries money
mutate: install
	rm -rf mutants mutants-test.sqlite3
	@for module in $(MUTATE_MODULES); do \
		ENGAWA_TEST_DB_FILE=$(CURDIR)/mutants-test.sqlite3 nice -n 19 $(UV) run --frozen mutmut run \
			--max-children 1 "jobs.$$module.*" || exit 1; \
	done
	$(UV) run --frozen mutmut results
