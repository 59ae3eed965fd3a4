"""The admin's import as an editor reads it, through the real admin pages: a template to start
from, and a preview that lists every row, what it changes or what is wrong with it, in words."""

import csv
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from initiatives.models import Initiative
from initiatives.resources import InitiativeResource
from networks.models import Facilitator
from networks.resources import FacilitatorResource
from tests.test_admin_import_export import (
    FACILITATORS,
    INITIATIVES,
    confirm,
    csv_text,
    facilitator_row,
    preview,
)

pytestmark = pytest.mark.django_db

TEMPLATES = [
    (INITIATIVES, InitiativeResource, "initiatives-template.csv"),
    (FACILITATORS, FacilitatorResource, "facilitators-template.csv"),
]


def template(client, changelist):
    response = client.get(changelist + "import/template.csv")
    assert response.status_code == 200
    return response


def template_rows(client, changelist):
    text = template(client, changelist).content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def text_of(fragment):
    """What a reader sees of some HTML: its text, without tags or attributes."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def preview_rows(response):
    """The preview's rows in the page's order, as the text of their cells: number, entry,
    outcome, details. Rows with errors come first, in a table of their own."""
    tables = re.findall(
        r'<table class="import-rows">(.*?)</table>', response.content.decode(), re.S
    )
    assert tables, "no preview table"
    rows = re.findall(r'<tr class="import-rows__row--\w+">(.*?)</tr>', "".join(tables), re.S)
    return [[text_of(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]


def exported_row(initiative):
    """The initiative as the admin's export writes it: a row that changes nothing."""
    return dict(InitiativeResource().export(Initiative.objects.filter(pk=initiative.pk)).dict[0])


@pytest.mark.parametrize(("changelist", "resource", "filename"), TEMPLATES)
def test_the_template_has_the_columns_the_import_reads_and_one_example(
    editor_client, changelist, resource, filename
):
    response = template(editor_client, changelist)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith("\ufeff".encode())  # Excel then reads it as UTF-8
    (example,) = template_rows(editor_client, changelist)
    assert list(example) == [field.column_name for field in resource().get_import_fields()]
    assert example["slug"].startswith("example-")
    assert example["countries"]

    page = editor_client.get(changelist + "import/").content.decode()
    link = re.search(r'<a href="([^"]+)" download>Download a template for (\w+)</a>', page)
    assert link[1] == changelist + "import/template.csv"
    assert link[2] == filename.removesuffix("-template.csv")


@pytest.mark.parametrize(("changelist", "resource", "filename"), TEMPLATES)
def test_the_template_previews_cleanly_as_it_is_then_imports(
    editor_client, changelist, resource, filename
):
    """Even in a directory without the sectors or the crisis that the example names."""
    text = template(editor_client, changelist).content.decode("utf-8-sig")
    response = preview(editor_client, changelist, text)
    assert "confirm_form" in response.context, preview_rows(response)
    assert [row[2] for row in preview_rows(response)] == ["New"]
    confirm(editor_client, changelist, response)
    model = resource._meta.model
    assert model.objects.filter(slug__startswith="example-").count() == 1


def test_the_initiatives_template_names_the_seeds_sectors_and_crisis(editor_client, seeded):
    (example,) = template_rows(editor_client, INITIATIVES)
    assert (example["sectors"], example["crisis"]) == ("legal|human-rights", "covid-19")
    response = preview(editor_client, INITIATIVES, csv_text(example))
    assert "confirm_form" in response.context, preview_rows(response)
    (row,) = preview_rows(response)
    assert "sectors human-rights|legal" in row[3]
    assert "crisis covid-19" in row[3]


def test_a_staff_member_who_may_not_import_gets_no_template(client, django_user_model):
    assert client.get(INITIATIVES + "import/template.csv").status_code == 302  # to log in
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    client.force_login(nobody)
    for changelist in (INITIATIVES, FACILITATORS):
        assert client.get(changelist + "import/template.csv").status_code == 403


def three_rows_from_the_template(client, petition):
    """A new initiative, a change to one, and a row with three problems that stay problems."""
    (example,) = template_rows(client, INITIATIVES)
    changed = {**exported_row(petition), "title_en": "Petition to the 27 EU health ministers"}
    bad = {
        **example,
        "slug": "bad-row",
        "countries": "BE|ZZ",
        "started_on": "2020-13-01",
        "status": "archived",
    }
    return csv_text(example, changed, bad)


def test_a_row_with_errors_is_listed_in_full_beside_the_valid_ones_and_nothing_is_saved(
    editor_client, petition
):
    initiatives, history, tags = (
        Initiative.objects.count(),
        petition.history.count(),
        Tag.objects.count(),
    )
    response = preview(
        editor_client, INITIATIVES, three_rows_from_the_template(editor_client, petition)
    )
    page = response.content.decode()

    assert "confirm_form" not in response.context
    assert "Nothing can be imported yet" in page
    assert re.search(r"Checked 3 rows in \d+\.\d\d seconds\.", page)
    assert "New: 1, changed: 1, unchanged: 0, with errors: 1." in page
    bad, new, changed = preview_rows(response)
    assert new[:3] == [
        "1",
        "example-tenant-legal-clinic Free legal clinic for tenants facing eviction",
        "New",
    ]
    assert changed[:3] == [
        "2",
        "eu-health-petition Petition to the 27 EU health ministers",
        "Changed",
    ]
    # Only what the row changes, before and after, in words as well as colours.
    assert changed[3] == (
        "title_en Was: Petition to the EU health ministers "
        "Now: Petition to the 27 EU health ministers"
    )
    assert bad[:3] == ["3", "bad-row", "Errors"]
    for problem in [
        "countries : Unknown country: ZZ",
        "started_on : Enter the date as YYYY-MM-DD, such as 2020-03-28.",
        "status : Value 'archived' is not a valid choice.",
    ]:
        assert problem in bad[3]

    assert Initiative.objects.count() == initiatives
    petition.refresh_from_db()
    assert petition.title == "Petition to the EU health ministers"
    assert petition.history.count() == history
    assert Tag.objects.count() == tags


