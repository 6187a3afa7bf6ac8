# IntegraPsy: `make run` to try it with demo data, `make test` to run every test.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test load lint format messages install install-dev browser clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The development server, with a task worker (the outbox's emails) and the schedule beside it;
# Ctrl-C stops all three.
RUN_PORT ?= 8000
run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	@echo "IntegraPsy: http://127.0.0.1:$(RUN_PORT)  (logins above, password integrapsy)"
	@export DJANGO_DEBUG=1; \
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	$(PY) manage.py run_schedule & schedule=$$!; \
	trap 'kill -TERM $$worker $$schedule 2>/dev/null; wait $$worker $$schedule 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(RUN_PORT)

# Browser tests drive Debian's Chromium; install it when missing and possible (root, apt).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium: browser tests will fail."; \
	  else echo "Chromium missing and cannot be installed here: browser tests will fail."; fi; \
	fi

# The suite on every core (pytest-xdist): each worker has its own test database (SQLite
# test-db.sqlite3_gwN, PostgreSQL test_<name>_gwN) and its own browser and live server; whole
# files go to one worker (--dist loadfile), so a module's shared world is built once.
# TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= auto
test: install-dev browser
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile

# Load and fault tests on the real server (gunicorn) and PostgreSQL, outside `make test`:
# DATABASE_URL must name a PostgreSQL server; LOAD_SECONDS sets the load's length (60 s).
load: install-dev
	$(VENV)/bin/pytest tests/load

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the French and Dutch (and English) catalogues, then compile them.
messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l fr -l nl -l en --extension=html,txt,py,jinja --ignore=.venv --ignore=staticfiles --no-obsolete
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
