"""Facet counts beside each option, checked against counts made by hand on `directory`.

An option's count is how many results choosing it would give: it respects every other active
filter but not its own filter's selection, since values of one filter combine with OR.
"""

import re
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from initiatives.filters import FILTERS
from tests.conftest import body_text, shown_slugs
from tests.directory import make_initiative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory_built_once")]

OPTION = re.compile(
    r'<li(?P<hidden> hidden)?><label class="option" [^>]*><input type="checkbox" '
    r'name="(?P<name>\w+)" value="(?P<value>[^"]+)" id="[^"]+"(?P<flags>[^>]*)> '
    r'<span class="option__label">(?P<label>[^<]*)</span> <span class="count">(?P<count>\d+)</span>'
)


def options(response, name):
    """{value: (count, checked)} for the options one facet shows, in their order."""
    return {
        match["value"]: (int(match["count"]), "checked" in match["flags"])
        for match in OPTION.finditer(response.content.decode())
        if match["name"] == name and not match["hidden"]
    }


def counts(response, name):
    return {value: count for value, (count, checked) in options(response, name).items()}


def facet_block(response, name):
    """The <details> of one facet."""
    for block in re.findall(
        r'<details class="facet"[^>]*>.*?</details>', response.content.decode(), re.S
    ):
        if f'name="{name}"' in block:
            return block
    return None


def ongoing_years(since):
    """The Réserve (since 2020) and the helpline (since 2021) count in every year up to now."""
    return range(since, timezone.localdate().year + 1)


# Counts


def test_it_counts_each_option_over_the_whole_directory(client, directory):
    response = client.get("/initiatives/")
    assert counts(response, "country") == {"be": 2, "fr": 2, "pl": 2, "us": 1}
    assert counts(response, "sector") == {"legal": 3, "tech": 2, "health": 1}
    assert counts(response, "network") == {
        "global-pro-bono-network": 3,
        "european-pro-bono-alliance": 2,
    }
    # The Good Lobby: the petition it leads and the Réserve it partners in.
    assert counts(response, "facilitator") == {"the-good-lobby": 2, "pro-bono-lab": 2, "taproot": 1}
    assert counts(response, "crisis") == {"covid-19": 3, "war-in-ukraine": 2}
    assert counts(response, "tag") == {
        "remote": 2,
        "hackathon": 1,
        "nurses": 1,
        "petition": 1,
        "refugees": 1,
        "volunteering": 1,
    }
    assert counts(response, "status") == {"ongoing": 2, "completed": 3}
    assert counts(response, "year") == {
        "2020": 2,
        "2021": 2,
        "2022": 4,
        "2023": 3,
        **{str(year): 2 for year in ongoing_years(2024)},
    }


def test_it_counts_every_kind_of_engagement(client, directory):
    kinds = counts(client.get("/initiatives/?show=kind"), "kind")
    assert kinds == {
        "advocacy-campaign": 1,
        "skills-based-volunteering": 1,
        "legal-advice": 1,
        "psychological-support": 1,
        "hackathon": 1,
    }


def test_it_still_counts_other_countries_when_one_is_selected(client, directory):
    response = client.get("/initiatives/?country=be")
    # Countries combine with OR: France would add its two initiatives, so it says 2.
    assert counts(response, "country") == {"be": 2, "fr": 2, "pl": 2, "us": 1}


def test_it_counts_other_facets_within_the_selected_country(client, directory):
    # Belgium: the petition and the help desk.
    response = client.get("/initiatives/?country=be")
    assert counts(response, "sector") == {"legal": 2}
    assert counts(response, "network") == {
        "global-pro-bono-network": 1,
        "european-pro-bono-alliance": 1,
    }
    assert counts(response, "facilitator") == {"the-good-lobby": 1}
    assert counts(response, "crisis") == {"covid-19": 1, "war-in-ukraine": 1}
    assert counts(response, "status") == {"completed": 2}
    assert counts(response, "year") == {"2020": 1, "2022": 1, "2023": 1}


def test_it_counts_within_either_of_two_selected_countries(client, directory):
    # Belgium or France: the petition, the help desk, the Réserve and the hackathon.
    response = client.get("/initiatives/?country=be&country=fr")
    assert counts(response, "country") == {"be": 2, "fr": 2, "pl": 2, "us": 1}
    assert counts(response, "sector") == {"legal": 3, "tech": 2}
    assert counts(response, "facilitator") == {"the-good-lobby": 2, "pro-bono-lab": 2}
    assert counts(response, "status") == {"ongoing": 1, "completed": 3}


