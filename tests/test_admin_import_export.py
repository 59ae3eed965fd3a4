"""CSV import and export in the admin: a dry-run preview, row errors, confirmation, round trips."""

import csv
import datetime
import html
import io

import pytest
import tablib
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export.formats import base_formats
from taggit.models import Tag

from initiatives.models import Initiative
from initiatives.resources import InitiativeResource
from networks.models import Facilitator

pytestmark = pytest.mark.django_db

ADMIN = "/" + settings.ADMIN_PATH
INITIATIVES = ADMIN + "initiatives/initiative/"
FACILITATORS = ADMIN + "networks/facilitator/"
COLUMNS = InitiativeResource().get_export_order()
CSV = str(admin.site._registry[Initiative].get_import_formats().index(base_formats.CSV))


def csv_text(*rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def initiative_row(**changes):
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        slug="tenant-clinics",
        title_en="Free legal clinics for tenants",
        summary_en="Volunteer lawyers answered tenants' questions about evictions.",
        kind="legal-advice",
        countries="BE",
    )
    row.update(changes)
    return row


def preview(client, changelist, text):
    upload = SimpleUploadedFile("import.csv", text.encode(), content_type="text/csv")
    response = client.post(changelist + "import/", {"import_file": upload, "format": CSV})
    assert response.status_code == 200
    return response


def confirm(client, changelist, response):
    response = client.post(
        changelist + "process_import/", response.context["confirm_form"].initial, follow=True
    )
    assert response.status_code == 200
    return response


def import_file(client, changelist, text):
    response = preview(client, changelist, text)
    assert "confirm_form" in response.context, errors_of(response)
    return confirm(client, changelist, response)


def errors_of(response):
    """Each refused row's number and messages, as the preview lists them."""
    result = response.context["result"]
    return {
        row.number: [message for messages in row.error_dict.values() for message in messages]
        for row in result.invalid_rows
    } or [error.error for row in result.rows for error in row.errors]


def refusal(client, changelist, text):
    response = preview(client, changelist, text)
    assert "confirm_form" not in response.context
    assert b"Confirm import" not in response.content
    assert b"Nothing can be imported yet" in response.content
    errors = errors_of(response)
    for messages in errors.values():
        assert all(html.escape(message) in response.content.decode() for message in messages)
    return errors


def export(client, changelist, resource):
    names = resource().get_export_order()
    data = {"format": CSV, "resource": "0"}
    data.update({f"{resource.__name__.lower()}_{name}": "on" for name in names})
    response = client.post(changelist + "export/", data)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    return response.content.decode()


def test_it_previews_a_valid_file_then_saves_it_on_confirm(editor_client, facilitator, covid):
    text = csv_text(
        initiative_row(
            description_en="Weekly clinics.\nOnline.",
            facilitator="the-good-lobby",
            other_organisations="Tenants' union",
            countries="BE|FR",
            crisis="covid-19",
            tags="tenants|housing",
            started_on="2020-03-28",
            start_precision="month",
            volunteers="40",
            website="https://example.org/",
            source_url="https://example.org/source",
            last_verified_on="2024-01-15",
        )
    )
    response = preview(editor_client, INITIATIVES, text)
    assert "confirm_form" in response.context, errors_of(response)
    assert b"Preview" in response.content
    assert [row.import_type for row in response.context["result"]] == ["new"]
    assert not Initiative.objects.exists()
    assert not Tag.objects.filter(name="tenants").exists()

    response = confirm(editor_client, INITIATIVES, response)
    assert "Import finished: 1 new, 0 updated, 0 deleted and 0 skipped" in response.content.decode()
    initiative = Initiative.objects.get(slug="tenant-clinics")
    assert initiative.title == "Free legal clinics for tenants"
    assert initiative.description == "Weekly clinics.\nOnline."
    assert initiative.facilitator == facilitator
    assert initiative.crisis == covid
    assert sorted(initiative.countries.values_list("code", flat=True)) == ["BE", "FR"]
    assert sorted(initiative.tags.names()) == ["housing", "tenants"]
    assert initiative.started_on == datetime.date(2020, 3, 28)
    assert initiative.start_precision == "month"
    assert initiative.end_precision == "day"
    assert initiative.volunteers == 40
    assert initiative.participants is None
    (source,) = initiative.sources.all()
    assert (source.url, source.is_primary) == ("https://example.org/source", True)
    assert source.accessed_on == datetime.date(2024, 1, 15)  # when the facts were verified
    assert initiative.language == "en"
    assert initiative.status == "draft"
    assert initiative.history.count() >= 1
    assert LogEntry.objects.filter(object_id=str(initiative.pk)).exists()


