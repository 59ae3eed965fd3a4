"""The language switcher in a browser: it keeps the filters, also after in-place updates."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import tick
from tests.browser.test_accessibility import VIEWPORTS, axe_violations
from tests.browser.test_journeys import apply

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_switcher_follows_the_filters_and_opens_the_same_view_in_french(
    reader, javascript, seed
):
    reader.goto("/initiatives/")
    tick(reader, "Country", "France")
    apply(reader, javascript, "/initiatives/?country=fr")
    expect(reader).to_have_url(re.compile(r"/initiatives/\?country=fr$"))
    switcher = reader.get_by_role("link", name="Français")
    expect(switcher).to_have_attribute("href", "/fr/initiatives/?country=fr")

    switcher.click()
    expect(reader).to_have_url(re.compile(r"/fr/initiatives/\?country=fr$"))
    expect(reader.locator("html")).to_have_attribute("lang", "fr")
    expect(reader.locator("h1")).to_have_text(re.compile(r"^France\s: \d+ initiatives?$"))
    countries = reader.get_by_role("group", name="Pays")
    expect(countries.get_by_role("checkbox", name=re.compile("^France"))).to_be_checked()

    reader.get_by_role("link", name="English").click()
    expect(reader).to_have_url(re.compile(r"/initiatives/\?country=fr$"))
    expect(reader.locator("h1")).to_have_text(re.compile(r"^\d+ initiatives? in France$"))


def test_a_french_finder_page_has_no_wcag_21_aa_violation(page, seed):
    for viewport in VIEWPORTS.values():
        page.set_viewport_size(viewport)
        page.goto("/fr/initiatives/?country=fr&sector=legal")
        assert axe_violations(page) == []
