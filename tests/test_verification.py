"""Verification: when an entry's facts were last checked, by whom and how. Public pages say so
and warn after 12 months; the finder can keep only recently verified initiatives; editors work
through the re-verification queue and mark entries verified from the list or the form."""

import datetime
import html

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from initiatives import facet_index
from initiatives.models import Initiative
from networks.models import Facilitator, Network
from probono.verification import Method, due_day
from tests.conftest import admin_form_data
from tests.directory import make_initiative
from tests.test_history_revert_permissions import staff_client

pytestmark = pytest.mark.django_db

ADMIN = "/" + settings.ADMIN_PATH
INITIATIVES = ADMIN + "initiatives/initiative/"
TODAY = timezone.localdate()
DUE_DAY = due_day(TODAY)


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def verified_at_the_edges():
    """Published initiatives verified on the due day, the day before it, recently and never."""
    for slug, day in [
        ("on-the-due-day", DUE_DAY),
        ("the-day-before", DUE_DAY - datetime.timedelta(days=1)),
        ("last-month", TODAY - datetime.timedelta(days=30)),
        ("in-2019", datetime.date(2019, 6, 1)),
    ]:
        make_initiative(slug.replace("-", " ").capitalize(), slug, last_verified_on=day)
    facet_index.refresh(everything=True)


def finder_slugs(client, query):
    response = client.get("/initiatives/" + query)
    assert response.status_code == 200
    return {card.slug for card in response.context["finder"].page.object_list}


# Public pages


def test_an_initiative_page_says_when_and_how_its_facts_were_verified(client):
    make_initiative(
        "Fresh", "fresh", last_verified_on=TODAY, verification_method=Method.ORGANISATION
    )
    page = text(client.get("/initiatives/fresh/"))
    assert f'datetime="{TODAY:%Y-%m-%d}"' in page
    assert "(confirmed by the organisation)." in page
    assert "Not verified for over 12 months" not in page


def test_an_entry_not_verified_for_12_months_says_so(client):
    make_initiative("Stale", "stale", last_verified_on=DUE_DAY - datetime.timedelta(days=1))
    make_initiative("Just in time", "just-in-time", last_verified_on=DUE_DAY)
    assert "Not verified for over 12 months" in text(client.get("/initiatives/stale/"))
    assert "Not verified for over 12 months" not in text(client.get("/initiatives/just-in-time/"))


def test_facilitator_and_network_pages_say_when_they_were_verified(client):
    Network.objects.create(name="Never checked", slug="never-checked")
    Facilitator.objects.create(
        name="Checked", slug="checked", last_verified_on=TODAY, verification_method="sources"
    )
    network_page = text(client.get("/networks/never-checked/"))
    assert "Nobody has verified these facts yet." in network_page
    assert "Not verified for over 12 months" in network_page
    facilitator_page = text(client.get("/facilitators/checked/"))
    assert "(sources checked)." in facilitator_page
    assert "Not verified for over 12 months" not in facilitator_page


def test_the_french_page_says_it_in_french(client):
    make_initiative("Fresh", "fresh", last_verified_on=TODAY, verification_method="sources")
    page = text(client.get("/fr/initiatives/fresh/"))
    assert "Faits vérifiés pour la dernière fois le" in page
    assert "(sources vérifiées)" in page


# The finder


def test_the_finder_keeps_initiatives_verified_in_the_last_12_months(client, verified_at_the_edges):
    assert finder_slugs(client, "?verified=12m") == {"on-the-due-day", "last-month"}
    assert len(finder_slugs(client, "")) == 4


def test_the_verified_facet_counts_from_the_index_as_the_database_does(
    client, verified_at_the_edges
):
    """The due day's month is half in, half out: the index counts it from the database."""
    response = client.get("/initiatives/")
    facet = next(facet for facet in response.context["finder"].facets if facet.name == "verified")
    assert [(option.value, option.count) for option in facet.options] == [("12m", 2)]
    in_sql = Initiative.objects.published().verified_since(DUE_DAY).count()
    assert facet_index.current().verified_lately.bit_count() == in_sql == 2


def test_verified_has_its_place_in_the_canonical_order(client, verified_at_the_edges):
    response = client.get("/initiatives/?verified=12m&country=be")
    assert response.status_code == 301
    assert response["Location"] == "/initiatives/?country=be&verified=12m"


def test_an_unknown_verified_value_is_ignored_with_a_notice(client, verified_at_the_edges):
    response = client.get("/initiatives/?verified=5y")
    assert response.status_code == 200
    assert "Ignored verified “5y”" in text(response)
    assert len(response.context["finder"].page.object_list) == 4


def test_the_sentence_says_verified_in_the_last_12_months(client, verified_at_the_edges):
    sentence = client.get("/initiatives/?verified=12m").context["finder"].sentence
    assert sentence == "2 initiatives (verified in the last 12 months)"


# The admin


def test_the_queue_lists_due_entries_oldest_verification_first(editor_client):
    make_initiative("Never", "never", last_verified_on=None, status=Initiative.Status.DRAFT)
    make_initiative("Old", "old", last_verified_on=datetime.date(2019, 1, 1))
    make_initiative("Older", "older", last_verified_on=datetime.date(2018, 1, 1))
    make_initiative("Fresh", "fresh", last_verified_on=TODAY)
    response = editor_client.get(INITIATIVES + "?verification=due")
    assert [entry.slug for entry in response.context["cl"].result_list] == [
        "never",
        "older",
        "old",
    ]


