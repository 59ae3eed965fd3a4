"""One URL per view: canonical redirects, what the head says, chips, sitemap and JSON-LD."""

import html
import json
import re

import pytest

from initiatives import sitemaps
from initiatives.models import Initiative
from networks.models import Facilitator, Membership
from tests.conftest import notices, shown_slugs, sitemap_pages, sitemap_text
from tests.directory import make_initiative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory_built_once")]

SITE = " · Pro Bono Directory"


def first(pattern, response):
    match = re.search(pattern, response.content.decode(), re.S)
    return html.unescape(match[1]) if match else None


def title(response):
    return first(r"<title>(.*?)</title>", response)


def h1(response):
    return first(r"<h1>(.*?)</h1>", response)


def meta(response, name):
    return first(rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)">', response)


def canonical(response):
    return first(r'<link rel="canonical" href="([^"]*)">', response)


def noindex(response):
    return '<meta name="robots" content="noindex">' in response.content.decode()


def chips(response):
    """(label, remove link, aria-label) of each active filter."""
    found = re.findall(
        r'<a class="chip chip--remove" href="([^"]*)" aria-label="([^"]*)">(.*?) <span',
        response.content.decode(),
    )
    return [
        (html.unescape(label), html.unescape(href), html.unescape(aria))
        for href, aria, label in found
    ]


def clear_all(response):
    return first(r'<a class="chip-clear" href="([^"]*)">Clear all</a>', response)


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


# Canonical redirects

REDIRECTS = [
    # parameters in canonical order
    ("/initiatives/?sector=legal&country=be", "/initiatives/?country=be&sector=legal"),
    ("/initiatives/?q=nurses&crisis=covid-19", "/initiatives/?crisis=covid-19&q=nurses"),
    ("/initiatives/?page=2&sort=title&country=be", "/initiatives/?country=be&sort=title&page=2"),
    # values sorted
    ("/initiatives/?country=fr&country=be", "/initiatives/?country=be&country=fr"),
    ("/initiatives/?year=2022&year=2020", "/initiatives/?year=2020&year=2022"),
    # case
    ("/initiatives/?country=BE", "/initiatives/?country=be"),
    ("/initiatives/?sector=Legal&kind=Hackathon", "/initiatives/?sector=legal&kind=hackathon"),
    ("/initiatives/?sort=TITLE", "/initiatives/?sort=title"),
    # duplicates
    ("/initiatives/?country=be&country=be", "/initiatives/?country=be"),
    ("/initiatives/?country=be&country=BE", "/initiatives/?country=be"),
    # empty parameters
    ("/initiatives/?country=&sector=legal&q=", "/initiatives/?sector=legal"),
    ("/initiatives/?q=&sort=&page=", "/initiatives/"),
    ("/initiatives/?q=++nurses++", "/initiatives/?q=nurses"),
    # default sort
    ("/initiatives/?sort=newest", "/initiatives/"),
    ("/initiatives/?country=be&sort=newest", "/initiatives/?country=be"),
    ("/initiatives/?q=nurses&sort=relevance", "/initiatives/?q=nurses"),
    ("/initiatives/?sort=relevance", "/initiatives/"),
    # page 1
    ("/initiatives/?page=1", "/initiatives/"),
    ("/initiatives/?country=be&page=1", "/initiatives/?country=be"),
    # a space spelled %20 rather than +
    ("/initiatives/?q=nurses%20developers", "/initiatives/?q=nurses+developers"),
    # scoped pages
    ("/countries/be/?sort=newest&crisis=covid-19", "/countries/be/?crisis=covid-19"),
    ("/sectors/legal/?country=PL&page=1", "/sectors/legal/?country=pl"),
    (
        "/networks/european-pro-bono-alliance/?status=completed&country=be",
        "/networks/european-pro-bono-alliance/?country=be&status=completed",
    ),
    (
        "/facilitators/the-good-lobby/?year=2020&year=2020",
        "/facilitators/the-good-lobby/?year=2020",
    ),
]


def test_it_does_not_redirect_a_url_with_an_ignored_part(client, directory):
    # Redirecting would hide the notice; the canonical link names the valid part instead.
    response = client.get("/initiatives/?sector=legal&country=BE&colour=blue")
    assert response.status_code == 200
    assert notices(response) == ["Ignored the unknown parameter “colour”."]
    assert canonical(response) == "http://testserver/initiatives/?country=be&sector=legal"
    assert set(shown_slugs(response)) == {"eu-health-petition", "refugee-help-desk"}


# rel=canonical and noindex


def test_it_names_the_canonical_url_of_the_unfiltered_list(client, directory):
    response = client.get("/initiatives/")
    assert canonical(response) == "http://testserver/initiatives/"
    assert meta(response, "og:url") == "http://testserver/initiatives/"
    assert not noindex(response)


