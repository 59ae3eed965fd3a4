import datetime

import pytest

from initiatives.models import Crisis, Initiative, Sector
from networks.models import Facilitator, Membership, Network


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def legal(db):
    return Sector.objects.create(name="Legal", slug="legal")


@pytest.fixture
def covid(db):
    return Crisis.objects.create(
        name="Covid-19 pandemic", slug="covid-19", started_on=datetime.date(2020, 1, 30)
    )


@pytest.fixture
def network(db):
    return Network.objects.create(name="Global Pro Bono Network", slug="global-pro-bono-network")


@pytest.fixture
def facilitator(db, network):
    facilitator = Facilitator.objects.create(
        name="The Good Lobby", slug="the-good-lobby", headquarters_country="BE", city="Brussels"
    )
    facilitator.countries.set(["BE", "IT"])
    Membership.objects.create(facilitator=facilitator, network=network, joined_year=2018)
    return facilitator


def make_initiative(title, slug, *, countries=("BE",), sectors=(), tags=(), **fields):
    fields.setdefault("summary", f"Summary of {title}.")
    fields.setdefault("kind", Initiative.Kind.ADVOCACY_CAMPAIGN)
    fields.setdefault("source_url", "https://example.org/source")
    fields.setdefault("status", Initiative.Status.PUBLISHED)
    initiative = Initiative.objects.create(title=title, slug=slug, **fields)
    initiative.countries.set(countries)
    initiative.sectors.set(sectors)
    initiative.tags.set(tags)
    return initiative


@pytest.fixture
def petition(facilitator, legal, covid):
    return make_initiative(
        "Petition to the EU health ministers",
        "eu-health-petition",
        facilitator=facilitator,
        crisis=covid,
        sectors=[legal],
        tags=["petition"],
        started_on=datetime.date(2020, 3, 28),
        ended_on=datetime.date(2020, 4, 30),
    )


@pytest.fixture
def draft(facilitator, legal, covid):
    return make_initiative(
        "Secret draft about Portugal",
        "secret-draft",
        facilitator=facilitator,
        crisis=covid,
        sectors=[legal],
        countries=["PT"],
        status=Initiative.Status.DRAFT,
    )
