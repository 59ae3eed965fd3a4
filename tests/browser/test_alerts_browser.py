"""Email alerts in Chromium: from a finder page to "Check your email", then the link of the
email confirmed by its button; the pages the emails' links open pass axe too."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from initiatives.alerts import Alert
from tests.browser.conftest import DESKTOP, MOBILE
from tests.browser.test_accessibility import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reader_asks_for_alerts_from_a_finder_page_and_confirms_them(page, seed, settings):
    settings.REPORT_MIN_SECONDS = 1
    settings.SITE_URL = ""  # the links of the email, relative to the live server
    page.goto("/countries/fr/?sector=skills-based-volunteering")
    page.get_by_role("link", name="Get alerts for this view").click()
    expect(page).to_have_url(re.compile(r"/alerts/new/\?country=fr&sector=skills-based"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get alerts for this view")
    expect(page.locator(".lead")).to_contain_text("initiatives in France")
    page.get_by_label("Your email").fill("reader@example.net")
    page.get_by_label("Daily").check()
    page.wait_for_timeout(1100)  # a person takes longer than REPORT_MIN_SECONDS
    page.get_by_role("button", name="Email me a link to confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    alert = Alert.objects.get()
    assert (alert.query, alert.frequency) == (
        "country=fr&sector=skills-based-volunteering",
        "daily",
    )

    (confirmation,) = mail.outbox
    link = re.search(r"/alerts/confirm/\S+/", confirmation.body)[0]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your alert")
    found = {"confirm": axe_violations(page)}
    page.get_by_role("button", name="Confirm the alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alert is on")
    assert Alert.objects.get().confirmed_at is not None
    page.get_by_role("link", name="Manage all your alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alerts")
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        found[f"manage {viewport['width']}"] = axe_violations(page)
    page.goto(f"/alerts/unsubscribe/{alert.unsubscribe_token}/")
    found["unsubscribe"] = axe_violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert not Alert.objects.exists()
    assert all(violations == [] for violations in found.values()), found
