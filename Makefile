# The README's commands. `make run` on a fresh machine: venv, install, migrate, demo data, serve.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check install migrate demo bench clean

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	@touch $@

install: $(VENV)/.installed

# The demo server runs with DEBUG on and a throwaway key, on SQLite unless DATABASE_URL is set.
run: export DEBUG ?= 1
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py refresh_summaries
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "  Migraine diary is starting on http://$(HOST):$(PORT)/"
	@echo "  Sign in at http://$(HOST):$(PORT)/accounts/login/ with any demo account, password demo-migraine-2026:"
	@echo "    patient@example.com    a patient with a diary"
	@echo "    clinician@example.com  a clinician"
	@echo "    editor@example.com     an education editor (admin: http://$(HOST):$(PORT)/admin/)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SECRET_KEY=check-only EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=check-only EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend $(PY) manage.py check

# Benchmark on the local PostgreSQL and Redis (see bench/run.py); traffic to 127.0.0.1 only.
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -n 1) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --port 6379 --save "" --appendonly no
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
