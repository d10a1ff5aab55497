# PartsMall: `make run` serves the embedded default, `make test` runs the whole suite.
# Both set everything up on a fresh machine (Python 3.11 + Node.js 20).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/partsmall

.PHONY: setup run test lint typecheck test-sqlite test-postgres test-e2e messages clean demo

setup: $(STAMPS)/python $(STAMPS)/frontend $(STAMPS)/messages

$(STAMPS)/python: requirements/lock.txt
	@mkdir -p $(STAMPS)
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "PartsMall needs Python 3.11, found " + sys.version.split()[0]'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-virtualenv -r requirements/lock.txt
	@touch $@

$(STAMPS)/frontend: package.json package-lock.json scripts/copy_vendor.mjs
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	@touch $@

$(STAMPS)/messages: $(STAMPS)/python $(wildcard partsmall/locale/*/LC_MESSAGES/*.po)
	$(PY) scripts/compile_messages.py
	@touch $@

messages: setup
	$(PY) manage.py makemessages -l en --ignore=node_modules --ignore=.venv --no-obsolete
	$(PY) scripts/compile_messages.py

run: setup
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py load_demo --if-empty
	$(PY) scripts/serve.py

lint: $(STAMPS)/python
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMPS)/python
	$(VENV)/bin/mypy partsmall tests scripts conftest.py bench

test: setup lint typecheck
	bash scripts/test.sh

clean:
	rm -rf $(VENV) node_modules $(STAMPS) partsmall/static/vendor var/staticfiles
