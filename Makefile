# Corfu Tracker: `make demo` runs it, `make test` tests it. Both are safe to rerun.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
DEMO_REPORTS ?= 20000

.PHONY: install demo serve test lint format bench clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference
	$(PY) manage.py setup_demo --reports $(DEMO_REPORTS) --host $(HOST)
	@# Links in emails point where the demo serves, unless SITE_URL says otherwise.
	SITE_URL="$${SITE_URL:-http://$(HOST)}" $(PY) manage.py runserver $(HOST)

test: install
	$(PY) manage.py makemigrations --check --dry-run
	@# pytest exits 5 when it collects no test: count that as a failure.
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