def test_it_counts_each_facet_under_the_other_filters_only(client, directory):
    # France and legal: the hackathon only.
    response = client.get("/initiatives/?country=fr&sector=legal")
    # Legal initiatives (petition, help desk, hackathon) by country.
    assert counts(response, "country") == {"be": 2, "fr": 1, "pl": 2}
    # French initiatives (Réserve, hackathon) by sector.
    assert counts(response, "sector") == {"legal": 1, "tech": 2}
    assert counts(response, "crisis") == {"war-in-ukraine": 1}
    assert counts(response, "network") == {
        "global-pro-bono-network": 1,
    }


def test_it_counts_within_a_search(client, directory):
    # "remote" is a tag of the Réserve (France) and the helpline (United States).
    response = client.get("/initiatives/?country=fr&q=remote")
    assert counts(response, "country") == {"fr": 1, "us": 1}
    assert counts(response, "sector") == {"tech": 1}


def test_it_counts_within_the_fixed_dimension_of_a_scoped_page(client, directory):
    response = client.get("/networks/european-pro-bono-alliance/")
    # The help desk (Belgium, Poland) and the helpline (United States).
    assert counts(response, "country") == {"be": 1, "pl": 1, "us": 1}
    assert counts(response, "crisis") == {"covid-19": 1, "war-in-ukraine": 1}
    # The page is about that network: no facet to choose another.
    assert counts(response, "network") == {}


def test_it_has_no_facet_for_the_country_of_a_country_page(client, directory):
    response = client.get("/countries/be/")
    assert counts(response, "country") == {}
    assert counts(response, "sector") == {"legal": 2}


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"country": ["be"]},
        {"country": ["be", "fr"], "status": ["completed"]},
        {"crisis": ["covid-19"], "q": ["remote"]},
        {"network": ["global-pro-bono-network"], "year": ["2022"]},
    ],
)
def test_it_gives_each_option_the_number_of_results_choosing_it_shows(client, directory, filters):
    response = client.get("/initiatives/?" + urlencode(filters, doseq=True), follow=True)
    for name in FILTERS:
        for value, count in counts(response, name).items():
            query = urlencode({**filters, name: value}, doseq=True)
            chosen = client.get("/initiatives/?" + query, follow=True)
            assert len(shown_slugs(chosen)) == count, (name, value)


def test_it_counts_a_facilitator_once_when_it_leads_and_partners_the_same_initiative(
    client, directory
):
    directory.hackathon.partners.add(directory.lab)
    response = client.get("/initiatives/")
    assert counts(response, "facilitator")["pro-bono-lab"] == 2
    assert len(shown_slugs(client.get("/initiatives/?facilitator=pro-bono-lab"))) == 2


# What the reader sees


MORE_COUNTRIES = ["AT", "CH", "DE", "DK", "ES", "FI", "GR", "IE", "IT", "NL", "PT", "SE"]


@pytest.fixture
def sixteen_countries(directory):
    """One initiative in each of twelve more countries: a long country facet (16 options)."""
    for code in MORE_COUNTRIES:
        make_initiative(f"Clinic in {code}", f"clinic-{code.lower()}", countries=[code])


def test_it_leaves_out_options_that_would_give_no_results(client, directory):
    response = client.get("/initiatives/?country=be")
    assert options(response, "sector") == {"legal": (2, False)}
    assert options(response, "status") == {"completed": (2, False)}


def test_it_leaves_out_a_facet_none_of_whose_options_would_give_results(client, directory):
    response = client.get("/initiatives/?sector=legal&q=xylophone", follow=True)
    assert options(response, "sector") == {"legal": (0, True)}
    for name in ["country", "network", "facilitator", "crisis", "tag", "kind", "status", "year"]:
        assert facet_block(response, name) is None, name


def test_it_keeps_a_selected_option_with_no_results_checked(client, directory):
    # Nothing is legal in the United States: both selections stay visible and can be undone.
    response = client.get("/initiatives/?country=us&sector=legal")
    assert options(response, "sector")["legal"] == (0, True)
    assert options(response, "country")["us"] == (0, True)


def test_it_keeps_a_selected_year_with_no_results_checked(client, directory):
    # Nothing Belgian was active in 2019; the year facet lists only years with results, but
    # never drops a selected one.
    response = client.get("/initiatives/?country=be&year=2019")
    assert options(response, "year") == {
        "2023": (1, False),
        "2022": (1, False),
        "2020": (1, False),
        "2019": (0, True),
    }


