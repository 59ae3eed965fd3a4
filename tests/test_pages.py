import datetime
import html
import re

import pytest
from django.urls import reverse

from initiatives.models import Initiative
from networks.models import Facilitator, Membership
from tests.conftest import shown_slugs
from tests.directory import make_initiative

pytestmark = pytest.mark.django_db


def h1s(response):
    return re.findall(r"<h1[ >]", response.content.decode())


def test_it_shows_the_home_page_with_counts_and_latest_initiatives(client, petition, draft):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["counts"] == {"initiatives": 1, "facilitators": 1, "countries": 1}
    assert response.context["recent_work"] == [petition]
    assert response.context["recently_added"] == [petition]
    assert b"Petition to the EU health ministers" in response.content
    assert b'href="/countries/be/"' in response.content
    assert b'href="/sectors/legal/"' in response.content
    assert b'href="/networks/global-pro-bono-network/"' in response.content


def test_the_home_page_shows_recent_work_apart_from_what_was_added_recently(client, directory):
    # Added last, but the oldest work of all.
    make_initiative("Pro bono summit", "summit-2013", started_on=datetime.date(2013, 5, 1))
    content = client.get("/").content.decode()
    recent_work, recently_added = (
        re.findall(r'card__title"><a href="/initiatives/([\w-]+)/"', section)
        for section in content.split('<section aria-labelledby="recent')[1:3]
    )
    assert recent_work == [
        "ukraine-hackathon",
        "refugee-help-desk",
        "nurses-helpline",
        "eu-health-petition",
        "reserve-civique",
        "summit-2013",
    ]
    assert recently_added[0] == "summit-2013"
    assert sorted(recently_added) == sorted(recent_work)


def test_the_home_page_s_search_leads_to_the_ranked_list(client, directory):
    content = client.get("/").content.decode()
    form = re.search(r'<form class="search" role="search" method="get" action="([^"]+)">', content)
    assert form[1] == "/initiatives/"
    assert '<input type="search" id="home-q" name="q"' in content
    response = client.get(form[1], {"q": "nurses"})
    assert response.status_code == 200  # the canonical address, ranked by relevance
    assert response.context["finder"].query.sort == "relevance"


def test_it_lists_published_initiatives_only(client, petition, draft):
    response = client.get("/initiatives/")
    assert list(response.context["page"]) == [petition]
    assert b"1 initiative" in response.content
    assert b"Secret draft" not in response.content


