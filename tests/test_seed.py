import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from initiatives.management.commands.load_seed import DEFAULT_PATH
from initiatives.models import Initiative, Source
from networks.models import Facilitator, Membership, Network
from tests.conftest import body_text
from tests.test_facet_index import assert_counts_match_the_database, finder
from tests.test_network_page import section

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


def test_it_keeps_pro_bono_lab_as_closed_and_a_former_member_of_both_networks(seeded, client):
    lab = Facilitator.objects.get(slug="pro-bono-lab")
    assert not lab.is_active
    assert lab.closed_year == 2025
    assert dict(lab.memberships.values_list("network__slug", "left_year")) == {
        "global-pro-bono-network": 2025,
        "points-of-light": 2025,
    }
    page = client.get("/networks/global-pro-bono-network/")
    assert "Pro Bono Lab" not in section(page, "members")
    assert 'Pro Bono Lab</a> <span class="count">France</span>' in section(page, "former-members")


def test_it_lists_haron_in_no_network_which_no_source_states(seeded, client):
    haron = Facilitator.objects.get(slug="haron")
    assert not haron.memberships.exists()
    assert "Haron" not in body_text(client.get("/networks/global-pro-bono-network/"))
    assert "<dt>Networks</dt>" not in body_text(client.get("/facilitators/haron/"))


def test_it_gives_the_joining_years_the_sources_give_each_with_its_source(seeded):
    joined = dict(
        Membership.objects.exclude(joined_year=None).values_list("facilitator__slug", "joined_year")
    )
    assert joined == {"taproot-foundation": 2013, "huizeren": 2013, "movingworlds": 2017}
    movingworlds = Membership.objects.get(facilitator__slug="movingworlds")
    assert movingworlds.source_url == (
        "https://blog.movingworlds.org/movingworlds-joins-the-global-pro-bono-network/"
    )
    # Every membership says where it comes from.
    assert not Membership.objects.filter(source_url="").exists()
    work_for_social = Membership.objects.get(facilitator__slug="work-for-social")
    assert "joining year is not known" in work_for_social.note


def test_empacts_pro_bono_school_has_no_end_date_which_no_source_gives(seeded, client):
    school = Initiative.objects.get(slug="empact-pro-bono-school")
    assert school.ended_on is None
    assert school.period == "since 2016"
    content = body_text(client.get("/initiatives/empact-pro-bono-school/"))
    assert "Completed" not in content
    assert "No source gives an end date" in content


def test_a_database_seeded_before_gets_the_corrections(seeded, tmp_path):
    """Loaded over the seed as it was (Haron in the network, the school ended in 2022,
    memberships without years), the seed corrects the rows and keeps their history whole."""
    former = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    unknown = {"joined_year": None, "left_year": None, "note": "", "source_url": ""}
    for facilitator in former["facilitators"]:
        facilitator["memberships"] = [
            {"network": membership["network"], **unknown}
            for membership in facilitator["memberships"]
        ]
        if facilitator["slug"] == "haron":
            facilitator["memberships"] = [{"network": "global-pro-bono-network", **unknown}]
    school = next(row for row in former["initiatives"] if row["slug"] == "empact-pro-bono-school")
    school |= {"ended_on": "2022-12-31", "end_precision": "year"}
    path = tmp_path / "seed-before.json"
    path.write_text(json.dumps(former), encoding="utf-8")
    call_command("load_seed", str(path), verbosity=0)
    assert Membership.objects.filter(facilitator__slug="haron").exists()
    assert Initiative.objects.get(slug="empact-pro-bono-school").ended_on is not None

    call_command("load_seed", verbosity=0)
    assert not Membership.objects.filter(facilitator__slug="haron").exists()
    assert Initiative.objects.get(slug="empact-pro-bono-school").ended_on is None
    lab = Membership.objects.get(facilitator__slug="pro-bono-lab", network__slug="points-of-light")
    assert lab.left_year == 2025
    assert [row.left_year for row in lab.history.all()][:2] == [2025, None]


def test_a_membership_ending_before_it_began_is_not_loaded(seeded, tmp_path):
    seed = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    taproot = next(row for row in seed["facilitators"] if row["slug"] == "taproot-foundation")
    taproot["memberships"][0]["left_year"] = 2010
    path = tmp_path / "seed-backwards.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    with pytest.raises(CommandError, match="The year it left cannot be before the year it joined"):
        call_command("load_seed", str(path), verbosity=0)
    assert Membership.objects.get(facilitator__slug="taproot-foundation").left_year is None


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
            "memberships": list(Membership.objects.order_by("pk").values()),
            "membership history": Membership.history.count(),
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