def test_it_lets_search_engines_index_a_filtered_view(client, directory):
    response = client.get("/initiatives/?country=be&sector=legal")
    assert canonical(response) == "http://testserver/initiatives/?country=be&sector=legal"
    assert not noindex(response)


def test_it_asks_search_engines_not_to_index_a_search(client, directory):
    response = client.get("/initiatives/?q=nurses")
    assert canonical(response) == "http://testserver/initiatives/?q=nurses"
    assert noindex(response)


def test_it_asks_search_engines_not_to_index_a_link_with_ignored_parts(client, directory):
    assert noindex(client.get("/initiatives/?sector=no-such-sector"))


def test_it_names_the_canonical_url_of_a_scoped_page(client, directory):
    response = client.get("/countries/be/?crisis=covid-19")
    assert canonical(response) == "http://testserver/countries/be/?crisis=covid-19"
    assert not noindex(response)


# What the page says it shows


@pytest.mark.parametrize(
    ("url", "sentence", "page_title"),
    [
        ("/initiatives/", "5 initiatives", "Initiatives"),
        (
            "/initiatives/?country=be&sector=legal&crisis=covid-19",
            "1 legal initiative in Belgium (Covid-19 pandemic)",
            "Legal initiatives in Belgium (Covid-19 pandemic)",
        ),
        (
            "/initiatives/?country=be&country=pl&sector=legal",
            "3 legal initiatives in Belgium or Poland",
            "Legal initiatives in Belgium or Poland",
        ),
        (
            "/initiatives/?facilitator=the-good-lobby&status=ongoing",
            "1 initiative (ongoing) run by The Good Lobby",
            "Initiatives (ongoing) run by The Good Lobby",
        ),
        (
            "/initiatives/?tag=remote&year=2021",
            "2 initiatives tagged “remote”, active in 2021",
            "Initiatives tagged “remote”, active in 2021",
        ),
        (
            "/initiatives/?kind=hackathon&q=developers",
            "1 initiative (hackathon) matching “developers”",
            "Initiatives (hackathon) matching “developers”",
        ),
        (
            "/countries/be/?crisis=war-in-ukraine",
            "1 initiative in Belgium (War in Ukraine)",
            "Initiatives in Belgium (War in Ukraine)",
        ),
        (
            "/sectors/legal/?country=pl",
            "2 legal initiatives in Poland",
            "Legal initiatives in Poland",
        ),
    ],
)
def test_it_describes_the_filters_in_h1_title_and_social_tags(
    client, directory, url, sentence, page_title
):
    response = client.get(url)
    assert h1(response) == sentence
    assert title(response) == page_title + SITE
    assert meta(response, "og:title") == page_title + SITE
    assert meta(response, "twitter:title") == page_title
    assert meta(response, "og:description") == sentence
    assert meta(response, "twitter:description") == sentence


def test_it_describes_the_filters_in_the_meta_description(client, directory):
    response = client.get("/initiatives/?country=be&sector=legal")
    assert meta(response, "description") == (
        "2 legal initiatives in Belgium: who gave their professional skills for free, where, "
        "and how."
    )


def test_it_escapes_a_search_in_the_title(client, directory):
    response = client.get("/initiatives/?q=%3Cb%3Ebold%3C%2Fb%3E")
    assert "<b>bold</b>" not in response.content.decode()
    assert title(response) == "Initiatives matching “<b>bold</b>”" + SITE


def test_it_says_one_initiative_in_the_singular(client, directory):
    assert h1(client.get("/initiatives/?sector=health")) == "1 mental health initiative"


# Chips


def test_it_shows_a_chip_per_active_filter_that_removes_it(client, directory):
    response = client.get("/initiatives/?country=be&country=pl&sector=legal&sort=title")
    assert chips(response) == [
        ("Belgium", "/initiatives/?country=pl&sector=legal&sort=title", "Remove filter: Belgium"),
        ("Poland", "/initiatives/?country=be&sector=legal&sort=title", "Remove filter: Poland"),
        ("Legal", "/initiatives/?country=be&country=pl&sort=title", "Remove filter: Legal"),
    ]


def test_it_shows_a_chip_for_the_search(client, directory):
    response = client.get("/initiatives/?crisis=covid-19&q=nurses")
    assert chips(response) == [
        ("Covid-19 pandemic", "/initiatives/?q=nurses", "Remove filter: Covid-19 pandemic"),
        ("“nurses”", "/initiatives/?crisis=covid-19", "Remove filter: “nurses”"),
    ]


def test_it_keeps_a_chosen_sort_when_the_search_is_removed(client, directory):
    response = client.get("/initiatives/?q=nurses&sort=oldest")
    assert chips(response) == [("“nurses”", "/initiatives/?sort=oldest", "Remove filter: “nurses”")]


