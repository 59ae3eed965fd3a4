"""Who may open which admin page, CSRF on every admin form and action, logout by POST only.

tests/admin_permission_matrix.csv holds the expected status of every page of every registered
model for a visitor, an editor and a superuser; a model registered without a row fails here.
"""

import csv
import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from initiatives.models import Correction, Initiative, Proposal
from networks.models import EmbedPartner
from tests.conftest import admin_form_data

pytestmark = pytest.mark.django_db

MATRIX = Path(__file__).with_name("admin_permission_matrix.csv")
ROLES = ["anonymous", "editor", "superuser"]
PAGES = ["changelist", "add", "change", "delete", "history", "import", "export"]
ADMIN = "/" + settings.ADMIN_PATH
LOGIN = ADMIN + "login/"


def expected_matrix():
    with MATRIX.open(newline="") as table:
        return {
            (row["model"], row["page"], role): int(row[role])
            for row in csv.DictReader(table)
            for role in ROLES
        }


def admin_pages():
    """(model label, page, URL) for every page the admin serves for a registered model."""
    pages = []
    for model in admin.site._registry:
        opts = model._meta
        obj = model._default_manager.order_by("pk").first()
        for page in PAGES:
            args = [obj.pk] if page in ("change", "delete", "history") else []
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)
            except NoReverseMatch:
                continue
            pages.append((opts.label_lower, page, url))
    return pages


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "not-used")


@pytest.fixture
def every_kind_of_object(directory, django_user_model):
    """One object of each registered model, so that each change, delete and history page exists."""
    staff = django_user_model.objects.create_user("olga", is_staff=True)
    TOTPDevice.objects.create(user=staff, name="phone")
    attempt = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "olga"}
    attempt |= {"http_accept": "*/*", "path_info": LOGIN}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    Correction.objects.create(
        initiative=directory.petition, part="dates", problem="Wrong.", correction="Right."
    )
    Proposal.objects.create(
        title="Proposed", summary="A reader's.", source_url="https://a.example/"
    )
    EmbedPartner.objects.create(name="Lab", slug="lab", allowed_origins="https://lab.example")


@pytest.fixture
def clients(every_kind_of_object, editor, superuser):
    logged_in = {"anonymous": Client(), "editor": Client(), "superuser": Client()}
    logged_in["editor"].force_login(editor)
    logged_in["superuser"].force_login(superuser)
    return logged_in


def test_the_matrix_has_one_row_for_every_admin_page_of_every_registered_model(
    every_kind_of_object,
):
    served = {(label, page) for label, page, _url in admin_pages()}
    listed = {(label, page) for label, page, _role in expected_matrix()}
    assert served == listed
    assert {"auth.user", "auth.group", "initiatives.initiative"} <= {label for label, _ in served}
    assert ("initiatives.initiative", "import") in served


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_on_every_admin_page(clients, role):
    expected = expected_matrix()
    observed = {}
    for label, page, url in admin_pages():
        observed[(label, page, role)] = clients[role].get(url).status_code
    assert observed == {key: status for key, status in expected.items() if key[2] == role}


def test_a_visitor_is_sent_to_the_login_page_with_the_page_to_come_back_to(clients):
    url = reverse("admin:initiatives_initiative_changelist")
    response = clients["anonymous"].get(url)
    assert response["Location"] == f"{LOGIN}?next={url}"


def test_an_editor_is_refused_every_user_and_group_page(clients, editor):
    editors = Group.objects.get(name="Editors")
    for url in [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[editor.pk]),
        reverse("admin:auth_user_password_change", args=[editor.pk]),
        reverse("admin:auth_group_change", args=[editors.pk]),
    ]:
        assert clients["editor"].get(url).status_code == 403, url


def test_an_editor_cannot_raise_their_own_permissions(clients, editor):
    editors = Group.objects.get(name="Editors")
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    attempts = [
        (
            reverse("admin:auth_user_change", args=[editor.pk]),
            {
                "username": editor.username,
                "is_active": "on",
                "is_staff": "on",
                "is_superuser": "on",
                "groups": [editors.pk],
                "user_permissions": every_permission,
                "date_joined_0": "2020-01-01",
                "date_joined_1": "00:00:00",
            },
        ),
        (
            reverse("admin:auth_group_change", args=[editors.pk]),
            {"name": "Editors", "permissions": every_permission},
        ),
        (
            reverse("admin:auth_user_add"),
            {"username": "sidekick", "password1": "Tr1cky-pass-77", "password2": "Tr1cky-pass-77"},
        ),
        (
            reverse("admin:auth_user_password_change", args=[editor.pk]),
            {"password1": "Tr1cky-pass-77", "password2": "Tr1cky-pass-77"},
        ),
    ]
    permissions_before = editors.permissions.count()
    for url, data in attempts:
        assert clients["editor"].post(url, data).status_code == 403, url

    editor.refresh_from_db()
    assert not editor.is_superuser
    assert not editor.user_permissions.exists()
    assert editor.check_password("not-used-here")
    assert editors.permissions.count() == permissions_before
    assert not type(editor).objects.filter(username="sidekick").exists()


