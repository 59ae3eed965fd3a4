"""Production settings pass Django's deployment checks, and gunicorn refuses an unsafe start.

Each test runs manage.py or gunicorn in a process of its own, with exactly the environment given.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

GUNICORN = Path(sys.executable).parent / "gunicorn"


def production(**env):
    """The environment a production server gets: no DEBUG, a long random key, its host name."""
    return {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "directory.example.org",
        **env,
    }


def run(*command, env):
    return subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A server process on a free port, for the length of a `with` block."""

    def __init__(self, command, env):
        self.port = free_port()
        self.process = subprocess.Popen(
            [*command, f"127.0.0.1:{self.port}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def __enter__(self):
        for _attempt in range(300):
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stdout.read())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start in 30 s")

    def __exit__(self, *exception):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stdout.close()

    def get(self, path, **headers):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            return response
        finally:
            connection.close()


def gunicorn_exit(env):
    """How gunicorn, started as in production, ends when it cannot serve: (code, output)."""
    port = free_port()
    command = [str(GUNICORN), "probono.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
    result = run(*command, env=env)
    return result.returncode, result.stdout + result.stderr


def test_the_deployment_checks_pass_with_production_settings():
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = run(*command, env=production(DEBUG="false"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_checks_fail_on_a_guessable_secret_key():
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = run(*command, env=production(DEBUG="false", SECRET_KEY="short"))
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_gunicorn_refuses_to_serve_with_debug_on():
    code, output = gunicorn_exit(production(DEBUG="true"))
    assert code != 0
    assert "DEBUG is on" in output


def test_gunicorn_refuses_to_start_without_a_secret_key():
    code, output = gunicorn_exit(production(DEBUG="false", SECRET_KEY=""))
    assert code != 0
    assert "SECRET_KEY is required when DEBUG is off" in output


def test_production_redirects_plain_http_to_https():
    command = [str(GUNICORN), "probono.wsgi", "--workers", "1", "--bind"]
    with Server(command, production()) as server:
        response = server.get("/robots.txt", Host="directory.example.org")
    assert response.status == 301
    assert response.getheader("Location") == "https://directory.example.org/robots.txt"


def test_behind_a_proxy_that_ends_tls_the_named_header_means_https():
    env = production(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    command = [str(GUNICORN), "probono.wsgi", "--workers", "1", "--bind"]
    with Server(command, env) as server:
        response = server.get(
            "/robots.txt", Host="directory.example.org", **{"X-Forwarded-Proto": "https"}
        )
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"


def test_the_development_server_still_runs_with_debug_on(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    command = [sys.executable, "manage.py", "runserver", "--noreload"]
    with Server(command, env) as server:
        response = server.get("/robots.txt", Host="localhost")
    assert response.status == 200


def test_a_switch_that_is_not_true_or_false_stops_the_server():
    code, output = gunicorn_exit(production(SECURE_SSL_REDIRECT="yes"))
    assert code != 0
    assert "SECURE_SSL_REDIRECT must be 'true' or 'false'" in output


def second_factor_required(**env):
    shown = run(
        sys.executable,
        "manage.py",
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings; print(settings.ADMIN_REQUIRE_OTP_FOR_SUPERUSERS)",
        env=production(**{"DEBUG": "false", **env}),
    )
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip()


def test_superusers_need_a_second_factor_in_production_unless_the_operator_opts_out():
    assert second_factor_required() == "True"
    assert second_factor_required(ADMIN_REQUIRE_OTP_FOR_SUPERUSERS="false") == "False"
    assert second_factor_required(DEBUG="true") == "False"
