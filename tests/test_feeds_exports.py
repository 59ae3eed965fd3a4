"""The Atom feed and the CSV and JSON exports of any finder view give that view's initiatives."""

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from initiatives.models import Initiative
from tests.conftest import shown_slugs
from tests.directory import make_initiative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory_built_once")]

ATOM = "{http://www.w3.org/2005/Atom}"

VIEWS = [
    "/initiatives/",
    "/initiatives/?country=be",
    "/initiatives/?sector=legal&status=completed",
    "/initiatives/?country=be&country=fr&crisis=covid-19",
    "/initiatives/?network=european-pro-bono-alliance&year=2022",
    "/initiatives/?facilitator=the-good-lobby&kind=skills-based-volunteering",
    "/initiatives/?tag=remote&sort=title",
    "/initiatives/?q=nurses",
    "/initiatives/?country=us&sector=legal",
    "/countries/be/?crisis=war-in-ukraine",
    "/sectors/legal/?country=pl&sort=oldest",
    "/networks/global-pro-bono-network/",
    "/facilitators/the-good-lobby/?status=ongoing",
]


def tool_link(response, label):
    """The href of one of the finder's "Atom feed", "CSV" and "JSON" links."""
    match = re.search(rf'<a href="([^"]*)">{label}</a>', response.content.decode())
    return html.unescape(match[1])


def streamed(response):
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8-sig")


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def feed_slugs(root):
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
    return [re.fullmatch(r"http://testserver/initiatives/([\w-]+)/", link)[1] for link in links]


def csv_rows(client, url):
    return list(csv.DictReader(io.StringIO(streamed(client.get(url)))))


def json_rows(client, url):
    return json.loads(streamed(client.get(url)))


# The same initiatives as the page


@pytest.mark.parametrize("url", VIEWS)
def test_it_gives_the_page_s_initiatives_in_the_feed(client, directory, url):
    page = client.get(url)
    assert sorted(feed_slugs(feed(client, tool_link(page, "Atom feed")))) == sorted(
        shown_slugs(page)
    )


@pytest.mark.parametrize("url", VIEWS)
def test_it_gives_the_page_s_initiatives_in_its_order_in_the_csv_export(client, directory, url):
    page = client.get(url)
    rows = csv_rows(client, tool_link(page, "CSV"))
    assert [row["slug"] for row in rows] == shown_slugs(page)


@pytest.mark.parametrize("url", VIEWS)
def test_it_gives_the_page_s_initiatives_in_its_order_in_the_json_export(client, directory, url):
    page = client.get(url)
    rows = json_rows(client, tool_link(page, "JSON"))
    assert [row["slug"] for row in rows] == shown_slugs(page)


def test_it_links_a_scoped_page_to_the_feed_and_exports_of_its_view(client, directory):
    page = client.get("/countries/be/?crisis=war-in-ukraine&sort=title")
    assert tool_link(page, "Atom feed") == (
        "/initiatives/feed/?country=be&crisis=war-in-ukraine&sort=title"
    )
    assert tool_link(page, "CSV") == (
        "/initiatives/export.csv?country=be&crisis=war-in-ukraine&sort=title"
    )
    assert tool_link(page, "JSON") == (
        "/initiatives/export.json?country=be&crisis=war-in-ukraine&sort=title"
    )


def test_it_links_the_feed_from_the_page_head(client, directory):
    content = client.get("/initiatives/?country=be").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Initiatives in Belgium" '
        'href="/initiatives/feed/?country=be">'
    ) in content


def test_it_exports_every_page_not_only_the_first(client, directory):
    for number in range(25):
        make_initiative(f"Legal clinic {number:02}", f"legal-clinic-{number:02}")
    first = shown_slugs(client.get("/initiatives/?country=be&sort=title"))
    second = shown_slugs(client.get("/initiatives/?country=be&sort=title&page=2"))
    exported = json_rows(client, "/initiatives/export.json?country=be&sort=title")
    assert [row["slug"] for row in exported] == first + second
    assert len(exported) == 27


