"""Facet counts beside each option, checked against counts made by hand on `directory`.

An option's count is how many results choosing it would give: it respects every other active
filter but not its own filter's selection, since values of one filter combine with OR.
"""

import re
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from initiatives.filters import FILTERS
from initiatives.models import Initiative, Sector
from tests.conftest import shown_slugs
from tests.directory import make_initiative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory_built_once")]

OPTION = re.compile(
    r'<input type="checkbox" name="(?P<name>\w+)" value="(?P<value>[^"]+)" id="[^"]+"'
    r"(?P<flags>[^>]*)> <label [^>]*>(?P<label>[^<]*) <span class=\"count\">(?P<count>\d+)</span>"
)


def options(response, name):
    """{value: (count, checked, disabled)} for one facet, as rendered."""
    return {
        match["value"]: (
            int(match["count"]),
            "checked" in match["flags"],
            "disabled" in match["flags"],
        )
        for match in OPTION.finditer(response.content.decode())
        if match["name"] == name
    }


def counts(response, name):
    return {value: count for value, (count, checked, disabled) in options(response, name).items()}


def facet_block(response, name):
    """The <fieldset> of one facet."""
    for block in re.findall(
        r'<fieldset class="facet"[^>]*>.*?</fieldset>', response.content.decode(), re.S
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
        **dict.fromkeys(Initiative.Kind.values, 0),
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
    assert counts(response, "sector") == {"legal": 2, "tech": 0, "health": 0}
    assert counts(response, "network") == {
        "global-pro-bono-network": 1,
        "european-pro-bono-alliance": 1,
    }
    assert counts(response, "facilitator") == {"the-good-lobby": 1, "pro-bono-lab": 0, "taproot": 0}
    assert counts(response, "crisis") == {"covid-19": 1, "war-in-ukraine": 1}
    assert counts(response, "status") == {"ongoing": 0, "completed": 2}
    assert counts(response, "year") == {"2020": 1, "2022": 1, "2023": 1}


def test_it_counts_within_either_of_two_selected_countries(client, directory):
    # Belgium or France: the petition, the help desk, the Réserve and the hackathon.
    response = client.get("/initiatives/?country=be&country=fr")
    assert counts(response, "country") == {"be": 2, "fr": 2, "pl": 2, "us": 1}
    assert counts(response, "sector") == {"legal": 3, "tech": 2, "health": 0}
    assert counts(response, "facilitator") == {"the-good-lobby": 2, "pro-bono-lab": 2, "taproot": 0}
    assert counts(response, "status") == {"ongoing": 1, "completed": 3}


def test_it_counts_each_facet_under_the_other_filters_only(client, directory):
    # France and legal: the hackathon only.
    response = client.get("/initiatives/?country=fr&sector=legal")
    # Legal initiatives (petition, help desk, hackathon) by country.
    assert counts(response, "country") == {"be": 2, "fr": 1, "pl": 2, "us": 0}
    # French initiatives (Réserve, hackathon) by sector.
    assert counts(response, "sector") == {"legal": 1, "tech": 2, "health": 0}
    assert counts(response, "crisis") == {"covid-19": 0, "war-in-ukraine": 1}
    assert counts(response, "network") == {
        "global-pro-bono-network": 1,
        "european-pro-bono-alliance": 0,
    }


def test_it_counts_within_a_search(client, directory):
    # "remote" is a tag of the Réserve (France) and the helpline (United States).
    response = client.get("/initiatives/?country=fr&q=remote")
    assert counts(response, "country") == {"be": 0, "fr": 1, "pl": 0, "us": 1}
    assert counts(response, "sector") == {"legal": 0, "tech": 1, "health": 0}


def test_it_counts_within_the_fixed_dimension_of_a_scoped_page(client, directory):
    response = client.get("/networks/european-pro-bono-alliance/")
    # The help desk (Belgium, Poland) and the helpline (United States).
    assert counts(response, "country") == {"be": 1, "fr": 0, "pl": 1, "us": 1}
    assert counts(response, "crisis") == {"covid-19": 1, "war-in-ukraine": 1}
    # The page is about that network: no facet to choose another.
    assert counts(response, "network") == {}


def test_it_has_no_facet_for_the_country_of_a_country_page(client, directory):
    response = client.get("/countries/be/")
    assert counts(response, "country") == {}
    assert counts(response, "sector") == {"legal": 2, "tech": 0, "health": 0}


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


def test_it_disables_an_option_with_no_results(client, directory):
    response = client.get("/initiatives/?country=be")
    assert options(response, "sector") == {
        "legal": (2, False, False),
        "tech": (0, False, True),
        "health": (0, False, True),
    }


def test_it_keeps_a_selected_option_with_no_results_checked_and_enabled(client, directory):
    # Nothing is legal in the United States: both selections stay visible and can be undone.
    response = client.get("/initiatives/?country=us&sector=legal")
    assert options(response, "sector")["legal"] == (0, True, False)
    assert options(response, "country")["us"] == (0, True, False)


def test_it_keeps_a_selected_year_with_no_results_checked(client, directory):
    # Nothing Belgian was active in 2019; the year facet lists only years with results, but
    # never drops a selected one.
    response = client.get("/initiatives/?country=be&year=2019")
    assert options(response, "year") == {
        "2023": (1, False, False),
        "2022": (1, False, False),
        "2020": (1, False, False),
        "2019": (0, True, False),
    }


def test_it_lists_selected_options_first(client, directory):
    response = client.get("/initiatives/?country=us")
    assert next(iter(options(response, "country"))) == "us"


def test_it_labels_options_with_names_not_slugs(client, directory):
    block = facet_block(client.get("/initiatives/"), "country")
    assert "<legend>Country</legend>" in block
    assert 'for="country-us">United States of America <span class="count">1</span>' in block


def test_a_long_list_shows_its_top_options_and_a_link_to_all_of_them(client, directory):
    response = client.get("/initiatives/?sort=title")
    # The five kinds with results come first, then three of the seven without.
    shown = options(response, "kind")
    assert len(shown) == 8
    assert {
        "advocacy-campaign",
        "hackathon",
        "legal-advice",
        "psychological-support",
        "skills-based-volunteering",
    } <= set(shown)
    # The link keeps the filters and the sort; the results stay the same.
    link = '<a id="toggle-kind" href="/initiatives/?sort=title&amp;show=kind#facet-kind">'
    assert link + "Show all 12</a>" in facet_block(response, "kind")


def test_show_lists_every_option_of_that_facet_only(client, directory):
    for number in range(12):
        Sector.objects.create(name=f"Sector {number:02}", slug=f"sector-{number:02}")
    response = client.get("/initiatives/?country=be&show=kind")
    assert len(options(response, "kind")) == 12
    assert len(options(response, "sector")) == 8
    block = facet_block(response, "kind")
    # Ticking another option submits the form, which keeps the list whole.
    assert '<input type="hidden" name="show" value="kind">' in block
    assert 'href="/initiatives/?country=be#facet-kind">Show fewer</a>' in block
    assert "Show all 15</a>" in facet_block(response, "sector")
    assert set(shown_slugs(response)) == {"eu-health-petition", "refugee-help-desk"}


def test_it_shows_a_short_list_whole(client, directory):
    for name in ["sector", "status"]:
        block = facet_block(client.get("/initiatives/"), name)
        assert "toggle-" not in block
    assert len(options(client.get("/initiatives/"), "sector")) == 3


def test_it_keeps_a_selected_option_in_a_long_list_among_the_top_ones(client, directory):
    response = client.get("/initiatives/?kind=coalition")
    assert options(response, "kind")["coalition"] == (0, True, False)
    assert len(options(response, "kind")) == 8


def test_it_counts_a_new_initiative_in_its_options(client, directory):
    make_initiative("Ukrainian translators", "translators", countries=["UA"], crisis=directory.war)
    response = client.get("/initiatives/?crisis=war-in-ukraine")
    assert counts(response, "country") == {"be": 1, "fr": 1, "pl": 2, "ua": 1, "us": 0}


@pytest.mark.usefixtures("clinics_built_once")
class TestOverTwoPages:
    """With 25 more Belgian initiatives (`clinics`): the lists run over two pages."""

    def test_show_leads_to_the_first_page_and_stays_out_of_shared_links(self, client, clinics):
        response = client.get("/initiatives/?sort=title&page=2")
        assert (
            'href="/initiatives/?sort=title&amp;show=kind#facet-kind"' in response.content.decode()
        )
        shown = client.get("/initiatives/?sort=title&show=kind&page=2")
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
