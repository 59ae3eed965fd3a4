import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from initiatives.models import Initiative, Sector, Source
from networks.models import Country, Facilitator, Membership
from tests.directory import make_initiative

DAY = datetime.date(2024, 1, 15)

pytestmark = pytest.mark.django_db


def test_it_refuses_an_end_date_before_the_start_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_initiative(
            "Backwards",
            "backwards",
            started_on=datetime.date(2020, 5, 1),
            ended_on=datetime.date(2020, 4, 1),
        )


def test_it_explains_an_end_date_before_the_start_date_in_plain_words():
    initiative = Initiative(
        title="Backwards",
        slug="backwards",
        summary="s",
        kind=Initiative.Kind.HACKATHON,
        started_on=datetime.date(2020, 5, 1),
        ended_on=datetime.date(2020, 4, 1),
    )
    with pytest.raises(ValidationError) as error:
        initiative.full_clean()
    assert error.value.message_dict["ended_on"] == ["The end date cannot be before the start date."]


def test_it_refuses_two_initiatives_with_one_slug(petition):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_initiative("Another", petition.slug)


def test_it_refuses_two_sectors_with_one_slug(legal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Sector.objects.create(name="Law", slug="legal")


def test_it_refuses_a_duplicate_membership(facilitator, network):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(facilitator=facilitator, network=network)


def test_it_refuses_an_active_organisation_with_a_closing_year():
    with pytest.raises(IntegrityError), transaction.atomic():
        Facilitator.objects.create(name="Closed", slug="closed", is_active=True, closed_year=2025)


def test_it_refuses_an_unknown_status(petition):
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=petition.pk).update(status="hidden")


def test_it_refuses_a_malformed_country_code():
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.create(code="pt")


def test_it_knows_every_iso_country_from_the_start():
    assert Country.objects.count() >= 249
    assert Country.objects.get(code="PT").name == "Portugal"


def test_it_asks_for_a_source_before_publishing(petition):
    petition.sources.all().delete()
    assert petition.missing_for_publication() == {"sources": "a source"}


def test_it_keeps_one_primary_source_per_initiative(petition):
    second = Source(initiative=petition, url="https://example.org/b", accessed_on=DAY)
    second.is_primary = True
    with pytest.raises(ValidationError, match="only one primary source"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    second.is_primary = False
    second.save()  # as many other sources as there are


@pytest.mark.parametrize("url", ["", "ftp://example.org/file", "javascript:alert(1)"])
def test_it_keeps_only_web_links_as_sources(petition, url):
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(initiative=petition, url=url, accessed_on=DAY)


def test_a_source_is_named_by_its_title_or_else_its_site(petition):
    source = Source(url="https://www.thegoodlobby.eu/2020/04/27/are-europes/", title="")
    assert str(source) == "thegoodlobby.eu"
    source.title = "Are Europe's health ministers listening to us?"
    assert str(source) == "Are Europe's health ministers listening to us?"


def test_it_keeps_the_time_of_first_publication(petition):
    first = petition.published_at
    assert first is not None
    petition.status = Initiative.Status.DRAFT
    petition.save()
    petition.status = Initiative.Status.PUBLISHED
    petition.save()
    assert petition.published_at == first


def test_it_shows_dates_as_precisely_as_they_are_known():
    initiative = Initiative(
        started_on=datetime.date(2020, 1, 1),
        start_precision="year",
        ended_on=datetime.date(2020, 12, 31),
        end_precision="year",
    )
    assert initiative.period == "2020"
    initiative.start_precision = initiative.end_precision = "month"
    initiative.ended_on = datetime.date(2020, 4, 30)
    initiative.started_on = datetime.date(2020, 4, 1)
    assert initiative.period == "April 2020"
    initiative.ended_on = None
    assert initiative.period == "since April 2020"


def test_it_treats_tags_case_insensitively(petition):
    other = make_initiative("Other", "other", tags=["Petition"])
    assert set(petition.tags.all()) == set(other.tags.all())
