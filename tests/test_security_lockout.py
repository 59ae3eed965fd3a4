"""After AXES_FAILURE_LIMIT failed logins, that username is locked out from that address for an
hour (django-axes): in every gunicorn worker, whatever X-Forwarded-For says."""

import datetime
import html
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/" + settings.ADMIN_PATH + "login/"
PASSWORD = "correct horse battery staple"
LOCKED_OUT = 429
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Many logins here; the hasher's cost is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("edith", password=PASSWORD, is_staff=True)


def log_in(password, address="192.0.2.10", **headers):
    client = Client(REMOTE_ADDR=address)
    return client.post(LOGIN, {"username": "edith", "password": password}, **headers)


def fail(times, address="192.0.2.10", **headers):
    return [log_in("wrong", address, **headers).status_code for _attempt in range(times)]


def locks_at_the_limit(statuses):
    """The failures short of the limit show the form again; the one that reaches it, the lockout."""
    return statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [LOCKED_OUT]


def forged():
    """Headers a client may set to look like someone else each time."""
    return {
        "HTTP_X_FORWARDED_FOR": f"198.51.100.{secrets.randbelow(250) + 1}",
        "HTTP_USER_AGENT": f"Browser/{secrets.token_hex(4)}",
    }


def test_the_right_password_still_works_one_failure_short_of_the_limit(staff):
    assert fail(settings.AXES_FAILURE_LIMIT - 1) == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(PASSWORD).status_code == 302


def test_the_limit_of_failed_logins_locks_the_username_out_even_with_the_right_password(staff):
    assert locks_at_the_limit(fail(settings.AXES_FAILURE_LIMIT))
    response = log_in(PASSWORD)
    assert response.status_code == LOCKED_OUT
    assert "Too many failed logins" in response.content.decode()


def test_the_lockout_holds_for_that_username_from_that_address_only(staff, django_user_model):
    django_user_model.objects.create_user("nadia", password=PASSWORD, is_staff=True)
    assert locks_at_the_limit(fail(settings.AXES_FAILURE_LIMIT))
    assert log_in(PASSWORD).status_code == LOCKED_OUT
    assert log_in(PASSWORD, address="203.0.113.7").status_code == 302
    other = Client(REMOTE_ADDR="192.0.2.10").post(
        LOGIN, {"username": "nadia", "password": PASSWORD}
    )
    assert other.status_code == 302


def test_a_forged_x_forwarded_for_or_user_agent_does_not_dodge_the_lockout(staff):
    statuses = [log_in("wrong", **forged()).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert locks_at_the_limit(statuses)
    assert log_in(PASSWORD, **forged()).status_code == LOCKED_OUT
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}


def test_behind_trusted_proxies_the_address_they_saw_counts(settings, staff):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # The client may prepend anything; the proxy appends the address it saw.
    statuses = fail(settings.AXES_FAILURE_LIMIT, proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert locks_at_the_limit(statuses)
    assert log_in(PASSWORD, proxy, HTTP_X_FORWARDED_FOR="5.6.7.8, 203.0.113.9").status_code == (
        LOCKED_OUT
    )
    assert log_in(PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 302


def test_the_lockout_lifts_after_the_hour_of_cool_off(staff):
    assert locks_at_the_limit(fail(settings.AXES_FAILURE_LIMIT))

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=59))
    assert log_in(PASSWORD).status_code == LOCKED_OUT

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=61))
    assert log_in(PASSWORD).status_code == 302


# With gunicorn: two worker processes that share nothing but the database.


class Gunicorn:
    """The site under gunicorn with two workers, DEBUG off, on a database of its own."""

    def __init__(self, database_url, log):
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "lockout-test-secret-key",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "SECURE_SSL_REDIRECT": "false",
        }
        self.log = log

    def manage(self, *command):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=self.env, check=True)

    def __enter__(self):
        self.manage("migrate", "--no-input", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        create = "User.objects.create_user(name, password=password, is_staff=True)"
        self.manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import User\n"
            f"password = {PASSWORD!r}\nfor name in ['edith', 'nadia']: {create}",
        )
        self.port = free_port()
        command = [Path(sys.executable).parent / "gunicorn", "probono.wsgi:application"]
        command += ["--workers", "2", "--bind", f"127.0.0.1:{self.port}", "--no-control-socket"]
        command += ["--access-logfile", str(self.log), "--access-logformat", "%(p)s %(m)s %(s)s"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        for _attempt in range(100):
            try:
                self.request("GET", LOGIN)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exception):
        self.process.terminate()
        self.process.wait(timeout=30)

    def request(self, method, path, body=None, headers=None):
        """One request on a connection of its own, so that any worker may take it."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body, headers or {})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            connection.close()

    def log_in(self, username, password):
        """What a browser does: fetch the form and its CSRF token, then post it."""
        _status, headers, page = self.request("GET", LOGIN)
        cookie = next(value for name, value in headers if name.lower() == "set-cookie")
        token = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1])
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie.split(";")[0],
            "X-Forwarded-For": forged()["HTTP_X_FORWARDED_FOR"],
            "User-Agent": forged()["HTTP_USER_AGENT"],
        }
        return self.request("POST", LOGIN, body, headers)[0]

    def workers(self, since=0):
        """The worker processes that answered the requests after the first `since`."""
        return {line.split()[0] for line in self.log.read_text().splitlines()[since:]}

    def requests_so_far(self):
        return len(self.log.read_text().splitlines())


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_url(tmp_path):
    """A new database: a SQLite file, or on PostgreSQL runs a PostgreSQL database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        # Two processes write the lockout table at once; IMMEDIATE makes SQLite queue the writers
        # instead of failing one with "database is locked".
        yield f"sqlite:///{tmp_path / 'lockout.sqlite3'}?transaction_mode=IMMEDIATE"
        return
    import psycopg

    name = f"probono_lockout_{secrets.token_hex(4)}"
    server = urllib.parse.urlsplit(url)
    with psycopg.connect(server._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield server._replace(path=f"/{name}").geturl()
    with psycopg.connect(server._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_the_lockout_holds_across_gunicorn_workers(database_url, tmp_path):
    limit = settings.AXES_FAILURE_LIMIT
    with Gunicorn(database_url, tmp_path / "access.log") as server, ThreadPoolExecutor(2) as pool:
        # Two at a time, so that both workers take some: the failures that lock are spread.
        start = server.requests_so_far()
        failed = list(pool.map(server.log_in, ["edith"] * limit, ["wrong"] * limit))
        failed_in = server.workers(since=start)

        start = server.requests_so_far()
        refused = list(pool.map(server.log_in, ["edith"] * 8, [PASSWORD] * 8))
        refused_in = server.workers(since=start)

        # One short of the limit, then the right password: no lockout.
        short = list(pool.map(server.log_in, ["nadia"] * (limit - 1), ["wrong"] * (limit - 1)))
        allowed = server.log_in("nadia", PASSWORD)

    assert sorted(failed) == [200] * (limit - 1) + [LOCKED_OUT]
    assert len(failed_in) == 2, "the failed logins all went to one worker"
    assert refused == [LOCKED_OUT] * 8
    assert len(refused_in) == 2, "the locked-out logins all went to one worker"
    assert (short, allowed) == ([200] * (limit - 1), 302)