def test_the_queue_filter_is_offered_for_facilitators_and_networks(editor_client):
    Facilitator.objects.create(name="Old", slug="old", last_verified_on=datetime.date(2019, 1, 1))
    Facilitator.objects.create(name="Fresh", slug="fresh", last_verified_on=TODAY)
    response = editor_client.get(ADMIN + "networks/facilitator/?verification=due")
    assert [entry.slug for entry in response.context["cl"].result_list] == ["old"]
    page = text(editor_client.get(ADMIN + "networks/network/"))
    assert "Not verified for 12 months" in page
    assert "A source link is dead" not in page, "networks have no sources"


def test_mark_verified_from_the_list_records_who_how_and_when(editor_client, editor):
    old = make_initiative("Old", "old", last_verified_on=datetime.date(2019, 1, 1))
    versions = old.history.count()
    response = editor_client.post(
        INITIATIVES,
        {
            "action": "mark_verified_organisation",
            "_selected_action": [old.pk],
            "seen_revision": [f"{old.pk}:{old.revision}"],
        },
        follow=True,
    )
    assert "Marked 1 entry verified today (confirmed by the organisation)." in text(response)
    old.refresh_from_db()
    assert (old.last_verified_on, old.last_verified_by, old.verification_method) == (
        TODAY,
        editor,
        "organisation",
    )
    assert old.history.count() == versions + 1
    assert old.history.first().history_user == editor


def test_mark_verified_refuses_an_entry_changed_since_the_list_was_opened(editor_client):
    old = make_initiative("Old", "old", last_verified_on=datetime.date(2019, 1, 1))
    seen = old.revision
    old.title = "Renamed by someone else"
    old.save()
    response = editor_client.post(
        INITIATIVES,
        {
            "action": "mark_verified_sources",
            "_selected_action": [old.pk],
            "seen_revision": [f"{old.pk}:{seen}"],
        },
        follow=True,
    )
    assert "Not marked verified: “Renamed by someone else” changed since" in text(response)
    old.refresh_from_db()
    assert old.last_verified_on == datetime.date(2019, 1, 1)


def test_a_viewer_is_not_offered_mark_verified(django_user_model):
    make_initiative("Old", "old", last_verified_on=datetime.date(2019, 1, 1))
    viewer = staff_client(django_user_model, "vera", "view_initiative")
    response = viewer.get(INITIATIVES)
    assert "mark_verified_sources" not in response.content.decode()
    refused = viewer.post(
        INITIATIVES, {"action": "mark_verified_sources", "_selected_action": ["1"]}
    )
    assert refused.status_code in (200, 302, 403)
    assert Initiative.objects.get(slug="old").last_verified_on == datetime.date(2019, 1, 1)


def test_the_form_asks_how_a_new_verification_was_made(editor_client, editor):
    old = make_initiative("Old", "old", last_verified_on=datetime.date(2019, 1, 1))
    url = f"{INITIATIVES}{old.pk}/change/"
    data = admin_form_data(editor_client.get(url), last_verified_on=TODAY.isoformat())
    data.pop("verification_method", None)
    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    assert "Say how the facts were verified." in text(refused)

    data["verification_method"] = "sources"
    assert editor_client.post(url, data).status_code == 302
    old.refresh_from_db()
    assert (old.last_verified_on, old.last_verified_by, old.verification_method) == (
        TODAY,
        editor,
        "sources",
    )


def test_an_edit_that_leaves_verification_alone_keeps_its_author(editor_client, editor):
    old = make_initiative("Old", "old", last_verified_on=datetime.date(2019, 1, 1))
    url = f"{INITIATIVES}{old.pk}/change/"
    data = admin_form_data(editor_client.get(url), title_en="Renamed")
    assert editor_client.post(url, data).status_code == 302
    old.refresh_from_db()
    assert (old.title, old.last_verified_on, old.last_verified_by) == (
        "Renamed",
        datetime.date(2019, 1, 1),
        None,
    )


def test_the_queue_page_counts_each_reason_and_links_to_the_list(editor_client):
    make_initiative("Old", "old", last_verified_on=datetime.date(2019, 1, 1))
    make_initiative("Fresh", "fresh", last_verified_on=TODAY)
    Network.objects.create(name="Never checked", slug="never-checked")
    response = editor_client.get(ADMIN + "verification/")
    assert response.status_code == 200
    rows = {str(kind): counts for kind, counts in response.context["rows"]}
    assert rows["initiatives"][0] == (1, INITIATIVES + "?verification=due")
    assert rows["networks"][0] == (1, ADMIN + "networks/network/?verification=due")
    assert rows["networks"][1] is None, "networks have no sources"
    assert "Re-verification queue" in text(editor_client.get(ADMIN))


def test_the_queue_page_shows_only_what_the_user_may_change(django_user_model):
    viewer = staff_client(django_user_model, "vera", "view_initiative", "change_network")
    rows = viewer.get(ADMIN + "verification/").context["rows"]
    assert [str(kind) for kind, _counts in rows] == ["networks"]
    assert Client().get(ADMIN + "verification/").status_code == 302