@pytest.fixture
def writer(django_user_model):
    """Staff who may change initiatives but not publish them."""
    user = django_user_model.objects.create_user("wanda", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_initiative", "change_initiative", "view_facilitator"]
        )
    )
    client = Client()
    client.force_login(user)
    return user, client


def retitle(client, initiative, title, **extra):
    """Post the initiative's change form as the browser would, with a new title and `extra`."""
    url = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    data = admin_form_data(client.get(url))
    # "title", or "title_en" and "title_fr" with a translated title.
    data["title_en" if "title_en" in data else "title"] = title
    return client.post(url, data | extra)


def test_staff_without_the_publish_permission_cannot_publish_through_the_form(writer, draft):
    user, client = writer
    form = client.get(reverse("admin:initiatives_initiative_change", args=[draft.pk]))
    assert form.status_code == 200
    assert b'name="status"' not in form.content

    extra = {"status": "published", "published_at": "2020-01-01 00:00"}
    extra |= {"is_superuser": "on", "groups": [1], "user_permissions": [1]}
    response = retitle(client, draft, "Retitled", **extra)

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.title == "Retitled"
    assert draft.status == Initiative.Status.DRAFT
    assert draft.published_at is None
    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.groups.exists()
    assert user.user_permissions.count() == 3


def test_staff_without_the_publish_permission_cannot_publish_through_the_action(writer, draft):
    _user, client = writer
    changelist = reverse("admin:initiatives_initiative_changelist")
    assert b'value="publish"' not in client.get(changelist).content

    response = client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )

    assert response.status_code == 200
    assert b"Published 1 initiative." not in response.content
    draft.refresh_from_db()
    assert draft.status == Initiative.Status.DRAFT


def test_an_editor_with_the_publish_permission_can_publish_through_the_action(clients, draft):
    # The same request as above, to show that it is the permission that stops it there.
    clients["editor"].post(
        reverse("admin:initiatives_initiative_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Initiative.Status.PUBLISHED


@pytest.fixture
def strict_client(superuser, directory):
    """A superuser's browser that, like a real one, must send the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    client.get(reverse("admin:index"))
    return client


def csrf_token(client, url):
    page = client.get(url)
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)[1].decode()


def csrf_targets(petition, draft):
    changelist = reverse("admin:initiatives_initiative_changelist")
    return [
        (reverse("admin:initiatives_initiative_add"), {"title": "Forged"}),
        (reverse("admin:initiatives_initiative_change", args=[petition.pk]), {"title": "Forged"}),
        (reverse("admin:initiatives_initiative_delete", args=[draft.pk]), {"post": "yes"}),
        (changelist, {"action": "publish", "_selected_action": [draft.pk]}),
        (changelist, {"action": "unpublish", "_selected_action": [petition.pk]}),
        (changelist, {"action": "delete_selected", "_selected_action": [draft.pk]}),
        (reverse("admin:initiatives_initiative_import"), {"format": "0"}),
        (reverse("admin:initiatives_initiative_process_import"), {"format": "0"}),
        (reverse("admin:initiatives_initiative_export"), {"format": "0"}),
        (reverse("admin:networks_facilitator_import"), {"format": "0"}),
        (reverse("admin:auth_user_add"), {"username": "forged"}),
        (reverse("admin:password_change"), {"old_password": "x"}),
        (reverse("admin:logout"), {}),
    ]


def test_every_admin_form_and_action_refuses_a_post_without_the_csrf_token(
    strict_client, petition, draft
):
    for url, data in csrf_targets(petition, draft):
        response = strict_client.post(url, data)
        assert response.status_code == 403, url
        assert b"CSRF" in response.content, url

    petition.refresh_from_db()
    assert petition.title != "Forged"
    assert petition.is_published
    draft.refresh_from_db()
    assert not draft.is_published
    assert strict_client.get(reverse("admin:index")).status_code == 200  # still logged in


def test_the_same_post_with_the_csrf_token_goes_through(strict_client, petition):
    changelist = reverse("admin:initiatives_initiative_changelist")
    data = {"action": "unpublish", "_selected_action": [petition.pk]}
    data["csrfmiddlewaretoken"] = csrf_token(strict_client, changelist)
    assert strict_client.post(changelist, data).status_code == 302
    petition.refresh_from_db()
    assert not petition.is_published


def test_the_login_form_refuses_a_post_without_the_csrf_token(superuser):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "root", "password": "not-used"})
    assert response.status_code == 403


def test_logout_is_by_post_only(strict_client):
    logout = reverse("admin:logout")
    assert strict_client.get(logout).status_code == 405
    assert strict_client.get(reverse("admin:index")).status_code == 200

    token = csrf_token(strict_client, reverse("admin:index"))
    response = strict_client.post(logout, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert strict_client.get(reverse("admin:index")).status_code == 302
