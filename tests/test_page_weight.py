"""Every page type, its HTML plus the stylesheet, stays under 100 KB compressed: even with the
demo's full vocabularies (every country, 200 facilitators, 500 tags) listed in the facets."""

import gzip
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from initiatives.models import Initiative
from initiatives.views import sectors_with_counts
from networks.models import Facilitator, Network
from networks.views import listed_countries
from tests.browser.conftest import PAGE_TYPES

pytestmark = pytest.mark.django_db

BUDGET = 100_000


def compressed(content):
    return len(gzip.compress(content))


@pytest.fixture
def full_directory(db):
    call_command("load_seed", verbosity=0)
    call_command("seed_demo", initiatives=200, seed=1, stdout=io.StringIO())


def urls_of_every_page_type():
    busiest_country = max(listed_countries(), key=lambda country: country.initiative_count)
    return [
        *PAGE_TYPES.values(),
        Initiative.objects.published().first().get_absolute_url(),
        busiest_country.get_absolute_url(),
        max(sectors_with_counts(), key=lambda sector: sector.initiative_count).get_absolute_url(),
        Network.objects.first().get_absolute_url(),
        Facilitator.objects.first().get_absolute_url(),
        "/initiatives/?page=2",
    ]


def test_every_page_type_with_the_stylesheet_weighs_under_100_kb_compressed(client, full_directory):
    stylesheet = compressed((settings.BASE_DIR / "static" / "css" / "site.css").read_bytes())
    weights = {}
    for url in urls_of_every_page_type():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        weights[url] = compressed(response.content) + stylesheet
    heaviest = max(weights, key=weights.get)
    assert weights[heaviest] < BUDGET, f"{heaviest} weighs {weights[heaviest]} bytes compressed"
