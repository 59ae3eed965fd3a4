"""Bad or stale input never gives a 500: the valid part applies and a notice names the rest.

The `directory` fixture (tests/conftest.py) describes the five published initiatives.
"""

import html
import re
from urllib.parse import urlencode

import pytest

from tests.conftest import notices, shown_slugs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory_built_once")]

EVERYTHING = {
    "eu-health-petition",
    "reserve-civique",
    "refugee-help-desk",
    "nurses-helpline",
    "ukraine-hackathon",
}
BELGIAN = {"eu-health-petition", "refugee-help-desk"}
POLISH = {"refugee-help-desk", "ukraine-hackathon"}
NURSES = {"nurses-helpline", "ukraine-hackathon"}


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get("Location")
    return response


def search_box(response):
    match = re.search(
        r'<input type="search" id="finder-q" name="q" value="([^"]*)"', response.content.decode()
    )
    return html.unescape(match[1])


# Stale values and malformed numbers


def test_it_ignores_an_unknown_sector_from_an_old_link(client, directory):
    response = get(client, "/initiatives/?country=be&sector=old-sector")
    assert notices(response) == ["Ignored sector “old-sector”, which the directory does not know."]
    assert set(shown_slugs(response)) == BELGIAN


@pytest.mark.parametrize(
    ("url", "notice"),
    [
        ("/initiatives/?country=be&show=colour", "Ignored show “colour”, which is not valid."),
        # A country page has no country facet to show whole.
        ("/countries/be/?show=country", "Ignored show “country”, which is not valid."),
        ("/initiatives/?country=be&show=kind&show=tag", "Used the first “show” only."),
    ],
)
def test_it_ignores_a_show_parameter_it_cannot_apply(client, directory, url, notice):
    response = get(client, url)
    assert notices(response) == [notice]
    assert set(shown_slugs(response)) == BELGIAN


def test_it_ignores_an_unknown_sector_on_a_scoped_page(client, directory):
    response = get(client, "/countries/be/?sector=old-sector&crisis=war-in-ukraine")
    assert notices(response) == ["Ignored sector “old-sector”, which the directory does not know."]
    assert shown_slugs(response) == ["refugee-help-desk"]


def test_it_ignores_a_malformed_year(client, directory):
    response = get(client, "/initiatives/?country=pl&year=20x0")
    assert notices(response) == ["Ignored year “20x0”, which the directory does not know."]
    assert set(shown_slugs(response)) == POLISH


def test_it_ignores_a_huge_year(client, directory):
    response = get(client, "/initiatives/?country=pl&year=99999999999999999999")
    assert notices(response) == [
        "Ignored year “99999999999999999999”, which the directory does not know."
    ]
    assert set(shown_slugs(response)) == POLISH


def test_it_keeps_the_valid_years_beside_a_malformed_one(client, directory):
    response = get(client, "/initiatives/?year=2020&year=-2020")
    assert notices(response) == ["Ignored year “-2020”, which the directory does not know."]
    assert set(shown_slugs(response)) == {"eu-health-petition", "reserve-civique"}


def test_it_ignores_an_unknown_kind(client, directory):
    response = get(client, "/initiatives/?country=us&kind=banana")
    assert notices(response) == ["Ignored kind “banana”, which the directory does not know."]
    assert shown_slugs(response) == ["nurses-helpline"]


def test_it_ignores_an_unknown_status(client, directory):
    response = get(client, "/initiatives/?country=us&status=paused")
    assert notices(response) == ["Ignored status “paused”, which the directory does not know."]
    assert shown_slugs(response) == ["nurses-helpline"]


def test_it_ignores_an_unknown_parameter(client, directory):
    response = get(client, "/initiatives/?country=be&utm_source=newsletter")
    assert notices(response) == ["Ignored the unknown parameter “utm_source”."]
    assert set(shown_slugs(response)) == BELGIAN


def test_it_ignores_the_dimension_of_a_scoped_page_given_again(client, directory):
    response = get(client, "/countries/be/?country=fr")
    assert notices(response) == ["Ignored “country”: this page is already about one."]
    assert set(shown_slugs(response)) == BELGIAN


def test_it_shortens_a_long_unknown_value_in_the_notice(client, directory):
    response = get(client, "/initiatives/?sector=" + "x" * 1000)
    assert notices(response) == [f"Ignored sector “{'x' * 40}”, which the directory does not know."]
    assert "x" * 41 not in response.content.decode()


