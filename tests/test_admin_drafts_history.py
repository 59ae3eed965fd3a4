"""Cheap drafts, strict publication, and one history entry per save with the editor's reason."""

import re

import pytest
from django.conf import settings

from initiatives.models import Initiative, Sector
from networks.models import Facilitator
from tests.conftest import admin_form_data

pytestmark = pytest.mark.django_db

ADMIN = "/" + settings.ADMIN_PATH
CHANGELIST = ADMIN + "initiatives/initiative/"
NO_SOURCES = {
    "sources-TOTAL_FORMS": "0",
    "sources-INITIAL_FORMS": "0",
    "sources-MIN_NUM_FORMS": "0",
    "sources-MAX_NUM_FORMS": "1000",
}


def add_form(**fields):
    """The add form as a browser sends it with only these fields filled in."""
    return {
        "language": "en",
        "start_precision": "day",
        "end_precision": "day",
        "participants_unit": "participants",
        "status": "draft",
        **NO_SOURCES,
        **fields,
    }


def errors(response):
    form = response.context["adminform"].form
    return [message for messages in form.errors.values() for message in messages]


def test_a_draft_needs_only_a_title(editor_client):
    response = editor_client.post(CHANGELIST + "add/", add_form(title_en="Lawyers for food banks"))
    assert response.status_code == 302, errors(response)
    draft = Initiative.objects.get()
    assert (draft.title, draft.slug, draft.status) == (
        "Lawyers for food banks",
        "lawyers-for-food-banks",
        "draft",
    )
    assert (draft.summary, draft.kind, list(draft.countries.all())) == ("", "", [])


def test_a_draft_without_a_title_is_refused_in_plain_words(editor_client):
    response = editor_client.post(CHANGELIST + "add/", add_form(summary_en="Something"))
    assert response.status_code == 200
    assert "Give a title in English or in French." in errors(response)
    assert not Initiative.objects.exists()


def test_a_slug_made_from_a_title_does_not_take_one_in_use(editor_client, petition):
    response = editor_client.post(CHANGELIST + "add/", add_form(title_en="EU health petition"))
    assert response.status_code == 302, errors(response)
    assert Initiative.objects.exclude(pk=petition.pk).get().slug == f"{petition.slug}-2"


def test_publishing_from_the_form_lists_everything_missing(editor_client):
    data = add_form(title_en="Lawyers for food banks", status="published")
    response = editor_client.post(CHANGELIST + "add/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Not published yet: it still needs a summary, a kind of engagement, a country and a "
        "“facts last verified on” date. Save it as a draft, or add them."
    ) in page
    assert "A published initiative needs a source." in page
    form = response.context["adminform"].form
    assert form.errors["last_verified_on"] == ["Publishing needs a “facts last verified on” date."]
    assert not Initiative.objects.exists()


def test_publishing_from_the_form_with_everything_and_a_verification_date(editor_client):
    data = add_form(
        title_en="Lawyers for food banks",
        summary_en="Volunteer lawyers reviewed food banks' contracts.",
        kind="legal-advice",
        countries=["PT"],
        status="published",
        last_verified_on="2026-12-06",
        verification_method="sources",
        **{
            "sources-TOTAL_FORMS": "1",
            "sources-0-url": "https://example.org/food-banks",
            "sources-0-is_primary": "on",
            "sources-0-accessed_on": "2026-12-06",
            "sources-0-order": "0",
        },
    )
    response = editor_client.post(CHANGELIST + "add/", data)
    assert response.status_code == 302, errors(response)
    assert Initiative.objects.get().is_published


