"""The admin as an editorial tool, driven as an editor, a superuser and an anonymous visitor."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from initiatives.models import Initiative, Source
from networks.models import Facilitator
from tests.conftest import admin_form_data

pytestmark = pytest.mark.django_db

ADMIN = "/" + settings.ADMIN_PATH
CHANGELIST = ADMIN + "initiatives/initiative/"


SOURCE = {"url": "https://example.org/clinics", "is_primary": "on"}


def form_data(sources=(), **changes):
    """The add or change form as a browser sends it, with these sources (dicts of a source
    form's fields) as its new sources."""
    data = {
        "title": "Free legal clinics for tenants",
        "slug": "free-legal-clinics",
        "summary": "Volunteer lawyers answered tenants' questions about evictions.",
        "description": "Weekly online clinics.",
        "kind": "legal-advice",
        "tags": ["tenants", "housing"],
        "language": "en",
        "countries": ["BE"],
        "start_precision": "day",
        "end_precision": "day",
        "participants_unit": "participants",
        "status": "draft",
        "verification_method": "sources",
    }
    data.update(changes)
    # The form has a field per language: title_en and title_fr...
    for field in ("title", "summary", "description"):
        data[f"{field}_en"] = data.pop(field, None)
    data |= source_forms(sources)
    return {key: value for key, value in data.items() if value is not None}


def source_forms(sources):
    data = {
        "sources-TOTAL_FORMS": str(len(sources)),
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
    }
    for index, source in enumerate(sources):
        for name, value in {"accessed_on": "2026-11-26", "order": index, **source}.items():
            data[f"sources-{index}-{name}"] = value
    return data


def test_an_editor_creates_a_draft_that_readers_cannot_see(editor_client, client_factory):
    response = editor_client.post(CHANGELIST + "add/", form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative = Initiative.objects.get(slug="free-legal-clinics")
    assert initiative.status == "draft"
    assert initiative.published_at is None
    assert set(initiative.tags.names()) == {"tenants", "housing"}

    preview = editor_client.get("/initiatives/free-legal-clinics/")
    assert preview.status_code == 200
    assert b"Draft, not public." in preview.content
    assert preview["Cache-Control"] == "private, no-store"
    assert b'<meta name="robots" content="noindex">' in preview.content

    assert client_factory().get("/initiatives/free-legal-clinics/").status_code == 404
    assert b"Free legal clinics" not in client_factory().get("/initiatives/").content


def test_an_editor_publishes_a_draft_and_readers_find_it(editor_client, client_factory, draft):
    response = editor_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert b"Published 1 initiative." in response.content
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.published_at is not None
    reader = client_factory()
    assert reader.get(draft.get_absolute_url()).status_code == 200
    assert draft.title.encode() in reader.get("/initiatives/").content
    assert draft.title.encode() in reader.get("/countries/pt/").content


def test_publishing_refuses_an_initiative_without_a_source(editor_client, draft):
    draft.sources.all().delete()
    response = editor_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "still needs a source" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_form_refuses_to_publish_without_a_source_in_plain_words(editor_client):
    response = editor_client.post(CHANGELIST + "add/", form_data(status="published"))
    assert response.status_code == 200
    assert "A published initiative needs a source." in response.content.decode()
    assert not Initiative.objects.exists()


def test_the_form_publishes_with_its_sources_the_first_primary(editor_client):
    second = {"url": "https://example.org/report", "title": "Annual report", "publisher": "ACME"}
    data = form_data(status="published", last_verified_on="2026-11-26", sources=[SOURCE, second])
    response = editor_client.post(CHANGELIST + "add/", data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    initiative = Initiative.objects.get(slug="free-legal-clinics")
    assert initiative.is_published
    assert [(source.url, source.is_primary) for source in initiative.sources.all()] == [
        ("https://example.org/clinics", True),
        ("https://example.org/report", False),
    ]
    # Each source has its own history, with who added it.
    assert {record.history_user.username for record in Source.history.all()} == {"edith"}


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        ([{**SOURCE, "is_primary": ""}], "Mark one source as primary."),
        ([SOURCE, {**SOURCE, "url": "https://example.org/b"}], "Mark only one source as primary."),
        ([{**SOURCE, "url": "javascript:alert(1)"}], "Enter a valid URL."),
        ([{**SOURCE, "url": "ftp://example.org/"}], "Enter a valid URL."),
        ([{**SOURCE, "url": ""}], "This field is required."),
        ([{**SOURCE, "accessed_on": "yesterday"}], "Enter a valid date."),
    ],
)
def test_the_form_explains_what_is_wrong_with_a_source(editor_client, sources, message):
    response = editor_client.post(CHANGELIST + "add/", form_data(sources=sources))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Initiative.objects.exists()


def test_an_editor_moves_the_primary_mark_to_another_source(editor_client, petition):
    Source.objects.create(
        initiative=petition, url="https://example.org/b", accessed_on="2024-01-15", order=1
    )
    url = f"{CHANGELIST}{petition.pk}/change/"
    data = admin_form_data(editor_client.get(url))
    data.pop("sources-0-is_primary")
    data["sources-1-is_primary"] = "on"
    assert editor_client.post(url, data).status_code == 302
    primary = petition.sources.get(is_primary=True)
    assert primary.url == "https://example.org/b"


def test_the_history_page_lists_the_changes_to_sources(editor_client, petition):
    url = f"{CHANGELIST}{petition.pk}/change/"
    data = admin_form_data(editor_client.get(url), **{"sources-0-title": "The petition"})
    assert editor_client.post(url, data).status_code == 302
    history = editor_client.get(url.replace("change/", "history/")).content.decode()
    assert "Changes to its sources" in history
    assert "The petition, https://example.org/source (primary)" in history
    assert "edith" in history


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"started_on": "2020-05-01", "ended_on": "2020-04-01"},
            "The end date cannot be before the start date.",
        ),
        ({"website": "not a url"}, "Enter a valid URL."),
        ({"slug": "eu-health-petition"}, "Initiative with this Slug already exists."),
        ({"countries": [], "status": "published"}, "Publishing needs a country."),
    ],
)
def test_the_form_explains_what_is_wrong(editor_client, petition, changes, message):
    response = editor_client.post(CHANGELIST + "add/", form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_unpublishing_takes_an_initiative_off_every_public_page(
    editor_client, client_factory, petition
):
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [petition.pk]})
    reader = client_factory()
    assert reader.get(petition.get_absolute_url()).status_code == 404
    for url in [
        "/",
        "/initiatives/",
        "/countries/be/",
        "/sectors/legal/",
        "/sitemap-initiatives.xml",
    ]:
        assert petition.title.encode() not in reader.get(url).content, url
    feed = reader.get("/initiatives/feed/").content
    assert petition.slug.encode() not in feed
    export = b"".join(reader.get("/initiatives/export.csv").streaming_content)
    assert petition.slug.encode() not in export


