"""Email alerts for a view of the finder, end to end through a real SMTP server on loopback:
asking, confirming, the news by email, one-click unsubscription; and every bad input."""

import datetime
import email.policy
import io
import re
import time
from email import message_from_bytes
from urllib.parse import quote, urlencode

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from initiatives.alerts import CONFIRM_SALT, UNSUBSCRIBE_SALT, Alert, Delivery, Subscriber
from initiatives.models import Initiative
from initiatives.report_forms import SHOWN_AT_SALT
from tests.directory import make_initiative

pytestmark = pytest.mark.django_db

SITE = "https://probono.example.org"
VIEW = "/alerts/new/?country=be&sector=legal"


@pytest.fixture
def mail(smtp_server, settings):
    """Emails go through the real SMTP server; what it received, parsed."""
    port, received = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.SITE_URL = SITE
    return Received(received)


class Received:
    def __init__(self, messages):
        self.messages = messages

    def __len__(self):
        return len(self.messages)

    def __getitem__(self, number):
        return message_from_bytes(self.messages[number].as_bytes(), policy=email.policy.default)

    def text(self, number):
        return self[number].get_body(("plain",)).get_content()

    def link(self, number, kind):
        """The path of the first link to /alerts/<kind>/ in that email."""
        found = re.search(rf"{SITE}((?:/fr)?/alerts/{kind}/[^/\s]+/)", self.text(number))
        return found[1]


def form_data(**changes):
    shown = signing.dumps(time.time() - 10, salt=SHOWN_AT_SALT)
    data = {"email": "Reader@Example.net", "frequency": "daily", "homepage": "", "shown_at": shown}
    return {**data, **changes}


def ask(client, view=VIEW, **changes):
    return client.post(view, form_data(**changes))


def run(*options):
    out = io.StringIO()
    call_command("send_alerts", *options, stdout=out)
    return out.getvalue()


def confirmed_alert(client, mail, view=VIEW, **changes):
    """An alert asked for and confirmed, as if an hour ago: its news start then."""
    assert ask(client, view, **changes).status_code == 302
    client.post(mail.link(len(mail) - 1, "confirm"))
    alert = Alert.objects.get(confirmed_at__isnull=False, query=Alert.objects.last().query)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Alert.objects.filter(pk=alert.pk).update(confirmed_at=an_hour_ago, sent_up_to=an_hour_ago)
    return alert


def published_lately(*initiatives):
    """Stamped first published ten minutes ago: settled news for the next run."""
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
    pks = [initiative.pk for initiative in initiatives]
    Initiative.objects.filter(pk__in=pks).update(published_at=ten_minutes_ago)


def test_the_finder_and_every_scoped_page_link_to_alerts_for_their_view(client, directory):
    expected = {
        "/initiatives/?sector=legal&q=petition&sort=title&page=1": "?sector=legal&amp;q=petition",
        "/countries/be/": "?country=be",
        "/sectors/legal/?year=2020": "?sector=legal&amp;year=2020",
        "/networks/global-pro-bono-network/": "?network=global-pro-bono-network",
        "/facilitators/the-good-lobby/": "?facilitator=the-good-lobby",
        "/initiatives/": "",
    }
    for page, query in expected.items():
        content = client.get(page, follow=True).content.decode()
        assert f'href="/alerts/new/{query}" rel="nofollow">Get alerts for this view' in content
    french = client.get("/fr/countries/be/").content.decode()
    assert 'href="/fr/alerts/new/?country=be"' in french


