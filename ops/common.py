"""What the drills share: PostgreSQL databases, the production environment, gunicorn with the
production configuration (gunicorn.conf.py), and a few pages fetched in-process."""

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.run import manage, say
from bench.server import Server

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PG_BIN = Path(
    sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[4]))[-1]
)
# initdb and postgres refuse to run as root: CI is root, a developer may not be.
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
# Tables of the directory's content, compared row by row between two databases.
CONTENT_TABLES = [
    "initiatives_initiative",
    "initiatives_initiative_countries",
    "initiatives_initiative_sectors",
    "initiatives_taggedinitiative",
    "networks_facilitator",
    "networks_membership",
    "taggit_tag",
]


def connection_args(port=None):
    return ["-h", POSTGRES["host"], "-p", str(port or POSTGRES["port"]), "-U", POSTGRES["user"]]


def database_url(name, port=None):
    return f"postgres://{POSTGRES['user']}@{POSTGRES['host']}:{port or POSTGRES['port']}/{name}"


def recreate_database(name, port=None):
    drop_database(name, port)
    subprocess.run(["createdb", *connection_args(port), name], check=True)


def drop_database(name, port=None):
    subprocess.run(["dropdb", *connection_args(port), "--if-exists", "--force", name], check=True)


def psql(database, sql, port=None):
    """Rows of a query, as lists of strings."""
    output = subprocess.run(
        ["psql", *connection_args(port), "-d", database, "-XAtF", "\t", "-c", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.split("\t") for line in output.splitlines()]


def production_env(database_url, **extra):
    """The environment of gunicorn in production (DEBUG off, persistent connections)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "probono.settings",
        "DEBUG": "false",
        "SECRET_KEY": "drill-only-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The drills speak plain HTTP to gunicorn, as a proxy that ends TLS would.
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "600",
        "BENCHMARK": "false",
        # A drill asks from one address, far more often than a reader: the pages must render,
        # not answer 429 (tests/test_ratelimits.py checks the limits).
        "RATE_LIMIT_EXPORTS": "0",
        "RATE_LIMIT_SEARCHES": "0",
        "RATE_LIMIT_LOGINS": "0",
        "RATE_LIMIT_IMPORTS": "0",
        "RATE_LIMIT_PAGES": "0",
        "RATE_LIMIT_REPORTS": "0",
        **extra,
    }


def seed(env, initiatives):
    """Migrate, load the seed content and `initiatives` synthetic ones; seconds it took."""
    started = time.monotonic()
    manage(env, "migrate", "--no-input")
    manage(env, "load_seed")
    manage(env, "seed_demo", "--initiatives", str(initiatives), "--seed", "1")
    return time.monotonic() - started


def fetch_pages(env, paths):
    """{path: [status, body]} of pages rendered in-process by Django's test client."""
    result = subprocess.run(
        [sys.executable, "-m", "ops.pages", *paths],
        cwd=ROOT,
        env={**env, "ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


class Gunicorn(Server):
    """gunicorn.conf.py on a free port; up as soon as it answers /healthz, whatever the answer
    (a drill may start it with its database down)."""

    def ready(self):
        return self.request("/healthz").status > 0

    def worker_pids(self):
        return set(self.memory())


def as_postgres(command):
    """Run a command as the user PostgreSQL runs as; its output."""
    return subprocess.run(
        [*AS_POSTGRES, *map(str, command)], check=True, capture_output=True, text=True
    ).stdout


def owned_by_postgres(path):
    if AS_POSTGRES:
        shutil.chown(path, "postgres", "postgres")
    return path


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1 and a free port, its data in folder/name;
    initdb makes it unless it is to be restored from a backup (new=False)."""

    def __init__(self, folder, name="data", new=True):
        self.data, self.log = folder / name, folder / f"{name}.log"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        owned_by_postgres(folder)
        if new:
            self.pg(["initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync"])

    def pg(self, command):
        return as_postgres([PG_BIN / command[0], *command[1:]])

    def configure(self, **settings):
        """Append settings to postgresql.conf, where later lines win over earlier ones."""
        lines = [
            f"{name} = '{str(value).replace(chr(39), chr(39) * 2)}'\n"
            for name, value in settings.items()
        ]
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(lines)

    def start(self):
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg(["pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start"])

    def stop(self, mode="fast"):
        self.pg(["pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"])


def conclude(drill, folder, failures, passed=None):
    """End a drill: its folder kept for a look and the run failed if anything did not hold,
    removed otherwise. `passed`: what to say on success, "<drill> passed" by default."""
    if failures:
        sys.exit(f"{drill} FAILED (logs in {folder}):\n" + "\n".join(failures))
    shutil.rmtree(folder, ignore_errors=True)
    say(passed or f"{drill} passed")