def test_it_keeps_a_new_initiative_a_draft_when_the_file_has_no_status(admin_client):
    text = "slug,title,summary,kind,countries\nhelpline,Helpline,Listening.,legal-advice,PT\n"
    import_file(admin_client, INITIATIVES, text)
    assert Initiative.objects.get(slug="helpline").status == "draft"


def test_it_updates_the_initiative_with_the_same_slug(admin_client, petition):
    history = petition.history.count()
    text = csv_text(
        {"slug": petition.slug, "title": "Petition to the 27 health ministers", "tags": "petition"}
    )
    response = preview(admin_client, INITIATIVES, text)
    assert [row.import_type for row in response.context["result"]] == ["update"]
    confirm(admin_client, INITIATIVES, response)
    petition.refresh_from_db()
    assert petition.title == "Petition to the 27 health ministers"
    assert petition.status == "published"
    assert list(petition.sectors.values_list("slug", flat=True)) == ["legal"]
    assert list(petition.tags.names()) == ["petition"]
    assert petition.history.count() == history + 1


def test_a_new_source_url_becomes_the_primary_source_and_the_former_stays(admin_client, petition):
    text = csv_text({"slug": petition.slug, "source_url": "https://example.org/new-report"})
    import_file(admin_client, INITIATIVES, text)
    assert [(source.url, source.is_primary) for source in petition.sources.all()] == [
        ("https://example.org/source", False),
        ("https://example.org/new-report", True),
    ]
    # The same address again changes nothing.
    response = preview(admin_client, INITIATIVES, text)
    assert [row.import_type for row in response.context["result"]] == ["skip"]


def test_it_publishes_a_row_whose_initiative_has_sources_without_a_source_url(admin_client, draft):
    import_file(admin_client, INITIATIVES, csv_text({"slug": draft.slug, "status": "published"}))
    draft.refresh_from_db()
    assert draft.is_published


def test_a_draft_row_needs_only_a_slug_and_a_title(admin_client):
    row = dict.fromkeys(COLUMNS, "") | {"slug": "jotted-down", "title_en": "Jotted down"}
    import_file(admin_client, INITIATIVES, csv_text(row))
    draft = Initiative.objects.get(slug="jotted-down")
    assert (draft.title, draft.status, draft.summary) == ("Jotted down", "draft", "")


def test_an_imported_row_is_one_version_in_the_history(admin_client, legal):
    row = initiative_row(countries="BE|FR", sectors="legal", tags="tenants|housing")
    import_file(admin_client, INITIATIVES, csv_text(row))
    (version,) = Initiative.objects.get(slug="tenant-clinics").history.all()
    assert version.history_change_reason == "Imported from a file"
    assert sorted(row.country_id for row in version.countries.all()) == ["BE", "FR"]
    assert version.tag_names == "housing, tenants"


def test_it_publishes_a_complete_row(admin_client):
    row = initiative_row(
        status="published", source_url="https://example.org/a", last_verified_on="2026-11-26"
    )
    import_file(admin_client, INITIATIVES, csv_text(row))
    assert Initiative.objects.get(slug="tenant-clinics").is_published


