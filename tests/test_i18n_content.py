"""Content in English and French: edited side by side, shown with a marked fallback, found."""

import csv
import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from initiatives.models import Crisis, Initiative, Sector
from initiatives.templatetags.translated import LANGUAGE_MARKS
from networks.models import Facilitator, Network
from tests.directory import make_initiative
from tests.test_admin import source_forms

pytestmark = pytest.mark.django_db

ADMIN = "/" + settings.ADMIN_PATH
CHANGELIST = ADMIN + "initiatives/initiative/"
# Every field editors write in both languages, by model.
TRANSLATED = {
    Initiative: ["title", "summary", "description"],
    Sector: ["name", "description"],
    Crisis: ["name", "description"],
    Network: ["description"],
    Facilitator: ["description"],
}
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="French stemming is PostgreSQL's; SQLite's FTS5 stems as English",
)


def url(language, viewname, *args):
    with translation.override(language):
        return reverse(viewname, args=args)


def get(client, language, viewname, *args, **params):
    """A page as a reader of that language asks for it: its /fr/ address, in a French browser."""
    return client.get(url(language, viewname, *args), params, HTTP_ACCEPT_LANGUAGE=language)


def mark(language, page_language):
    with translation.override(page_language):
        return f"({LANGUAGE_MARKS[language]})"


@pytest.fixture
def helpline(db):
    return make_initiative(
        "Psychologists listened to nurses",
        "nurses-helpline",
        title_fr="Des psychologues à l'écoute des soignants",
        summary="Psychologists gave free support to health workers.",
        summary_fr="Des psychologues offraient une écoute gratuite aux soignants.",
        description="They took calls every evening.",
        description_fr="Ils répondaient chaque soir au téléphone.",
    )


@pytest.fixture
def english_only(db):
    return make_initiative(
        "Lawyers explained the emergency law",
        "emergency-law",
        summary="Volunteer lawyers answered questions about the new rules.",
        description="Weekly online sessions.",
    )


@pytest.fixture
def french_only(db):
    return make_initiative(
        "",
        "cellule-juridique",
        title_fr="Des avocats expliquent le droit d'urgence",
        summary="",
        summary_fr="Des avocats bénévoles répondaient aux questions sur les nouvelles règles.",
    )


