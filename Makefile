# The front door. `make run` and `make test` are the two commands of the README; the rest is for operators.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="tests/ops -x"` or the fast lane
# `PYTEST_ARGS="-m 'not slow and not browser and not integration'"`.
PYTEST_ARGS ?=
# `make test` runs on this many pytest-xdist workers (ADR 0046): each has its own test database, Redis database
# and private ports (tests/parallel.py). PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2
# Where makemessages and compilemessages must not look: the virtualenv, runtime data, vendored code, tests.
I18N_IGNORE := --ignore='.venv/*' --ignore='var/*' --ignore='node_modules/*' --ignore='static/vendor/*' --ignore='tests/*'
# The compiled catalogues (.mo) are build output, not committed: `run` and `test` compile them first
# (only catalogues changed since the last compile; needs gettext's msgfmt).
COMPILE_MESSAGES = command -v msgfmt >/dev/null || { echo "gettext's msgfmt is needed to compile the translations (Debian/Ubuntu: apt-get install gettext)"; exit 2; }; \
	$(PY) manage.py compilemessages $(I18N_IGNORE) -v 0 >/dev/null
# `eval` the database and broker that bin/dev-env finds (or starts); it explains its choice on stderr.
DEV_ENV = envs="$$($(PY) bin/dev-env)" || exit 2; eval "$$envs"

.PHONY: help venv lock run test test-fast lint audit migrations-check messages backup restore stop-services chaos scan

help:
	@echo "make run               install, migrate, load the demo data and start web + worker + beat"
	@echo "make test              run the whole test suite (on PYTEST_WORKERS=2 parallel workers)"
	@echo "make test-fast         the fast lane: all but the browser journeys, real workers and private servers"
	@echo "make lint              ruff (check, format), import contracts (import-linter), templates (djLint), types (mypy)"
	@echo "make lock              regenerate requirements*.lock (hashes) after a requirements change"
	@echo "make audit             known vulnerabilities in requirements.txt (pip-audit, needs pypi.org) + bandit (high severity)"
	@echo "make migrations-check  fail when a model change has no migration"
	@echo "make messages          extract and compile translations (nl_BE, fr_BE, en)"
	@echo "make backup            database dump + media archive + SHA-256 checksums under var/backups/"
	@echo "make restore BACKUP=var/backups/<stamp> [TARGET_DB=disengage_restore]"
	@echo "make stop-services     stop the private PostgreSQL / Redis that make run started under var/"
	@echo "make scan              sqlmap (API filters) and wapiti (pages) on loopback; fails on a finding above low"
	@echo "make bench             the performance benchmark at two scales, small and national (BENCH_SCALE=small: a quick run)"
	@echo "make chaos             the fault suite on a private PostgreSQL + Redis: restart, outage, killed worker, backup"

venv: $(VENV)/.installed

