"""Output encoding: what editors type comes out as text everywhere, links are web links only, and
no new way around Django's autoescaping slips into the code unreviewed."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from initiatives.models import Correction, Initiative, Proposal, Sector, Source
from networks.models import Facilitator, Membership, Network
from tests.conftest import body_text
from tests.directory import make_initiative
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
CLOSE_SCRIPT = "</script><script>alert(2)</script>"
TEMPLATE = "{{ 7|add:1 }}{% now 'Y' %}"
RAW = ["<script>alert", "<img src=x", "</script><script>"]


@pytest.fixture
def hostile(directory):
    """An entry, its sector, facilitator and tag, each full of markup, as a careless or
    malicious editor could type it."""
    sector = Sector.objects.create(name=f"Sector {SCRIPT}", slug="hostile-sector")
    lead = Facilitator.objects.create(
        name=f"Lead {ATTRIBUTE}", slug="hostile-lead", website="https://example.org/?a='b'"
    )
    return make_initiative(
        f"Title {SCRIPT}",
        "hostile",
        summary=f"Summary {ATTRIBUTE} it's",
        description=f"Description {CLOSE_SCRIPT} {TEMPLATE}",
        other_organisations=f"Others {SCRIPT}'",
        figures_note=f"Figures {ATTRIBUTE}",
        facilitator=lead,
        sectors=[sector],
        tags=[f"tag {SCRIPT}"],
        countries=["LU"],
        website='https://example.org/"><script>alert(3)</script>',
        sources=["https://example.org/?q='onmouseover=alert(4)"],
    )


def json_ld_blocks(html):
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


# Links readers follow: http and https only.

URL_FIELDS = [
    (Initiative, "website"),
    (Source, "url"),
    # Written by the link checker, from answers of the sites and of the Wayback Machine.
    (Source, "final_url"),
    (Source, "archive_url"),
    (Network, "website"),
    (Facilitator, "website"),
    (Membership, "source_url"),
    (Correction, "evidence_url"),
    (Proposal, "source_url"),
    (Proposal, "facilitator_website"),
]
BAD_LINKS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/file",
    "ftps://example.org/file",
    "vbscript:msgbox(1)",
    "//example.org/no-scheme",
]


def test_the_list_of_url_fields_is_complete():
    found = {
        (model, field.name)
        for app in ("initiatives", "networks")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.fields
        if isinstance(field, models.URLField) and not model.__name__.startswith("Historical")
    }
    assert found == set(URL_FIELDS)


@pytest.mark.parametrize(("model", "field"), URL_FIELDS)
@pytest.mark.parametrize("link", BAD_LINKS)
def test_a_link_that_is_not_a_web_page_is_refused(model, field, link):
    obj = model(**{field: link})
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize(("model", "field"), URL_FIELDS)
def test_a_web_link_is_accepted(model, field):
    obj = model(**{field: "https://example.org/page?x=1"})
    with pytest.raises(ValidationError) as error:
        obj.full_clean()  # Refused for its empty required fields, not for this link.
    assert field not in error.value.message_dict


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/"])
def test_the_admin_form_refuses_a_link_that_is_not_a_web_page(editor_client, link):
    response = editor_client.post(
        reverse("admin:initiatives_initiative_add"), form_data(website=link)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["website"]
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/"])
def test_the_admin_form_refuses_a_source_that_is_not_a_web_page(editor_client, link):
    data = form_data(sources=[{"url": link, "is_primary": "on"}])
    response = editor_client.post(reverse("admin:initiatives_initiative_add"), data)
    assert response.status_code == 200
    (sources,) = response.context["inline_admin_formsets"]
    assert sources.formset.errors[0]["url"]
    assert not Initiative.objects.exists()


# No new way around autoescaping without review.

ROOT = Path(__file__).resolve().parent.parent
UNSAFE = re.compile(r"\|\s*safe(seq)?\b|mark_safe\(|\{%\s*autoescape\s+off|SafeString\(")
REVIEWED = {
    # The JSON-LD block: json_ld escapes <, > and & as \u003C, \u003E, \u0026 first.
    ("initiatives/templatetags/directory.py", "mark_safe("): 1,
    # The moderation digest is a plain-text email, never HTML: escaped, "O'Brien" would read
    # "O&#x27;Brien". Readers' emails are not in it.
    ("templates/emails/moderation_digest.txt", "{% autoescape off"): 1,
    # The alerts' plain-text parts, likewise; their HTML part (alert.html) is escaped.
    ("templates/emails/alert.txt", "{% autoescape off"): 1,
    ("templates/emails/alert_confirm.txt", "{% autoescape off"): 1,
}


def project_files():
    for path in ROOT.rglob("*"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "tests", "node_modules", ".git", "staticfiles"}:
            continue
        if path.suffix in {".py", ".html", ".txt", ".xml"} and path.is_file():
            yield path


def test_no_unreviewed_way_around_autoescaping():
    found = {}
    for path in project_files():
        for match in UNSAFE.finditer(path.read_text(encoding="utf-8", errors="replace")):
            key = (str(path.relative_to(ROOT)), match.group(0))
            found[key] = found.get(key, 0) + 1
    assert found == REVIEWED


@pytest.mark.usefixtures("directory_built_once_per_class")
class TestAHostileEntry:
    """Pages, exports and the admin over the directory and an entry full of markup (`hostile`)."""

    @pytest.mark.parametrize(
        "url",
        [
            "/",
            "/initiatives/",
            "/initiatives/?country=lu",
            "/initiatives/?q=title",
            "/initiatives/hostile/",
            "/fr/initiatives/hostile/",
            "/countries/lu/",
            "/sectors/",
            "/sectors/hostile-sector/",
            "/facilitators/",
            "/facilitators/hostile-lead/",
            "/initiatives/feed/?country=lu",
            "/sitemap-initiatives.xml",
        ],
    )
    def test_markup_typed_by_an_editor_comes_out_as_text(self, client, hostile, url):
        html = body_text(client.get(url))
        assert "hostile" in html or "Title" in html
        for raw in RAW:
            assert raw not in html, url
        assert "onerror=alert(1)>" not in html
        for block in json_ld_blocks(html):
            assert "<" not in block
            assert ">" not in block
            json.loads(block)

    def test_the_detail_page_shows_each_payload_escaped_and_no_template_code_runs(
        self, client, hostile
    ):
        html = body_text(client.get("/initiatives/hostile/"))
        assert "Title &lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "Summary &quot;&gt;&lt;img src=x onerror=alert(1)&gt; it&#x27;s" in html
        assert "{{ 7|add:1 }}{% now &#x27;Y&#x27; %}" in html
        assert 'href="https://example.org/&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"' in html
        assert 'href="https://example.org/?q=&#x27;onmouseover=alert(4)"' in html
        (block,) = json_ld_blocks(html)
        assert json.loads(block)["name"] == f"Title {SCRIPT}"

    def test_the_exports_give_the_text_as_typed_in_their_own_format(self, client, hostile):
        (row,) = json.loads(body_text(client.get("/initiatives/export.json?country=lu")))
        assert row["title"] == f"Title {SCRIPT}"
        response = client.get("/initiatives/export.json?country=lu")
        assert response["Content-Type"].startswith("application/json")
        assert response["Content-Disposition"].startswith("attachment")
        (row,) = csv.DictReader(
            io.StringIO(body_text(client.get("/initiatives/export.csv?country=lu")))
        )
        assert row["summary"] == f"Summary {ATTRIBUTE} it's"

    def test_the_admin_changelist_escapes_what_editors_typed(self, editor_client, hostile):
        response = editor_client.get(reverse("admin:initiatives_initiative_changelist"))
        html = body_text(response)
        assert "Title &lt;script&gt;alert(1)&lt;/script&gt;" in html
        for raw in RAW:
            assert raw not in html
        change = body_text(
            editor_client.get(reverse("admin:initiatives_initiative_change", args=[hostile.pk]))
        )
        assert "<script>alert(1)</script>" not in change

    @pytest.mark.parametrize(
        "first",
        [
            *["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1"],
            # Full-width forms, and the same after spaces or line breaks, which spreadsheets skip.
            *["\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", " =1+1", "  @A1", "\n=1+1"],
        ],
    )
    def test_the_csv_export_neutralises_every_formula_start(self, client, directory, first):
        make_initiative("Plain title", "formula", other_organisations=first, countries=["LU"])
        (row,) = csv.DictReader(
            io.StringIO(body_text(client.get("/initiatives/export.csv?country=lu")))
        )
        assert row["other_organisations"] == "'" + first
        assert row["title"] == "Plain title"
