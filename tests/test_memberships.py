"""Memberships with their years: a former member shows as one on its network's page, on its own
page, in the list of facilitators and in JSON-LD; only current members are counted."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from networks.models import Membership
from tests.conftest import admin_form_data, body_text
from tests.test_facilitator_index import options, rows
from tests.test_finder_urls import json_ld
from tests.test_network_page import section

pytestmark = pytest.mark.django_db

BACKWARDS = "The year it left cannot be before the year it joined."


def text(part):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", part))).strip()


def member_lines(part):
    return [text(line) for line in re.findall(r"<li>(.*?)</li>", part, re.S)]


@pytest.fixture
def former(directory):
    """The Global Pro Bono Network: Taproot a member since 2013, The Good Lobby a member from
    2018 to 2023, Pro Bono Lab closed in 2025 without a year of leaving."""
    Membership.objects.create(
        facilitator=directory.taproot, network=directory.global_network, joined_year=2013
    )
    left = Membership.objects.get(facilitator=directory.good_lobby)
    left.left_year = 2023
    left.save()
    directory.lab.is_active = False
    directory.lab.closed_year = 2025
    directory.lab.save()
    return directory


# The model


def test_a_membership_cannot_end_before_it_began_and_says_so(directory):
    membership = Membership(
        facilitator=directory.taproot,
        network=directory.global_network,
        joined_year=2020,
        left_year=2019,
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert error.value.message_dict == {"left_year": [BACKWARDS]}
    # The database refuses it too, for a row written without the form.
    with pytest.raises(ValidationError) as error:
        membership.validate_constraints()
    assert error.value.messages == [BACKWARDS]
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


@pytest.mark.parametrize("year", [1799, 2101])
def test_a_year_out_of_range_is_refused(directory, year):
    membership = Membership(facilitator=directory.taproot, network=directory.global_network)
    membership.left_year = year
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert list(error.value.message_dict) == ["left_year"]


@pytest.mark.parametrize(
    ("joined", "left", "active", "shown"),
    [
        (2017, None, True, "member since 2017"),
        (None, None, True, "member"),
        (2013, 2025, True, "member 2013–2025"),
        (2020, 2020, True, "member in 2020"),
        (None, 2025, True, "member until 2025"),
        # Closed in 2025 without leaving first: a member until it closed.
        (2016, None, False, "member 2016–2025"),
        (2016, 2019, False, "member 2016–2019"),
    ],
)
def test_each_membership_says_its_years_as_far_as_they_are_known(
    directory, joined, left, active, shown
):
    directory.lab.is_active, directory.lab.closed_year = active, None if active else 2025
    membership = Membership(
        facilitator=directory.lab, network=directory.european, joined_year=joined, left_year=left
    )
    assert str(membership.years) == shown


def test_a_closed_organisation_without_years_is_a_former_member(directory):
    directory.lab.is_active = False
    membership = Membership(facilitator=directory.lab, network=directory.european)
    assert str(membership.years) == "former member"
    membership.joined_year = 2014
    assert str(membership.years) == "former member, joined in 2014"


# The admin


def good_lobby_form(editor_client, good_lobby, **changes):
    url = reverse("admin:networks_facilitator_change", args=[good_lobby.pk])
    return url, admin_form_data(editor_client.get(url), **changes)


def test_an_editor_records_when_a_member_left_with_a_note_and_a_source(editor_client, directory):
    url, data = good_lobby_form(
        editor_client,
        directory.good_lobby,
        **{
            "memberships-0-left_year": "2023",
            "memberships-0-note": "Its annual report no longer lists the network.",
            "memberships-0-source_url": "https://example.org/report-2023",
        },
    )
    assert editor_client.post(url, data).status_code == 302
    membership = Membership.objects.get(facilitator=directory.good_lobby)
    assert (membership.joined_year, membership.left_year) == (2018, 2023)
    assert membership.note == "Its annual report no longer lists the network."
    assert membership.history.first().source_url == "https://example.org/report-2023"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"memberships-0-left_year": "2015"}, "left_year", BACKWARDS),
        (
            {"memberships-0-left_year": "2201"},
            "left_year",
            "Ensure this value is less than or equal to 2100.",
        ),
        ({"memberships-0-source_url": "javascript:alert(1)"}, "source_url", "Enter a valid URL."),
        # Refused by WebLinks; the admin's form then words it as its own URL field does.
        (
            {"memberships-0-source_url": "ftp://example.org/report"},
            "source_url",
            "Enter a valid URL.",
        ),
    ],
)
def test_the_form_explains_a_wrong_membership_and_keeps_it_as_it_was(
    editor_client, directory, changes, field, message
):
    url, data = good_lobby_form(editor_client, directory.good_lobby, **changes)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    (memberships,) = response.context["inline_admin_formsets"]
    assert memberships.formset.errors[0] == {field: [message]}
    assert message in html.unescape(body_text(response))
    membership = Membership.objects.get(facilitator=directory.good_lobby)
    assert (membership.left_year, membership.source_url) == (None, "")


def test_the_membership_inline_shows_the_years_the_note_and_the_source(editor_client, directory):
    url = reverse("admin:networks_facilitator_change", args=[directory.good_lobby.pk])
    content = body_text(editor_client.get(url))
    for name in ["network", "joined_year", "left_year", "note", "source_url"]:
        assert f'name="memberships-0-{name}"' in content
    headings = re.findall(r'<th class="column-(\w+)', content)
    assert headings[:5] == ["network", "joined_year", "left_year", "note", "source_url"]


# The pages


def test_the_network_page_lists_former_members_apart_with_their_years(client, former):
    response = client.get("/networks/global-pro-bono-network/")
    current, gone = section(response, "members"), section(response, "former-members")
    assert '<h2 id="members">1 member</h2>' in current
    assert member_lines(current) == ["Taproot Foundation · member since 2013"]
    assert '<h2 id="former-members">2 former members</h2>' in gone
    assert member_lines(gone) == [
        "Pro Bono Lab · member until 2025 Closed",
        "The Good Lobby Belgium, Italy · member 2018–2023",
    ]
    # The countries its members cover are those of its current members: none here.
    assert response.context["countries"] == []


def test_a_network_without_current_members_says_so(client, former):
    Membership.objects.filter(facilitator=former.taproot, network=former.global_network).delete()
    current = section(client.get("/networks/global-pro-bono-network/"), "members")
    assert '<h2 id="members">0 members</h2>' in current
    assert "None of the organisations in this directory is a member now." in current


def test_a_network_with_no_former_member_has_no_such_section(client, directory):
    assert 'id="former-members"' not in body_text(client.get("/networks/global-pro-bono-network/"))


def test_the_list_of_networks_counts_current_members_only(client, former):
    cards = re.findall(
        r"<article class=\"card\">(.*?)</article>", body_text(client.get("/networks/")), re.S
    )
    meta = {text(re.search(r"<h2.*?</h2>", card, re.S)[0]): text(card) for card in cards}
    assert meta["Global Pro Bono Network"].startswith("Global Pro Bono Network 1 member in this")
    assert meta["European Pro Bono Alliance"].startswith("European Pro Bono Alliance 1 member in")


def test_the_network_filter_lists_and_counts_current_members_only(client, former):
    response = client.get("/facilitators/?network=global-pro-bono-network")
    assert list(rows(response)) == ["taproot"]
    assert ("global-pro-bono-network", "Global Pro Bono Network (1)", True) in options(
        response, "network"
    )
    # Unfiltered, each row names its networks, a former one with its years.
    found = rows(client.get("/facilitators/"))
    assert found["the-good-lobby"][2] == "Global Pro Bono Network (member 2018–2023)"
    assert found["taproot"][2] == "European Pro Bono Alliance, Global Pro Bono Network"


@pytest.mark.parametrize(
    ("slug", "networks"),
    [
        ("taproot", ["European Pro Bono Alliance", "Global Pro Bono Network Member since 2013"]),
        ("the-good-lobby", ["Global Pro Bono Network Member 2018–2023"]),
        ("pro-bono-lab", ["Global Pro Bono Network Member until 2025"]),
    ],
)
def test_the_facilitator_page_gives_each_network_with_its_years(client, former, slug, networks):
    content = body_text(client.get(f"/facilitators/{slug}/"))
    shown = re.search(r"<dt>Networks</dt><dd>(.*?)</dd>", content)[1]
    assert [text(line) for line in shown.split("<br>")] == networks


def test_the_json_ld_wraps_each_membership_in_a_role_with_its_years(client, former):
    network = json_ld(client.get("/networks/global-pro-bono-network/"))
    assert network["@type"] == "Organization"
    assert network["url"] == "http://testserver/networks/global-pro-bono-network/"
    roles = {role["member"]["name"]: role for role in network["member"]}
    assert roles["The Good Lobby"] == {
        "@type": "OrganizationRole",
        "member": {
            "@type": "NGO",
            "name": "The Good Lobby",
            "url": "http://testserver/facilitators/the-good-lobby/",
        },
        "startDate": "2018",
        "endDate": "2023",
    }
    assert roles["Taproot Foundation"]["startDate"] == "2013"
    assert "endDate" not in roles["Taproot Foundation"]
    # A closed organisation's membership ends the year it closed.
    assert roles["Pro Bono Lab"]["endDate"] == "2025"
    assert "startDate" not in roles["Pro Bono Lab"]

    (role,) = json_ld(client.get("/facilitators/the-good-lobby/"))["memberOf"]
    assert role == {
        "@type": "OrganizationRole",
        "memberOf": {
            "@type": "Organization",
            "name": "Global Pro Bono Network",
            "url": "http://testserver/networks/global-pro-bono-network/",
        },
        "startDate": "2018",
        "endDate": "2023",
    }