def test_it_refuses_the_whole_file_when_one_row_names_an_unknown_country(admin_client, legal):
    text = csv_text(
        initiative_row(slug="first", tags="brand-new-tag"),
        initiative_row(slug="second", countries="BE|Atlantis"),
        initiative_row(slug="third"),
    )
    assert refusal(admin_client, INITIATIVES, text) == {2: ["Unknown country: Atlantis"]}
    assert not Initiative.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"started_on": "2020-05-01", "ended_on": "2020-04-01"},
            "The end date cannot be before the start date.",
        ),
        (
            {"status": "published", "last_verified_on": "2026-11-26"},
            "A published initiative needs a source.",
        ),
        ({"source_url": "javascript:alert(1)"}, "Enter a valid URL."),
        (
            {"source_url": "ftp://example.org/report"},
            "Enter a web address starting with http:// or https://.",
        ),
        (
            {"facilitator": "the-good-lobby", "network": "Global Pro Bono Network"},
            "An initiative is run either by a facilitator or by a network, not both.",
        ),
        (
            {
                "countries": "",
                "status": "published",
                "source_url": "https://example.org/a",
                "last_verified_on": "2026-11-26",
            },
            "Publishing needs a country.",
        ),
        (
            {"status": "published", "source_url": "https://example.org/a"},
            "Publishing needs a “facts last verified on” date.",
        ),
        ({"countries": "Atlantis|Narnia"}, "Unknown countries: Atlantis, Narnia"),
        ({"sectors": "legal|Knitting"}, "Unknown sector: Knitting"),
        ({"facilitator": "Nobody"}, "Unknown facilitator: Nobody"),
        ({"partners": "the-good-lobby|nobody"}, "Unknown facilitator: nobody"),
        ({"crisis": "Flood"}, "Unknown crisis: Flood"),
        ({"kind": "picnic"}, "Value 'picnic' is not a valid choice."),
        ({"started_on": "28/03/2020"}, "Enter the date as YYYY-MM-DD, such as 2020-03-28."),
        ({"volunteers": "forty"}, "Enter a whole number."),
        ({"volunteers": "-4"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_it_refuses_a_row_in_plain_words(admin_client, facilitator, legal, changes, message):
    text = csv_text(initiative_row(slug="valid"), initiative_row(**changes))
    assert refusal(admin_client, INITIATIVES, text) == {2: [message]}
    assert not Initiative.objects.exists()


def test_it_refuses_a_row_without_a_slug(admin_client):
    text = csv_text(initiative_row(slug=""))
    assert refusal(admin_client, INITIATIVES, text) == {1: ["This field cannot be blank."]}


def test_it_finds_countries_by_code_or_english_name_in_any_case(admin_client):
    text = csv_text(initiative_row(countries="pt|Belgium|FRANCE|de|United States of America"))
    import_file(admin_client, INITIATIVES, text)
    codes = Initiative.objects.get().countries.values_list("code", flat=True)
    assert sorted(codes) == ["BE", "DE", "FR", "PT", "US"]


@pytest.mark.parametrize("by", ["slug", "name"])
def test_it_finds_sectors_facilitators_networks_and_crises_by_slug_or_name(
    admin_client, directory, by
):
    def cell(*objs):
        return "|".join(getattr(obj, by) for obj in objs)

    text = csv_text(
        initiative_row(
            slug="led",
            facilitator=cell(directory.lab).upper() if by == "name" else cell(directory.lab),
            partners=cell(directory.good_lobby, directory.taproot),
            sectors=cell(directory.legal, directory.health),
            crisis=cell(directory.war),
        ),
        initiative_row(slug="networked", network=cell(directory.european)),
    )
    import_file(admin_client, INITIATIVES, text)
    led = Initiative.objects.get(slug="led")
    assert led.facilitator == directory.lab
    assert set(led.partners.all()) == {directory.good_lobby, directory.taproot}
    assert set(led.sectors.all()) == {directory.legal, directory.health}
    assert led.crisis == directory.war
    assert Initiative.objects.get(slug="networked").network == directory.european


def test_it_asks_for_a_slug_when_two_facilitators_share_a_name(admin_client, facilitator):
    Facilitator.objects.create(name="The Good Lobby", slug="the-good-lobby-italy")
    text = csv_text(initiative_row(facilitator="the good lobby"))
    assert refusal(admin_client, INITIATIVES, text) == {
        1: ["Several facilitators are named “the good lobby”: give the slug."]
    }
    import_file(admin_client, INITIATIVES, csv_text(initiative_row(facilitator="the-good-lobby")))
    assert Initiative.objects.get().facilitator == facilitator


def test_it_refuses_a_status_change_from_staff_who_may_not_publish(
    client, django_user_model, petition
):
    user = django_user_model.objects.create_user("clerk", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_initiative", "change_initiative"])
    )
    client.force_login(user)
    text = csv_text(
        initiative_row(
            slug="new-one",
            status="published",
            source_url="https://example.org/",
            last_verified_on="2026-11-26",
        ),
        initiative_row(slug=petition.slug, status="draft"),
    )
    assert refusal(client, INITIATIVES, text) == {
        1: ["You may not publish or unpublish initiatives."],
        2: ["You may not publish or unpublish initiatives."],
    }
    import_file(client, INITIATIVES, csv_text(initiative_row(slug="new-one")))
    assert Initiative.objects.get(slug="new-one").status == "draft"


def test_it_saves_nothing_when_a_row_fails_at_the_confirm_step(legal):
    """The admin confirms without asking to roll back on invalid rows; the resource does."""
    dataset = tablib.Dataset(headers=["slug", "title", "summary", "kind", "countries"])
    dataset.append(["good", "Good", "Fine.", "legal-advice", "BE"])
    dataset.append(["bad", "Bad", "Fine.", "legal-advice", "Atlantis"])
    result = InitiativeResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert not Initiative.objects.exists()


def formula_cells(initiative):
    initiative.title = '=HYPERLINK("https://evil.example","Click")'
    initiative.summary = "+33 volunteers answered the phone."
    initiative.description = "-5 degrees outside.\r\nWe still met, every week.\r\n"
    initiative.other_organisations = "@mention"
    initiative.figures_note = "'=already escaped by hand"
    initiative.save()
    initiative.tags.add("=tag")


def test_it_changes_nothing_when_an_export_is_imported_again(admin_client, directory):
    formula_cells(directory.hackathon)
    directory.help_desk.partners.set([directory.lab, directory.taproot])
    directory.reserve.tags.add("Remote Work")
    before = list(Initiative.objects.order_by("pk").values_list("pk", "updated_at"))
    history = Initiative.history.count()
    log_entries = LogEntry.objects.count()

    text = export(admin_client, INITIATIVES, InitiativeResource)
    response = preview(admin_client, INITIATIVES, text)
    result = response.context["result"]
    assert [row.import_type for row in result] == ["skip"] * len(before), errors_of(response)
    response = confirm(admin_client, INITIATIVES, response)
    message = f"Import finished: 0 new, 0 updated, 0 deleted and {len(before)} skipped"
    assert message in response.content.decode()

    assert list(Initiative.objects.order_by("pk").values_list("pk", "updated_at")) == before
    assert Initiative.history.count() == history
    assert LogEntry.objects.count() == log_entries
    hackathon = Initiative.objects.get(pk=directory.hackathon.pk)
    assert hackathon.description == "-5 degrees outside.\r\nWe still met, every week.\r\n"
    assert hackathon.figures_note == "'=already escaped by hand"


def test_it_exports_codes_slugs_and_sorted_tag_names(admin_client, directory):
    directory.reserve.tags.add("Remote Work")
    rows = list(csv.DictReader(io.StringIO(export(admin_client, INITIATIVES, InitiativeResource))))
    assert list(rows[0]) == list(COLUMNS)
    reserve = next(row for row in rows if row["slug"] == "reserve-civique")
    assert reserve["countries"] == "FR"
    assert reserve["facilitator"] == "pro-bono-lab"
    assert reserve["partners"] == "the-good-lobby"
    assert reserve["sectors"] == "tech"
    assert reserve["crisis"] == "covid-19"
    assert reserve["tags"] == "remote|Remote Work|volunteering"
    assert reserve["started_on"] == "2020-03-20"
    assert reserve["status"] == "published"
    help_desk = next(row for row in rows if row["slug"] == "refugee-help-desk")
    assert help_desk["network"] == "european-pro-bono-alliance"
    assert help_desk["facilitator"] == ""
    assert help_desk["countries"] == "BE|PL"


def test_it_neutralises_cells_a_spreadsheet_would_run_as_formulas(admin_client, directory):
    formula_cells(directory.hackathon)
    rows = csv.DictReader(io.StringIO(export(admin_client, INITIATIVES, InitiativeResource)))
    hackathon = next(row for row in rows if row["slug"] == "ukraine-hackathon")
    assert hackathon["title_en"] == '\'=HYPERLINK("https://evil.example","Click")'
    assert hackathon["summary_en"] == "'+33 volunteers answered the phone."
    assert hackathon["description_en"].startswith("'-5 degrees outside.")
    assert hackathon["other_organisations"] == "'@mention"
    assert hackathon["figures_note"] == "''=already escaped by hand"
    assert hackathon["tags"] == "'=tag|hackathon"
    assert hackathon["slug"] == "ukraine-hackathon"


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),
        ("\uff0b33 volunteers", "'\uff0b33 volunteers"),
        ("  =1+1", "'  =1+1"),
        (" @mention", "' @mention"),
        ("'  -5", "''  -5"),
        ("' plain", "' plain"),
    ],
)
def test_every_formula_start_survives_an_export_and_an_import(admin_client, directory, text, cell):
    """The admin's CSV neutralises what the public one does, and reads it back as it was."""
    Initiative.objects.filter(pk=directory.hackathon.pk).update(other_organisations=text)
    exported = export(admin_client, INITIATIVES, InitiativeResource)
    rows = csv.DictReader(io.StringIO(exported))
    assert (
        next(row for row in rows if row["slug"] == "ukraine-hackathon")["other_organisations"]
        == cell
    )
    Initiative.objects.filter(pk=directory.hackathon.pk).update(other_organisations="changed")
    import_file(admin_client, INITIATIVES, exported)
    assert Initiative.objects.get(pk=directory.hackathon.pk).other_organisations == text


