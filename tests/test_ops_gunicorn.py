"""gunicorn with the production configuration (gunicorn.conf.py), started for real."""

import http.client
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from ops.common import Gunicorn, production_env

CLOSED_PORT_URL = "postgres://postgres@127.0.0.1:1/probono"
# As in production: one public host name, HTTPS redirects on; gunicorn on plain HTTP behind.
PUBLIC_HOST = "directory.example.org"


def serve(folder, database_url, **env):
    env = {"ALLOWED_HOSTS": PUBLIC_HOST, "SECURE_SSL_REDIRECT": "true", **env}
    return Gunicorn(production_env(database_url, **env), folder / "gunicorn.log", workers=1)


@pytest.fixture(scope="module")
def healthy(tmp_path_factory, django_db_setup, django_db_blocker):
    folder = tmp_path_factory.mktemp("healthy")
    with django_db_blocker.unblock():
        database = connection.settings_dict
    if connection.vendor == "postgresql":
        database_url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**database)
    else:  # the test database is in memory: gunicorn gets a file of its own
        database_url = f"sqlite:///{folder / 'db.sqlite3'}"
    with serve(folder, database_url) as server:
        yield server


@pytest.fixture(scope="module")
def down(tmp_path_factory):
    folder = tmp_path_factory.mktemp("down")
    with serve(folder, CLOSED_PORT_URL, SECURE_SSL_REDIRECT="false") as server:
        yield server


def raw_request(server, data):
    """Send bytes as they are and return the status line of the answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(data)
        return connection.recv(4096).split(b"\r\n", 1)[0].decode()


def get(server, path):
    started = time.monotonic()
    response = server.request(path, {"Host": PUBLIC_HOST})
    return response, time.monotonic() - started


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "414"),
        (
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + b"".join(b"X-Header-%d: 1\r\n" % number for number in range(60))
            + b"\r\n",
            "431",
        ),
        (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", "431"),
    ],
    ids=["request-line-too-long", "too-many-headers", "header-too-large"],
)
def test_gunicorn_refuses_oversized_requests_and_its_worker_keeps_serving(
    healthy, request_bytes, status
):
    workers = healthy.worker_pids()

    assert raw_request(healthy, request_bytes).split()[1] == status
    assert get(healthy, "/healthz")[0].status == 200
    assert healthy.worker_pids() == workers
    assert "WORKER TIMEOUT" not in healthy.log.read_text()


def test_it_answers_pages_with_a_friendly_503_at_once_when_the_database_is_down(down):
    response, seconds = get(down, "/initiatives/?country=fr")

    assert response.status == 503
    assert response.getheader("Retry-After") == "30"
    assert response.getheader("Cache-Control") == "no-store"
    assert seconds < 2
    log = down.log.read_text()
    assert "Traceback" not in log
    assert "Database unavailable" in log


def test_the_503_page_tells_readers_to_come_back(down):
    connection = http.client.HTTPConnection("127.0.0.1", down.port)
    connection.request("GET", "/initiatives/some-initiative/", headers={"Host": PUBLIC_HOST})
    body = connection.getresponse().read().decode()

    assert "<h1>The directory is temporarily unavailable</h1>" in body
    assert "try again in a minute" in body


def test_healthz_answers_200_when_the_database_answers(healthy):
    response, seconds = get(healthy, "/healthz")

    assert response.status == 200
    assert seconds < 2


def test_healthz_answers_503_at_once_when_the_database_refuses_connections(down):
    response, seconds = get(down, "/healthz")

    assert response.status == 503
    assert seconds < 2


def test_healthz_gives_up_after_the_connect_timeout_when_the_database_never_answers(tmp_path):
    # A socket that accepts connections and never speaks: a host that hangs.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        database_url = f"postgres://postgres@127.0.0.1:{silent.getsockname()[1]}/probono"
        with serve(tmp_path, database_url, DB_CONNECT_TIMEOUT="2") as server:
            response, seconds = get(server, "/healthz")

    assert response.status == 503
    assert 1.5 < seconds < 5


def healthcheck(server):
    """The Dockerfile's HEALTHCHECK command, run against this server."""
    return subprocess.run(
        [sys.executable, "-m", "probono.healthcheck"],
        cwd=settings.BASE_DIR,
        env={**server.env, "PORT": str(server.port)},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )


def test_the_container_health_check_passes_when_the_database_answers(healthy):
    result = healthcheck(healthy)

    assert result.returncode == 0, result.stderr


def test_the_container_health_check_fails_when_the_database_is_down(down):
    result = healthcheck(down)

    assert result.returncode == 1
    assert "HTTP 503" in result.stderr


def test_the_access_log_names_each_request_by_the_id_the_response_gives(healthy):
    response, _elapsed = get(healthy, "/healthz")
    request_id = response.getheader("X-Request-ID")
    assert request_id
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and request_id not in healthy.log.read_text():
        time.sleep(0.1)
    (line,) = [line for line in healthy.log.read_text().splitlines() if request_id in line]
    assert '"GET /healthz HTTP/1.1" 200' in line
    assert line.endswith(f"ms {request_id}")
