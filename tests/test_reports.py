"""Readers report problems with entries and propose initiatives: the forms, their traps for
robots, and what a reader sees when a submission is refused (never a 500, their text kept)."""

import time

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from initiatives.corrections import Correction, Proposal, ReportStatus
from initiatives.report_forms import SHOWN_AT_SALT

pytestmark = pytest.mark.django_db


def shown(seconds_ago=10):
    return signing.dumps(time.time() - seconds_ago, salt=SHOWN_AT_SALT)


def correction_data(**changes):
    data = {
        "part": "dates",
        "problem": "The petition started in April 2020, not March.",
        "correction": "It started on 2 April 2020.",
        "evidence_url": "https://example.org/petition-launch",
        "email": "reader@example.net",
        "homepage": "",
        "shown_at": shown(),
    }
    return {**data, **changes}


def proposal_data(**changes):
    data = {
        "title": "Lawyers for tenants",
        "summary": "Volunteer lawyers advised tenants facing eviction.",
        "kind": "legal-advice",
        "countries": ["BE", "FR"],
        "started_on": "2021-03-01",
        "ended_on": "",
        "facilitator_name": "The Good Lobby",
        "facilitator_website": "https://thegoodlobby.eu/",
        "source_url": "https://example.org/tenants",
        "description": "",
        "email": "",
        "homepage": "",
        "shown_at": shown(),
    }
    return {**data, **changes}


def report_url(entry):
    return entry.get_absolute_url() + "report/"


def test_every_entry_page_links_to_its_own_report_form(client, directory):
    for entry in (directory.petition, directory.good_lobby, directory.global_network):
        page = client.get(entry.get_absolute_url()).content.decode()
        assert f'href="{report_url(entry)}"' in page
        assert client.get(report_url(entry)).status_code == 200


def test_the_proposal_form_is_linked_from_the_home_page_the_list_and_every_footer(
    client, directory
):
    for url in ("/", "/initiatives/", "/sectors/", directory.petition.get_absolute_url()):
        assert 'href="/propose/"' in client.get(url).content.decode(), url
    assert client.get("/propose/").status_code == 200


def test_a_reader_who_only_browses_gets_no_cookie_and_the_forms_are_never_cached(client, directory):
    for entry in (directory.petition, directory.good_lobby, directory.global_network):
        response = client.get(entry.get_absolute_url())
        assert response.cookies == {}, entry
        assert "ETag" in response  # kept by the page cache
    for url in (report_url(directory.petition), "/propose/"):
        form = Client().get(url)
        assert set(form.cookies) == {settings.CSRF_COOKIE_NAME}
        assert "private" in form["Cache-Control"]
        assert "ETag" not in form
        # Each reader gets a form of their own, with a token of their own.
        assert "ETag" not in Client().get(url)


def test_a_reader_reports_a_correction_then_is_thanked(client, directory):
    response = client.post(report_url(directory.petition), correction_data())
    assert response.status_code == 302
    assert response["Location"] == "/thanks/"
    assert "Thank you" in client.get(response["Location"]).content.decode()
    correction = Correction.objects.get()
    assert correction.initiative == directory.petition
    assert correction.status == ReportStatus.NEW
    assert (correction.part, correction.language) == ("dates", "en")
    assert correction.email == "reader@example.net"


def test_facilitators_and_networks_take_corrections_too(client, directory):
    client.post(report_url(directory.good_lobby), correction_data(part="links"))
    client.post(report_url(directory.global_network), correction_data(part="name"))
    assert Correction.objects.get(part="links").facilitator == directory.good_lobby
    assert Correction.objects.get(part="name").network == directory.global_network


def test_the_forms_speak_french_under_fr(client, directory):
    url = "/fr" + report_url(directory.petition)
    assert 'lang="fr"' in client.get(url).content.decode()
    response = client.post(url, correction_data())
    assert response["Location"] == "/fr/thanks/"
    assert Correction.objects.get().language == "fr"
    response = client.post("/fr/propose/", proposal_data())
    assert response["Location"] == "/fr/thanks/"
    assert Proposal.objects.get().language == "fr"


def test_a_reader_proposes_an_initiative(client, directory):
    response = client.post("/propose/", proposal_data())
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.title == "Lawyers for tenants"
    assert sorted(proposal.countries.values_list("code", flat=True)) == ["BE", "FR"]
    assert proposal.status == ReportStatus.NEW
    assert proposal.draft is None


def refused(response, status=400):
    """The form again, with the reader's text: nothing stored."""
    assert response.status_code == status
    page = response.content.decode()
    assert "It could not be sent yet" in page or "short time" in page
    return page


def test_a_filled_in_honeypot_is_refused_with_the_text_kept(client, directory):
    page = refused(client.post(report_url(directory.petition), correction_data(homepage="spam")))
    assert "a trap for robots" in page
    assert "It started on 2 April 2020." in page
    assert not Correction.objects.exists()


def test_a_form_sent_faster_than_anyone_reads_is_refused_then_accepted_later(
    client, directory, settings
):
    settings.REPORT_MIN_SECONDS = 1
    url = report_url(directory.petition)
    page = refused(client.post(url, correction_data(shown_at=shown(seconds_ago=0))))
    assert "quicker than anyone can read" in page
    # The form shown again carries a fresh time: sent a moment later, it goes through.
    fresh = refused_form_token(page)
    time.sleep(1.1)
    assert client.post(url, correction_data(shown_at=fresh)).status_code == 302
    assert Correction.objects.count() == 1