def test_it_imports_a_cell_escaped_by_hand_as_the_text_it_shows(admin_client):
    text = csv_text(initiative_row(title_en="'=1+1", summary_en="'Quoted' on purpose."))
    import_file(admin_client, INITIATIVES, text)
    initiative = Initiative.objects.get()
    assert initiative.title == "=1+1"
    assert initiative.summary == "'Quoted' on purpose."


def facilitator_row(**changes):
    row = {
        "slug": "pro-bono-lab",
        "name": "Pro Bono Lab",
        "acronym": "",
        "description_en": "",
        "description_fr": "",
        "website": "https://probonolab.org/",
        "founded_year": "2011",
        "headquarters_country": "France",
        "city": "Paris",
        "countries": "fr|Belgium",
        "is_active": "1",
        "closed_year": "",
    }
    row.update(changes)
    return row


def test_it_imports_facilitators_after_a_preview(editor_client):
    response = preview(editor_client, FACILITATORS, csv_text(facilitator_row()))
    assert [row.import_type for row in response.context["result"]] == ["new"]
    assert not Facilitator.objects.exists()
    confirm(editor_client, FACILITATORS, response)
    lab = Facilitator.objects.get(slug="pro-bono-lab")
    assert lab.headquarters_country == "FR"
    assert sorted(lab.countries.values_list("code", flat=True)) == ["BE", "FR"]
    assert lab.founded_year == 2011
    assert lab.is_active


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"countries": "FR|Atlantis"}, "Unknown country: Atlantis"),
        ({"headquarters_country": "Atlantis"}, "Unknown country: Atlantis"),
        (
            {"is_active": "1", "closed_year": "2020"},
            "An organisation with a closing year cannot be active.",
        ),
        (
            {"is_active": "0", "closed_year": "2001"},
            "The closing year cannot be before the founding year.",
        ),
        ({"founded_year": "1700"}, "Ensure this value is greater than or equal to 1800."),
    ],
)
def test_it_refuses_a_facilitator_file_with_one_bad_row(admin_client, changes, message):
    text = csv_text(facilitator_row(slug="fine"), facilitator_row(**changes))
    assert refusal(admin_client, FACILITATORS, text) == {2: [message]}
    assert not Facilitator.objects.exists()