def test_it_labels_chips_of_every_kind_of_filter(client, directory):
    url = (
        "/initiatives/?network=global-pro-bono-network&facilitator=pro-bono-lab"
        "&tag=remote&kind=skills-based-volunteering&status=ongoing&year=2024"
    )
    labels = [label for label, href, aria in chips(client.get(url))]
    assert labels == [
        "Global Pro Bono Network",
        "Pro Bono Lab",
        "remote",
        "Skills-based volunteering",
        "Ongoing",
        "2024",
    ]


def test_it_follows_a_chip_to_the_view_without_that_filter(client, directory):
    response = client.get("/initiatives/?country=us&sector=legal")
    assert shown_slugs(response) == []
    without_sector = {label: href for label, href, aria in chips(response)}["Legal"]
    assert shown_slugs(client.get(without_sector)) == ["nurses-helpline"]


def test_it_clears_all_filters(client, directory):
    response = client.get("/initiatives/?country=be&sector=legal&q=petition&sort=title")
    assert clear_all(response) == "/initiatives/"


def test_it_shows_no_chips_without_filters(client, directory):
    response = client.get("/initiatives/?sort=title")
    assert chips(response) == []
    assert clear_all(response) is None


def test_it_shows_no_chip_for_the_dimension_of_a_scoped_page(client, directory):
    response = client.get("/countries/be/?sector=legal")
    assert chips(response) == [("Legal", "/countries/be/", "Remove filter: Legal")]
    assert clear_all(response) == "/countries/be/"


# At most 20 values per filter


def test_it_keeps_twenty_values_of_a_filter(client, directory):
    years = "&".join(f"year={year}" for year in range(2001, 2021))
    response = client.get("/initiatives/?" + years)
    assert response.status_code == 200
    assert notices(response) == []
    assert len(chips(response)) == 20


def test_it_ignores_values_past_the_twentieth_and_says_so(client, directory):
    years = "&".join(f"year={year}" for year in range(2001, 2022))
    response = client.get("/initiatives/?" + years)
    assert response.status_code == 200
    assert notices(response) == ["Kept the first 20 values of “year” and ignored the rest."]
    assert len(chips(response)) == 20
    kept = "&".join(f"year={year}" for year in range(2001, 2021))
    assert canonical(response) == "http://testserver/initiatives/?" + kept
    # 2001-2020 are kept: the helpline, which started in 2021, is not shown.
    assert set(shown_slugs(response)) == {"eu-health-petition", "reserve-civique"}


# Sitemap and robots.txt


def test_it_lists_scoped_pages_in_the_sitemap(client, directory):
    assert client.get("/sitemap.xml").status_code == 200
    locations = set(re.findall(r"<loc>(.*?)</loc>", sitemap_text(client)))
    expected = {
        "http://testserver/initiatives/",
        "http://testserver/countries/be/",
        "http://testserver/countries/fr/",
        "http://testserver/countries/pl/",
        "http://testserver/countries/us/",
        # The Good Lobby works in Italy, though no initiative is there.
        "http://testserver/countries/it/",
        "http://testserver/sectors/legal/",
        "http://testserver/sectors/health/",
        "http://testserver/sectors/tech/",
        "http://testserver/networks/global-pro-bono-network/",
        "http://testserver/networks/european-pro-bono-alliance/",
        "http://testserver/facilitators/the-good-lobby/",
        "http://testserver/facilitators/pro-bono-lab/",
        "http://testserver/facilitators/taproot/",
        "http://testserver/initiatives/eu-health-petition/",
    }
    assert expected <= locations


def test_it_leaves_drafts_and_their_countries_out_of_the_sitemap(client, directory):
    content = sitemap_text(client)
    assert "/initiatives/secret-draft/" not in content
    assert "/countries/pt/" not in content


def test_it_names_the_sitemap_in_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode().splitlines()


def test_robots_txt_does_not_give_away_the_admins_address(client, db, settings):
    settings.ADMIN_PATH = "editors-7f3a/"
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Disallow:"]
    assert not any("editors-7f3a" in line or "admin" in line for line in lines)


# JSON-LD


