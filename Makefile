# The two promises of the README: `make run` and `make test` do every set-up step.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# These targets are for a laptop and CI: development settings unless DEBUG is given
# (the site's own default is off, as in production).
export DEBUG ?= 1

.PHONY: install run test messages bench lint format clean worker beat lock

# Installed from the lock file: every machine gets the same versions, checked by hash.
$(STAMP): pyproject.toml requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsroom needs Python 3.11 or newer")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# After changing the dependencies in pyproject.toml: pin them again, with hashes.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra dev \
		--no-emit-index-url --no-emit-find-links -o requirements-dev.txt pyproject.toml

install: $(STAMP)

# Compiled translations are built here, never committed.
messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

run: messages
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_demo_admin --site http://$(HOST):$(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: messages
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: $(STAMP)
	$(BIN)/celery -A newsroom worker --loglevel=info

beat: $(STAMP)
	$(BIN)/celery -A newsroom beat --loglevel=info

bench: messages
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) staticfiles test-artifacts *.egg-info