def test_it_changes_nothing_when_facilitators_are_exported_then_imported_again(
    admin_client, directory
):
    from networks.resources import FacilitatorResource

    lab = directory.lab
    lab.acronym = "-PBL-"
    lab.description = "=cmd|' /C calc'!A0\r\nSecond line."
    lab.founded_year, lab.is_active, lab.closed_year = 2011, False, 2023
    lab.save()
    lab.countries.set(["FR", "BE"])
    before = list(Facilitator.objects.order_by("pk").values_list("pk", "name"))
    history = Facilitator.history.count()

    text = export(admin_client, FACILITATORS, FacilitatorResource)
    row = next(row for row in csv.DictReader(io.StringIO(text)) if row["slug"] == lab.slug)
    assert row["acronym"] == "'-PBL-"
    assert row["description_en"].startswith("'=cmd")
    assert row["countries"] == "BE|FR"
    assert row["headquarters_country"] == ""
    good_lobby = next(row for row in csv.DictReader(io.StringIO(text)) if row["city"])
    assert good_lobby["headquarters_country"] == "BE"

    response = preview(admin_client, FACILITATORS, text)
    assert [row.import_type for row in response.context["result"]] == ["skip"] * len(before)
    confirm(admin_client, FACILITATORS, response)
    assert list(Facilitator.objects.order_by("pk").values_list("pk", "name")) == before
    assert Facilitator.history.count() == history
    lab.refresh_from_db()
    assert lab.description == "=cmd|' /C calc'!A0\r\nSecond line."


def test_a_staff_member_without_permissions_can_neither_import_nor_export(
    client, django_user_model
):
    nobody = django_user_model.objects.create_user("nobody", password="unused", is_staff=True)
    client.force_login(nobody)
    for model in ("initiatives/initiative", "networks/facilitator"):
        assert client.get(f"{ADMIN}{model}/import/").status_code == 403
        assert client.get(f"{ADMIN}{model}/export/").status_code == 403


def test_a_confirm_that_no_longer_validates_says_nothing_was_imported(editor_client, legal):
    text = csv_text(initiative_row(sectors="legal"))
    response = preview(editor_client, INITIATIVES, text)
    assert "confirm_form" in response.context, errors_of(response)
    legal.delete()
    response = confirm(editor_client, INITIATIVES, response)
    assert "Nothing was imported" in response.content.decode()
    assert "Import finished" not in response.content.decode()
    assert not Initiative.objects.exists()
