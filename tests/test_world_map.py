import gzip
import html
import pathlib
import re

import pytest
from django.conf import settings
from django_countries import countries as all_countries

from networks.views import listed_countries
from networks.world_map import (
    DESKTOP,
    PHONE,
    in_europe,
    shade_of_count,
    shapes,
    tappable,
    world_map,
)
from tests.conftest import body_text
from tests.directory import make_initiative

pytestmark = pytest.mark.django_db

PAGES = ["/", "/countries/"]


def rendered_map(response):
    figure = re.search(r'<figure class="map">.*?</figure>', response.content.decode(), re.S)
    assert figure, "no map on the page"
    return figure[0]


def world_svg(response):
    return re.search(r"<svg .*?</svg>", rendered_map(response), re.S)[0]


def linked_countries(response):
    """{code: (title, shade)} for every country of the world map with initiatives."""
    links = re.findall(
        r'<a href="/countries/(\w\w)/"><title>(.*?)</title>'
        r'<path class="map__country shade-(\d)" d="[^"]+"/></a>',
        world_svg(response),
    )
    return {code: (title, int(shade)) for code, title, shade in links}


@pytest.fixture
def in_france(facilitator, legal, covid):
    for number in range(3):
        make_initiative(f"French initiative {number}", f"french-{number}", countries=["FR"])


@pytest.mark.parametrize("url", PAGES)
def test_it_links_a_country_with_a_published_initiative_to_its_page(client, petition, url):
    make_initiative("Lisbon legal clinic", "lisbon-legal-clinic", countries=["PT"])
    svg = world_svg(client.get(url))
    assert 'href="/countries/pt/"' in svg
    assert 'href="/countries/be/"' in svg


@pytest.mark.parametrize("url", PAGES)
def test_it_does_not_link_a_country_with_only_a_draft(client, petition, draft, url):
    assert set(linked_countries(client.get(url))) == {"be"}


@pytest.mark.parametrize("url", PAGES)
def test_it_titles_every_linked_country_with_its_name_and_count(client, petition, in_france, url):
    titles = {code: title for code, (title, _) in linked_countries(client.get(url)).items()}
    assert titles == {
        "be": "Belgium: 1 initiative, 1 facilitator",
        "fr": "France: 3 initiatives, 0 facilitators",
    }


def test_it_shades_a_country_darker_the_more_initiatives_it_has(client, petition, in_france):
    shades = {code: shade for code, (_, shade) in linked_countries(client.get("/")).items()}
    assert shades["be"] < shades["fr"]


def test_it_explains_the_shades_and_points_to_the_list(client, petition, in_france):
    home, country_list = rendered_map(client.get("/")), rendered_map(client.get("/countries/"))
    for figure in (home, country_list):
        assert re.findall(r'<span class="map__swatch shade-(\d)"></span>(\S+?)</li>', figure) == [
            ("1", "1"),
            ("5", "3"),
        ]
    assert 'href="/countries/"' in home


def test_it_lets_a_keyboard_skip_the_map_to_the_table_not_to_the_page_itself(client, petition):
    content = client.get("/countries/").content.decode()
    skip = content.index('href="#country-table"')
    assert skip < content.index('<figure class="map">')
    assert 'id="country-table"' in content
    assert 'href="/countries/"' not in rendered_map(client.get("/countries/"))


@pytest.mark.parametrize("language", ["", "/fr"])
def test_it_hatches_a_country_with_facilitators_but_no_initiative_and_says_so(
    client, petition, language
):
    """Italy: The Good Lobby works there, no initiative ran there."""
    figure = rendered_map(client.get(f"{language}/countries/"))
    italy = re.search(
        rf'<a href="{language}/countries/it/"><title>(.*?)</title><path class="(.*?)"', figure
    )
    assert italy[2] == "map__country map__country--facilitators"
    name = {
        "": "Italy: 0 initiatives, 1 facilitator",
        "/fr": "Italie\u00a0: 0 initiative, 1 structure d’intermédiation",
    }
    assert italy[1] == name[language]
    assert "map__swatch map__swatch--facilitators" in figure


def test_it_has_no_hatching_in_its_legend_when_every_country_has_an_initiative(client, db):
    make_initiative("Lisbon legal clinic", "lisbon-legal-clinic", countries=["PT"])
    assert "map__swatch--facilitators" not in rendered_map(client.get("/countries/"))


def test_it_draws_europe_again_enlarged_with_its_countries_linked(client, petition, in_france):
    inset = re.search(
        r'<svg class="map__svg map__inset".*?</svg>', rendered_map(client.get("/")), re.S
    )[0]
    assert '<use href="#map-land"/>' in inset
    linked = re.findall(r'<a href="/countries/(\w\w)/">', inset)
    assert sorted(linked) == ["be", "fr", "it"]


def test_it_gives_a_tile_to_each_country_too_small_to_tap_on_a_phone(client, db):
    for code in ["SG", "LU", "BE", "US", "FR"]:
        make_initiative(f"Work in {code}", f"work-{code.lower()}", countries=[code])
    figure = rendered_map(client.get("/countries/"))
    tiles = {
        code: kind
        for kind, code in re.findall(
            r'<li class="map__tile-item([^"]*)"><a class="map__tile" href="/countries/(\w\w)/"',
            figure,
        )
    }
    # France is large enough in the inset even on a phone; the United States are on a
    # desktop's map only.
    assert tiles == {"be": "", "lu": "", "sg": "", "us": " map__tile-item--phone"}
    assert '<span class="visually-hidden">Singapore: 1 initiative, 0 facilitators</span>' in figure