def test_the_admin_shows_both_languages_side_by_side_and_saves_both(admin_client):
    form = admin_client.get(CHANGELIST + "add/").content.decode()
    for field in ("title", "summary", "description"):
        assert f'class="form-row field-{field}_en field-{field}_fr"' in form
        assert f'name="{field}_en"' in form
        assert f'name="{field}_fr"' in form

    response = admin_client.post(
        CHANGELIST + "add/",
        {
            "title_en": "Free legal clinics",
            "title_fr": "Permanences juridiques gratuites",
            "slug": "legal-clinics",
            "summary_en": "Lawyers answered tenants.",
            "summary_fr": "Des avocats répondaient aux locataires.",
            "kind": "legal-advice",
            "language": "en",
            "countries": ["BE"],
            "start_precision": "day",
            "end_precision": "day",
            "participants_unit": "participants",
            "status": "draft",
            **source_forms([]),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative = Initiative.objects.get(slug="legal-clinics")
    assert (initiative.title_en, initiative.title_fr) == (
        "Free legal clinics",
        "Permanences juridiques gratuites",
    )
    assert initiative.summary_fr == "Des avocats répondaient aux locataires."


def test_the_admin_takes_a_title_in_either_language_but_asks_for_one(admin_client):
    data = {
        "slug": "clinique",
        "kind": "legal-advice",
        "language": "fr",
        "countries": ["FR"],
        "start_precision": "day",
        "end_precision": "day",
        "participants_unit": "participants",
        "status": "draft",
        **source_forms([]),
    }
    response = admin_client.post(CHANGELIST + "add/", data)
    assert response.status_code == 200
    assert "Give a title in English or in French." in response.content.decode()
    assert not Initiative.objects.exists()

    data |= {"title_fr": "Clinique juridique", "summary_fr": "Des conseils gratuits."}
    assert admin_client.post(CHANGELIST + "add/", data).status_code == 302
    assert Initiative.objects.get(slug="clinique").title_en in ("", None)


@pytest.mark.parametrize(
    ("model", "fields"),
    [(Sector, "name_en name_fr description_en description_fr"), (Network, "description_en")],
)
def test_the_admin_of_sectors_and_networks_shows_both_languages(admin_client, model, fields):
    opts = model._meta
    form = admin_client.get(f"{ADMIN}{opts.app_label}/{opts.model_name}/add/").content.decode()
    assert 'class="form-row field-description_en field-description_fr"' in form
    for field in fields.split():
        assert f'name="{field}"' in form


def test_a_french_page_shows_the_french_text_without_a_mark(client, helpline):
    content = get(client, "fr", "initiative_detail", helpline.slug).content.decode()
    assert "<h1><span>Des psychologues à l&#x27;écoute des soignants</span></h1>" in content
    assert "Des psychologues offraient une écoute gratuite aux soignants." in content
    assert "Psychologists" not in content
    assert mark("en", "fr") not in content


def test_a_french_page_falls_back_to_english_marked_as_such(client, english_only):
    content = get(client, "fr", "initiative_detail", english_only.slug).content.decode()
    assert (
        '<h1><span lang="en">Lawyers explained the emergency law</span>'
        f' <span class="language-mark" lang="fr">{mark("en", "fr")}</span></h1>'
    ) in content
    assert '<span lang="en">Volunteer lawyers answered questions about the new rules.</span>' in (
        content
    )
    assert '<div class="prose" lang="en"><p>Weekly online sessions.</p></div>' in content

    listing = get(client, "fr", "initiative_list").content.decode()
    assert '<a href="' in listing
    assert 'lang="en">Lawyers explained the emergency law</a>' in listing
    assert mark("en", "fr") in listing


def test_an_english_page_falls_back_to_french_marked_as_such(client, french_only):
    content = get(client, "en", "initiative_detail", french_only.slug).content.decode()
    assert (
        '<h1><span lang="fr">Des avocats expliquent le droit d&#x27;urgence</span>'
        f' <span class="language-mark" lang="en">{mark("fr", "en")}</span></h1>'
    ) in content
    assert "(in French)" in content


def test_an_english_page_of_a_translated_entry_shows_english_only(client, helpline):
    content = get(client, "en", "initiative_detail", helpline.slug).content.decode()
    assert "<h1><span>Psychologists listened to nurses</span></h1>" in content
    assert "soignants" not in content
    assert 'class="language-mark"' not in content


def test_organisations_and_sectors_fall_back_marked_as_such(client, facilitator, network, legal):
    Facilitator.objects.filter(pk=facilitator.pk).update(
        description_en="Lobbying for the public interest."
    )
    Network.objects.filter(pk=network.pk).update(description_fr="Un réseau mondial.")
    Sector.objects.filter(pk=legal.pk).update(name_fr="Droit", description_en="Free legal advice.")
    page = get(client, "fr", "facilitator_detail", facilitator.slug).content.decode()
    assert '<div class="prose" lang="en"><p>Lobbying for the public interest.</p></div>' in page
    assert mark("en", "fr") in page
    page = get(client, "en", "network_detail", network.slug).content.decode()
    assert '<div class="prose" lang="fr"><p>Un réseau mondial.</p></div>' in page
    assert mark("fr", "en") in page
    page = get(client, "fr", "sector_list").content.decode()
    assert f'{legal.get_absolute_url().removeprefix("/")}">Droit</a>' in page
    assert '<span lang="en">Free legal advice.</span>' in page


def test_the_seed_content_exists_in_both_languages(db):
    call_command("load_seed", verbosity=0)
    for model, fields in TRANSLATED.items():
        assert model.objects.exists()
        for field in fields:
            for language in ("en", "fr"):
                missing = model.objects.filter(**{f"{field}_{language}__in": ["", None]})
                assert not list(missing.values_list("slug", flat=True)), (model, field, language)
    jeveuxaider = Initiative.objects.get(slug="jeveuxaider-reserve-civique-covid")
    assert jeveuxaider.title_fr.startswith("#JeVeuxAider – Réserve civique Covid-19")
    assert jeveuxaider.summary_fr != jeveuxaider.summary_en


def test_the_untranslated_columns_keep_english_whatever_the_language_at_work(db):
    """The plain `title` column must not depend on who saved last."""
    with translation.override("fr"):
        call_command("load_seed", verbosity=0)
        hackathon = Initiative.objects.get(slug="wirvsvirus-hackathon")
        hackathon.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM initiatives_initiative WHERE id = %s", [hackathon.pk])
        assert cursor.fetchone()[0] == hackathon.title_en


def shown(response):
    """The initiatives a finder page lists, in order: one card each, in either language."""
    return re.findall(
        r'class="card__title"><a href="(?:/fr)?/initiatives/([\w-]+)/"', (response.content.decode())
    )


def test_the_title_sort_follows_the_titles_the_reader_sees(client, helpline, english_only):
    # English: "Lawyers…" before "Psychologists…"; French: "Des psychologues…" before the
    # English-only "Lawyers…", which French readers see in English.
    make_initiative("Zebra crossings", "zebra", title_fr="Aide aux passages piétons")
    assert shown(get(client, "en", "initiative_list", sort="title")) == [
        "emergency-law",
        "nurses-helpline",
        "zebra",
    ]
    assert shown(get(client, "fr", "initiative_list", sort="title")) == [
        "zebra",
        "nurses-helpline",
        "emergency-law",
    ]


@on_postgresql
def test_a_french_word_form_finds_a_french_entry_by_its_stem(client, helpline, english_only):
    # "écoutaient" is nowhere in the text, but French stemming shares "écout" with "écoute";
    # English stemming would not ("ecoutai"), nor would matching the word as it is.
    response = get(client, "fr", "initiative_list", q="écoutaient")
    assert shown(response) == ["nurses-helpline"]
    response = get(client, "en", "initiative_list", q="ecoutaient")
    assert shown(response) == ["nurses-helpline"]


@on_postgresql
def test_a_french_verb_form_finds_the_seed_entry_written_in_french(client):
    call_command("load_seed", verbosity=0)
    # The French title of the Portuguese FabLabs entry says "fabriqués"; French stemming
    # gives "fabriqu" for both, English stemming "fabriquai" for the query.
    response = get(client, "fr", "initiative_list", q="fabriquaient")
    assert shown(response) == ["sea-fablab-masks-2020"]


def test_a_french_word_finds_a_french_entry_ignoring_accents(client, helpline, english_only):
    for query in ("écoute", "ECOUTE", "soignants"):
        assert shown(get(client, "fr", "initiative_list", q=query)) == ["nurses-helpline"]


def test_english_search_still_finds_english_text(client, helpline, english_only):
    assert shown(get(client, "en", "initiative_list", q="lawyers")) == ["emergency-law"]
    assert shown(get(client, "fr", "initiative_list", q="nurses")) == ["nurses-helpline"]


def test_search_follows_an_edit_of_the_french_text(client, english_only):
    english_only.summary_fr = "Des juristes bénévoles expliquaient les décrets."
    english_only.save()
    assert shown(get(client, "fr", "initiative_list", q="décrets")) == ["emergency-law"]


def test_feeds_and_exports_follow_the_page_language(client, helpline, english_only):
    feed = get(client, "fr", "initiative_feed").content.decode()
    assert "Des psychologues à l&#x27;écoute des soignants" in feed or (
        "Des psychologues à l'écoute des soignants" in feed
    )
    assert "Lawyers explained the emergency law" in feed

    export = get(client, "fr", "initiative_export", "json")
    rows = {row["slug"]: row for row in json.loads(b"".join(export.streaming_content))}
    assert rows["nurses-helpline"]["title"] == "Des psychologues à l'écoute des soignants"
    assert rows["emergency-law"]["title"] == "Lawyers explained the emergency law"

    export = get(client, "en", "initiative_export", "csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["nurses-helpline"]["title"] == "Psychologists listened to nurses"


def test_history_keeps_both_languages_and_a_revert_restores_them(helpline):
    helpline.title_fr = "Une ligne d'écoute"
    helpline.save()
    first = helpline.history.earliest()
    assert first.title_fr == "Des psychologues à l'écoute des soignants"
    assert first.title_en == "Psychologists listened to nurses"
    first.instance.save()
    helpline.refresh_from_db()
    assert helpline.title_fr == "Des psychologues à l'écoute des soignants"


def test_the_import_and_export_of_initiatives_carry_both_languages(helpline):
    from initiatives.resources import InitiativeResource

    dataset = InitiativeResource().export()
    assert {"title_en", "title_fr", "summary_fr", "description_fr"} <= set(dataset.headers)
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["title_fr"] == "Des psychologues à l'écoute des soignants"

    dataset.dict = [row | {"title_fr": "Écoute des soignants"}]
    result = InitiativeResource().import_data(dataset, dry_run=False)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    helpline.refresh_from_db()
    assert helpline.title_fr == "Écoute des soignants"
    assert helpline.title_en == "Psychologists listened to nurses"
