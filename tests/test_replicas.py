"""Read replicas (DATABASE_REPLICA_URLS) and PgBouncer's transaction mode (DATABASE_POOLING):
their settings, and the router's choice against a real PostgreSQL and Redis. A real standby
lagging behind its primary is `make edge-drill`'s part (ops/edge_drill.py)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection

from probono import replicas
from tests.conftest import REDIS
from tests.test_settings import load_settings

BASE = {"DEBUG": "false", "SECRET_KEY": "x", "DATABASE_URL": "postgres://db.example/probono"}
REDIS_URL = REDIS["versions"]["LOCATION"]
REPLICAS = "postgres://replica1.example/probono,postgres://replica2.example/probono"
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="WAL positions are PostgreSQL's"
)


def run(code, **env):
    """What `code` prints, run with the settings of these variables."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **BASE, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_replicas_become_database_aliases_that_are_never_migrated(settings):
    code = (
        "import probono.settings as s; print(sorted(s.DATABASES), s.DATABASE_REPLICAS,"
        " s.DATABASES['replica2']['HOST'], s.DATABASES['replica1']['TEST'])"
    )
    printed = run(code, DATABASE_REPLICA_URLS=REPLICAS, CACHE_URL=REDIS_URL)
    assert printed == (
        "['default', 'replica1', 'replica2'] ['replica1', 'replica2'] replica2.example"
        " {'MIRROR': 'default'}"
    )
    settings.DATABASE_REPLICAS = ["replica1"]
    router = replicas.ReplicaRouter()
    assert router.allow_migrate("default", "initiatives") is None
    assert router.allow_migrate("replica1", "initiatives") is False


def test_replicas_need_the_shared_redis():
    result = load_settings(**BASE, DATABASE_REPLICA_URLS=REPLICAS)
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS needs CACHE_URL" in result.stderr


def test_transaction_pooling_sends_no_startup_options_pgbouncer_would_refuse():
    code = "import probono.settings as s; print(s.DATABASES['default']['OPTIONS'])"
    assert "statement_timeout" in run(code)
    pooled = run(code, DATABASE_POOLING="transaction")
    assert "statement_timeout" not in pooled
    assert "connect_timeout" in pooled


def test_an_unknown_pooling_mode_is_refused():
    result = load_settings(**BASE, DATABASE_POOLING="statement")
    assert "DATABASE_POOLING must be 'session' or 'transaction'" in result.stderr


@pytest.fixture
def positions(settings):
    """The primary standing for its own replica, the position kept in the test Redis."""
    settings.DATABASE_REPLICAS = ["default"]
    settings.CACHES = {
        **settings.CACHES,
        "versions": REDIS["versions"],
    }
    replicas.positions.cache_clear()
    store = replicas.positions()
    store.delete(replicas.POSITION_KEY)
    yield store
    store.delete(replicas.POSITION_KEY)
    replicas.positions.cache_clear()


def current_position():
    with connection.cursor() as cursor:
        cursor.execute(replicas.POSITION_SQL)
        return int(cursor.fetchone()[0])


@on_postgres
@pytest.mark.django_db
def test_a_replica_that_has_replayed_the_last_write_is_read(positions):
    replicas.record_position()
    assert int(positions.zscore(replicas.POSITION_KEY, "primary")) <= current_position()
    reads = replicas.Reads()
    assert reads.database() == "default"
    assert (reads.replica, reads.on_primary) == ("default", False)


@on_postgres
@pytest.mark.django_db
def test_a_replica_behind_the_last_write_is_not_read_and_never_again_by_that_request(positions):
    positions.zadd(replicas.POSITION_KEY, {"primary": current_position() + 10**9})
    reads = replicas.Reads()
    assert reads.database() == "default"
    assert (reads.replica, reads.on_primary) == (None, True)
    positions.delete(replicas.POSITION_KEY)
    reads.database()
    assert reads.on_primary  # no page mixes the primary's rows with a replica's older ones


@on_postgres
@pytest.mark.django_db
def test_a_request_that_chose_a_replica_leaves_it_once_it_falls_behind(positions):
    reads = replicas.Reads()
    reads.database()
    assert reads.replica == "default"
    positions.zadd(replicas.POSITION_KEY, {"primary": current_position() + 10**9})
    reads.database()
    assert reads.on_primary


@on_postgres
@pytest.mark.django_db
def test_two_positions_recorded_at_once_keep_the_later(positions):
    later = current_position() + 10**9
    positions.zadd(replicas.POSITION_KEY, {"primary": later})
    replicas.record_position()  # an earlier position, arriving last
    assert int(positions.zscore(replicas.POSITION_KEY, "primary")) == later


@on_postgres
@pytest.mark.django_db
def test_without_redis_readers_read_the_primary(positions, settings):
    settings.CACHES = {
        **settings.CACHES,
        "versions": {"BACKEND": "probono.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"},
    }
    replicas.positions.cache_clear()
    reads = replicas.Reads()
    assert reads.database() == "default"
    assert reads.on_primary


@on_postgres
@pytest.mark.django_db
def test_readers_pages_render_through_the_router_and_a_post_records_the_position(
    client, positions, petition
):
    assert client.get("/initiatives/").status_code == 200
    assert positions.zscore(replicas.POSITION_KEY, "primary") is None
    client.post("/initiatives/propose/", {})
    assert positions.zscore(replicas.POSITION_KEY, "primary") is not None


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_opens_its_server_side_cursor_inside_a_transaction(client, petition, draft):
    """PgBouncer in transaction mode may hand the connection to another client between
    transactions: a cursor WITH HOLD, which Django declares outside one, would be lost."""
    import psycopg

    server_side = []

    def record(execute, sql, params, many, context):
        if isinstance(context["cursor"].cursor, psycopg.ServerCursor):
            server_side.append(context["connection"].in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get("/initiatives/export.csv")
        rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == 2  # the header and the petition
    assert server_side == [True]
