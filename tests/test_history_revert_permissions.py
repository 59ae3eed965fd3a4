"""A revert from the history follows the change form's rules: the right to change the entry for
any revert, the right to publish for a revert that would publish or retract it."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from initiatives.models import Initiative
from tests.conftest import admin_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "/" + settings.ADMIN_PATH + "initiatives/initiative/"
FIRST_TITLE = "Petition to the EU health ministers"


def staff_client(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "unused")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clients(django_user_model, editor_client):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "unused")
    superuser_client = Client()
    superuser_client.force_login(superuser)
    return {
        "view only": staff_client(django_user_model, "vera", "view_initiative"),
        "change only": staff_client(
            django_user_model, "carl", "view_initiative", "change_initiative"
        ),
        "editor": editor_client,
        "superuser": superuser_client,
    }


def retitled_then_retracted(editor_client, initiative, retract):
    """The first version's id, and the revert form an editor is offered for it, once the
    initiative has a new title and, if `retract`, is a draft again."""
    url = f"{CHANGELIST}{initiative.pk}/change/"
    editor_client.post(url, admin_form_data(editor_client.get(url)))
    first = initiative.history.latest()
    changes = {"title_en": "A later title"}
    if retract:
        changes["status"] = Initiative.Status.DRAFT
    assert editor_client.post(url, admin_form_data(editor_client.get(url), **changes)).status_code
    revert_url = f"{CHANGELIST}{initiative.pk}/history/{first.history_id}/"
    return revert_url, admin_form_data(editor_client.get(revert_url))


@pytest.mark.parametrize(
    ("who", "status_code", "title"),
    [
        ("view only", 403, "A later title"),
        ("change only", 302, FIRST_TITLE),
        ("editor", 302, FIRST_TITLE),
        ("superuser", 302, FIRST_TITLE),
    ],
)
def test_only_those_who_may_change_an_entry_may_revert_it(
    clients, petition, who, status_code, title
):
    revert_url, data = retitled_then_retracted(clients["editor"], petition, retract=False)
    response = clients[who].post(revert_url, data)
    assert response.status_code == status_code
    petition.refresh_from_db()
    assert petition.title == title
    assert petition.status == Initiative.Status.PUBLISHED


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("view only", Initiative.Status.DRAFT),
        ("change only", Initiative.Status.DRAFT),
        ("editor", Initiative.Status.PUBLISHED),
        ("superuser", Initiative.Status.PUBLISHED),
    ],
)
def test_only_publishers_may_publish_a_retracted_entry_again_by_a_revert(
    clients, petition, who, status
):
    revert_url, data = retitled_then_retracted(clients["editor"], petition, retract=True)
    if who in ("view only", "change only"):
        # Their form has no status field; a crafted one changes nothing either.
        assert "status" not in admin_form_data(clients["change only"].get(revert_url))
    clients[who].post(revert_url, data)
    petition.refresh_from_db()
    assert petition.status == status
    public = Client().get(f"/initiatives/{petition.slug}/")
    assert public.status_code == (200 if status == Initiative.Status.PUBLISHED else 404)


def test_a_change_only_revert_keeps_a_published_entry_published(clients, petition):
    revert_url, data = retitled_then_retracted(clients["editor"], petition, retract=False)
    data["status"] = Initiative.Status.DRAFT
    assert clients["change only"].post(revert_url, data).status_code == 302
    petition.refresh_from_db()
    assert (petition.title, petition.status) == (FIRST_TITLE, Initiative.Status.PUBLISHED)


def test_a_view_only_user_sees_a_version_without_a_revert_button(clients, petition):
    revert_url, _data = retitled_then_retracted(clients["editor"], petition, retract=False)
    page = clients["view only"].get(revert_url)
    assert page.status_code == 200
    assert page.context["revert_disabled"] is True
    assert 'name="_save"' not in page.content.decode()
    offered = clients["change only"].get(revert_url)
    assert offered.context["revert_disabled"] is False
    assert 'name="_save"' in offered.content.decode()


def test_a_view_only_user_cannot_revert_a_facilitator_either(
    django_user_model, editor_client, facilitator
):
    url = f"/{settings.ADMIN_PATH}networks/facilitator/{facilitator.pk}/change/"
    editor_client.post(url, admin_form_data(editor_client.get(url)))
    first = facilitator.history.latest()
    editor_client.post(url, admin_form_data(editor_client.get(url), name="Renamed"))
    revert_url = url.replace("change/", f"history/{first.history_id}/")
    data = admin_form_data(editor_client.get(revert_url))
    viewer = staff_client(django_user_model, "vic", "view_facilitator")
    assert viewer.post(revert_url, data).status_code == 403
    facilitator.refresh_from_db()
    assert facilitator.name == "Renamed"


def test_every_admin_with_a_revert_page_checks_the_right_to_change():
    from django.apps import apps
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    from probono.history import OneEntryPerSaveAdmin

    with_history = [
        admin.site.get_model_admin(model)
        for model in apps.get_models()
        if admin.site.is_registered(model)
        and isinstance(admin.site.get_model_admin(model), SimpleHistoryAdmin)
    ]
    assert len(with_history) >= 5
    assert all(isinstance(model_admin, OneEntryPerSaveAdmin) for model_admin in with_history)
