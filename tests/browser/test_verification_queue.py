"""An editor works through the re-verification queue in Chromium: from the admin's home page to
the count of entries due, to the list of them oldest first, marks one verified, and the public
page says so."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from initiatives.models import Correction, Initiative, Source
from networks.models import Facilitator, Network
from tests.browser.conftest import DESKTOP
from tests.browser.test_editor_journey import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def some_entries_due(seed):
    """Two initiatives and a facilitator not verified for years, a dead source and a reader's
    correction waiting."""
    Initiative.objects.filter(slug="tgl-eu-health-petition").update(
        last_verified_on=datetime.date(2019, 5, 2)
    )
    Initiative.objects.filter(slug="sea-fablab-masks-2020").update(
        last_verified_on=datetime.date(2018, 3, 1)
    )
    Facilitator.objects.filter(slug="pro-bono-lab").update(last_verified_on=None)
    Source.objects.filter(initiative__slug="empact-pro-bono-school").update(link_status="dead")
    Correction.objects.create(
        network=Network.objects.get(slug="global-pro-bono-network"),
        part=Correction.Part.DATES,
        problem="The founding year is wrong.",
        correction="It was founded a year earlier.",
    )


def test_an_editor_marks_the_oldest_entry_verified_from_the_queue(
    page, editor, some_entries_due, screenshot
):
    page.set_viewport_size(DESKTOP)
    log_in(page)
    page.get_by_role("link", name="Re-verification queue").click()
    expect(page.get_by_role("heading", name="Re-verification queue")).to_be_visible()
    queue = page.locator("table.verification-queue")
    initiatives = queue.get_by_role("row", name="Initiatives")
    expect(initiatives.get_by_role("cell")).to_have_text(["2", "1", "0"])
    expect(queue.get_by_role("row", name="Facilitators").get_by_role("cell")).to_have_text(
        ["1", "—", "0"]
    )
    expect(queue.get_by_role("row", name="Networks").get_by_role("cell")).to_have_text(
        ["0", "—", "1"]
    )
    screenshot(page, "admin-verification-queue")

    initiatives.get_by_role("link").first.click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    oldest = rows.nth(0)
    expect(oldest).to_contain_text("FabLab")
    oldest.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Mark verified today: sources checked")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Marked 1 entry verified today (sources checked)."
    )
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    initiative = Initiative.objects.get(slug="sea-fablab-masks-2020")
    assert initiative.last_verified_by == editor
    page.goto(initiative.get_absolute_url())
    today = timezone.localdate()
    expect(page.locator(f'time[datetime="{today:%Y-%m-%d}"]')).to_be_visible()
    expect(page.get_by_text("Not verified for over 12 months")).to_have_count(0)