def test_it_escapes_markup_in_an_ignored_value(client, directory):
    response = get(client, "/initiatives/?sector=%3Cscript%3Ealert(1)%3C/script%3E")
    assert notices(response) == [
        "Ignored sector “<script>alert(1)</script>”, which the directory does not know."
    ]
    assert "<script>alert(1)" not in response.content.decode()


# Sort and page


def test_it_uses_the_first_of_repeated_sorts(client, directory):
    response = get(client, "/initiatives/?sort=title&sort=oldest")
    assert notices(response) == ["Used the first “sort” only."]
    assert shown_slugs(response) == [
        "ukraine-hackathon",
        "nurses-helpline",
        "refugee-help-desk",
        "eu-health-petition",
        "reserve-civique",
    ]


def test_it_ignores_an_unknown_sort(client, directory):
    response = get(client, "/initiatives/?country=be&sort=popular")
    assert notices(response) == ["Ignored sort “popular”, which is not valid."]
    assert shown_slugs(response) == ["refugee-help-desk", "eu-health-petition"]


def test_it_shows_the_only_page_for_a_page_past_the_end_of_a_short_list(client, directory):
    response = get(client, "/initiatives/?country=pl&page=3")
    assert notices(response) == ["There is no page 3; this is the last page, 1."]
    assert set(shown_slugs(response)) == POLISH


# Search text


def test_it_shortens_a_5000_character_search(client, directory):
    # 26 "nurses " and 3 "nurse " make exactly 200 characters, so no word is cut in half.
    text = "nurses " * 26 + "nurse " * 3 + "nurses " * 686
    assert len(text) > 5000
    response = get(client, "/initiatives/?" + urlencode({"q": text}))
    assert notices(response) == ["Shortened the search to its first 200 characters."]
    assert set(shown_slugs(response)) == NURSES
    assert len(search_box(response)) <= 200


def test_it_searches_for_the_first_of_repeated_searches(client, directory):
    response = get(client, "/initiatives/?q=nurses&q=petition")
    assert notices(response) == ["Searched for the first “q” only."]
    assert set(shown_slugs(response)) == NURSES


def test_it_removes_a_nul_byte_from_a_search(client, directory):
    response = get(client, "/initiatives/?q=nurses%00")
    assert notices(response) == ["Removed invisible control characters from “q”."]
    assert set(shown_slugs(response)) == NURSES
    assert "\x00" not in response.content.decode()


def test_it_removes_a_nul_byte_from_a_filter_value(client, directory):
    response = get(client, "/initiatives/?country=be%00")
    assert notices(response) == ["Removed invisible control characters from “country”."]
    assert set(shown_slugs(response)) == BELGIAN


def test_it_ignores_a_parameter_whose_name_has_a_nul_byte(client, directory):
    response = get(client, "/initiatives/?country=pl&sec%00tor=legal")
    assert len(notices(response)) == 1
    assert "Ignored the unknown parameter" in notices(response)[0]
    assert "\x00" not in response.content.decode()
    assert set(shown_slugs(response)) == POLISH


def test_it_removes_control_characters_from_a_search(client, directory):
    response = get(client, "/initiatives/?q=%07nurses%1B%7F")
    assert notices(response) == ["Removed invisible control characters from “q”."]
    assert set(shown_slugs(response)) == NURSES
    assert search_box(response) == "nurses"


def test_it_removes_control_characters_from_a_filter_value(client, directory):
    response = get(client, "/initiatives/?country=%1Bpl%0A")
    assert notices(response) == ["Removed invisible control characters from “country”."]
    assert set(shown_slugs(response)) == POLISH


def test_it_says_it_dropped_invalid_utf8_from_a_search(client, directory):
    # %ff is not UTF-8: it cannot be what the reader typed.
    response = client.get("/initiatives/?q=nurses%ff", follow=True)
    assert response.status_code == 200
    assert set(shown_slugs(response)) == NURSES
    assert any("“q”" in notice for notice in notices(response)), notices(response)


def test_it_answers_a_search_made_only_of_invalid_utf8(client, directory):
    response = client.get("/initiatives/?q=%ff%fe", follow=True)
    assert response.status_code == 200
    assert set(shown_slugs(response)) == EVERYTHING
    assert any("“q”" in notice for notice in notices(response)), notices(response)


def test_it_ignores_a_filter_value_with_invalid_utf8(client, directory):
    response = get(client, "/initiatives/?country=pl&sector=legal%ff")
    assert notices(response) == ["Ignored sector “legal\ufffd”, which the directory does not know."]
    assert set(shown_slugs(response)) == POLISH


