"""The admin's list of initiatives: the columns an editor needs, countries by name, and what
needs attention (drafts not ready to publish, facts not verified for a year)."""

import datetime
import html
import re

import pytest
from django.conf import settings
from django.utils import timezone

from initiatives.models import Initiative
from probono.verification import a_year_before, due_for_verification
from tests.directory import make_initiative

pytestmark = pytest.mark.django_db

CHANGELIST = "/" + settings.ADMIN_PATH + "initiatives/initiative/"
TODAY = timezone.localdate()
A_YEAR_AGO = a_year_before(TODAY)
RECENTLY = TODAY - datetime.timedelta(days=30)


def headers(response):
    head = response.content.decode().split('id="result_list"')[1].split("</thead>")[0]
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', head, re.S)
    return [html.unescape(re.sub(r"<[^>]+>|\s+", " ", cell)).strip().lower() for cell in cells]


def listed(client, query=""):
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return {initiative.slug for initiative in response.context["cl"].result_list}


def country_choices(client, **headers):
    response = client.get(CHANGELIST, headers=headers)
    filters = response.context["cl"].filter_specs
    spec = next(spec for spec in filters if getattr(spec, "field_path", "") == "countries")
    return [name for _code, name in spec.lookup_choices]


def test_the_list_shows_what_an_editor_needs_in_short(editor_client):
    initiative = make_initiative(
        "Legal clinics",
        "clinics",
        countries=["FR", "BE"],
        last_verified_on=datetime.date(2024, 3, 5),
    )
    Initiative.objects.filter(pk=initiative.pk).update(
        updated_at=datetime.datetime(2025, 1, 9, 12, tzinfo=datetime.UTC)
    )
    response = editor_client.get(CHANGELIST)
    assert headers(response)[1:] == [
        "title",
        "status",
        "countries",
        "run by",
        "last verified",
        "updated",
    ]
    content = response.content.decode()
    assert '<abbr title="Belgium">BE</abbr>, <abbr title="France">FR</abbr>' in content
    assert '<td class="field-last_verified">5 Mar 2024</td>' in content
    assert '<td class="field-updated">9 Jan 2025</td>' in content


def test_the_list_sorts_by_last_verified(editor_client):
    make_initiative("Checked long ago", "old", last_verified_on=datetime.date(2020, 1, 1))
    make_initiative("Checked lately", "new", last_verified_on=RECENTLY)
    make_initiative("Never checked", "never")
    column = headers(editor_client.get(CHANGELIST)).index("last verified")
    response = editor_client.get(f"{CHANGELIST}?o={column}")
    slugs = [initiative.slug for initiative in response.context["cl"].result_list]
    assert slugs.index("old") < slugs.index("new")


def test_the_country_filter_lists_countries_by_name_in_the_editors_language(editor_client):
    make_initiative("In Germany", "de", countries=["DE"])
    make_initiative("In France and Britain", "fr-gb", countries=["GB", "FR"])
    make_initiative("In Austria", "at", countries=["AT"])
    assert country_choices(editor_client) == ["Austria", "France", "Germany", "United Kingdom"]
    assert country_choices(editor_client, accept_language="fr") == [
        "Allemagne",
        "Autriche",
        "France",
        "Royaume-Uni",
    ]


@pytest.fixture
def entries(db):
    """One initiative per thing publishing requires that it lacks, and some that lack nothing."""
    ready = {"last_verified_on": RECENTLY}
    draft = {"status": Initiative.Status.DRAFT, **ready}
    make_initiative("Published and checked", "published-ok", **ready)
    make_initiative("Draft ready to publish", "draft-ok", **draft)
    make_initiative(
        "Brouillon en français", "draft-fr", summary_en="", summary_fr="Résumé.", **draft
    )
    make_initiative("No summary", "no-summary", summary="", **draft)
    make_initiative("No kind", "no-kind", kind="", **draft)
    make_initiative("No country", "no-country", countries=[], **draft)
    make_initiative("No source", "no-source", sources=[], **draft)
    make_initiative(
        "Never verified", "never-verified", status=Initiative.Status.DRAFT, last_verified_on=None
    )
    untitled = make_initiative("Untitled", "untitled", **draft)
    Initiative.objects.filter(pk=untitled.pk).update(title_en="", title_fr=None)
    make_initiative("Published, no country", "published-no-country", countries=[], **ready)
    make_initiative("Checked 12 months ago", "a-year-ago", last_verified_on=A_YEAR_AGO)
    make_initiative(
        "Checked 13 months ago",
        "over-a-year-ago",
        last_verified_on=A_YEAR_AGO - datetime.timedelta(days=30),
    )
    make_initiative("Published, never checked", "published-never-verified", last_verified_on=None)


INCOMPLETE = {"no-summary", "no-kind", "no-country", "no-source", "never-verified", "untitled"}


def test_the_queryset_knows_what_lacks_something_publishing_requires(entries):
    missing = Initiative.objects.missing_for_publication()
    assert {initiative.slug for initiative in missing} == INCOMPLETE | {
        "published-no-country",
        "published-never-verified",
    }


def test_the_queryset_and_the_model_agree_on_what_publishing_requires(entries):
    """One list of requirements, said twice: in SQL for the filter, in Python for the form and
    the publish action (a title, which every entry has once saved from a form, aside)."""
    in_sql = set(Initiative.objects.missing_for_publication().values_list("slug", flat=True))
    for initiative in Initiative.objects.exclude(slug="untitled"):
        assert bool(initiative.missing_for_publication()) == (initiative.slug in in_sql), (
            initiative.slug
        )


def test_the_queryset_knows_what_was_not_verified_since_a_day(entries):
    unverified = Initiative.objects.filter(due_for_verification(A_YEAR_AGO))
    assert {initiative.slug for initiative in unverified} == {
        "never-verified",
        "over-a-year-ago",
        "published-never-verified",
    }


def test_needs_attention_lists_drafts_not_ready_to_publish(editor_client, entries):
    assert listed(editor_client, "?attention=incomplete") == INCOMPLETE


def test_the_queue_lists_entries_not_verified_for_12_months(editor_client, entries):
    assert listed(editor_client, "?verification=due") == {
        "never-verified",
        "over-a-year-ago",
        "published-never-verified",
    }


def test_the_needs_attention_filter_is_offered_in_plain_words(editor_client, entries):
    content = html.unescape(editor_client.get(CHANGELIST).content.decode())
    assert "By needs attention" in content
    assert "Drafts missing what publishing needs" in content
    assert "By re-verification" in content
    assert "Not verified for 12 months" in content


def test_an_unknown_attention_value_lists_everything(editor_client, entries):
    assert listed(editor_client, "?attention=whatever") == listed(editor_client)


def test_a_year_before_29_february_is_28_february():
    assert a_year_before(datetime.date(2024, 2, 29)) == datetime.date(2023, 2, 28)
    assert a_year_before(datetime.date(2025, 6, 1)) == datetime.date(2024, 6, 1)