def test_the_editor_fixes_the_row_and_uploads_the_file_again(editor_client, petition):
    text = three_rows_from_the_template(editor_client, petition)
    response = preview(editor_client, INITIATIVES, text)
    assert '<input type="file" name="import_file"' in response.content.decode()
    assert "Correct them in your file, then choose it again above." in response.content.decode()

    fixed = text.replace("BE|ZZ", "BE").replace("2020-13-01", "2020-12-01").replace("archived", "")
    response = preview(editor_client, INITIATIVES, fixed)
    assert "confirm_form" in response.context, preview_rows(response)
    assert "Nothing has been saved yet." in response.content.decode()
    confirm(editor_client, INITIATIVES, response)
    assert Initiative.objects.get(slug="bad-row").started_on.isoformat() == "2020-12-01"
    assert Initiative.objects.get(slug="eu-health-petition").title.startswith("Petition to the 27")


def test_a_valid_file_shows_new_changed_and_unchanged_rows(editor_client, petition, draft):
    changed = {**exported_row(draft), "summary_en": "Lawyers answered by phone.", "tags": "phone"}
    new = {**exported_row(draft), "slug": "tax-clinic", "title_en": "Tax clinic", "title_fr": ""}
    response = preview(editor_client, INITIATIVES, csv_text(exported_row(petition), changed, new))
    assert "confirm_form" in response.context, preview_rows(response)
    assert "New: 1, changed: 1, unchanged: 1, with errors: 0." in response.content.decode()
    unchanged, changed, new = preview_rows(response)
    assert unchanged[2:] == ["Unchanged", "No change."]
    assert changed[2] == "Changed"
    assert changed[3] == (
        "summary_en Was: Summary of Secret draft about Portugal. Now: Lawyers answered by phone. "
        "tags Was: — Now: phone"
    )
    assert "<ins>Lawyers answered by phone.</ins>" in response.content.decode()
    assert new[2] == "New"
    assert "title_en Tax clinic" in new[3]
    assert "countries PT" in new[3]
    assert "source_url https://example.org/source" in new[3]


def test_a_new_rows_long_values_are_shortened_in_the_preview_only(editor_client, legal):
    long = "Volunteer lawyers answered questions. " * 10
    row = {"slug": "long", "title": "Long", "summary": "Short.", "kind": "legal-advice"}
    text = csv_text({**row, "countries": "BE", "description": long})
    response = preview(editor_client, INITIATIVES, text)
    (shown,) = preview_rows(response)
    assert f"description_en {long[:119]}…" in shown[3]
    confirm(editor_client, INITIATIVES, response)
    assert Initiative.objects.get(slug="long").description == long


def test_two_rows_for_one_slug_are_refused(editor_client, petition):
    first = exported_row(petition)
    second = {**first, "title_en": "Another title"}
    response = preview(editor_client, INITIATIVES, csv_text(first, second))
    assert preview_rows(response)[0][2:] == [
        "Errors",
        "slug : Row 1 has this slug too: give each entry one row.",
    ]


def test_every_problem_of_a_row_is_listed_constraints_included(editor_client):
    text = csv_text(facilitator_row(founded_year="forty", is_active="1", closed_year="2020"))
    response = preview(editor_client, FACILITATORS, text)
    (row,) = preview_rows(response)
    assert "founded_year : Enter a whole number." in row[3]
    assert "An organisation with a closing year cannot be active." in row[3]
    assert not Facilitator.objects.exists()


def test_the_preview_asks_the_database_nothing_more_for_more_new_rows(editor_client, petition):
    """The file's entries in one query; countries, sectors and organisations looked up once per
    file; no savepoint, constraint query or write per row."""

    def queries(count):
        rows = [
            {**exported_row(petition), "slug": f"copy-{number}", "tags": f"tag-{number}"}
            for number in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            response = preview(editor_client, INITIATIVES, csv_text(*rows))
        assert [row[2] for row in preview_rows(response)] == ["New"] * count
        return len(captured)

    assert queries(20) == queries(2)


def test_a_cell_no_database_can_hold_is_refused_with_its_row(editor_client, petition):
    """PostgreSQL refuses null characters: the row says so before any query is made with one."""
    bad = {**exported_row(petition), "slug": "bad\x00slug", "title_en": "Title\x00"}
    response = preview(editor_client, INITIATIVES, csv_text(exported_row(petition), bad))
    refused, unchanged = preview_rows(response)
    assert refused[2:] == [
        "Errors",
        "slug : Null characters are not allowed. title_en : Null characters are not allowed.",
    ]
    assert unchanged[2] == "Unchanged"