def test_it_ignores_a_filter_value_with_a_stray_percent(client, directory):
    response = get(client, "/initiatives/?country=pl&sector=legal%")
    assert notices(response) == ["Ignored sector “legal%”, which the directory does not know."]
    assert set(shown_slugs(response)) == POLISH


def test_it_ignores_a_filter_value_with_a_broken_percent_escape(client, directory):
    response = get(client, "/initiatives/?country=pl&sector=le%zzgal")
    assert notices(response) == ["Ignored sector “le%zzgal”, which the directory does not know."]
    assert set(shown_slugs(response)) == POLISH


def test_it_redirects_a_search_with_a_stray_percent_to_its_encoded_form(client, directory):
    response = client.get("/initiatives/?q=nurses%")
    assert response.status_code == 301
    assert response["Location"] == "/initiatives/?q=nurses%25"
    response = get(client, response["Location"])
    assert set(shown_slugs(response)) == NURSES
    assert search_box(response) == "nurses%"


# Characters PostgreSQL's tsquery parser reads as operators are plain text here.

OPERATORS = ["&", "|", "!", ":", "*", "(", ")", "'", "\\", "<->", ":*", "!(", "&|!:*()'\\"]


@pytest.mark.parametrize("operator", OPERATORS)
def test_it_searches_words_around_query_operators(client, directory, operator):
    response = client.get(
        "/initiatives/", {"q": f"{operator}nurses {operator} developers{operator}"}
    )
    assert response.status_code == 200
    assert shown_slugs(response) == ["ukraine-hackathon"]


@pytest.mark.parametrize("operator", OPERATORS)
def test_it_answers_a_search_made_only_of_query_operators(client, directory, operator):
    response = client.get("/initiatives/", {"q": operator})
    assert response.status_code == 200
    # No word to search for: every initiative.
    assert set(shown_slugs(response)) == EVERYTHING


def test_it_answers_a_search_made_only_of_query_operators_on_a_scoped_page(client, directory):
    response = client.get("/sectors/legal/", {"country": "pl", "q": "&|!:*()'\\"})
    assert response.status_code == 200
    assert set(shown_slugs(response)) == POLISH


def test_it_applies_every_valid_part_of_a_link_with_many_bad_ones(client, directory):
    url = (
        "/initiatives/?country=PL&country=zz&sector=legal&sector=old&year=2022&year=abc"
        "&sort=title&sort=oldest&page=abc&q=developers%00&colour=blue"
    )
    response = get(client, url)
    assert notices(response) == [
        "Ignored country “zz”, which the directory does not know.",
        "Ignored sector “old”, which the directory does not know.",
        "Ignored year “abc”, which the directory does not know.",
        "Used the first “sort” only.",
        "Ignored page “abc”, which is not valid.",
        "Removed invisible control characters from “q”.",
        "Ignored the unknown parameter “colour”.",
    ]
    assert shown_slugs(response) == ["ukraine-hackathon"]


@pytest.mark.usefixtures("clinics_built_once")
class TestOverTwoPages:
    """With 25 more Belgian initiatives (`clinics`): the lists run over two pages."""

    def test_it_shows_the_first_page_for_a_page_that_is_not_a_number(self, client, clinics):
        response = get(client, "/initiatives/?country=be&page=abc")
        assert notices(response) == ["Ignored page “abc”, which is not valid."]
        assert '<span aria-current="page">1</span>' in response.content.decode()
        assert len(shown_slugs(response)) == 20

    def test_it_shows_the_first_page_for_a_negative_page(self, client, clinics):
        response = get(client, "/initiatives/?country=be&page=-1")
        assert notices(response) == ["Ignored page “-1”, which is not valid."]
        assert '<span aria-current="page">1</span>' in response.content.decode()

    def test_it_shows_the_first_page_for_page_zero(self, client, clinics):
        response = get(client, "/initiatives/?page=0")
        assert notices(response) == ["Ignored page “0”, which is not valid."]
        assert '<span aria-current="page">1</span>' in response.content.decode()

    def test_it_shows_the_last_page_for_a_page_past_the_end(self, client, clinics):
        # Belgium: the petition, the help desk and 25 clinics, so two pages.
        response = get(client, "/initiatives/?country=be&page=999999")
        assert notices(response) == ["There is no page 999999; this is the last page, 2."]
        assert '<span aria-current="page">2</span>' in response.content.decode()
        assert len(shown_slugs(response)) == 7
        assert set(shown_slugs(response)) <= {f"legal-clinic-{n:02}" for n in range(25)} | BELGIAN
