import gzip
import pathlib
import re

import pytest
from django.conf import settings
from django_countries import countries as all_countries

from networks.views import listed_countries
from networks.world_map import shade_of_count, shapes, world_map
from tests.directory import make_initiative

pytestmark = pytest.mark.django_db

PAGES = ["/", "/countries/"]


def rendered_map(response):
    figure = re.search(r'<figure class="map">.*?</figure>', response.content.decode(), re.S)
    assert figure, "no map on the page"
    return figure[0]


def linked_countries(response):
    """{code: (title, shade)} for every linked country of the map."""
    links = re.findall(
        r'<a href="/countries/(\w\w)/"><title>(.*?)</title>'
        r'<path class="map__country shade-(\d)" d="[^"]+"/></a>',
        rendered_map(response),
    )
    return {code: (title, int(shade)) for code, title, shade in links}


@pytest.fixture
def in_france(facilitator, legal, covid):
    for number in range(3):
        make_initiative(f"French initiative {number}", f"french-{number}", countries=["FR"])


@pytest.mark.parametrize("url", PAGES)
def test_it_links_a_country_with_a_published_initiative_to_its_page(client, petition, url):
    make_initiative("Lisbon legal clinic", "lisbon-legal-clinic", countries=["PT"])
    svg = re.search(r"<svg .*?</svg>", rendered_map(client.get(url)), re.S)[0]
    assert 'href="/countries/pt/"' in svg
    assert 'href="/countries/be/"' in svg


@pytest.mark.parametrize("url", PAGES)
def test_it_does_not_link_a_country_with_only_a_draft(client, petition, draft, url):
    assert set(linked_countries(client.get(url))) == {"be"}


@pytest.mark.parametrize("url", PAGES)
def test_it_titles_every_linked_country_with_its_name_and_count(client, petition, in_france, url):
    titles = {code: title for code, (title, _) in linked_countries(client.get(url)).items()}
    assert titles == {"be": "Belgium: 1 initiative", "fr": "France: 3 initiatives"}


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
    assert 'href="#country-table"' in country_list
    assert 'id="country-table"' in client.get("/countries/").content.decode()


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
    assert [shape["country"].code for shape in context["countries"]] == ["BE", "FR"]
    assert "M" in context["land"]


def test_it_draws_a_plain_map_when_no_initiative_is_published(client, draft):
    figure = rendered_map(client.get("/"))
    assert linked_countries(client.get("/")) == {}
    assert '<path class="map__land" d="M' in figure


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
