# The few verbs this project needs. `make run` and `make test` are all a newcomer types.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development runs with DEBUG on and an embedded SQLite database unless told otherwise.
export DEBUG ?= true

.PHONY: run test install install-test migrate seed lint format check clean map bench

run: install migrate seed
	@echo
	@echo "The directory is at http://$(HOST):$(PORT)/"
	@echo "To edit it, create an account in another terminal: $(BIN)/python manage.py create_editor <name>"
	@echo "(or an administrator: $(BIN)/python manage.py createsuperuser). No default password exists."
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency files change, so a second `make run` is quick.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/python manage.py migrate --no-input

seed: install
	$(BIN)/python manage.py load_seed

# The browser tests run in a process of their own: their live server and Playwright's event
# loop share nothing with the rest of the suite's database connections and caches.
test: install-test
	DEBUG=false $(BIN)/pytest --ignore=tests/browser $(PYTEST_ARGS)
	DEBUG=false $(BIN)/pytest tests/browser $(PYTEST_ARGS)

check: install-test
	DEBUG=false SECRET_KEY=check-only $(BIN)/python manage.py check
	DEBUG=false SECRET_KEY=check-only $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint: check

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The directory under load on PostgreSQL, Redis and gunicorn at 10 000 and 100 000 initiatives,
# beside two control views; writes bench/results/latest.md. BENCH_QUICK=1 for a short try.
bench: install-test
	$(BIN)/python -m bench.run

# Rebuild networks/world_map.json from Natural Earth shapes (npm's world-atlas); needs node.
map: install
	$(BIN)/python scripts/build_world_map.py

clean:
	rm -rf $(VENV) staticfiles
