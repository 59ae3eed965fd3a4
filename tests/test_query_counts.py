"""Each page runs a fixed number of queries, however many rows it shows."""

import datetime

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from initiatives import facet_index
from networks.models import EmbedPartner, Facilitator, Membership
from probono import caching
from tests.conftest import rolled_back_after, shown_slugs
from tests.directory import (
    create_covid,
    create_facilitator,
    create_legal,
    create_network,
    make_initiative,
)

pytestmark = pytest.mark.django_db
SEARCH_TRANSACTION = 3 if connection.vendor == "postgresql" else 0


@pytest.fixture(scope="class")
def thirty_initiatives(django_db_setup, django_db_blocker):
    """30 initiatives, committed, built once for a class of tests, which only read them."""
    with rolled_back_after(django_db_blocker):
        with TestCase.captureOnCommitCallbacks(execute=True):
            network = create_network()
            create_initiatives(create_facilitator(network), network, create_legal(), create_covid())
        yield


@pytest.fixture
def many_initiatives(thirty_initiatives):
    """The 30 initiatives as this process sees them after an editor's save: its copy of the
    facet index up to date, the data version moved on."""
    facet_index.current()
    caching.data_changed()


def create_initiatives(facilitator, network, legal, covid):
    for number in range(30):
        other = Facilitator.objects.create(name=f"Facilitator {number}", slug=f"f-{number}")
        other.countries.set(["BE", "FR"])
        Membership.objects.create(facilitator=other, network=network)
        make_initiative(
            f"Initiative {number}",
            f"initiative-{number}",
            facilitator=facilitator if number % 2 else other,
            crisis=covid,
            sectors=[legal],
            countries=["BE", "FR", "PT"],
            tags=[f"tag-{number}", "common"],
        )


class TestThirtyInitiatives:
    """Pages over 30 initiatives (`many_initiatives`), with a facilitator each."""

    # A cold page first checks the facet index once per data version (its queue, its revision).
    # Counts come from the index: no grouped query over the initiatives.
    @pytest.mark.parametrize(
        ("url", "queries"),
        [
            # the index, facilitators per country, the facilitators' count, the sectors, the
            # networks, the most recent work, the most recently added + the sectors (the
            # cards') + the links of both lists in one query
            ("/", 10),
            # the index, five vocabularies (sectors, networks, facilitators, crises, tags; the
            # countries come from the index), the initiatives that ended this year before today
            # (the status facet), those verified in the month a year ago from that day on (the
            # verified facet), the page's ids, its rows, the sectors, their links
            ("/initiatives/", 13),
            # initiative; its countries, sectors, partners and tags in one query; the sectors;
            # its sources; the related initiatives and their links (all kept with the
            # initiative after)
            ("/initiatives/initiative-1/", 6),
            # the index, facilitators per country
            ("/countries/", 3),
            # as the list, and the facilitators working there
            ("/countries/be/", 14),
            # the index, the sectors
            ("/sectors/", 3),
            # the index, five vocabularies, the 50 newest, the sectors, their links
            ("/initiatives/feed/", 10),
            # the sector, then as the list
            ("/sectors/legal/", 14),
            ("/networks/", 1),
            # network, countries covered, then as the list, the memberships and their countries,
            # the network's own newest work and its members', each with its total
            ("/networks/global-pro-bono-network/", 19),
            # the rows with their initiatives counted, their countries, memberships with
            # networks, the countries' and the networks' options counted
            ("/facilitators/", 5),
            # as unfiltered, and the network the link names
            ("/facilitators/?country=be&network=global-pro-bono-network&q=facilitator", 6),
            # facilitator, its countries, its memberships, then as the list
            ("/facilitators/the-good-lobby/", 16),
            # as the list, and the initiatives matching the search; on PostgreSQL inside a
            # transaction of its own that keeps the planner on the GIN index (BEGIN, SET, COMMIT)
            ("/initiatives/?q=initiative", 14 + SEARCH_TRANSACTION),
            # the readers' forms: the published initiative; the countries to choose from
            ("/initiatives/initiative-1/report/", 1),
            ("/propose/", 1),
            # the alerts' form: as the finder, the index and five vocabularies for the view's
            # words; nothing counted, no initiative read
            ("/alerts/new/?country=be&sector=legal", 7),
            # The API: as the list's count (the index, five vocabularies, the status and
            # verified facets), then the page's ids, its rows and their five kinds of links
            # (initiatives.exports.with_relations); the facets come from the same index.
            ("/api/v1/initiatives/", 16),
            ("/api/v1/initiatives/?country=be&facets=country,sector,tag&per_page=30", 16),
            # its id, its row, its links
            ("/api/v1/initiatives/initiative-1/", 7),
            # the count, the rows with their last change, their countries, their networks
            ("/api/v1/facilitators/?per_page=31", 4),
        ],
    )
    def test_it_runs_a_fixed_number_of_queries(
        self, client, many_initiatives, django_assert_num_queries, url, queries
    ):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200

    @pytest.mark.parametrize(
        ("url", "queries"),
        [
            # the partner, then as the list: the index, five vocabularies, the status and
            # verified facets' dates, the page's ids, its rows, the sectors, their links
            ("/embed/lab/", 14),
            ("/fr/embed/lab/?sector=legal&theme=dark", 14),
        ],
    )
    def test_an_embedded_list_runs_a_fixed_number_of_queries(
        self, client, many_initiatives, django_assert_num_queries, url, queries
    ):
        EmbedPartner.objects.create(name="Lab", slug="lab", allowed_origins="https://a.example")
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200

    @pytest.mark.parametrize(
        ("first", "then", "queries"),
        [
            # Counts, facets and sectors are cached: another page costs its ids, its rows and their
            # country and sector links, the last page as much as the second.
            ("/initiatives/", "/initiatives/?page=2", 3),
            ("/initiatives/", "/initiatives/?page=3", 3),
            ("/initiatives/?q=initiative", "/initiatives/?q=initiative&sort=title", 3),
            # Listing every option of a facet needs no new count.
            ("/initiatives/", "/initiatives/?show=tag", 3),
            # The facilitators working in the country are part of the cached fragment; the sector
            # is cached whole.
            ("/countries/be/", "/countries/be/?page=2", 3),
            ("/sectors/legal/", "/sectors/legal/?page=2", 3),
            # A published initiative is kept whole until the next write.
            ("/initiatives/initiative-1/", "/initiatives/initiative-1/?utm_source=chat", 0),
        ],
    )
    def test_warm_caches_leave_only_the_page_itself_to_fetch(
        self, client, many_initiatives, django_assert_num_queries, first, then, queries
    ):
        assert client.get(first).status_code == 200
        with django_assert_num_queries(queries):
            assert client.get(then).status_code == 200


