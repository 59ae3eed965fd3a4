"""/healthz in-process, and PostgreSQL's statement timeout as the settings set it."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

STATEMENT = """
import time, django
django.setup()
from django.db import OperationalError, connection
started = time.monotonic()
try:
    connection.cursor().execute("SELECT pg_sleep(5)")
except OperationalError as error:
    seconds = round(time.monotonic() - started, 1)
    print(type(error).__name__, type(error.__cause__).__name__, seconds)
"""


def test_healthz_answers_ok_when_the_database_answers(db, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_never_served_from_the_page_cache(db, client, django_assert_num_queries):
    client.get("/healthz")

    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_postgresql_cancels_a_query_past_the_statement_timeout(db):
    database = connection.settings_dict
    result = subprocess.run(
        [sys.executable, "-c", STATEMENT],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "probono.settings",
            "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**database),
            "DB_STATEMENT_TIMEOUT": "1",
        },
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    name, cause, seconds = result.stdout.split()

    # Django's OperationalError, so the site answers with its 503 page.
    assert (name, cause) == ("OperationalError", "QueryCanceled")
    assert 0.9 <= float(seconds) < 3
