"""Each page runs a fixed number of queries, however many rows it shows."""

import pytest

from initiatives.models import Initiative
from networks.models import Facilitator, Membership
from tests.conftest import make_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_initiatives(facilitator, network, legal, covid):
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
    return Initiative.objects.all()


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # three counts, latest initiatives + their countries + sectors, top countries,
        # sectors, networks
        ("/", 9),
        # count, page, countries, sectors
        ("/initiatives/", 4),
        # initiative, countries, sectors, partners, tags
        ("/initiatives/initiative-1/", 5),
        # countries with their counts
        ("/countries/", 1),
        # country, count, page, countries, sectors, facilitators
        ("/countries/be/", 6),
        ("/sectors/", 1),
        # sector, count, page, countries, sectors
        ("/sectors/legal/", 5),
        ("/networks/", 1),
        # network, memberships, countries covered, count, page, countries, sectors
        ("/networks/global-pro-bono-network/", 7),
        # count, page, their countries, memberships with networks
        ("/facilitators/", 4),
        # facilitator, countries, memberships, count, page, countries, sectors
        ("/facilitators/the-good-lobby/", 7),
    ],
)
def test_it_runs_a_fixed_number_of_queries(
    client, many_initiatives, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
