"""The finder on a phone: results first, the filters folded behind one control, touch targets
that a finger can hit, with JavaScript and without."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_facet

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 667}
FILTERED = "/initiatives/?country=fr&sector=skills-based-volunteering"
PAGED = "/initiatives/"  # two pages
# WCAG 2.5.5 (level AAA): 44 by 44 CSS pixels.
TOUCH = 44


@pytest.fixture
def phone(browser, browser_context_args, javascript):
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE},
        has_touch=True,
        java_script_enabled=javascript,
    )
    yield context.new_page()
    context.close()


def filters_control(page):
    return page.locator("summary.finder__toggle")


def test_the_first_result_is_on_the_first_screen_of_a_filtered_view(phone, seed):
    phone.goto(FILTERED)
    first = phone.locator(".finder__results .card__title").first
    expect(first).to_be_in_viewport()
    box = first.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    # The filters are folded: one control, naming the number of results.
    count = int(re.match(r"\d+", phone.locator("h1").inner_text())[0])
    expect(filters_control(phone)).to_have_text(re.compile(rf"Filters \(2\)\s+{count} results"))
    expect(phone.get_by_role("group", name="Country")).to_be_hidden()


def test_the_filters_open_and_show_results_leads_back_to_them(phone, seed, javascript):
    phone.goto("/initiatives/")
    filters_control(phone).click()
    open_facet(phone, "Sector").get_by_role("checkbox", name=re.compile("^Legal")).check()
    show = phone.get_by_role("button", name=re.compile(r"^Show( \d+)? results$")).last
    # In reach: the panel's foot stays at the bottom of the screen.
    expect(show).to_be_in_viewport()
    show.click()

    expect(phone).to_have_url(re.compile(r"/initiatives/\?sector=legal$"))
    expect(phone.get_by_role("group", name="Sector")).to_be_hidden()
    expect(phone.locator(".finder__results .card__title").first).to_be_in_viewport()
    if javascript:
        expect(phone.locator("#results")).to_be_focused()


@pytest.mark.parametrize("javascript", [True], ids=["with-js"])
def test_a_ticked_option_stays_under_the_finger_and_the_count_is_announced(phone, seed, screenshot):
    phone.goto("/initiatives/")
    phone.evaluate("window.stillThisPage = true")
    filters_control(phone).click()
    legal = open_facet(phone, "Sector").get_by_role("checkbox", name=re.compile("^Legal"))
    legal.scroll_into_view_if_needed()
    before = legal.bounding_box()["y"]
    legal.check()

    expect(phone).to_have_url(re.compile(r"/initiatives/\?sector=legal$"))
    announced = phone.locator("#results-summary")
    expect(announced).to_have_text(re.compile(r"^\d+ legal initiatives$"))
    count = re.match(r"\d+", announced.inner_text())[0]
    legal = phone.locator("#sector-legal")
    expect(legal).to_be_checked()
    expect(legal).to_be_focused()
    assert abs(legal.bounding_box()["y"] - before) < 2
    # Still open, and the button in reach says what it will show.
    expect(phone.get_by_role("group", name="Sector")).to_be_visible()
    last = phone.get_by_role("button", name=f"Show {count} results").last
    expect(last).to_be_in_viewport()
    assert phone.evaluate("window.stillThisPage === true")
    screenshot(phone, "finder-mobile-open", full_page=False)


@pytest.mark.parametrize("address", [FILTERED, PAGED], ids=["chips", "pages"])
def test_every_control_of_the_finder_is_a_44_pixel_target(phone, seed, address):
    phone.goto(address)
    filters_control(phone).click()
    folded = phone.locator("details.facet:not([open]) > summary")
    while folded.count():
        folded.first.click()
    targets = phone.locator(
        ".finder summary, .finder label.option, .finder button:visible, .finder select, "
        ".finder input[type=search]:visible, .finder .chips--active a, .finder__clear, "
        ".finder__tools a, .facet__toggle a, .pagination a"
    )
    assert targets.count() > 30
    small = []
    for target in targets.all():
        box = target.bounding_box()
        if box and (box["width"] < TOUCH or box["height"] < TOUCH):
            small.append((target.evaluate("e => e.outerHTML.slice(0, 70)"), box))
    assert small == []
