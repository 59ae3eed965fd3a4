"""/facilitators/: one compact row per facilitator, filtered by country, network and name."""

import html
import re

import pytest

from networks.models import Facilitator, Membership, Network
from tests.conftest import body_text

pytestmark = pytest.mark.django_db


def rows(response):
    """{slug: the row's cells as text} in the table's order."""
    found = {}
    for slug, row in re.findall(
        r'<tr>\s*<th scope="row"><a href="[^"]*/facilitators/([\w-]+)/">(.*?)</tr>',
        body_text(response),
        re.S,
    ):
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.split(r"</t[hd]>", row)
        ]
        found[slug] = [html.unescape(cell) for cell in cells if cell]
    return found


def options(response, name):
    """The options of a filter's menu: (value, label with its count, selected)."""
    menu = re.search(
        rf'<select id="facilitator-{name}" name="{name}">(.*?)</select>', body_text(response), re.S
    )[1]
    return [
        (value, html.unescape(label), bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', menu
        )
    ]


def notices(response):
    return [
        html.unescape(notice)
        for notice in re.findall(
            r'<div class="notice" role="status">.*?<ul><li>(.*?)</li></ul>',
            body_text(response),
            re.S,
        )
    ]


def test_it_shows_each_facilitator_as_one_row_with_its_counts(client, directory):
    directory.lab.is_active = False
    directory.lab.closed_year = 2025
    directory.lab.acronym = "PBL"
    directory.lab.save()
    found = rows(client.get("/facilitators/"))
    assert list(found) == ["pro-bono-lab", "taproot", "the-good-lobby"]
    # Name and acronym, countries, networks, published initiatives led or partnered, status:
    # the draft The Good Lobby leads is not counted.
    assert found["the-good-lobby"] == [
        "The Good Lobby",
        "Belgium, Italy",
        "Global Pro Bono Network",
        "2",
        "Active",
    ]
    # A closed organisation is a former member.
    assert found["pro-bono-lab"] == [
        "Pro Bono Lab PBL",
        "–",
        "Global Pro Bono Network (member until 2025)",
        "2",
        "Closed",
    ]
    assert found["taproot"][2:] == ["European Pro Bono Alliance", "1", "Active"]


def test_it_lists_the_seed_contents_facilitators_on_one_page_in_dictionary_order(client, directory):
    for name, slug in [
        ("Önkéntes Központ", "onkentes"),
        ("iVolunteer", "ivolunteer"),
        ("Atados", "atados"),
    ]:
        Facilitator.objects.create(name=name, slug=slug)
    for number in range(24):
        Facilitator.objects.create(name=f"Zeta {number:02}", slug=f"zeta-{number}")
    response = client.get("/facilitators/")
    slugs = list(rows(response))
    assert len(slugs) == 30
    assert slugs[:5] == ["atados", "ivolunteer", "onkentes", "pro-bono-lab", "taproot"]
    assert 'class="pagination"' not in body_text(response)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("?country=be", ["the-good-lobby"]),
        ("?network=european-pro-bono-alliance", ["taproot"]),
        ("?network=global-pro-bono-network", ["pro-bono-lab", "the-good-lobby"]),
        ("?q=lobby", ["the-good-lobby"]),
        ("?q=PBL", ["pro-bono-lab"]),
        ("?country=it&network=global-pro-bono-network&q=good", ["the-good-lobby"]),
        ("?country=us", []),
    ],
)
def test_it_filters_by_country_network_and_name(client, directory, query, shown):
    directory.lab.acronym = "PBL"
    directory.lab.save()
    response = client.get(f"/facilitators/{query}")
    assert response.status_code == 200
    assert list(rows(response)) == shown
    if not shown:
        assert "No facilitator matches these filters." in body_text(response)