def test_it_describes_an_initiative_as_a_project_run_by_its_facilitator(client, directory):
    data = json_ld(client.get("/initiatives/eu-health-petition/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Project"
    assert data["name"] == "Petition to the EU health ministers"
    assert data["url"] == "http://testserver/initiatives/eu-health-petition/"
    assert data["parentOrganization"] == {
        "@type": "NGO",
        "name": "The Good Lobby",
        "url": "http://testserver/facilitators/the-good-lobby/",
    }
    # Project is an Organization: no startDate, endDate, organizer or citation.
    assert data["foundingDate"] == "2020-03-28"
    assert data["dissolutionDate"] == "2020-04-30"
    # A source without a title is named by its site.
    assert data["subjectOf"] == [
        {"@type": "CreativeWork", "name": "example.org", "url": "https://example.org/source"}
    ]
    assert "interactionStatistic" not in data  # no participants figure
    assert data["keywords"] == ["Legal", "Advocacy campaign", "petition"]
    assert not {"startDate", "endDate", "organizer", "citation"} & data.keys()


def test_it_describes_a_network_run_initiative_as_run_by_the_network(client, directory):
    data = json_ld(client.get("/initiatives/refugee-help-desk/"))
    assert data["@type"] == "Project"
    assert data["parentOrganization"] == {
        "@type": "Organization",
        "name": "European Pro Bono Alliance",
        "url": "http://testserver/networks/european-pro-bono-alliance/",
    }


def test_it_gives_a_closed_facilitator_its_dissolution_date(client, directory):
    Facilitator.objects.filter(pk=directory.lab.pk).update(
        is_active=False, founded_year=2014, closed_year=2025
    )
    data = json_ld(client.get("/facilitators/pro-bono-lab/"))
    assert (data["foundingDate"], data["dissolutionDate"]) == ("2014", "2025")


def test_it_describes_a_facilitator_as_an_ngo_member_of_its_networks(client, directory):
    Membership.objects.create(facilitator=directory.good_lobby, network=directory.european)
    data = json_ld(client.get("/facilitators/the-good-lobby/"))
    assert data["@type"] == "NGO"
    assert data["name"] == "The Good Lobby"
    assert data["url"] == "http://testserver/facilitators/the-good-lobby/"
    # Each membership an OrganizationRole around the network, with the years that are known.
    assert data["memberOf"] == [
        {
            "@type": "OrganizationRole",
            "memberOf": {
                "@type": "Organization",
                "name": "European Pro Bono Alliance",
                "url": "http://testserver/networks/european-pro-bono-alliance/",
            },
        },
        {
            "@type": "OrganizationRole",
            "memberOf": {
                "@type": "Organization",
                "name": "Global Pro Bono Network",
                "url": "http://testserver/networks/global-pro-bono-network/",
            },
            "startDate": "2018",
        },
    ]


def test_it_escapes_a_closing_script_tag_in_json_ld(client, directory):
    title = 'Break out </script><script>alert("x")</script> & stay'
    make_initiative(title, "break-out")
    response = client.get("/initiatives/break-out/")
    content = response.content.decode()
    assert '<script>alert("x")' not in content
    assert json_ld(response)["name"] == title


def test_the_sitemap_is_an_index_of_sections_in_pages(client, directory, monkeypatch):
    # Four addresses a page: two initiatives, each in English and in French.
    monkeypatch.setattr(sitemaps.BilingualSitemap, "limit", 4)
    published = Initiative.objects.published().count()
    pages = [page for page in sitemap_pages(client) if "initiatives" in page]
    assert len(pages) == -(-published // 2)
    assert pages[1] == "/sitemap-initiatives.xml?p=2"
    listed = re.findall(r"<loc>(.*?)</loc>", "".join(client.get(p).content.decode() for p in pages))
    # Each initiative in English and in French.
    assert len({url for url in listed if "/initiatives/" in url}) == 2 * published
    assert client.get(f"/sitemap-initiatives.xml?p={len(pages) + 1}").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-initiatives.xml?p=abc").status_code == 404


@pytest.mark.usefixtures("clinics_built_once")
class TestOverTwoPages:
    """With 25 more Belgian initiatives (`clinics`): the lists run over two pages."""

    @pytest.mark.parametrize(("url", "location"), REDIRECTS)
    def test_it_redirects_another_spelling_to_the_canonical_url(
        self, client, clinics, url, location
    ):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == location

    @pytest.mark.parametrize("location", [location for url, location in REDIRECTS])
    def test_it_serves_the_canonical_url_without_redirecting(self, client, clinics, location):
        response = client.get(location)
        assert response.status_code == 200
        assert canonical(response) == "http://testserver" + location

    def test_it_asks_search_engines_not_to_index_pages_after_the_first(self, client, clinics):
        response = client.get("/initiatives/?page=2")
        assert canonical(response) == "http://testserver/initiatives/?page=2"
        assert noindex(response)

    def test_it_brings_a_removed_filter_back_to_the_first_page(self, client, clinics):
        response = client.get("/initiatives/?country=be&q=clinic&page=2")
        assert [href for label, href, aria in chips(response)] == [
            "/initiatives/?q=clinic",
            "/initiatives/?country=be",
        ]
