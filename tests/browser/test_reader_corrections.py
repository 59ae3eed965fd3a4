"""A reader's correction, end to end in Chromium: reported from the initiative's page, seen in the
admin's header, accepted and applied by an editor, and shown to the next reader."""

import re

import pytest
from playwright.sync_api import expect

from initiatives.corrections import Correction
from initiatives.models import Initiative
from tests.browser.test_editor_journey import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PETITION = "/initiatives/tgl-eu-health-petition/"


def test_a_reader_s_correction_reaches_the_page_through_an_editor(
    page, browser, browser_context_args, editor, seed, settings
):
    settings.REPORT_MIN_SECONDS = 1
    reader = browser.new_context(**browser_context_args).new_page()
    reader.goto(PETITION)
    old_summary = Initiative.objects.get(slug="tgl-eu-health-petition").summary_en
    expect(reader.locator(".lead")).to_contain_text(old_summary)
    reader.get_by_role("link", name="Report a problem or suggest a correction").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Report a problem or suggest a correction"
    )
    reader.get_by_label("Which part is wrong?").select_option(label="Summary or description")
    reader.get_by_label("What is wrong?").fill("The summary says ministers; it was commissioners.")
    reader.get_by_label("What is correct?").fill("A petition to the EU health commissioners.")
    reader.get_by_label("Evidence link").fill("https://example.org/petition")
    reader.wait_for_timeout(1100)  # a person takes longer than REPORT_MIN_SECONDS
    reader.get_by_role("button", name="Send to the editors").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Thank you")
    correction = Correction.objects.get()
    reader.context.close()

    log_in(page)
    queue = page.get_by_role("link", name="1 reader report to moderate")
    expect(queue).to_be_visible()
    queue.click()
    page.locator("#result_list tbody tr").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(f"/admin/initiatives/correction/{correction.pk}/change/"))
    expect(page.locator(".field-correction")).to_contain_text("EU health commissioners")
    page.get_by_label("Field to correct:").select_option(label="summary [en]")
    page.get_by_label("Value applied:").fill("A petition to the EU health commissioners.")
    page.get_by_role("button", name="Accept and apply").click()
    expect(page.locator(".messagelist")).to_contain_text("marked verified by reader correction")
    expect(page.get_by_role("link", name="reader report to moderate")).to_have_count(0)

    next_reader = browser.new_context(**browser_context_args).new_page()
    next_reader.goto(PETITION)
    expect(next_reader.locator(".lead")).to_have_text("A petition to the EU health commissioners.")
    next_reader.context.close()
