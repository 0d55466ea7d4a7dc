# Helpline. `make run` serves the demo office on http://127.0.0.1:$(PORT); `make test` runs every check.
SHELL := bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
GUNICORN_ARGS ?= --workers 2 --threads 4 --access-logfile - --no-control-socket
PYTEST_ARGS ?=
SYSTEM_PACKAGES ?= chromium postgresql redis-server dovecot-imapd dovecot-pop3d slapd
# What building the virtual environment needs: python-ldap has no wheel and compiles against OpenLDAP's and
# Cyrus SASL's headers.
BUILD_PACKAGES ?= gcc libldap-dev libsasl2-dev
BENCH_PACKAGES ?= wrk

# The first Python >= 3.12 that really runs: a pyenv shim can exist on PATH and still fail (exit 127)
# when pyenv has another version selected, so every candidate is run, not just looked up.
# Recursive (=) so the probe only runs when a virtual environment has to be made; `make PYTHON=...` wins.
PYENV_DIR = $(shell pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}")
PYTHON ?= $(shell for c in python3.13 $(PYENV_DIR)/versions/3.13*/bin/python3 \
             python3.12 $(PYENV_DIR)/versions/3.1[2-9]*/bin/python3 python3; do \
           "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$c"; break; }; \
         done)

.PHONY: help venv build-deps system-deps bench-deps run serve test test-sqlite test-pg lint format migrations-check bench clean distclean

help:
	@echo "make run        set up, load the demo office and serve it on http://127.0.0.1:$(PORT) (PORT=...)"
	@echo "make test       lint, migration check, and the test suite on SQLite and on PostgreSQL"
	@echo "make bench      seed a large database (BENCH_TICKETS=1000000), time the main pages and opening tickets"
	@echo "make lint       ruff format --check, ruff check, lint-imports, mypy"
	@echo "make format     ruff format and ruff check --fix"
	@echo "make clean      remove caches;  make distclean  also removes .venv and var/ (the local data)"

# --- Set-up ---------------------------------------------------------------------------------------------

venv: $(VENV)/.stamp

$(VENV)/.stamp: pyproject.toml
	$(call install-debian-packages,$(BUILD_PACKAGES))
	@if [ ! -x $(PY) ]; then \
	  if [ -z "$(PYTHON)" ]; then \
	    echo "No Python >= 3.12 found. Install python3.13 (or 3.12), or run: make PYTHON=/path/to/python3.13" >&2; \
	    exit 1; \
	  fi; \
	  echo "Creating $(VENV) with $(PYTHON)"; \
	  "$(PYTHON)" -m venv $(VENV); \
	fi
	$(PY) -m pip install -q -e ".[dev]"
	@touch $@

# Debian packages the tests use: Chromium for the browser tests, PostgreSQL for the second suite, Redis
# for the task queue shared between machines, Dovecot (IMAP and POP3) for fetching mail, OpenLDAP's slapd
# for signing in with a directory password. The benchmark also needs wrk (its load generator).
define install-debian-packages
@missing=$$(for p in $(1); do \
    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "Installing Debian packages: $$missing"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
  else \
    echo "Missing Debian packages: $$missing (install them: sudo apt-get install -y $$missing)" >&2; \
    exit 1; \
  fi; \
fi
endef

build-deps:
	$(call install-debian-packages,$(BUILD_PACKAGES))

system-deps:
	$(call install-debian-packages,$(SYSTEM_PACKAGES))

bench-deps:
	$(call install-debian-packages,$(BENCH_PACKAGES))

# --- Running it -----------------------------------------------------------------------------------------

# Plain HTTP on localhost, so session cookies may not be Secure-only. DEBUG is not turned on.
run serve: export HELPLINE_INSECURE_HTTP = 1
run serve: export SITE_URL ?= http://127.0.0.1:$(PORT)

# The web server, the task queue's consumer (it delivers the notifications: as files in the data
# directory's sent-mail/ unless EMAIL_URL is set) and, on SQLite, the batch writer (the API's ticket
# openings in lots; the server and the consumer run at a lower CPU priority than the writer, the serial
# part every opening waits for), stopped together on Ctrl-C or SIGTERM, and together when the server or
# the consumer exits (without the writer, each door opens its own tickets).
define serve-web-and-worker
@echo "Serving Helpline on $$SITE_URL with the task queue beside it; Ctrl-C stops them all."
@stop() { kill -TERM $$web $$worker $$writer 2>/dev/null; wait; }; \
trap 'stop; exit 0' INT TERM; \
writer=; lower=; case "$${DATABASE_URL:-sqlite:}" in sqlite:*) \
  $(MANAGE) run_batch_writer & writer=$$!; lower="nice -n 5";; esac; \
$$lower $(VENV)/bin/gunicorn helpline.config.wsgi -b 127.0.0.1:$(PORT) $(GUNICORN_ARGS) & web=$$!; \
$$lower $(MANAGE) run_huey & worker=$$!; \
wait -n $$web $$worker; status=$$?; \
echo "Stopping Helpline: a server process ended (status $$status)." >&2; \
stop; exit $$status
endef

run: venv
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v 0
	$(MANAGE) load_demo
	$(serve-web-and-worker)

# Serve what is there, without migrating or loading the demo.
serve: venv
	$(serve-web-and-worker)

# --- Checks ---------------------------------------------------------------------------------------------

lint: venv
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: venv
	DJANGO_SETTINGS_MODULE=helpline.config.settings_test $(MANAGE) makemigrations --check --dry-run

# Both suites at once: two serial pytest runs use two cores better than pytest-xdist does here.
test: venv system-deps lint migrations-check
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-pg

test-sqlite: venv system-deps
	env -u DATABASE_URL -u HELPLINE_DATA_DIR $(PY) -m pytest $(PYTEST_ARGS)

# HELPLINE_TEST_DB=postgres: helpline/testsupport/pg_plugin.py starts a throwaway PostgreSQL server.
test-pg: venv system-deps
	env -u DATABASE_URL -u HELPLINE_DATA_DIR HELPLINE_TEST_DB=postgres $(PY) -m pytest $(PYTEST_ARGS)

# --- Benchmark ------------------------------------------------------------------------------------------

# Seeds var/bench/ once (or DATABASE_URL), then times queues, ticket and portal pages, then opens tickets over
# HTTP against gunicorn (served as `make run` serves) with run_huey beside it; results in bench-results/.
BENCH_TICKETS ?= 1000000
BENCH_WRITE_SECONDS ?= 20
BENCH_GUNICORN_ARGS ?= --workers 2 --threads 4
BENCH_WORKER_ARGS ?=
bench: venv bench-deps
	env -u HELPLINE_DATA_DIR $(PY) -m helpline.benchmarks --tickets $(BENCH_TICKETS) \
	  --write-seconds $(BENCH_WRITE_SECONDS) --gunicorn-args "$(BENCH_GUNICORN_ARGS)" \
	  --worker-args "$(BENCH_WORKER_ARGS)"

# --- Cleaning -------------------------------------------------------------------------------------------

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis .import_linter_cache test-results
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) var helpline.egg-info