def test_a_reader_follows_a_view_from_asking_to_one_click_unsubscription(client, directory, mail):
    form = client.get(VIEW)
    assert form.status_code == 200
    assert "private" in form["Cache-Control"]
    assert "Legal initiatives in Belgium" in form.content.decode()

    response = ask(client)
    assert response["Location"] == "/alerts/sent/"
    assert "Check your email" in client.get(response["Location"]).content.decode()
    (confirmation,) = mail.messages
    assert confirmation["To"] == "reader@example.net"
    assert "Legal initiatives in Belgium" in " ".join(confirmation["Subject"].split())
    alert = Alert.objects.get()
    assert (alert.query, alert.frequency, alert.language) == (
        "country=be&sector=legal",
        "daily",
        "en",
    )
    assert alert.confirmed_at is None

    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    link = mail.link(0, "confirm")
    page = client.get(link).content.decode()
    assert "Confirm the alert" in page
    assert Alert.objects.get().confirmed_at is None
    assert "Your alert is on" in client.post(link).content.decode()
    alert = Alert.objects.get()
    assert alert.confirmed_at is not None
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Alert.objects.filter(pk=alert.pk).update(sent_up_to=an_hour_ago)

    matching = make_initiative(
        "Tenants' lawyers", "tenants", countries=["BE"], sectors=[directory.legal]
    )
    elsewhere = make_initiative(
        "Lawyers in Lyon", "lyon", countries=["FR"], sectors=[directory.legal]
    )
    draft = make_initiative(
        "Draft in Brussels",
        "draft-brussels",
        countries=["BE"],
        sectors=[directory.legal],
        status=Initiative.Status.DRAFT,
    )
    published_lately(matching, elsewhere)
    Initiative.objects.filter(pk=draft.pk).update(published_at=an_hour_ago)

    assert "Sent 1 alert emails" in run("--frequency", "daily")
    assert len(mail) == 2
    news = mail[1]
    assert news["To"] == "reader@example.net"
    assert news["Subject"] == "[Pro Bono Directory] New: Legal initiatives in Belgium"
    unsubscribe = mail.link(1, "unsubscribe")
    # Long, so folded onto a line of its own: the value is the same.
    assert news["List-Unsubscribe"].strip() == f"<{SITE}{unsubscribe}>"
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<alert-\d+-\d{4}-\d\d-\d\d@probono\.example\.org>", news["Message-ID"])
    text = mail.text(1)
    assert "Tenants' lawyers" in text
    assert f"{SITE}/initiatives/tenants/" in text
    assert f"{SITE}/initiatives/?country=be&sector=legal" in text
    assert "/alerts/manage/" in text
    assert "Lyon" not in text
    assert "Draft in Brussels" not in text
    html = news.get_body(("html",)).get_content()
    assert f'<a href="{SITE}/initiatives/tenants/">Tenants&#x27; lawyers</a>' in html
    assert "Lyon" not in html

    # A second run, the same day or after a crash, sends nothing.
    assert "Sent 0 alert emails" in run("--frequency", "daily")
    assert "Sent 0 alert emails" in run("--frequency", "weekly")
    assert len(mail) == 2

    # The mail client's one-click POST: no cookie, no CSRF token.
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Alert.objects.exists()
    assert not Subscriber.objects.exists()
    assert not Delivery.objects.exists()


def test_a_french_reader_gets_french_emails_with_french_links(client, directory, mail):
    alert = confirmed_alert(client, mail, "/fr/alerts/new/?country=be")
    assert alert.language == "fr"
    assert "/fr/alerts/confirm/" in mail.text(0)
    assert "Belgique" in mail[0]["Subject"]
    published_lately(make_initiative("Avocats bruxellois", "avocats", countries=["BE"]))
    run("--frequency", "daily")
    text = mail.text(1)
    assert "Belgique" in mail[1]["Subject"]
    assert f"{SITE}/fr/initiatives/avocats/" in text
    assert f"{SITE}/fr/initiatives/?country=be" in text
    assert mail[1]["List-Unsubscribe"].strip().startswith(f"<{SITE}/fr/alerts/unsubscribe/")
    assert '<html lang="fr">' in mail[1].get_body(("html",)).get_content()


def test_no_email_when_nothing_is_new_and_weekly_alerts_wait_for_their_run(client, directory, mail):
    confirmed_alert(client, mail, frequency="weekly")
    assert "1 alerts had nothing new" in run("--frequency", "weekly")
    published_lately(
        make_initiative("In Ghent", "ghent", countries=["BE"], sectors=[directory.legal])
    )
    assert "Sent 0" in run("--frequency", "daily")
    assert "Sent 1" in run("--frequency", "weekly")
    assert "Sent 0" in run("--frequency", "weekly")
    assert len(mail) == 2