def test_it_applies_the_valid_part_of_a_bad_link_to_feed_and_exports(client, directory):
    query = "?country=be&sector=old-sector&page=abc&utm_source=x"
    assert sorted(feed_slugs(feed(client, "/initiatives/feed/" + query))) == [
        "eu-health-petition",
        "refugee-help-desk",
    ]
    assert [row["slug"] for row in csv_rows(client, "/initiatives/export.csv" + query)] == [
        "refugee-help-desk",
        "eu-health-petition",
    ]


def test_it_exports_a_search_made_only_of_query_operators(client, directory):
    rows = json_rows(client, "/initiatives/export.json?country=pl&q=%26%21")
    assert {row["slug"] for row in rows} == {"refugee-help-desk", "ukraine-hackathon"}


# Feed


@pytest.mark.parametrize(
    "url",
    [
        "/initiatives/",
        "/initiatives/?country=be&sector=legal&crisis=covid-19",
        "/initiatives/?tag=remote&year=2021",
        "/initiatives/?q=nurses",
        "/countries/be/?crisis=war-in-ukraine",
        "/sectors/legal/?country=pl",
    ],
)
def test_it_titles_the_feed_as_the_page(client, directory, url):
    page = client.get(url)
    page_title = html.unescape(re.search(r"<title>(.*?)</title>", page.content.decode())[1])
    root = feed(client, tool_link(page, "Atom feed"))
    assert root.find(f"{ATOM}title").text == page_title


def test_it_titles_a_filtered_feed_with_the_filters(client, directory):
    root = feed(client, "/initiatives/feed/?country=be&sector=legal&crisis=covid-19")
    assert root.find(f"{ATOM}title").text == (
        "Legal initiatives in Belgium (Covid-19 pandemic) · Pro Bono Directory"
    )


def test_it_redirects_another_spelling_of_a_feed_to_the_address_its_self_link_gives(
    client, directory
):
    response = client.get("/initiatives/feed/?crisis=covid-19&country=BE&sector=legal")
    assert response.status_code == 301
    assert response["Location"] == "/initiatives/feed/?country=be&sector=legal&crisis=covid-19"
    root = feed(client, response["Location"])
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"] == "http://testserver" + response["Location"]


def test_it_links_the_feed_to_its_page_and_to_itself_with_the_filters(client, directory):
    root = feed(client, "/initiatives/feed/?country=be&sort=title")
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "alternate": "http://testserver/initiatives/?country=be&sort=title",
        "self": "http://testserver/initiatives/feed/?country=be&sort=title",
    }


def test_it_describes_each_initiative_in_the_feed(client, directory):
    root = feed(client, "/initiatives/feed/?country=us")
    (entry,) = root.iter(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Helpline for nurses"
    assert entry.find(f"{ATOM}summary").text == "Counsellors listen to nurses after long shifts."
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Taproot Foundation"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Mental health"]


@pytest.mark.parametrize("url", VIEWS)
def test_the_feed_lists_the_view_in_its_order(client, directory, url):
    page = client.get(url)
    assert feed_slugs(feed(client, tool_link(page, "Atom feed"))) == shown_slugs(page)


def test_every_entry_has_an_author_its_lead_s_or_the_feed_s(client, directory):
    root = feed(client, "/initiatives/feed/")
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Pro Bono Directory"
    authors = {
        entry.find(f"{ATOM}title").text: entry.findtext(f"{ATOM}author/{ATOM}name")
        for entry in root.iter(f"{ATOM}entry")
    }
    # The help desk is run by a network, every other by a facilitator.
    assert authors["Legal help desk for refugees"] == "European Pro Bono Alliance"
    assert authors["Helpline for nurses"] == "Taproot Foundation"