def test_every_edit_is_recorded_field_by_field_and_can_be_reverted(editor_client, petition):
    url = f"{CHANGELIST}{petition.pk}/change/"
    records_before = petition.history.count()
    data = form_data(
        title="Petition to the 27 health ministers",
        slug=petition.slug,
        summary=petition.summary,
        status="published",
        last_verified_on="2026-11-26",
        facilitator=petition.facilitator_id,
        tags="petition",
    )
    assert editor_client.post(url, data).status_code == 302
    history = editor_client.get(url.replace("change/", "history/"))
    content = history.content.decode()
    assert "edith" in content
    assert "Petition to the EU health ministers" in content
    assert "Petition to the 27 health ministers" in content

    original = petition.history.order_by("history_date").first()
    revert_url = f"{CHANGELIST}{petition.pk}/history/{original.history_id}/"
    assert editor_client.get(revert_url).status_code == 200
    data["title_en"] = original.title_en
    assert editor_client.post(revert_url, data).status_code == 302
    petition.refresh_from_db()
    assert petition.title == "Petition to the EU health ministers"
    # One record for the edit, one for the revert.
    assert petition.history.count() >= records_before + 2
    assert petition.history.latest().history_user.username == "edith"


def test_a_renamed_slug_redirects_permanently_from_the_old_link(editor_client, client, petition):
    url = f"{CHANGELIST}{petition.pk}/change/"
    data = form_data(
        title=petition.title,
        slug="eu-health-ministers-petition",
        summary=petition.summary,
        status="published",
        last_verified_on="2026-11-26",
        facilitator=petition.facilitator_id,
    )
    assert editor_client.post(url, data).status_code == 302
    client.logout()
    response = client.get("/initiatives/eu-health-petition/")
    assert response.status_code == 301
    assert response["Location"] == "/initiatives/eu-health-ministers-petition/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("path", "model_url", "rename"),
    [
        ("/facilitators/the-good-lobby/", "networks/facilitator", "facilitator"),
        ("/networks/global-pro-bono-network/", "networks/network", "network"),
        ("/sectors/legal/", "initiatives/sector", "legal"),
    ],
)
def test_every_page_with_a_slug_follows_a_rename(client, petition, path, model_url, rename):
    from initiatives.models import Sector
    from networks.models import Network

    model = {"facilitator": Facilitator, "network": Network, "legal": Sector}[rename]
    obj = model.objects.get(slug=path.strip("/").split("/")[1])
    obj.slug = f"renamed-{obj.slug}"
    obj.save()
    response = client.get(path + "?kind=advocacy-campaign")
    assert response.status_code == 301
    assert response["Location"] == obj.get_absolute_url() + "?kind=advocacy-campaign"


