"""An initiative's page says where its facts come from and what its figures count: the sources
as a list, the participants figure with its unit, on the page in both languages, in the JSON-LD
and in the exports."""

import datetime
import re

import pytest

from initiatives.models import Initiative, Source
from tests.conftest import body_text
from tests.test_feeds_exports import csv_rows, json_rows
from tests.test_finder_urls import json_ld

pytestmark = pytest.mark.django_db

PAGE = "/initiatives/eu-health-petition/"


@pytest.fixture
def sourced(petition):
    """The petition with 10,000 signatures and three sources, the second one the primary."""
    Initiative.objects.filter(pk=petition.pk).update(
        participants=10000, participants_unit=Initiative.ParticipantsUnit.SIGNATURES
    )
    petition.sources.update(order=1)  # the example.org source, primary
    Source.objects.create(
        initiative=petition,
        url="https://www.thegoodlobby.eu/2020/04/27/are-europes-health-ministers/",
        title="Are Europe's health ministers listening to us?",
        publisher="The Good Lobby",
        published_on=datetime.date(2020, 4, 27),
        accessed_on=datetime.date(2026, 11, 26),
        order=0,
    )
    Source.objects.create(
        initiative=petition,
        url="https://civicspacewatch.eu/we-demand/",
        title="We demand that the 27 ministers coordinate",
        accessed_on=datetime.date(2026, 11, 26),
        order=2,
    )
    return petition


def sources_list(content):
    section = content.split('<h2 id="sources">', 1)[1].split("</section>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", section)]


def test_it_lists_the_sources_with_title_publisher_and_date(client, sourced):
    content = client.get(PAGE).content.decode()
    assert sources_list(content) == [
        "Are Europe&#x27;s health ministers listening to us?, The Good Lobby, 27 April 2020",
        "example.org",
        "We demand that the 27 ministers coordinate",
    ]
    assert (
        '<a class="print-url" href="https://www.thegoodlobby.eu/2020/04/27/are-europes-health-'
        'ministers/" rel="external noopener">' in content
    )
    assert '<time datetime="2020-04-27">27 April 2020</time>' in content


@pytest.fixture
def edit(django_capture_on_commit_callbacks):
    """Save the initiative with these values, as an editor would, and publish the change."""

    def edit(initiative, **values):
        with django_capture_on_commit_callbacks(execute=True):
            initiative = Initiative.objects.get(pk=initiative.pk)
            for name, value in values.items():
                setattr(initiative, name, value)
            initiative.save()

    return edit


def test_it_shows_the_participants_figure_with_its_unit(client, sourced, edit):
    content = client.get(PAGE).content.decode()
    assert "<dt>Participation</dt><dd>10,000 signatures</dd>" in content
    edit(sourced, participants=1, participants_unit="members")
    assert "<dt>Participation</dt><dd>1 member</dd>" in client.get(PAGE).content.decode()


def test_it_says_whether_the_initiative_is_still_going(client, petition, edit):
    assert "<dt>Status</dt><dd>Completed</dd>" in client.get(PAGE).content.decode()
    edit(petition, ended_on=None)
    assert "<dt>Status</dt><dd>Ongoing</dd>" in client.get(PAGE).content.decode()


def test_the_french_page_gives_the_sources_and_the_unit_in_french(client, sourced, edit):
    content = client.get(f"/fr{PAGE}").content.decode()
    assert "<dt>Participation</dt><dd>10\u202f000 signatures</dd>" in content
    assert '<h2 id="sources">Sources</h2>' in content
    assert "<dt>Statut</dt><dd>Terminée</dd>" in content  # one initiative, not the facet's
    assert sources_list(content)[0].endswith("The Good Lobby, 27 avril 2020")
    edit(sourced, participants_unit="registrations")
    assert "<dd>10\u202f000 inscriptions</dd>" in client.get(f"/fr{PAGE}").content.decode()


def test_a_change_to_a_source_shows_on_the_cached_page(
    client, sourced, django_capture_on_commit_callbacks
):
    assert "We demand" in client.get(PAGE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sourced.sources.get(title__startswith="We demand").delete()
    assert "We demand" not in client.get(PAGE).content.decode()


def test_the_json_ld_names_the_sources_and_counts_the_signatures(client, sourced):
    data = json_ld(client.get(PAGE))
    assert data["subjectOf"][0] == {
        "@type": "CreativeWork",
        "name": "Are Europe's health ministers listening to us?",
        "url": "https://www.thegoodlobby.eu/2020/04/27/are-europes-health-ministers/",
        "publisher": {"@type": "Organization", "name": "The Good Lobby"},
        "datePublished": "2020-04-27",
    }
    assert len(data["subjectOf"]) == 3
    assert data["interactionStatistic"] == {
        "@type": "InteractionCounter",
        "name": "signatures",
        "userInteractionCount": 10000,
        "interactionType": {"@type": "EndorseAction"},
    }
    # citation is a CreativeWork's property, not a Project's.
    assert "citation" not in data


def test_the_exports_give_the_primary_source_the_number_of_sources_and_the_unit(
    client, sourced, draft
):
    (row,) = json_rows(client, "/initiatives/export.json?tag=petition")
    assert row["primary_source_url"] == "https://example.org/source"
    assert row["source_count"] == 3
    assert (row["participants"], row["participants_unit"]) == (10000, "signatures")
    assert "source_url" not in row
    (row,) = csv_rows(client, "/initiatives/export.csv?tag=petition")
    assert (row["primary_source_url"], row["source_count"]) == ("https://example.org/source", "3")
    assert row["participants_unit"] == "signatures"


def test_the_csv_export_keeps_its_columns_in_order(client, sourced):
    header = body_text(client.get("/initiatives/export.csv")).splitlines()[0].split(",")
    assert header[header.index("participants") :][:2] == ["participants", "participants_unit"]
    assert header[header.index("website") :][:4] == [
        "website",
        "primary_source_url",
        "source_count",
        "last_verified_on",
    ]