def test_its_small_states_are_drawn_where_they_lie():
    """Singapore's dot and Luxembourg's shape: in the world map's window, Luxembourg in the
    inset's too, Singapore outside it."""
    assert not tappable("SG", PHONE)
    assert not tappable("LU", PHONE)
    assert in_europe("LU")
    assert in_europe("FR")
    assert not in_europe("SG")
    assert tappable("FR", PHONE)
    assert tappable("US", DESKTOP)


@pytest.mark.parametrize("url", PAGES)
def test_it_draws_the_map_without_style_attributes_or_scripts(client, petition, url):
    figure = rendered_map(client.get(url))
    assert "style=" not in figure
    assert "<script" not in figure


def test_it_builds_the_map_from_the_counted_countries_without_a_query(
    petition, in_france, django_assert_num_queries
):
    countries = list(listed_countries())
    with django_assert_num_queries(0):
        context = world_map(countries)
    assert [shape.country.code for shape in context["countries"]] == ["BE", "FR", "IT"]
    assert "M" in context["land"]


def test_it_draws_a_plain_map_when_no_initiative_is_published(client, draft):
    figure = rendered_map(client.get("/"))
    assert linked_countries(client.get("/")) == {}
    assert '<path id="map-land" class="map__land" d="M' in figure


def test_it_shades_by_rank_among_the_distinct_counts():
    assert shade_of_count([]) == {}
    assert shade_of_count([4]) == {4: 5}
    assert shade_of_count([1, 900]) == {1: 1, 900: 5}
    assert shade_of_count([1, 2, 2, 3]) == {1: 1, 2: 3, 3: 5}
    many = shade_of_count(range(1, 101))
    assert sorted(set(many.values())) == [1, 2, 3, 4, 5]
    assert all(many[count] <= many[count + 1] for count in range(1, 100))


def test_it_has_a_shape_for_nearly_every_country():
    data = shapes()
    assert len(data["shapes"]) >= 170
    assert {"PT", "FR", "US", "SG"} <= set(data["shapes"])
    assert all(all_countries.alpha2(code) == code for code in data["shapes"])
    assert all(path.startswith("M") for path in data["shapes"].values())
    assert re.fullmatch(r"0 0 \d+ \d+", data["viewBox"])


def test_it_keeps_the_home_page_and_its_stylesheet_under_100_kb_compressed(client, petition):
    page = client.get("/").content
    stylesheet = (pathlib.Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_bytes()
    assert len(gzip.compress(page)) + len(gzip.compress(stylesheet)) < 100_000


def table_rows(response):
    """The countries of the table, in its order."""
    row = r'<tr data-name="\d+"[^>]*><th scope="row"><a href="[^"]*">([^<]+)</a>'
    return [html.unescape(name) for name in re.findall(row, body_text(response))]


@pytest.fixture
def three_countries(facilitator, legal, covid):
    """Belgium: 2 initiatives, 1 facilitator; France: 1 initiative; Italy: 1 facilitator."""
    make_initiative("Brussels help desk", "brussels-help-desk", countries=["BE"])
    make_initiative("Brussels clinic", "brussels-clinic", countries=["BE"])
    make_initiative("Paris clinic", "paris-clinic", countries=["FR"])


@pytest.mark.parametrize(
    ("query", "order", "sorted_by"),
    [
        ("", ["Belgium", "France", "Italy"], "Country"),
        ("?sort=name", ["Belgium", "France", "Italy"], "Country"),
        ("?sort=initiatives", ["Belgium", "France", "Italy"], "Initiatives"),
        ("?sort=facilitators", ["Belgium", "Italy", "France"], "Facilitators"),
        # Bad values are ignored: the table by name, never an error.
        ("?sort=-initiatives", ["Belgium", "France", "Italy"], "Country"),
        ("?sort=%00", ["Belgium", "France", "Italy"], "Country"),
        ("?sort=name&sort=facilitators", ["Belgium", "Italy", "France"], "Facilitators"),
    ],
)
def test_it_sorts_the_table_of_countries_by_a_link_without_javascript(
    client, three_countries, query, order, sorted_by
):
    response = client.get(f"/countries/{query}")
    assert response.status_code == 200
    assert table_rows(response) == order
    sorted_header = re.findall(
        r'<th scope="col"[^>]* aria-sort="(\w+)"[^>]*><a[^>]*>(\w+)</a>', body_text(response)
    )
    assert sorted_header == [("descending" if sorted_by != "Country" else "ascending", sorted_by)]


def test_its_sorting_links_keep_one_address_per_order(client, three_countries):
    headers = re.findall(
        r'<th scope="col"[^>]*><a href="([^"]*)"',
        body_text(client.get("/countries/?sort=initiatives")),
    )
    assert headers == ["/countries/", "?sort=initiatives", "?sort=facilitators"]


def test_it_sorts_countries_in_the_dictionary_order_of_each_language(client, db):
    """Egypt, Ecuador, Spain and the United States: in French, Égypte and États-Unis among the
    E's, not after the Z's as a byte order would put them."""
    for code in ["EG", "EC", "ES", "US", "ZA"]:
        make_initiative(f"Work in {code}", f"work-{code.lower()}", countries=[code])
    assert table_rows(client.get("/countries/")) == [
        "Ecuador",
        "Egypt",
        "South Africa",
        "Spain",
        "United States of America",
    ]
    assert table_rows(client.get("/fr/countries/")) == [
        "Afrique du Sud",
        "Égypte",
        "Équateur",
        "Espagne",
        "États-Unis d'Amérique",
    ]