def test_it_keeps_each_option_in_its_place_when_it_is_chosen(client, directory):
    # A chosen option's own facet keeps its counts, so nothing moves under the reader's finger.
    before = list(options(client.get("/initiatives/"), "country"))
    after = options(client.get("/initiatives/?country=us"), "country")
    assert list(after) == before == ["be", "fr", "pl", "us"]
    assert after["us"] == (1, True)


def test_it_labels_options_with_names_not_slugs(client, directory):
    block = facet_block(client.get("/initiatives/"), "country")
    assert '<summary class="facet__title">Country</summary>' in block
    assert '<legend class="visually-hidden">Country</legend>' in block
    assert (
        '<span class="option__label">United States of America</span> <span class="count">1</span>'
        in block
    )


def test_it_opens_the_first_facets_and_those_in_use(client, directory):
    def opened(response):
        return re.findall(r'<details class="facet" id="facet-(\w+)" open>', body_text(response))

    assert opened(client.get("/initiatives/")) == ["country", "sector"]
    assert opened(client.get("/initiatives/?kind=hackathon")) == ["country", "sector", "kind"]
    assert '<summary class="facet__title">Kind of engagement <span class="facet__chosen">(1)' in (
        facet_block(client.get("/initiatives/?kind=hackathon"), "kind")
    )


def test_a_long_list_shows_its_top_options_and_a_link_to_all_of_them(
    client, directory, sixteen_countries
):
    response = client.get("/initiatives/?sort=title")
    # Belgium, France and Poland (two initiatives each) come first, then by name.
    assert list(options(response, "country")) == ["be", "fr", "pl", "at", "dk", "fi", "de", "gr"]
    block = facet_block(response, "country")
    # The others are in the page, hidden, for the facet's search box to find.
    assert block.count("<li hidden>") == 8
    assert '<input type="search" id="find-country" data-facet-search' in block
    # The link keeps the filters and the sort; the results stay the same.
    link = '<a id="toggle-country" href="/initiatives/?sort=title&amp;show=country#facet-country">'
    assert link + "Show all 16</a>" in block


def test_show_lists_every_option_of_that_facet_only(client, directory, sixteen_countries):
    response = client.get("/initiatives/?show=country")
    assert len(options(response, "country")) == 16
    block = facet_block(response, "country")
    assert "<li hidden>" not in block
    assert "data-facet-search" not in block
    # Ticking another option submits the form, which keeps the list whole.
    assert '<input type="hidden" name="show" value="country">' in block
    assert 'href="/initiatives/#facet-country">Show fewer</a>' in block


def test_it_shows_a_short_list_whole(client, directory):
    for name in ["sector", "status"]:
        block = facet_block(client.get("/initiatives/"), name)
        assert "toggle-" not in block
        assert "<li hidden>" not in block
    assert len(options(client.get("/initiatives/"), "sector")) == 3


def test_it_shows_a_chosen_option_of_a_long_list_in_its_place(client, directory, sixteen_countries):
    response = client.get("/initiatives/?country=se")
    shown = options(response, "country")
    # The eight top ones, and Sweden, the last by name, where it stands.
    assert list(shown) == ["be", "fr", "pl", "at", "dk", "fi", "de", "gr", "se"]
    assert shown["se"] == (1, True)


def test_it_counts_a_new_initiative_in_its_options(client, directory):
    make_initiative("Ukrainian translators", "translators", countries=["UA"], crisis=directory.war)
    response = client.get("/initiatives/?crisis=war-in-ukraine")
    assert counts(response, "country") == {"be": 1, "fr": 1, "pl": 2, "ua": 1}


@pytest.mark.usefixtures("clinics_built_once")
class TestOverTwoPages:
    """With 25 more Belgian initiatives (`clinics`): the lists run over two pages."""

    def test_show_leads_to_the_first_page_and_stays_out_of_shared_links(
        self, client, clinics, sixteen_countries
    ):
        response = client.get("/initiatives/?sort=title&page=2")
        assert (
            'href="/initiatives/?sort=title&amp;show=country#facet-country"'
            in response.content.decode()
        )
        shown = client.get("/initiatives/?sort=title&show=country&page=2")
        assert shown_slugs(shown) == shown_slugs(response)
        page = shown.content.decode()
        assert (
            '<link rel="canonical" href="http://testserver/initiatives/?sort=title&amp;page=2">'
            in page
        )
        shared = re.findall(r'href="(/initiatives/(?:feed/|export)[^"]*)"', page)
        assert len(shared) >= 3
        for link in shared:
            assert "show=" not in link, link