def test_an_unpublished_initiative_is_no_news(client, directory, mail):
    confirmed_alert(client, mail)
    gone = make_initiative("Gone again", "gone", countries=["BE"], sectors=[directory.legal])
    published_lately(gone)
    Initiative.objects.filter(pk=gone.pk).update(status=Initiative.Status.DRAFT)
    assert "1 alerts had nothing new" in run("--frequency", "daily")
    assert len(mail) == 1


def test_asking_again_makes_no_duplicate_and_tells_nobody_whether_the_address_follows_it(
    client, directory, mail
):
    first = ask(client)
    again = ask(client, email="reader@example.net ")
    confirmed_alert(client, mail)
    after_confirming = ask(client)
    assert first["Location"] == again["Location"] == after_confirming["Location"] == "/alerts/sent/"
    assert Subscriber.objects.count() == 1
    assert Alert.objects.count() == 1
    # Each asking sends the owner of the address a link; only they learn anything.
    assert len(mail) == 4


def test_a_stale_or_invalid_filter_is_dropped_with_a_notice(client, directory, mail):
    page = client.get("/alerts/new/?country=be&sector=no-such-sector&foo=1&page=3")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Part of this link could not be used" in content
    assert "no-such-sector" in content
    ask(client, "/alerts/new/?country=be&sector=no-such-sector&foo=1&page=3")
    assert Alert.objects.get().query == "country=be"


def test_a_view_too_long_to_store_is_refused_with_the_reason(client, directory, mail):
    long_tags = [f"{'long-tag-' * 10}{number}" for number in range(20)]
    make_initiative("Tagged", "tagged", tags=long_tags)
    years = "&".join(f"year={year}" for year in range(2000, 2020))
    view = "/alerts/new/?" + "&".join(f"tag={tag}" for tag in long_tags) + "&" + years
    assert client.get(view).status_code == 200
    response = ask(client, view, email="long@example.net")
    assert response.status_code == 400
    assert "too many filters to follow" in response.content.decode()
    assert not Alert.objects.exists()