def refused_form_token(page):
    start = page.index('name="shown_at" value="') + len('name="shown_at" value="')
    return page[start : page.index('"', start)]


@pytest.mark.parametrize(
    "token",
    ["", "not-signed", signing.dumps(time.time(), salt="another-salt"), "x" * 5000],
    ids=["missing", "made-up", "signed-elsewhere", "huge"],
)
def test_a_missing_or_forged_time_is_refused(client, directory, token):
    page = refused(client.post("/propose/", proposal_data(shown_at=token)))
    assert "Lawyers for tenants" in page
    assert not Proposal.objects.exists()


def test_a_form_left_open_for_days_is_refused(client, directory):
    refused(client.post("/propose/", proposal_data(shown_at=shown(seconds_ago=3 * 86400))))


@pytest.mark.parametrize(
    "changes",
    [
        {"problem": "x" * 2001},
        {"correction": "x" * 2001},
        {"email": "a" * 250 + "@example.org"},
        {"evidence_url": "https://example.org/" + "x" * 500},
        {"part": "everything"},
        {"problem": ""},
        {"problem": "nul \x00 byte"},
    ],
    ids=["problem", "correction", "email", "evidence", "part", "empty", "nul"],
)
def test_a_correction_too_long_or_incomplete_is_refused(client, directory, changes):
    refused(client.post(report_url(directory.petition), correction_data(**changes)))
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/file", "not a link", "https://"],
)
def test_an_evidence_link_that_is_no_web_page_is_refused(client, directory, url):
    page = refused(client.post(report_url(directory.petition), correction_data(evidence_url=url)))
    assert "The petition started in April 2020" in page
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "x" * 201},
        {"summary": "x" * 301},
        {"source_url": ""},
        {"source_url": "javascript:alert(1)"},
        {"countries": ["ZZ"]},
        {"started_on": "2021-13-45"},
        {"started_on": "2022-01-01", "ended_on": "2021-01-01"},
        {"kind": "sabotage"},
    ],
    ids=["title", "summary", "no-source", "bad-source", "country", "date", "dates", "kind"],
)
def test_a_proposal_too_long_or_wrong_is_refused(client, directory, changes):
    refused(client.post("/propose/", proposal_data(**changes)))
    assert not Proposal.objects.exists()


def test_past_the_rate_limit_a_reader_gets_a_429_with_the_text_kept(client, directory, settings):
    settings.RATE_LIMIT_WINDOW = 60
    settings.RATE_LIMITS = {"reports": 2}
    url = report_url(directory.petition)
    for _number in range(2):
        assert client.post(url, correction_data(), REMOTE_ADDR="203.0.113.7").status_code == 302
    response = client.post(url, correction_data(), REMOTE_ADDR="203.0.113.7")
    page = refused(response, status=429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "It started on 2 April 2020." in page
    # Proposals share the limit; another address does not.
    assert client.post("/propose/", proposal_data(), REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.post(url, correction_data(), REMOTE_ADDR="203.0.113.8").status_code == 302
    assert Correction.objects.count() == 3
    # Reading the forms is not counted against it.
    assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_renamed_or_draft_entry_gets_a_404(client, directory, method):
    send = getattr(client, method)
    for url in [
        "/initiatives/no-such-initiative/report/",
        report_url(directory.draft),
        "/facilitators/no-such-facilitator/report/",
        "/networks/no-such-network/report/",
        "/fr/networks/no-such-network/report/",
    ]:
        assert send(url, correction_data()).status_code == 404, url
    assert not Correction.objects.exists()


def test_a_submission_without_the_csrf_token_is_refused(directory):
    reader = Client(enforce_csrf_checks=True)
    assert reader.post(report_url(directory.petition), correction_data()).status_code == 403
    assert reader.post("/propose/", proposal_data()).status_code == 403
    form = reader.get(report_url(directory.petition))
    token = form.cookies[settings.CSRF_COOKIE_NAME].value
    data = correction_data(csrfmiddlewaretoken=token)
    assert reader.post(report_url(directory.petition), data).status_code == 302
    assert Correction.objects.count() == 1


def test_readers_emails_show_on_no_public_page(client, directory):
    client.post(report_url(directory.petition), correction_data(email="secret-reader@example.net"))
    for url in ("/", directory.petition.get_absolute_url(), report_url(directory.petition)):
        assert "secret-reader" not in client.get(url).content.decode()


FIELDS = [
    "part",
    "problem",
    "correction",
    "evidence_url",
    "email",
    "title",
    "summary",
    "kind",
    "countries",
    "started_on",
    "ended_on",
    "source_url",
    "facilitator_website",
    "homepage",
    "shown_at",
]
JUNK = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "%00", "javascript:alert(1)", "2021-02-30", "-1", "ZZ", "1e309"]),
    st.text(min_size=1, max_size=3).map(lambda chunk: chunk * 3000),
)


@pytest.mark.usefixtures("directory")
@examples(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.dictionaries(st.sampled_from(FIELDS), st.one_of(JUNK, st.lists(JUNK, max_size=3))))
def test_no_submission_gets_a_server_error(client, data):
    for url in ("/initiatives/eu-health-petition/report/", "/propose/"):
        response = client.post(url, {**correction_data(), **proposal_data(), **data})
        assert response.status_code in (302, 400), url