def add_initiatives(numbers, *, facilitator, network, legal, covid):
    for number in numbers:
        other = Facilitator.objects.create(name=f"Other {number}", slug=f"other-{number}")
        Membership.objects.create(facilitator=other, network=network)
        make_initiative(
            f"Remote clinic {number}",
            f"remote-clinic-{number}",
            facilitator=facilitator if number % 2 else other,
            crisis=covid,
            sectors=[legal],
            countries=["BE", "FR"],
            tags=[f"tag-{number}", "common"],
            started_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
        )


def queries_and_results(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(shown_slugs(response))


@pytest.mark.parametrize(
    "url",
    [
        "/initiatives/",
        "/initiatives/?country=be&sector=legal&crisis=covid-19&q=remote",
        "/countries/be/",
        "/countries/be/?sector=legal&crisis=covid-19&tag=common&q=remote",
        "/sectors/legal/?country=fr&network=global-pro-bono-network&year=2020&q=clinic",
        "/networks/global-pro-bono-network/?country=be&kind=advocacy-campaign&status=ongoing&q=clinic",
        "/facilitators/the-good-lobby/?country=be&tag=common&status=ongoing&q=remote",
    ],
)
def test_it_runs_as_many_queries_for_40_results_as_for_5(
    client, facilitator, network, legal, covid, url, django_capture_on_commit_callbacks
):
    fields = {"facilitator": facilitator, "network": network, "legal": legal, "covid": covid}
    with django_capture_on_commit_callbacks(execute=True):
        add_initiatives(range(5), **fields)
    few, shown = queries_and_results(client, url)
    assert shown >= 1
    with django_capture_on_commit_callbacks(execute=True):
        add_initiatives(range(5, 40), **fields)
    # A full page of 20, with more on the next pages.
    assert queries_and_results(client, url) == (few, 20)
