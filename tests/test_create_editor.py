"""`create_editor` in deployment scripts: the password from standard input or the environment,
no prompt, no warning, and a clear refusal of a bad one."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import global_settings, settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

PASSPHRASE = "tenant clinics on tuesdays"


def editor_named(django_user_model, username):
    user = django_user_model.objects.get(username=username)
    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    return user


@pytest.mark.django_db
def test_it_reads_the_password_from_standard_input(django_user_model):
    out = io.StringIO()
    call_command(
        "create_editor",
        "nadia",
        password_stdin=True,
        stdin=io.StringIO(PASSPHRASE + "\n"),
        stdout=out,
    )
    assert editor_named(django_user_model, "nadia").check_password(PASSPHRASE)
    assert out.getvalue() == "Editor 'nadia' created. They can log in to the admin now.\n"


@pytest.mark.django_db
def test_it_reads_the_password_from_an_environment_variable(monkeypatch, django_user_model):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSPHRASE)
    call_command(
        "create_editor", "nadia", password_from_env="EDITOR_PASSWORD", stdout=io.StringIO()
    )
    assert editor_named(django_user_model, "nadia").check_password(PASSPHRASE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("\n", "The password is empty; no account created."),
        ("", "The password is empty; no account created."),
        ("password\n", "This password is too common. No account created."),
        ("nadia2024\n", "The password is too similar to the username. No account created."),
        (
            "73920561\n",
            "This password is entirely numeric. No account created.",
        ),
    ],
)
def test_it_refuses_an_empty_or_weak_password_from_standard_input(
    django_user_model, password, message
):
    with pytest.raises(CommandError) as refusal:
        call_command("create_editor", "nadia", password_stdin=True, stdin=io.StringIO(password))
    assert str(refusal.value) == message
    assert not django_user_model.objects.filter(username="nadia").exists()


@pytest.mark.django_db
def test_it_says_so_when_the_environment_variable_is_missing_or_empty(
    monkeypatch, django_user_model
):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match=r"^The environment variable EDITOR_PASSWORD is not"):
        call_command("create_editor", "nadia", password_from_env="EDITOR_PASSWORD")
    monkeypatch.setenv("EDITOR_PASSWORD", "")
    with pytest.raises(CommandError, match=r"^The password is empty;"):
        call_command("create_editor", "nadia", password_from_env="EDITOR_PASSWORD")
    assert not django_user_model.objects.filter(username="nadia").exists()


@pytest.mark.django_db
def test_it_takes_one_way_of_giving_the_password_at_a_time(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSPHRASE)
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command(
            "create_editor", "nadia", "--password-stdin", "--password-from-env", "EDITOR_PASSWORD"
        )


def database_url():
    """The tests' own database, for a command run in a process of its own."""
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    return "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**database)


def create_editor(*arguments, stdin="", **environment):
    return subprocess.run(
        [sys.executable, "manage.py", "create_editor", *arguments],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "create-editor-test",
            "DATABASE_URL": database_url(),
            **environment,
        },
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


# The command commits in a process of its own: a transactional test sees it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_script_pipes_the_password_in_without_a_prompt_or_a_warning(settings, django_user_model):
    # The command hashes as production does, not with the tests' quick hasher.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    done = create_editor("nadia", "--password-stdin", stdin=PASSPHRASE + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Editor 'nadia' created. They can log in to the admin now.\n"
    assert done.stderr == ""
    assert editor_named(django_user_model, "nadia").check_password(PASSPHRASE)

    done = create_editor("karim", "--password-from-env", "EDITOR_PASSWORD", EDITOR_PASSWORD="x")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("CommandError: This password is too short.")
    assert not django_user_model.objects.filter(username="karim").exists()
