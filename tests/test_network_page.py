"""A network's page: its members with their countries and years, its own work apart from its
members' work elsewhere."""

import html
import re

import pytest

from initiatives.models import Initiative
from tests.conftest import body_text

pytestmark = pytest.mark.django_db


def section(response, heading_id):
    content = body_text(response)
    return content.split(f'aria-labelledby="{heading_id}"')[1].split("</section>")[0]


def listed(part):
    return re.findall(r'<li><a href="[^"]*/initiatives/([\w-]+)/"', part)


def test_it_shows_the_networks_own_work_apart_from_its_members(client, directory):
    """The alliance runs the refugee help desk itself; Taproot, a member, leads the helpline."""
    response = client.get("/networks/european-pro-bono-alliance/")
    own, members = section(response, "own-work"), section(response, "members-work")
    assert '<h2 id="own-work">Run by European Pro Bono Alliance itself</h2>' in own
    assert listed(own) == ["refugee-help-desk"]
    assert '<h2 id="members-work">Led by its members</h2>' in members
    assert listed(members) == ["nurses-helpline"]
    assert "Taproot Foundation" in members
    finder = 'href="/initiatives/?network=european-pro-bono-alliance"'
    assert finder in own
    assert finder in members
    assert client.get("/initiatives/?network=european-pro-bono-alliance").status_code == 200


def test_it_says_when_a_network_has_no_work_of_its_own(client, directory):
    """The Global Pro Bono Network's members lead everything; drafts are not shown."""
    response = client.get("/networks/global-pro-bono-network/")
    assert listed(section(response, "own-work")) == []
    assert "None published yet" in section(response, "own-work")
    assert listed(section(response, "members-work")) == [
        "ukraine-hackathon",
        "eu-health-petition",
        "reserve-civique",
    ]
    assert "secret-draft" not in body_text(response)


def test_it_lists_the_five_newest_and_counts_the_rest(client, directory):
    for number in range(6):
        Initiative.objects.create(
            title=f"Statement {number}",
            slug=f"statement-{number}",
            summary="s",
            kind=Initiative.Kind.AWARENESS_CAMPAIGN,
            network=directory.global_network,
            status=Initiative.Status.PUBLISHED,
        )
    own = section(client.get("/networks/global-pro-bono-network/"), "own-work")
    assert len(listed(own)) == 5
    assert "<li>and 1 more</li>" in own
    assert "All 9 initiatives of the network and its members, to filter in the finder" in own


def test_it_gives_members_joining_years_only_where_known(client, directory):
    members = section(client.get("/networks/global-pro-bono-network/"), "members")
    assert (
        'The Good Lobby</a> <span class="count">Belgium, Italy</span> '
        '<span class="count"><span aria-hidden="true">· </span>member since 2018</span>' in members
    )
    lab = re.search(r"Pro Bono Lab</a>(.*?)</li>", members)[1]
    assert "since" not in lab


def test_it_speaks_french_under_fr(client, directory):
    response = client.get("/fr/networks/european-pro-bono-alliance/")
    own, members = section(response, "own-work"), section(response, "members-work")
    assert (
        html.unescape(re.search(r'<h2 id="own-work">(.*?)</h2>', own)[1])
        == "Menées par le réseau European Pro Bono Alliance lui-même"
    )
    assert (
        html.unescape(re.search(r'<h2 id="members-work">(.*?)</h2>', members)[1])
        == "Menées par ses membres"
    )
    assert 'href="/fr/initiatives/?network=european-pro-bono-alliance"' in own