# Installed from the lock files (every package pinned, with its hashes): what CI tests is what runs.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (Debian/Ubuntu: apt-get install python3.11 python3.11-venv)"; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' \
		|| { echo "Python 3.11 is needed; $(PYTHON) is $$($(PYTHON) --version)"; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q --require-hashes -r requirements-dev.lock
	touch $@

# requirements*.txt name what we depend on (direct dependencies, pinned); the lock files add every transitive
# package with its hashes. After changing a requirements file: `make lock`, and commit all four files.
PIP_COMPILE = $(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	test -x $(VENV)/bin/pip-compile || $(PIP) install -q pip-tools==7.7.0
	$(PIP_COMPILE) -o requirements.lock requirements.txt
	$(PIP_COMPILE) -o requirements-dev.lock requirements-dev.txt

run: venv
	@$(COMPILE_MESSAGES)
	@$(DEV_ENV); \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py seed_demo; \
	export DISENGAGE_MFA_REQUIRED="$${DISENGAGE_MFA_REQUIRED:-False}"; \
	echo; echo "The application runs on http://127.0.0.1:$(PORT)/ (e-mail goes to files in var/mail/). Stop with Ctrl-C."; \
	echo "Two-step verification is $$([[ $$DISENGAGE_MFA_REQUIRED == False ]] && echo 'not enforced in this local demo (production always enforces it; DISENGAGE_MFA_REQUIRED=True make run to try it)' || echo 'enforced: the first login sets up an authenticator app')."; echo; \
	exec $(VENV)/bin/honcho -f Procfile.dev start -p $(PORT)

# The whole suite, on $(PYTEST_WORKERS) xdist workers; `--dist loadgroup` keeps a module whose own module-scoped
# fixture sets up for all its tests on one worker (tests/conftest.py). Its 30 slowest tests (of 5 s or more) are
# listed at the end, so that the time budget of the suite (20 minutes on 2 cores) is watched where the time goes.
test: venv
	@$(COMPILE_MESSAGES)
	@export DEV_ENV_REDIS_DB=$${DEV_ENV_REDIS_DB:-15}; $(DEV_ENV); \
	export DJANGO_SETTINGS_MODULE=config.settings.test; \
	$(PY) -m pytest -q -p no:randomly -n $(PYTEST_WORKERS) $(if $(filter-out 0,$(PYTEST_WORKERS)),--dist loadgroup) \
		--durations=30 --durations-min=5 $(PYTEST_ARGS)

# The fast lane for a developer between two changes: every test but the slow end-to-end ones (browser journeys,
# real Celery workers, private servers: the markers of pyproject.toml). `make test` (and CI) still runs everything.
FAST_LANE := -m "not slow and not browser and not integration"
test-fast:
	@$(MAKE) --no-print-directory test PYTEST_ARGS='$(FAST_LANE) $(PYTEST_ARGS)'

# The conventions that check themselves (docs/conventions.md): ruff (lint and layout), the import contracts of pyproject.toml
# (apps depend one way; ops knows no domain), the templates (djLint), the types of services, selectors and
# permissions (mypy, strict; the files and flags are in pyproject.toml). The same hooks run from .pre-commit-config.yaml.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/mypy

# pip-audit asks PyPI's vulnerability service about every pinned runtime dependency: offline it fails and says
# that nothing was audited (never a silent pass). bandit fails on a high-severity finding in our code.
audit: venv
	$(PY) bin/audit

migrations-check: venv
	@$(DEV_ENV); $(PY) manage.py makemigrations --check --dry-run

# Only the `django` domain: the JavaScript has no words of its own (pages hand them over, translated).
# New entries arrive empty (or fuzzy): translate them; tests/i18n fails on an empty or fuzzy entry.
messages: venv
	@$(DEV_ENV); \
	$(PY) manage.py makemessages -l nl_BE -l fr_BE -l en --no-obsolete --no-location $(I18N_IGNORE); \
	sed -i 's/nplurals=INTEGER; plural=EXPRESSION;/nplurals=2; plural=(n != 1);/' locale/nl_BE/LC_MESSAGES/*.po locale/en/LC_MESSAGES/*.po; \
	sed -i 's/nplurals=INTEGER; plural=EXPRESSION;/nplurals=2; plural=(n > 1);/' locale/fr_BE/LC_MESSAGES/*.po; \
	$(PY) manage.py compilemessages $(I18N_IGNORE)

backup: venv
	@$(DEV_ENV); $(PY) bin/backup

restore: venv
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<stamp> [TARGET_DB=disengage_restore]"; exit 2; }
	@$(DEV_ENV); $(PY) bin/restore "$(BACKUP)" --target-db "$(or $(TARGET_DB),disengage_restore)"

stop-services:
	@$(PY) bin/dev-env --stop

# The performance benchmark (docs/design.md §11, ADR 0045): each page at two scales (small, then national; each
# dataset in its own database, generated once, reused), its solo time split into SQL / render / view / middleware,
# gunicorn on 127.0.0.1 under locust for a bounded minute, the minutes PDF and the reminder sweep over 60,000
# conferences; one table with the ratio national/small and the change against bench/baseline.json, written to
# bench/results.json. `BENCH_SCALE=small make bench`: the small scale only (bench/results-small.json), a quick
# end-to-end check. Other knobs: BENCH_DURATION, BENCH_USERS, BENCH_WORKERS, BENCH_DB_SMALL, BENCH_DB_NATIONAL.
# `make bench-solo`: the in-process split alone (no load), readable on a busy machine.
# `make bench-baseline`: keep the last results (of a quiet machine) as the baseline the next runs compare with.
.PHONY: bench bench-solo bench-baseline
bench: venv
	$(PY) bench/bench.py
bench-solo: venv
	$(PY) bench/solo.py
bench-baseline:
	cp bench/results.json bench/baseline.json

# The fault suite (ADR 0016): its own PostgreSQL (127.0.0.1:55430), Redis (56370), gunicorn (58130), worker and
# outbox relay; PostgreSQL restarted, Redis down 30 s, the worker SIGKILLed mid-sweep of 5,000 reminders, two sweeps
# at once, backup + restore under traffic; prints the per-fault table, fails when a target is missed. A few minutes.
# Knobs: CHAOS_ARGS="--faults ab --redis-outage 10 --reminders 1000 --verbose".
CHAOS_ARGS ?=
chaos: venv
	@$(COMPILE_MESSAGES)
	$(PY) bin/chaos $(CHAOS_ARGS)

# Two scanners from Debian's packages (apt-get install sqlmap wapiti) against a private copy on loopback:
# bin/scan says what it does; each scanner is time-boxed (SCAN_SECONDS, default 300); CI runs it after the suite.
scan: venv
	@$(DEV_ENV); $(PY) bin/scan
