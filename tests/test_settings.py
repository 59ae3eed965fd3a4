import os
import subprocess
import sys

import pytest
from django.conf import settings


def load_settings(**env):
    """Import the settings module in a fresh interpreter with exactly these variables."""
    environment = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        [sys.executable, "-c", "import probono.settings as s; print(s.DATABASES['default'])"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_it_defaults_to_debug_off():
    result = load_settings()
    assert "SECRET_KEY is required" in result.stderr


def test_it_rejects_a_boolean_that_is_not_true_or_false():
    result = load_settings(DEBUG="yes", SECRET_KEY="x")
    assert "DEBUG must be 'true' or 'false'" in result.stderr


def test_it_reads_the_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    result = load_settings(SECRET_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stderr


def test_it_uses_an_embedded_sqlite_database_by_default():
    result = load_settings(DEBUG="true")
    assert "'ENGINE': 'django.db.backends.sqlite3'" in result.stdout
    assert str(settings.BASE_DIR / "db.sqlite3") in result.stdout


@pytest.mark.parametrize(
    ("url", "engine"),
    [("postgres://postgres@127.0.0.1:5432/probono", "django.db.backends.postgresql")],
)
def test_it_takes_the_database_from_database_url(url, engine):
    result = load_settings(DEBUG="true", DATABASE_URL=url)
    assert f"'ENGINE': '{engine}'" in result.stdout
    assert "'NAME': 'probono'" in result.stdout


def test_migrations_match_the_models():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
