"""Every environment variable the site reads is documented where operators look."""

import re

from django.conf import settings

ROOT = settings.BASE_DIR
READS = re.compile(
    r"""(?:env\w*|os\.environ\.get|os\.environ\[)\(?\s*f?["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_read():
    names = set()
    for path in ("probono/settings.py", "gunicorn.conf.py", "probono/healthcheck.py"):
        names |= set(READS.findall((ROOT / path).read_text()))
    return names


def test_the_settings_and_gunicorn_read_the_variables_this_test_knows():
    assert {"DATABASE_URL", "DB_STATEMENT_TIMEOUT", "WEB_CONCURRENCY", "PORT"} <= variables_read()


def test_every_variable_is_in_env_example():
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert variables_read() - documented == set()


def test_every_variable_is_in_the_configuration_table():
    readme = (ROOT / "docs" / "operations.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", readme, re.M))
    assert variables_read() - documented == set()