def test_summaries_are_plain_text_and_keep_what_was_typed(client, directory):
    Initiative.objects.filter(pk=directory.helpline.pk).update(
        summary="P&G staff <b>listen</b> to nurses."
    )
    root = feed(client, "/initiatives/feed/?country=us")
    (entry,) = root.iter(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "P&G staff <b>listen</b> to nurses."


def test_the_subtitle_says_what_the_view_holds(client, directory):
    root = feed(client, "/initiatives/feed/?country=be&sector=legal")
    assert root.find(f"{ATOM}subtitle").text == (
        "Legal initiatives in Belgium, as listed in the Pro Bono Directory."
    )


# CSV and JSON


def test_it_streams_the_csv_export_as_an_attachment(client, directory):
    response = client.get("/initiatives/export.csv?country=be")
    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="initiatives.csv"'
    # Excel reads UTF-8 only after its byte-order mark, and the mark only at the very start.
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeffslug,")
    assert text.count("\ufeff") == 1


def test_it_streams_the_json_export_as_an_attachment(client, directory):
    response = client.get("/initiatives/export.json?country=be")
    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="initiatives.json"'


def test_it_answers_an_unknown_export_format_with_404(client, directory):
    assert client.get("/initiatives/export.xlsx").status_code == 404


def test_it_exports_an_initiative_s_facts(client, directory):
    (row,) = json_rows(client, "/initiatives/export.json?tag=petition")
    assert row["slug"] == "eu-health-petition"
    assert row["url"] == "http://testserver/initiatives/eu-health-petition/"
    assert row["countries"] == ["be"]
    assert row["sectors"] == ["legal"]
    assert row["facilitator"] == "the-good-lobby"
    assert row["crisis"] == "covid-19"
    assert row["kind"] == "advocacy-campaign"
    assert row["started_on"] == "2020-03-28"
    assert row["ended_on"] == "2020-04-30"
    assert row["tags"] == ["petition"]


def test_it_exports_lists_in_one_csv_cell(client, directory):
    (row,) = csv_rows(client, "/initiatives/export.csv?tag=volunteering")
    assert row["slug"] == "reserve-civique"
    assert row["partners"] == "the-good-lobby"
    assert row["tags"] == "remote|volunteering"


@pytest.fixture
def formulas(directory):
    return make_initiative(
        '=HYPERLINK("https://evil.example","Click")',
        "formulas",
        summary="+44 20 7946 0000 is the number to call",
        other_organisations="-1+1",
        tags=["@everyone"],
        countries=["LU"],
    )


def test_it_neutralises_csv_cells_that_a_spreadsheet_would_run(client, formulas):
    (row,) = csv_rows(client, "/initiatives/export.csv?country=lu")
    assert row["title"] == '\'=HYPERLINK("https://evil.example","Click")'
    assert row["summary"] == "'+44 20 7946 0000 is the number to call"
    assert row["other_organisations"] == "'-1+1"
    assert row["tags"] == "'@everyone"
    # Cells that do not start with a formula character stay as they are.
    assert row["slug"] == "formulas"
    assert row["countries"] == "lu"


def test_it_keeps_the_json_export_unchanged_by_csv_neutralising(client, formulas):
    (row,) = json_rows(client, "/initiatives/export.json?country=lu")
    assert row["title"] == '=HYPERLINK("https://evil.example","Click")'
    assert row["other_organisations"] == "-1+1"
    assert row["tags"] == ["@everyone"]


# Drafts


@pytest.mark.parametrize(
    "query", ["", "?sector=legal", "?facilitator=the-good-lobby&crisis=covid-19", "?q=secret"]
)
def test_it_never_gives_a_draft(client, directory, query):
    assert "secret-draft" not in feed_slugs(feed(client, "/initiatives/feed/" + query))
    assert "secret-draft" not in [
        r["slug"] for r in csv_rows(client, "/initiatives/export.csv" + query)
    ]
    assert "secret-draft" not in [
        r["slug"] for r in json_rows(client, "/initiatives/export.json" + query)
    ]
