# The few verbs this project needs. `make run` and `make test` are all a newcomer types.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CATALOGUE := locale/fr/LC_MESSAGES/django

# Local development runs with DEBUG on and an embedded SQLite database unless told otherwise.
export DEBUG ?= true

.PHONY: run test install install-test migrate seed messages lint format check clean map bench observatory vnu
.PHONY: lint-docker lint-migrations drills restore-drill loadtest restart-drill slow-client-drill edge-drill

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

install: $(VENV)/.installed $(CATALOGUE).mo

install-test: $(VENV)/.installed-test $(CATALOGUE).mo

# The French interface, compiled with Babel so that running the site needs no gettext tools.
$(CATALOGUE).mo: $(CATALOGUE).po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics --input-file $< --output-file $@

# Collect new or changed interface strings into the catalogue, then translate them there;
# needs gettext's xgettext (`apt-get install gettext`).
messages: install
	$(BIN)/python manage.py makemessages --locale fr --no-obsolete --add-location file \
		--ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*' --ignore 'staticfiles/*' \
		--ignore 'docs/*' --ignore 'scripts/*' --ignore 'node_modules/*'

migrate: install
	$(BIN)/python manage.py migrate --no-input

seed: install
	$(BIN)/python manage.py load_seed
	$(BIN)/python manage.py build_dump

# The browser tests run in a process of their own: their live server and Playwright's event
# loop share nothing with the rest of the suite's database connections and caches.
test: install-test vnu
	DEBUG=false $(BIN)/pytest --ignore=tests/browser $(PYTEST_ARGS)
	DEBUG=false $(BIN)/pytest tests/browser $(PYTEST_ARGS)

# The W3C's Nu Html Checker (vnu.jar), as pinned in scripts/vnu/package-lock.json, for
# tests/test_crawl.py; needs npm (to install) and java (to run).
vnu: .vnu/node_modules/vnu-jar/build/dist/vnu.jar

.vnu/node_modules/vnu-jar/build/dist/vnu.jar: scripts/vnu/package.json scripts/vnu/package-lock.json
	mkdir -p .vnu && cp scripts/vnu/package.json scripts/vnu/package-lock.json .vnu/
	cd .vnu && npm ci --no-audit --no-fund --loglevel=error
	touch $@

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

# The Mozilla HTTP Observatory's grade for production settings over TLS on loopback, A+ or fail.
# Needs node, npm, openssl and ports 80 and 443 (root); keeps the scanner in .observatory/.
observatory: install
	bash scripts/observatory.sh

# Operations (docs/operations.md: Running in production, Drills). The Dockerfile cannot be built here; hadolint
# reads it, and every finding fails (.hadolint.yaml).
lint-docker: install-test
	$(BIN)/hadolint Dockerfile

# django-migration-linter: no migration that the code still running during a deploy could not
# live with, every data migration reversible. It reads the SQL for PostgreSQL, what production
# runs (DATABASE_URL, by default the server's own `postgres` database, which it only reads):
# SQLite rebuilds a table to add a column, and the linter takes each NOT NULL of it for new.
lint-migrations: install-test
	DEBUG=false SECRET_KEY=check-only \
		DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
		$(BIN)/python -m ops.lint_migrations

# The load test needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth), Redis at
# 127.0.0.1:6379 and Debian's wrk; the restore and restart drills run PostgreSQL clusters of their
# own; the slow-client drill needs PostgreSQL too, and Debian's nginx, redis-server and openssl;
# the edge drill Debian's varnish, varnish-modules and pgbouncer, Redis and wrk.
# Each fails when what it checks does not hold.
drills: restore-drill loadtest restart-drill slow-client-drill edge-drill

# The backup plan of docs/backups.md on a cluster of its own: base backup and WAL archive of 3 000
# initiatives restored to just before a mass deletion (compared with a pg_dump of that moment)
# and to the end of the archive after a crash (data lost within archive_timeout); about 2 minutes.
restore-drill: install-test
	DEBUG=false $(BIN)/python -m ops.restore_drill

# 20 000 initiatives under wrk for 60 s (LOADTEST_DURATION): no 5xx, no connection error.
loadtest: install-test vnu
	DEBUG=false $(BIN)/python -m ops.loadtest

# PostgreSQL (a cluster of its own, on a free port) stopped and started again under load.
restart-drill: install-test
	DEBUG=false $(BIN)/python -m ops.restart_drill

# 150 slowloris connections and unread exports against gunicorn behind the shipped nginx
# (ops/nginx/probono.conf): /healthz and pages keep answering; a 15 s export outlives gunicorn's
# timeout with every row; about a minute. SLOW_CLIENT_DRILL_MODE=sync shows the old setup failing.
slow-client-drill: install-test
	DEBUG=false $(BIN)/python -m ops.slow_client_drill

# Past one machine (docs/edge.md): Varnish with ops/varnish/probono.vcl in front of two gunicorn,
# PgBouncer in transaction mode, a standby replaying 2 s late, an editor writing: throughput and
# hit ratio, purge latency, no stale page, grace with gunicorn down, a minute of load through
# PgBouncer without an error; about four minutes.
edge-drill: install-test
	DEBUG=false $(BIN)/python -m ops.edge_drill

# Rebuild networks/world_map.json from Natural Earth shapes (npm's world-atlas); needs node.
map: install
	$(BIN)/python scripts/build_world_map.py

clean:
	rm -rf $(VENV) staticfiles .observatory
