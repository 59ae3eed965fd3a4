"""A server error is logged with its traceback and the request's id, which the reader sees on the
500 page; administrators get it by email if ADMINS is set."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parent.parent
FAILING = override_settings(ROOT_URLCONF="tests.failing_urls")


@pytest.fixture
def failing_client():
    with FAILING:
        yield Client(raise_request_exception=False)


@pytest.mark.django_db
def test_every_response_names_its_request(client):
    first, second = client.get("/"), client.get("/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_a_proxy_may_name_the_request_but_not_with_anything_it_likes(client):
    named = client.get("/", headers={"X-Request-ID": "nginx-0f1e2d3c4b5a"})
    assert named["X-Request-ID"] == "nginx-0f1e2d3c4b5a"
    for forged in ("short", "a b c d e f g h", "x" * 65, "<script>alert(1)</script>"):
        replaced = client.get("/", headers={"X-Request-ID": forged})
        assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])


def test_the_500_page_gives_the_reader_the_request_id(failing_client):
    response = failing_client.get("/fails/")
    assert response.status_code == 500
    page = response.content.decode()
    assert f"<code>{response['X-Request-ID']}</code>" in page
    assert "Something went wrong on our side" in page


def test_a_server_error_goes_to_stderr_with_its_traceback_and_request_id(tmp_path):
    """In a process of its own, configured as production is, so that what reaches stderr is
    what the settings' LOGGING sends there."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client, override_settings\n"
        "with override_settings(ROOT_URLCONF='tests.failing_urls'):\n"
        "    response = Client(raise_request_exception=False).get('/fails/')\n"
        "print(response.status_code, response['X-Request-ID'])\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "probono.settings",
        "DEBUG": "false",
        "SECRET_KEY": "errors-test",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}",
    }
    env.pop("CACHE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    status, request_id = result.stdout.split()
    assert status == "500"
    assert f"ERROR django.request [request {request_id}] Internal Server Error: /fails/" in (
        result.stderr
    )
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: the directory broke on purpose" in result.stderr


def mailing_to(port, admins):
    """Settings that send the administrators' emails through the SMTP server on `port`."""
    return override_settings(
        ADMINS=[(address, address) for address in admins],
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
    )


def test_administrators_get_each_server_error_by_email(failing_client, smtp_server):
    port, received = smtp_server
    with mailing_to(port, ["ops@example.org"]):
        response = failing_client.get("/fails/")
    assert response.status_code == 500
    (message,) = received
    assert message["To"] == "ops@example.org"
    assert "ERROR (EXTERNAL IP): Internal Server Error: /fails/" in " ".join(
        message["Subject"].split()
    )
    assert "RuntimeError at /fails/\r\nthe directory broke on purpose" in message.get_payload()


def test_a_database_outage_is_not_mailed_once_per_reader(failing_client, smtp_server):
    port, received = smtp_server
    with mailing_to(port, ["ops@example.org"]):
        for _reader in range(3):
            assert failing_client.get("/loses-its-database/").status_code == 503
        assert failing_client.get("/fails/").status_code == 500
    (message,) = received
    assert "Internal Server Error: /fails/" in " ".join(message["Subject"].split())


def test_without_administrators_no_email_is_sent(failing_client, smtp_server):
    port, received = smtp_server
    with mailing_to(port, []):
        assert failing_client.get("/fails/").status_code == 500
    assert received == []
