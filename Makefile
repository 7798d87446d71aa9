# Two commands do everything: `make run` and `make test`. The virtualenv lives in .venv/ and is
# re-installed only when pyproject.toml or constraints.txt change.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := node_modules/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/nordesk
REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint test-sqlite test-postgres bench install chromium mailservers format messages screenshots

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(ASSETS)

run: install
	$(BIN)/nordesk demo
	$(BIN)/nordesk run

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The email tests start their own Dovecot; the package's postinst may start the system one on
# ports 143/993, which is stopped again.
mailservers:
	@command -v dovecot >/dev/null 2>&1 || test -x /usr/sbin/dovecot || { \
	  echo "Installing Debian's dovecot-imapd for the email tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null && \
	  { service dovecot stop >/dev/null 2>&1 || true; }; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy nordesk
	$(BIN)/python -m django makemigrations --check --dry-run --settings=nordesk.settings >/dev/null

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The screens in docs/screenshots/, taken anew by the browser tests that save them.
screenshots: install chromium
	NORDESK_SCREENSHOTS=docs $(BIN)/pytest -q tests/web/test_browser_screens.py \
	  tests/web/test_browser_portal.py::test_portal_pages_are_accessible_and_fit_a_phone

test-sqlite: install chromium mailservers
	$(BIN)/pytest

test-postgres: install chromium mailservers
	@if $(BIN)/python scripts/services_up.py "$(PG_URL)" "$(REDIS_URL)"; then \
	  echo "== PostgreSQL + Redis answer: running the suite against them"; \
	  NORDESK_DATABASE_URL="$(PG_URL)" NORDESK_REDIS_URL="$(REDIS_URL)" $(BIN)/pytest; \
	else \
	  echo "== SKIPPED the PostgreSQL + Redis run: they do not answer on 127.0.0.1"; \
	fi

# `make test` runs the lint and the suite twice (SQLite; PostgreSQL + Redis) side by side: the
# runs share nothing (the SQLite run uses no Redis), and a run waiting on a browser or the
# database leaves its core to the others. (Splitting each run in parts was slower: the two
# cores were already full.) Each one's output is printed whole when it ends.
test: install chromium mailservers
	$(MAKE) --no-print-directory -j3 --output-sync=target lint test-sqlite test-postgres

# After changing user-visible strings: refresh nordesk/locale/*/django.po, translate the new
# (empty) entries, then run it again to compile the .mo files that are committed next to them.
# Needs GNU gettext (apt-get install gettext).
MESSAGE_LOCALES := -l nb -l nn -l da -l sv -l en
messages: $(STAMP)
	$(BIN)/python -m django makemessages --settings=nordesk.settings $(MESSAGE_LOCALES) \
	  --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench --no-obsolete
	$(BIN)/python -m django compilemessages --settings=nordesk.settings $(MESSAGE_LOCALES) \
	  --ignore=.venv --ignore=node_modules --ignore=var

bench: install
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/intake.py --batch 50
	$(BIN)/python bench/api.py
	$(BIN)/python bench/email_ingest.py
	$(BIN)/python bench/email_ingest.py --big-mb 25
	$(BIN)/python bench/routing.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/workspace.py
	$(BIN)/python bench/kb.py
	$(BIN)/python bench/analytics.py
	$(BIN)/python bench/reports.py