def test_the_bulk_action_names_what_each_draft_lacks(editor_client, draft, petition):
    draft.last_verified_on = None
    draft.save()
    jotted = Initiative.objects.create(title="Jotted down", slug="jotted-down")
    response = editor_client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [draft.pk, jotted.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert (
        "Not published: “Secret draft about Portugal” still needs a “facts last verified on” date."
    ) in page
    assert (
        "Not published: “Jotted down” still needs a summary, a kind of engagement, a country, "
        "a source and a “facts last verified on” date."
    ) in page
    assert not Initiative.objects.filter(pk__in=[draft.pk, jotted.pk], status="published").exists()


def test_a_published_entry_cannot_be_edited_down_to_less_than_publishing_needs(
    editor_client, petition
):
    url = f"{CHANGELIST}{petition.pk}/change/"
    data = admin_form_data(
        editor_client.get(url), summary_en="", summary_fr="", last_verified_on=""
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Publishing needs a summary." in errors(response)
    petition.refresh_from_db()
    assert petition.summary


def test_a_new_entry_with_its_relations_makes_one_history_entry(editor_client, legal):
    data = add_form(
        title_en="Lawyers for food banks",
        countries=["PT", "ES"],
        sectors=[legal.pk],
        tags=["food", "contracts"],
        change_reason="Heard of it at the summit",
    )
    assert editor_client.post(CHANGELIST + "add/", data).status_code == 302
    initiative = Initiative.objects.get()
    (entry,) = initiative.history.all()
    assert entry.history_type == "+"
    assert entry.history_change_reason == "Heard of it at the summit"
    assert sorted(row.country_id for row in entry.countries.all()) == ["ES", "PT"]
    assert entry.tag_names == "contracts, food"
    assert entry.history_user.username == "edith"


def test_an_edit_is_one_entry_listing_every_field_it_changed(editor_client, petition):
    url = f"{CHANGELIST}{petition.pk}/change/"
    editor_client.post(url, admin_form_data(editor_client.get(url)))
    before = petition.history.count()
    other = Sector.objects.create(name="Mental health", slug="mental-health")
    data = admin_form_data(
        editor_client.get(url),
        title_en="Petition to the 27 health ministers",
        countries=["BE", "FR"],
        sectors=[str(other.pk)],
        tags=["petition", "health"],
        change_reason="Title and countries from the 2020 press release",
    )
    assert editor_client.post(url, data).status_code == 302
    assert petition.history.count() == before + 1
    history = editor_client.get(url.replace("change/", "history/"))
    latest = history.context["page_obj"][0]
    assert latest.history_change_reason == "Title and countries from the 2020 press release"
    changes = {change["field"]: change for change in latest.history_delta_changes}
    assert {"Title [en]", "Countries", "Sectors", "Tags"} <= changes.keys()
    assert (changes["Tags"]["old"], changes["Tags"]["new"]) == ("petition", "health, petition")
    page = history.content.decode()
    assert "Title and countries from the 2020 press release" in page
    assert "Mental health" in page


def test_a_save_that_changes_nothing_records_no_entry_of_many(editor_client, petition):
    url = f"{CHANGELIST}{petition.pk}/change/"
    before = petition.history.count()
    assert editor_client.post(url, admin_form_data(editor_client.get(url))).status_code == 302
    assert petition.history.count() == before + 1


def test_a_revert_from_the_history_is_one_entry_with_its_reason(editor_client, petition):
    url = f"{CHANGELIST}{petition.pk}/change/"
    editor_client.post(url, admin_form_data(editor_client.get(url)))
    first = petition.history.latest()
    editor_client.post(url, admin_form_data(editor_client.get(url), title_en="A new title"))
    before = petition.history.count()
    revert_url = f"{CHANGELIST}{petition.pk}/history/{first.history_id}/"
    data = admin_form_data(editor_client.get(revert_url), change_reason="Back to the source")
    assert editor_client.post(revert_url, data).status_code == 302
    assert petition.history.count() == before + 1
    latest = petition.history.latest()
    assert latest.history_change_reason == "Back to the source"
    assert latest.title == "Petition to the EU health ministers"


def test_a_revert_restores_countries_sectors_and_tags_too(editor_client, petition, legal):
    url = f"{CHANGELIST}{petition.pk}/change/"
    editor_client.post(url, admin_form_data(editor_client.get(url)))
    before = petition.history.latest()
    other = Sector.objects.create(name="Mental health", slug="mental-health")
    changed = admin_form_data(
        editor_client.get(url), countries=["FR"], sectors=[str(other.pk)], tags=["health"]
    )
    assert editor_client.post(url, changed).status_code == 302

    revert_url = f"{CHANGELIST}{petition.pk}/history/{before.history_id}/"
    form = editor_client.get(revert_url).context["adminform"].form
    assert (form["countries"].value(), form["sectors"].value()) == (["BE"], [legal.pk])
    assert (
        editor_client.post(revert_url, admin_form_data(editor_client.get(revert_url))).status_code
        == 302
    )
    petition.refresh_from_db()
    assert [country.code for country in petition.countries.all()] == ["BE"]
    assert list(petition.sectors.all()) == [legal]
    assert list(petition.tags.names()) == ["petition"]


def test_a_facilitator_save_with_its_countries_is_one_entry(editor_client, facilitator):
    url = f"{ADMIN}networks/facilitator/{facilitator.pk}/change/"
    before = facilitator.history.count()
    data = admin_form_data(editor_client.get(url), countries=["BE", "IT", "NL"])
    assert editor_client.post(url, data).status_code == 302
    assert Facilitator.objects.get().history.count() == before + 1


def test_the_public_page_shows_last_verified_apart_from_the_last_update(client, petition):
    page = re.sub(r"<[^>]+>", "", client.get(petition.get_absolute_url()).content.decode())
    assert "Facts last verified on 15 January 2024." in page
