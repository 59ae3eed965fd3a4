"""The finder's filters, search, sorts and pages, on /initiatives/ and the scoped pages.

The `directory` fixture (tests/conftest.py) describes the five published initiatives.
"""

import datetime
import html
import re

import pytest

from initiatives import finder
from tests.conftest import shown_slugs
from tests.directory import make_initiative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory_built_once")]

PETITION = "eu-health-petition"
RESERVE = "reserve-civique"
HELP_DESK = "refugee-help-desk"
HELPLINE = "nurses-helpline"
HACKATHON = "ukraine-hackathon"


def found(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get("Location")
    return set(shown_slugs(response))


def links(response, rel):
    content = response.content.decode()
    return [html.unescape(href) for href in re.findall(rf'<a rel="{rel}" href="([^"]*)"', content)]


def page_number_links(response):
    content = response.content.decode()
    found = re.findall(r'<a href="([^"]*)" aria-label="Page (\d+)">', content)
    return {int(number): html.unescape(href) for href, number in found}


# Each filter alone


def test_it_lists_every_published_initiative_and_no_draft(client, directory):
    assert found(client, "/initiatives/") == {PETITION, RESERVE, HELP_DESK, HELPLINE, HACKATHON}


def test_it_filters_by_country(client, directory):
    assert found(client, "/initiatives/?country=pl") == {HELP_DESK, HACKATHON}


def test_it_filters_by_sector(client, directory):
    assert found(client, "/initiatives/?sector=health") == {HELPLINE}


def test_it_filters_by_sector_without_showing_a_draft_of_that_sector(client, directory):
    assert found(client, "/initiatives/?sector=legal") == {PETITION, HELP_DESK, HACKATHON}


def test_it_filters_by_network_through_the_initiatives_its_members_lead(client, directory):
    assert found(client, "/initiatives/?network=global-pro-bono-network") == {
        PETITION,
        RESERVE,
        HACKATHON,
    }


def test_it_filters_by_network_with_network_run_and_member_led_initiatives(client, directory):
    # The alliance runs the help desk itself; its member Taproot leads the helpline.
    assert found(client, "/initiatives/?network=european-pro-bono-alliance") == {
        HELP_DESK,
        HELPLINE,
    }


def test_it_filters_by_facilitator_with_the_initiatives_it_partners_in(client, directory):
    # The Good Lobby leads the petition and partners in Pro Bono Lab's Réserve Civique.
    assert found(client, "/initiatives/?facilitator=the-good-lobby") == {PETITION, RESERVE}


def test_it_filters_by_crisis(client, directory):
    assert found(client, "/initiatives/?crisis=war-in-ukraine") == {HELP_DESK, HACKATHON}


def test_it_filters_by_tag(client, directory):
    assert found(client, "/initiatives/?tag=remote") == {RESERVE, HELPLINE}


def test_it_filters_by_kind(client, directory):
    assert found(client, "/initiatives/?kind=legal-advice") == {HELP_DESK}


def test_it_filters_ongoing_initiatives(client, directory):
    assert found(client, "/initiatives/?status=ongoing") == {RESERVE, HELPLINE}


def test_it_filters_completed_initiatives(client, directory):
    assert found(client, "/initiatives/?status=completed") == {PETITION, HELP_DESK, HACKATHON}


def test_it_filters_ongoing_or_completed_as_everything(client, directory):
    assert found(client, "/initiatives/?status=completed&status=ongoing") == {
        PETITION,
        RESERVE,
        HELP_DESK,
        HELPLINE,
        HACKATHON,
    }


def test_it_counts_an_initiative_ending_in_the_future_as_ongoing(client, directory):
    make_initiative(
        "Mentoring until 2099",
        "mentoring-2099",
        started_on=datetime.date(2024, 1, 1),
        ended_on=datetime.date(2099, 12, 31),
    )
    assert found(client, "/initiatives/?status=ongoing") == {RESERVE, HELPLINE, "mentoring-2099"}
    assert "mentoring-2099" not in found(client, "/initiatives/?status=completed")


def test_it_filters_by_year_of_activity(client, directory):
    # The help desk ended in June 2023; the Réserve and the helpline are still going.
    assert found(client, "/initiatives/?year=2023") == {HELP_DESK, RESERVE, HELPLINE}


def test_it_leaves_out_initiatives_that_ended_before_or_started_after_the_year(client, directory):
    # The petition ended in 2020 and the helpline started in January 2021.
    assert found(client, "/initiatives/?year=2020") == {PETITION, RESERVE}


# OR within a parameter, AND across parameters


def test_it_combines_values_of_one_parameter_with_or(client, directory):
    assert found(client, "/initiatives/?country=be&country=us") == {PETITION, HELP_DESK, HELPLINE}


def test_it_combines_kinds_with_or(client, directory):
    assert found(client, "/initiatives/?kind=hackathon&kind=legal-advice") == {
        HELP_DESK,
        HACKATHON,
    }


def test_it_combines_different_parameters_with_and(client, directory):
    assert found(client, "/initiatives/?country=pl&sector=tech") == {HACKATHON}


def test_it_combines_or_within_and_across_parameters(client, directory):
    url = "/initiatives/?country=be&country=fr&crisis=covid-19&status=completed"
    assert found(client, url) == {PETITION}


def test_it_finds_nothing_when_the_filters_exclude_each_other(client, directory):
    response = client.get("/initiatives/?country=us&sector=legal")
    assert shown_slugs(response) == []
    assert "No initiative matches all these filters." in response.content.decode()


# Search


def test_it_searches_titles(client, directory):
    assert found(client, "/initiatives/?q=helpline") == {HELPLINE}


def test_it_searches_tags(client, directory):
    # "remote" is only ever a tag.
    assert found(client, "/initiatives/?q=remote") == {RESERVE, HELPLINE}


def test_it_searches_the_facilitator_name(client, directory):
    assert found(client, "/initiatives/?q=taproot") == {HELPLINE}


def test_it_searches_the_description(client, directory):
    directory.petition.description = "Drafted with constitutional scholars."
    directory.petition.save()
    assert found(client, "/initiatives/?q=scholars") == {PETITION}


def test_it_searches_without_accents(client, directory):
    assert found(client, "/initiatives/?q=reserve") == {RESERVE}


def test_it_searches_with_accents_typed_where_the_text_has_none(client, directory):
    assert found(client, "/initiatives/?q=h%C3%A9lpline") == {HELPLINE}


def test_it_searches_without_regard_to_case(client, directory):
    assert found(client, "/initiatives/?q=MINISTERS") == {PETITION}


def test_it_searches_for_every_word(client, directory):
    # Both the helpline and the hackathon mention nurses; only the hackathon has developers.
    assert found(client, "/initiatives/?q=nurses+developers") == {HACKATHON}


def test_it_combines_search_with_filters(client, directory):
    assert found(client, "/initiatives/?country=fr&q=remote") == {RESERVE}


def test_it_stems_words(client, directory):
    # The help desk's summary says "lawyer": both databases stem "lawyers" to it.
    assert found(client, "/initiatives/?q=lawyers") == {HELP_DESK}


# Sorts


def test_it_sorts_newest_first_by_default(client, directory):
    response = client.get("/initiatives/")
    assert shown_slugs(response) == [HACKATHON, HELP_DESK, HELPLINE, PETITION, RESERVE]


def test_it_sorts_oldest_first(client, directory):
    response = client.get("/initiatives/?sort=oldest")
    assert shown_slugs(response) == [RESERVE, PETITION, HELPLINE, HELP_DESK, HACKATHON]


def test_it_sorts_by_title(client, directory):
    response = client.get("/initiatives/?sort=title")
    assert shown_slugs(response) == [HACKATHON, HELPLINE, HELP_DESK, PETITION, RESERVE]


def test_it_sorts_a_search_by_relevance_by_default(client, directory):
    # "nurses" is in the helpline's title and tags, and only in the hackathon's summary.
    response = client.get("/initiatives/?q=nurses")
    assert '<option value="" selected>Relevance</option>' in response.content.decode()
    assert shown_slugs(response) == [HELPLINE, HACKATHON]


def test_it_sorts_a_search_with_too_many_matches_to_rank_newest_first(
    client, directory, monkeypatch
):
    monkeypatch.setattr(finder, "RANK_LIMIT", 1)
    response = client.get("/initiatives/?q=nurses")
    assert shown_slugs(response) == [HACKATHON, HELPLINE]
    assert "too many to rank by relevance" in response.content.decode()
    # One word more, one match: ranked again, and no notice.
    response = client.get("/initiatives/?q=nurses+helpline")
    assert "too many to rank" not in response.content.decode()


def test_it_sorts_a_search_by_another_order_when_asked(client, directory):
    response = client.get("/initiatives/?q=nurses&sort=oldest")
    assert shown_slugs(response) == [HELPLINE, HACKATHON]


def test_it_offers_relevance_only_with_a_search(client, directory):
    content = client.get("/initiatives/").content.decode()
    assert 'value="relevance"' not in content
    # The default order is selected, and sends no value.
    assert '<option value="" selected>Newest first</option>' in content


def test_a_first_search_from_the_form_is_ranked_by_relevance(client, directory):
    content = client.get("/initiatives/").content.decode()
    sort = re.search(r'<option value="([^"]*)" selected>', content)[1]
    # What the browser sends when a reader types a search into the form and presses Enter.
    response = client.get("/initiatives/", {"q": "nurses", "sort": sort}, follow=True)
    assert response.redirect_chain == [("/initiatives/?q=nurses", 301)]
    assert response.context["finder"].query.sort == "relevance"
    assert '<option value="" selected>Relevance</option>' in response.content.decode()


# Scoped pages: their own dimension fixed, the other filters as on /initiatives/


def test_it_shows_a_country_page_with_that_country_only(client, directory):
    assert found(client, "/countries/be/") == {PETITION, HELP_DESK}


def test_it_applies_other_filters_on_a_country_page(client, directory):
    assert found(client, "/countries/be/?crisis=war-in-ukraine") == {HELP_DESK}


def test_it_applies_other_filters_on_a_sector_page(client, directory):
    assert found(client, "/sectors/legal/?country=pl") == {HELP_DESK, HACKATHON}


def test_it_shows_a_network_page_with_run_and_member_led_initiatives(client, directory):
    assert found(client, "/networks/european-pro-bono-alliance/") == {HELP_DESK, HELPLINE}


def test_it_applies_other_filters_on_a_network_page(client, directory):
    assert found(client, "/networks/european-pro-bono-alliance/?crisis=covid-19") == {HELPLINE}


def test_it_shows_a_facilitator_page_with_its_partner_initiatives(client, directory):
    assert found(client, "/facilitators/the-good-lobby/") == {PETITION, RESERVE}


def test_it_applies_other_filters_on_a_facilitator_page(client, directory):
    assert found(client, "/facilitators/the-good-lobby/?status=ongoing") == {RESERVE}


def test_it_searches_within_a_scoped_page(client, directory):
    assert found(client, "/facilitators/pro-bono-lab/?q=developers") == {HACKATHON}


def test_it_sorts_a_scoped_page(client, directory):
    response = client.get("/sectors/legal/?sort=oldest")
    assert shown_slugs(response) == [PETITION, HELP_DESK, HACKATHON]


@pytest.mark.usefixtures("clinics_built_once")
class TestOverTwoPages:
    """With 25 more Belgian initiatives (`clinics`): the lists run over two pages."""

    def test_it_shows_twenty_initiatives_a_page(self, client, clinics):
        response = client.get("/initiatives/?country=be")
        # The petition, the help desk and 25 clinics.
        assert response.content.decode().count('class="card__title"') == 20
        assert "27 initiatives in Belgium" in response.content.decode()

    def test_it_keeps_filters_and_sort_in_the_next_page_link(self, client, clinics):
        response = client.get("/initiatives/?country=be&sort=title")
        assert links(response, "next") == ["/initiatives/?country=be&sort=title&page=2"]
        assert page_number_links(response) == {2: "/initiatives/?country=be&sort=title&page=2"}

    def test_it_keeps_filters_and_sort_in_the_previous_page_link(self, client, clinics):
        response = client.get("/initiatives/?country=be&sort=title&page=2")
        assert links(response, "prev") == ["/initiatives/?country=be&sort=title"]
        assert page_number_links(response) == {1: "/initiatives/?country=be&sort=title"}
        assert links(response, "next") == []

    def test_it_keeps_the_search_in_page_links(self, client, clinics):
        response = client.get("/initiatives/?q=clinic")
        assert links(response, "next") == ["/initiatives/?q=clinic&page=2"]

    def test_it_shows_the_rest_of_the_filtered_results_on_the_second_page(self, client, clinics):
        first = shown_slugs(client.get("/initiatives/?country=be&sort=title"))
        second = shown_slugs(client.get("/initiatives/?country=be&sort=title&page=2"))
        assert len(first) == 20
        assert len(second) == 7
        assert set(first).isdisjoint(second)
        # Title order: the 25 clinics ("Legal clinic 00"...), the help desk, then the petition.
        assert second == [f"legal-clinic-{n}" for n in range(20, 25)] + [HELP_DESK, PETITION]

    def test_it_keeps_filters_in_page_links_on_a_scoped_page(self, client, clinics):
        response = client.get("/countries/be/?sector=legal")
        assert links(response, "next") == ["/countries/be/?sector=legal&page=2"]