def test_it_shows_an_initiative_with_its_facts(client, petition):
    response = client.get("/initiatives/eu-health-petition/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Petition to the EU health ministers" in content
    assert 'href="/facilitators/the-good-lobby/"' in content
    assert 'href="/countries/be/"' in content
    assert "Covid-19 pandemic" in content
    assert "28 March 2020 – 30 April 2020" in content
    assert "https://example.org/source" in content


def test_it_shows_an_initiatives_partners_and_tags_in_alphabetical_order(client, petition):
    petition.partners.add(
        Facilitator.objects.create(name="PILnet", slug="pilnet"),
        Facilitator.objects.create(name="Empact", slug="empact"),
    )
    petition.tags.add("health", "Advocacy")
    content = client.get("/initiatives/eu-health-petition/").content.decode()
    partners = (
        '<a href="/facilitators/empact/">Empact</a>, <a href="/facilitators/pilnet/">PILnet</a>'
    )
    assert f"<dt>With</dt><dd>{partners}</dd>" in content
    chips = re.findall(r'<li><a class="chip" href="[^"]*">([^<]*)</a></li>', content)
    assert chips == ["Advocacy", "health", "petition"]
    # Sector and kind first, then the tags in the same order.
    assert '"keywords": ["Legal", "Advocacy campaign", "Advocacy", "health", "petition"]' in content


def test_an_initiative_s_kind_crisis_and_tags_lead_to_the_lists_they_filter(client, directory):
    expected = {
        "/initiatives/?kind=hackathon": {"ukraine-hackathon"},
        "/initiatives/?crisis=war-in-ukraine": {"ukraine-hackathon", "refugee-help-desk"},
        "/initiatives/?tag=hackathon": {"ukraine-hackathon"},
    }
    for language in ["", "/fr"]:
        page = client.get(f"{language}/initiatives/ukraine-hackathon/").content.decode()
        for link in expected:
            assert f'href="{html.escape(language + link)}"' in page, (language, link)
    for link, slugs in expected.items():
        response = client.get(link)
        assert response.status_code == 200, link  # the canonical address: no redirect
        assert set(shown_slugs(response)) == slugs, link


def test_a_network_lists_its_members_in_dictionary_order_with_their_countries(
    client, facilitator, network
):
    for name, slug, countries in [
        ("Önkéntes Központ", "onkentes", ["HU"]),
        ("iVolunteer", "ivolunteer", ["IN"]),
        ("Empact", "empact", ["SG", "MY"]),
    ]:
        member = Facilitator.objects.create(name=name, slug=slug)
        member.countries.set(countries)
        Membership.objects.create(facilitator=member, network=network)
    for language, belgium, malaysia, singapore in [
        ("", "Belgium", "Malaysia", "Singapore"),
        ("/fr", "Belgique", "Malaisie", "Singapour"),
    ]:
        content = client.get(f"{language}/networks/global-pro-bono-network/").content.decode()
        members = re.findall(r'<li><a href="[^"]*/facilitators/([\w-]+)/">', content)
        assert members == ["empact", "ivolunteer", "onkentes", "the-good-lobby"], language
        assert f'Empact</a> <span class="count">{malaysia}, {singapore}</span>' in content
        assert f'The Good Lobby</a> <span class="count">{belgium}, ' in content


def test_an_initiative_suggests_related_work_same_lead_first(client, directory):
    # The hackathon: Pro Bono Lab, legal and civic tech, France and Poland.
    page = client.get("/initiatives/ukraine-hackathon/").content.decode()
    related = page.split('aria-labelledby="related"')[1]
    slugs = re.findall(r'card__title"><a href="/initiatives/([\w-]+)/"', related)
    # Pro Bono Lab's other work, then a shared sector (the newest first), never a draft.
    assert slugs == ["reserve-civique", "refugee-help-desk", "eu-health-petition"]


def test_an_initiative_with_nothing_in_common_suggests_nothing(client, directory):
    page = client.get("/initiatives/nurses-helpline/").content.decode()
    assert 'aria-labelledby="related"' not in page


@pytest.mark.parametrize("language", ["", "/fr"])
def test_every_index_page_has_its_own_description_canonical_and_preview(
    client, directory, language
):
    def meta(content, attribute, name):
        found = re.findall(rf'<meta {attribute}="{name}" content="([^"]*)">', content)
        assert len(found) == 1, name
        return html.unescape(found[0])

    descriptions = set()
    for path in ["/", "/countries/", "/sectors/", "/networks/", "/facilitators/"]:
        url = language + path
        content = client.get(url + "?utm_source=chat").content.decode()
        assert f'<link rel="canonical" href="http://testserver{url}">' in content, url
        assert meta(content, "property", "og:url") == f"http://testserver{url}"
        description = meta(content, "name", "description")
        assert meta(content, "property", "og:description") == description
        assert meta(content, "name", "twitter:description") == description
        title = html.unescape(re.search(r"<title>(.*) · ", content)[1])
        assert meta(content, "name", "twitter:title") == title
        assert f"<h1>{html.escape(title)}</h1>" in content, url
        descriptions.add(description)
    assert len(descriptions) == 5


def test_the_facilitators_index_names_its_page_in_its_canonical_address(client, db):
    for number in range(55):
        Facilitator.objects.create(name=f"Facilitator {number:02}", slug=f"f-{number}")
    content = client.get("/facilitators/?page=2").content.decode()
    assert '<link rel="canonical" href="http://testserver/facilitators/?page=2">' in content


def test_it_hides_a_draft_initiative(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_it_lists_countries_with_published_initiatives_or_facilitators(client, petition, draft):
    response = client.get("/countries/")
    counts = {
        country.code: (country.initiative_count, country.facilitator_count)
        for country in response.context["countries"]
    }
    # Belgium: the petition and The Good Lobby; Italy: The Good Lobby works there too.
    # Portugal has only a draft, so it is not listed.
    assert counts == {"BE": (1, 1), "IT": (0, 1)}


def test_it_shows_a_country_with_its_initiatives_and_facilitators(client, petition):
    response = client.get("/countries/be/")
    assert response.status_code == 200
    assert list(response.context["page"]) == [petition]
    assert list(response.context["facilitators"]) == [petition.facilitator]
    assert b"Pro bono in Belgium" in response.content


def test_it_shows_a_country_without_initiatives_as_empty_not_missing(client, db):
    response = client.get("/countries/pt/")
    assert response.status_code == 200
    assert b"No published initiative here yet." in response.content


def test_it_redirects_an_upper_case_country_code_permanently(client, db):
    response = client.get("/countries/PT/")
    assert response.status_code == 301
    assert response["Location"] == "/countries/pt/"


@pytest.mark.parametrize("code", ["xx", "XX", "prt", "portugal", "p"])
def test_it_answers_404_for_an_unknown_country_code(client, db, code):
    assert client.get(f"/countries/{code}/").status_code == 404


def test_it_lists_sectors_with_counts_of_published_initiatives(client, petition, draft):
    response = client.get("/sectors/")
    assert [(s.slug, s.initiative_count) for s in response.context["sectors"]] == [("legal", 1)]


def test_it_shows_a_sector_with_its_initiatives(client, petition, draft):
    response = client.get("/sectors/legal/")
    assert list(response.context["page"]) == [petition]


def test_it_shows_a_network_with_members_countries_and_initiatives(client, petition):
    response = client.get("/networks/global-pro-bono-network/")
    assert response.status_code == 200
    assert [m.facilitator.slug for m in response.context["members"]] == ["the-good-lobby"]
    assert [c.code for c in response.context["countries"]] == ["BE", "IT"]
    assert list(response.context["page"]) == [petition]
    assert b"since 2018" in response.content


def test_it_shows_a_facilitator_with_its_initiatives(client, petition, draft):
    response = client.get("/facilitators/the-good-lobby/")
    assert response.status_code == 200
    assert list(response.context["page"]) == [petition]
    assert b"Brussels" in response.content


def test_it_says_when_a_facilitator_has_closed(client, facilitator):
    facilitator.is_active = False
    facilitator.closed_year = 2025
    facilitator.save()
    response = client.get(facilitator.get_absolute_url())
    assert b"This organisation closed in 2025" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/initiatives/no-such-initiative/",
        "/sectors/no-such-sector/",
        "/networks/no-such-network/",
        "/facilitators/no-such-facilitator/",
        "/no-such-page/",
    ],
)
def test_it_answers_a_stale_link_with_a_helpful_404_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'href="/initiatives/"' in response.content


def test_it_lists_a_network_run_initiative_on_the_network_page(client, network, petition):
    statement = Initiative.objects.create(
        title="Joint statement",
        slug="joint-statement",
        summary="s",
        kind=Initiative.Kind.AWARENESS_CAMPAIGN,
        network=network,
        status=Initiative.Status.PUBLISHED,
    )
    statement.countries.set(["FR"])
    response = client.get(network.get_absolute_url())
    assert set(response.context["page"]) == {petition, statement}


def test_it_lists_an_initiative_on_its_partners_page(client, petition):
    from networks.models import Facilitator

    partner = Facilitator.objects.create(name="PILnet", slug="pilnet")
    petition.partners.add(partner)
    response = client.get(reverse("facilitator_detail", args=["pilnet"]))
    assert list(response.context["page"]) == [petition]