def test_it_counts_beside_each_option_what_choosing_it_would_list(client, directory):
    response = client.get("/facilitators/?network=global-pro-bono-network")
    # Countries counted among the network's members; networks counted among everyone.
    assert options(response, "country") == [
        ("", "All countries", False),
        ("be", "Belgium (1)", False),
        ("it", "Italy (1)", False),
    ]
    assert options(response, "network") == [
        ("", "All networks", False),
        ("european-pro-bono-alliance", "European Pro Bono Alliance (1)", False),
        ("global-pro-bono-network", "Global Pro Bono Network (2)", True),
    ]
    response = client.get("/facilitators/?country=be")
    assert ("european-pro-bono-alliance", "European Pro Bono Alliance (0)", False) in options(
        response, "network"
    )


@pytest.mark.parametrize(
    ("query", "shown", "notice"),
    [
        ("?country=zz", 3, "Ignored country “zz”, which the directory does not know."),
        ("?country=belgium", 3, "Ignored country “belgium”, which the directory does not know."),
        (
            "?network=no-such-network",
            3,
            "Ignored network “no-such-network”, which the directory does not know.",
        ),
        ("?network=%00", 3, "Ignored network “”, which the directory does not know."),
        (
            "?network=<script>&country=be",
            1,
            "Ignored network “<script>”, which the directory does not know.",
        ),
        ("?q=" + "x" * 101, 3, "Ignored q “" + "x" * 40 + "”, which is not valid."),
        ("?q=lobby%00", 3, "Ignored q “lobby”, which is not valid."),
    ],
)
def test_it_ignores_what_it_does_not_know_and_says_so(client, directory, query, shown, notice):
    response = client.get(f"/facilitators/{query}")
    assert response.status_code == 200
    assert len(rows(response)) == shown
    assert notices(response) == [notice]


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("?country=BE", "?country=be"),
        ("?q=&country=&network=", ""),
        (
            "?network=global-pro-bono-network&country=it",
            "?country=it&network=global-pro-bono-network",
        ),
        ("?page=1&q=lobby", "?q=lobby"),
        ("?page=9", ""),
        ("?page=last", ""),
    ],
)
def test_it_sends_another_spelling_of_the_same_filters_to_one_address(
    client, directory, query, canonical
):
    response = client.get(f"/facilitators/{query}")
    assert response.status_code == 301
    assert response["Location"] == f"/facilitators/{canonical}"


def test_a_filtered_view_is_canonical_and_shareable_in_both_languages(client, directory):
    content = body_text(
        client.get("/facilitators/?country=it&network=global-pro-bono-network&utm_source=chat")
    )
    assert (
        '<link rel="canonical" href="http://testserver/facilitators/?country=it&amp;network=global-pro-bono-network">'
        in content
    )
    assert "<h1>Facilitators</h1>" in content
    assert (
        'hreflang="fr" href="http://testserver/fr/facilitators/?country=it&amp;network=global-pro-bono-network"'
        in content
    )


def test_it_speaks_french_under_fr(client, directory):
    response = client.get("/fr/facilitators/?country=be&network=nope")
    content = body_text(response)
    assert list(rows(response)) == ["the-good-lobby"]
    assert ("be", "Belgique (1)", True) in options(response, "country")
    assert ("it", "Italie (1)", False) in options(response, "country")
    assert rows(response)["the-good-lobby"][1] == "Belgique, Italie"
    assert notices(response) == [
        "Valeur «\u00a0nope\u00a0» de network ignorée\u00a0: l’annuaire ne la connaît pas."
    ]
    assert "Tous les pays" in content


def test_it_pages_past_fifty_facilitators_and_names_the_page_in_its_canonical_address(client, db):
    network = Network.objects.create(name="Network", slug="network")
    for number in range(55):
        facilitator = Facilitator.objects.create(
            name=f"Facilitator {number:02}", slug=f"f-{number}"
        )
        Membership.objects.create(facilitator=facilitator, network=network)
    response = client.get("/facilitators/?network=network&page=2")
    assert len(rows(response)) == 5
    content = body_text(response)
    assert (
        '<link rel="canonical" href="http://testserver/facilitators/?network=network&amp;page=2">'
        in content
    )
    assert 'href="/facilitators/?network=network"' in content  # page 1 keeps the filter
