"""An edit's history keeps naming who made it after that staff account is deactivated; accounts
that made recorded edits cannot be deleted, since that would blank the history and the admin log."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from initiatives.models import Initiative
from tests.test_security_admin import retitle

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org"))
    return client


@pytest.fixture
def edited(editor_client, draft):
    """The editor retitles the draft in the admin, as they would by hand."""
    response = retitle(editor_client, draft, "Retitled by Edith")
    assert response.status_code == 302, response.context["adminform"].form.errors
    return draft


def history_page(client, initiative):
    response = client.get(reverse("admin:initiatives_initiative_history", args=[initiative.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_history_page_names_the_editor_who_made_a_change(superuser_client, edited, editor):
    page = history_page(superuser_client, edited)
    assert "Retitled by Edith" in page
    assert reverse("admin:auth_user_change", args=[editor.pk]) + '">edith</a>' in page


def test_the_history_still_names_an_editor_whose_account_was_deactivated(
    superuser_client, edited, editor
):
    editor.is_active = False
    editor.save()

    page = history_page(superuser_client, edited)
    assert "Retitled by Edith" in page
    assert '">edith</a>' in page
    assert edited.history.filter(history_user=editor).exists()


def test_deleting_an_editor_who_made_edits_is_refused_and_says_why(
    superuser_client, edited, editor
):
    url = reverse("admin:auth_user_delete", args=[editor.pk])

    confirmation = superuser_client.get(url).content.decode()
    assert "would require deleting the following protected related objects" in confirmation
    assert "1 × historical initiatives" in confirmation
    assert "1 × log entries" in confirmation

    response = superuser_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert type(editor).objects.filter(pk=editor.pk).exists()
    assert '">edith</a>' in history_page(superuser_client, edited)
    assert LogEntry.objects.filter(user=editor).exists()


def test_the_bulk_delete_action_refuses_editors_who_made_edits_too(
    superuser_client, edited, editor
):
    changelist = reverse("admin:auth_user_changelist")
    data = {"action": "delete_selected", "_selected_action": [editor.pk], "post": "yes"}
    response = superuser_client.post(changelist, data)
    assert response.status_code == 200
    assert b"protected related objects" in response.content
    assert type(editor).objects.filter(pk=editor.pk).exists()


def test_deleting_an_editor_in_code_is_refused_too(edited, editor):
    with (
        pytest.raises(ProtectedError, match="deactivate the account instead"),
        transaction.atomic(),
    ):
        editor.delete()
    assert Initiative.history.filter(history_user=editor).exists()


def test_an_account_that_never_edited_anything_can_still_be_deleted(superuser_client, editor):
    response = superuser_client.post(
        reverse("admin:auth_user_delete", args=[editor.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not type(editor).objects.filter(pk=editor.pk).exists()
