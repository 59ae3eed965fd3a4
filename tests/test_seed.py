import pytest
from django.core.management import call_command

from initiatives.models import Initiative, Source
from networks.models import Facilitator, Membership, Network
from tests.test_facet_index import assert_counts_match_the_database, finder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_loaded_once")]

# Every organisation the article names, with the country it is based in.
ARTICLE_ORGANISATIONS = {
    "pro-bono-lab": "FR",
    "empact": "SG",
    "beijing-pro-bono-foundation": "CN",
    "pro-bono-venture": "MX",
    "sea-agencia-empreendedores-sociais": "PT",
    "pilnet": "US",
    "the-good-lobby": "BE",
    "haron": "SA",
    "toolbox-india": "IN",
    "taproot-foundation": "US",
}
# Every initiative the article names, with the countries where it ran.
ARTICLE_INITIATIVES = {
    "jeveuxaider-reserve-civique-covid": {"FR"},
    "benevolat-fr-portal": {"FR"},
    "pro-bono-lab-webinars-2020": {"FR"},
    "coalition-10-pour-tout-changer": {"FR"},
    "global-volunteer-month-2020": {"US"},
    "health-pro-bono-platforms-2020": {"SG", "CN", "MX"},
    "sea-fablab-masks-2020": {"PT"},
    "tgl-eu-health-petition": {"BE"},
    "haron-toolbox-community-support-2020": {"SA", "IN"},
    "taproot-covid-2020": {"US"},
    "wirvsvirus-hackathon": {"DE"},
}


def test_it_loads_both_networks_of_the_article(seeded):
    assert set(Network.objects.values_list("slug", flat=True)) >= {
        "global-pro-bono-network",
        "points-of-light",
    }
    assert Network.objects.get(slug="global-pro-bono-network").headquarters_country == ""


def test_it_loads_every_organisation_of_the_article_with_its_country(seeded):
    for slug, country in ARTICLE_ORGANISATIONS.items():
        facilitator = Facilitator.objects.get(slug=slug)
        assert facilitator.headquarters_country == country, slug
        assert facilitator.countries.filter(code=country).exists(), slug


def test_it_loads_every_initiative_of_the_article_with_its_countries_and_source(seeded):
    for slug, countries in ARTICLE_INITIATIVES.items():
        initiative = Initiative.objects.get(slug=slug)
        assert set(initiative.countries.values_list("code", flat=True)) == countries, slug
        assert initiative.sources.get(is_primary=True).url.startswith("http"), slug
        assert initiative.is_published, slug


def test_it_keeps_pro_bono_lab_as_closed_and_in_both_networks(seeded):
    lab = Facilitator.objects.get(slug="pro-bono-lab")
    assert not lab.is_active
    assert lab.closed_year == 2025
    assert set(lab.networks.values_list("slug", flat=True)) == {
        "global-pro-bono-network",
        "points-of-light",
    }


def test_it_records_the_hackathon_figures(seeded):
    hackathon = Initiative.objects.get(slug="wirvsvirus-hackathon")
    assert hackathon.period == "20 March 2020 – 22 March 2020"
    assert "42,968" in hackathon.figures_note
    assert hackathon.kind == Initiative.Kind.HACKATHON


def test_loading_twice_changes_nothing(seeded):
    def snapshot():
        return {
            "initiatives": list(Initiative.objects.order_by("slug").values()),
            "facilitators": list(Facilitator.objects.order_by("slug").values()),
            "memberships": sorted(Membership.objects.values_list("facilitator", "network")),
            "tags": sorted(Initiative.tags.through.objects.values_list("content_object", "tag")),
            "countries": sorted(
                Initiative.countries.through.objects.values_list("initiative", "country")
            ),
            "sources": list(Source.objects.order_by("pk").values()),
            "source history": Source.history.count(),
        }

    before = snapshot()
    call_command("load_seed", verbosity=0)
    assert snapshot() == before


def test_counts_match_on_the_seed_content_too(seeded):
    for query in ["", "country=fr", "sector=legal-services", "status=ongoing&year=2020"]:
        assert_counts_match_the_database(finder(query))


def test_it_gives_each_initiative_its_sources_the_first_primary(seeded):
    for initiative in Initiative.objects.all():
        sources = list(initiative.sources.all())
        assert [source.is_primary for source in sources].count(True) == 1, initiative.slug
        assert sources[0].is_primary, initiative.slug
        assert all(source.title and source.accessed_on for source in sources), initiative.slug
    petition = Initiative.objects.get(slug="tgl-eu-health-petition")
    assert [source.publisher for source in petition.sources.all()][:2] == [
        "The Good Lobby",
        "Civic Space Watch",
    ]
    # Dated only where the facts give a date.
    article = petition.sources.get(url__contains="carenews.com")
    assert article.published_on.isoformat() == "2020-06-17"
    assert petition.sources.get(url__contains="civicspacewatch").published_on is None


def test_it_counts_each_figure_in_its_own_unit(seeded):
    units = dict(
        Initiative.objects.exclude(participants=None).values_list("slug", "participants_unit")
    )
    assert units == {
        "tgl-eu-health-petition": "signatures",
        "wirvsvirus-hackathon": "participants",
        "gpbs-2020-virtual": "registrations",
        "coalition-10-pour-tout-changer": "members",
    }


def test_its_tags_are_few_lower_case_and_without_near_duplicates(seeded):
    names = set(Initiative.tags.through.objects.values_list("tag__name", flat=True))
    assert len(names) <= 30
    assert all(name == name.lower() for name in names)
    # One tag for each idea: "online", not "online platform" or "online event" beside it.
    words = {name: set(name.split()) for name in names}
    assert not [(a, b) for a in names for b in names if a != b and words[a] < words[b]]