def test_an_old_slug_of_an_unpublished_initiative_stays_hidden(client, petition):
    petition.slug = "renamed"
    petition.status = "draft"
    petition.save()
    assert client.get("/initiatives/eu-health-petition/").status_code == 404


def test_an_editor_cannot_delete_a_published_initiative(editor_client, petition):
    response = editor_client.get(f"{CHANGELIST}{petition.pk}/delete/")
    assert response.status_code == 403
    response = editor_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [petition.pk]}
    )
    assert Initiative.objects.filter(pk=petition.pk).exists()


def test_an_editor_can_delete_a_draft(editor_client, draft):
    response = editor_client.post(f"{CHANGELIST}{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Initiative.objects.filter(pk=draft.pk).exists()


def test_a_superuser_can_delete_a_published_initiative(admin_client, petition):
    response = admin_client.post(f"{CHANGELIST}{petition.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Initiative.objects.filter(pk=petition.pk).exists()


def test_an_editor_cannot_manage_users_or_groups(editor_client):
    assert editor_client.get(ADMIN + "auth/user/").status_code == 403
    assert editor_client.get(ADMIN + "auth/group/").status_code == 403
    assert b"auth/user" not in editor_client.get(ADMIN).content


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, petition):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN + "login/")


def test_the_admin_offers_search_filters_and_autocomplete(editor_client, petition):
    response = editor_client.get(CHANGELIST + "?q=petition")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [petition]
    filters = [spec.title for spec in response.context["cl"].filter_specs]
    assert {"status", "countries", "sectors", "network", "crisis"} <= {str(f) for f in filters}
    found = editor_client.get(
        ADMIN + "autocomplete/",
        {
            "term": "portu",
            "app_label": "initiatives",
            "model_name": "initiative",
            "field_name": "countries",
        },
    )
    assert found.json()["results"] == [{"id": "PT", "text": "Portugal"}]


def test_repeated_failed_logins_lock_the_account_out(client, editor):
    login = ADMIN + "login/"
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "edith", "password": "wrong"})
        assert response.status_code == 200
        assert b"Please enter the correct username and password" in response.content
    response = client.post(login, {"username": "edith", "password": "wrong"})
    assert response.status_code == 429
    # Locked: even the right password is refused now.
    response = client.post(login, {"username": "edith", "password": "not-used-here"})
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content


def test_a_good_password_logs_an_editor_in(client, editor):
    response = client.post(ADMIN + "login/", {"username": "edith", "password": "not-used-here"})
    assert response.status_code == 302


def test_the_admin_path_comes_from_the_environment():
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.ADMIN_PATH)"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "probono.settings",
            "ADMIN_PATH": "/editors-7f3a/",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "editors-7f3a/"


def test_create_editor_asks_for_a_password_and_adds_the_account_to_editors(
    monkeypatch, django_user_model
):
    answers = iter(["a-long-enough-passphrase", "a-long-enough-passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("create_editor", "nadia", email="nadia@example.org")
    user = django_user_model.objects.get(username="nadia")
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password("a-long-enough-passphrase")
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]


def test_create_editor_refuses_a_weak_password(monkeypatch, django_user_model):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "password")
    with pytest.raises(CommandError, match="No valid password"):
        call_command("create_editor", "nadia")
    assert not django_user_model.objects.filter(username="nadia").exists()


def test_the_publication_time_is_kept_when_republishing(editor_client, petition):
    first = petition.published_at
    for action in ("unpublish", "publish"):
        editor_client.post(CHANGELIST, {"action": action, "_selected_action": [petition.pk]})
    petition.refresh_from_db()
    assert petition.is_published
    assert petition.published_at == first


def test_tags_have_autocomplete_and_take_new_names(editor_client, petition):
    found = editor_client.get(
        ADMIN + "autocomplete/",
        {
            "term": "peti",
            "app_label": "initiatives",
            "model_name": "initiative",
            "field_name": "tags",
        },
    )
    petition_tag = petition.tags.get()
    assert found.json()["results"] == [{"id": str(petition_tag.pk), "text": "petition"}]

    form = editor_client.get(f"{CHANGELIST}add/").content.decode()
    assert 'data-tags="true"' in form
    assert "admin-autocomplete" in form

    response = editor_client.post(
        CHANGELIST + "add/", form_data(tags=[str(petition_tag.pk), "tenants"])
    )
    assert response.status_code == 302
    created = Initiative.objects.get(slug="free-legal-clinics")
    assert set(created.tags.names()) == {"petition", "tenants"}


def test_new_tag_names_survive_a_form_sent_back_with_errors(editor_client):
    response = editor_client.post(
        CHANGELIST + "add/", form_data(tags=["tenants"], website="not a url")
    )
    assert response.status_code == 200
    assert '<option value="tenants" selected>tenants</option>' in response.content.decode()