def test_an_alert_without_filters_follows_every_initiative(client, directory, mail):
    assert client.get("/alerts/new/").status_code == 200
    confirmed_alert(client, mail, "/alerts/new/")
    assert Alert.objects.get().query == ""
    published_lately(make_initiative("Anywhere", "anywhere", countries=["JP"]))
    assert "Sent 1" in run("--frequency", "daily")
    assert "Anywhere" in mail.text(1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "valid email"),
        ({"email": ""}, "required"),
        ({"email": "a" * 250 + "@example.org"}, "at most 254"),
        ({"frequency": "hourly"}, "valid choice"),
        ({"homepage": "https://spam.example"}, "trap for robots"),
        ({"shown_at": "forged"}, "came from elsewhere"),
    ],
    ids=["email", "no-email", "long-email", "frequency", "honeypot", "forged-time"],
)
def test_bad_input_gets_the_form_again_and_nothing_stored_or_sent(
    client, directory, mail, changes, message
):
    response = ask(client, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not Alert.objects.exists()
    assert len(mail) == 0


def test_a_form_sent_faster_than_anyone_reads_is_refused(client, directory, mail, settings):
    settings.REPORT_MIN_SECONDS = 5
    shown = signing.dumps(time.time(), salt=SHOWN_AT_SALT)
    response = ask(client, shown_at=shown)
    assert response.status_code == 400
    assert "quicker than anyone can read" in response.content.decode()
    assert not Alert.objects.exists()


def test_past_the_rate_limit_the_form_comes_back_with_a_429(client, directory, mail, settings):
    settings.RATE_LIMITS = {"alerts": 2}
    for number in range(2):
        assert ask(client, email=f"r{number}@example.net").status_code == 302
    response = ask(client, email="third@example.net")
    assert response.status_code == 429
    assert "third@example.net" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 60
    assert Alert.objects.count() == 2


def test_when_the_confirmation_cannot_be_sent_the_reader_is_told_to_retry(
    client, directory, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    response = ask(client)
    assert response.status_code == 503
    assert "could not be sent just now" in response.content.decode()


class Expired(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 8 * 24 * 60 * 60)


def test_bad_tampered_expired_or_spent_links_are_answered_clearly(client, directory, mail):
    ask(client)
    confirm = mail.link(0, "confirm")
    alert = Alert.objects.get()
    token = confirm.split("/")[-2]
    expired = Expired(salt=CONFIRM_SALT).sign_object(
        [alert.pk, "daily", "en"], serializer=signing.JSONSerializer
    )
    for bad in [
        "/alerts/confirm/not-a-token/",
        f"/alerts/confirm/{token[:-2]}xx/",
        f"/alerts/confirm/{expired}/",
        f"/alerts/confirm/{signing.dumps([alert.pk, 'daily', 'en'], salt=UNSUBSCRIBE_SALT)}/",
        f"/alerts/confirm/{signing.dumps([alert.pk, 'hourly', 'en'], salt=CONFIRM_SALT)}/",
        f"/alerts/unsubscribe/{signing.dumps(alert.pk, salt=CONFIRM_SALT)}/",
        f"/alerts/unsubscribe/{signing.dumps('x', salt=UNSUBSCRIBE_SALT)}/",
        "/alerts/manage/junk/",
    ]:
        for method in (client.get, client.post):
            response = method(bad)
            assert response.status_code == 404, bad
            assert "This link does not work" in response.content.decode(), bad
    assert Alert.objects.get().confirmed_at is None
    # Unsubscribing twice says the same; the spent confirmation link then is no link.
    unsubscribe = f"/alerts/unsubscribe/{alert.unsubscribe_token}/"
    for _time in range(2):
        assert "You are unsubscribed" in client.post(unsubscribe).content.decode()
    assert client.get(unsubscribe).status_code == 200
    assert client.post(confirm).status_code == 404
    assert not Subscriber.objects.exists()


def test_the_manage_page_lists_every_alert_of_the_address_and_stops_them(client, directory, mail):
    confirmed_alert(client, mail)
    ask(client, "/alerts/new/?sector=legal", email="READER@example.net")
    ask(client, "/alerts/new/", email="someone-else@example.net")
    manage = f"/alerts/manage/{Subscriber.objects.get(email='reader@example.net').manage_token}/"
    page = client.get(manage).content.decode()
    assert "Legal initiatives in Belgium" in page
    assert "waiting for your confirmation" in page
    assert page.count(">Unsubscribe</button>") == 2
    assert "private" in client.get(manage)["Cache-Control"]
    client.post(manage)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["someone-else@example.net"]
    assert "no longer stored" in client.get(manage).content.decode()


def test_unconfirmed_alerts_expire_with_their_address(client, directory, mail):
    confirmed_alert(client, mail)
    ask(client, "/alerts/new/?sector=legal")
    ask(client, "/alerts/new/", email="never@example.net")
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    Alert.objects.filter(confirmed_at__isnull=True).update(requested_at=eight_days_ago)
    assert "2 unconfirmed alerts" in run("--frequency", "daily")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["reader@example.net"]
    assert Alert.objects.count() == 1
    out = io.StringIO()
    call_command("forget_old_reports", stdout=out)
    assert "0 unconfirmed alerts" in out.getvalue()


JUNK = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "%00", "daily", "weekly", "a@b", "1e309", "ZZ", "x@example.net"]),
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
@given(
    data=st.dictionaries(
        st.sampled_from(["email", "frequency", "homepage", "shown_at"]),
        st.one_of(JUNK, st.lists(JUNK, max_size=3)),
    ),
    query=st.dictionaries(
        st.sampled_from(["country", "sector", "q", "tag", "x"]), JUNK, max_size=3
    ),
)
def test_no_submission_gets_a_server_error(client, data, query):
    response = client.post(f"/alerts/new/?{urlencode(query)}", {**form_data(), **data})
    assert response.status_code in (302, 400)
    for kind in ("confirm", "unsubscribe", "manage"):
        for value in data.values():
            token = value if isinstance(value, str) else "-".join(value)
            response = client.post(f"/alerts/{kind}/{quote(token[:500], safe='')}/")
            assert response.status_code in (200, 404)
