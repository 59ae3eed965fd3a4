"""What readers and editors do, end to end, in a real browser; finder tasks with and without JS."""

import re

import pytest
from playwright.sync_api import expect

from initiatives.models import Initiative
from tests.browser.conftest import result_titles, tick
from tests.directory import make_initiative

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The form sends no sort while it shows the default one, so a first search is ranked by
# relevance, the default with a search, with JavaScript or without.
COMBINED = "/initiatives/?country=fr&sector=skills-based-volunteering&crisis=covid-19&q=covid"


def chip_labels(page):
    return page.locator(".chips--active .chip").all_inner_texts()


def apply(page, javascript, url):
    """Without JavaScript the reader presses the button; with it, the results follow alone."""
    if not javascript:
        page.get_by_role("button", name="Show results").first.click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))


def test_it_goes_from_the_home_page_to_a_country_to_one_of_its_initiatives(page, seed):
    page.goto("/")
    page.locator(".tiles a", has_text="France").click()

    expect(page).to_have_url(re.compile("/countries/fr/$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^\d+ initiatives in France$"))
    first = page.locator(".finder__results .card__title a").first
    title = first.inner_text()
    first.click()

    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".facts")).to_contain_text("France")


def test_it_combines_three_filters_and_a_search_into_a_link_that_shows_the_same_view(
    reader, javascript, browser, browser_context_args, seed
):
    reader.goto("/initiatives/")
    tick(reader, "Country", "France")
    apply(reader, javascript, "/initiatives/?country=fr")
    tick(reader, "Sector", "Skills-based volunteering")
    apply(reader, javascript, "/initiatives/?country=fr&sector=skills-based-volunteering")
    tick(reader, "Crisis", "Covid-19 pandemic")
    reader.get_by_role("searchbox", name="Search").fill("covid")
    reader.get_by_role("searchbox", name="Search").press("Enter")
    expect(reader).to_have_url(re.compile(re.escape(COMBINED) + "$"))
    expect(reader.get_by_label("Sort by")).to_have_value("")
    expect(reader.get_by_label("Sort by").locator("option:checked")).to_have_text("Relevance")
    titles = result_titles(reader)
    chips = chip_labels(reader)
    assert titles
    assert chips == ["France ×", "Skills-based volunteering ×", "Covid-19 pandemic ×", "“covid” ×"]

    fresh = browser.new_context(**browser_context_args).new_page()
    fresh.goto(reader.url)
    assert result_titles(fresh) == titles
    assert chip_labels(fresh) == chips
    assert fresh.locator("h1").inner_text() == reader.locator("h1").inner_text()
    fresh.context.close()


def test_it_removes_one_chip(reader, javascript, seed):
    reader.goto(COMBINED)
    before = len(result_titles(reader))

    reader.get_by_role("link", name="Remove filter: France").click()

    expected = "/initiatives/?sector=skills-based-volunteering&crisis=covid-19&q=covid"
    expect(reader).to_have_url(re.compile(re.escape(expected) + "$"))
    expect(reader.locator(".chips--active .chip")).to_have_count(3)
    expect(reader.get_by_role("link", name="Remove filter: France")).to_have_count(0)
    expect(reader.locator("h1")).not_to_contain_text("France")
    assert len(result_titles(reader)) >= before


def test_it_pages_forward_and_back(reader, javascript, seed):
    reader.goto("/initiatives/")
    first_page = result_titles(reader)
    assert len(first_page) == 20

    reader.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    expect(reader).to_have_url(re.compile(r"/initiatives/\?page=2$"))
    expect(reader.locator("[aria-current=page]", has_text="2")).to_be_visible()
    second_page = result_titles(reader)
    assert second_page
    assert not set(second_page) & set(first_page)

    reader.get_by_role("navigation", name="Pages").get_by_role("link", name="Previous").click()
    expect(reader).to_have_url(re.compile(r"/initiatives/$"))
    assert result_titles(reader) == first_page


def test_it_changes_the_sort(reader, javascript, browser, browser_context_args, seed):
    reader.goto("/initiatives/")
    newest = result_titles(reader)

    reader.get_by_label("Sort by").select_option(label="Title A–Z")
    apply(reader, javascript, "/initiatives/?sort=title")

    expect(reader.get_by_label("Sort by")).to_have_value("title")
    by_title = result_titles(reader)
    assert by_title != newest
    fresh = browser.new_context(**browser_context_args).new_page()
    fresh.goto("/initiatives/?sort=title")
    assert result_titles(fresh) == by_title
    fresh.context.close()


def test_copy_link_puts_the_canonical_url_on_the_clipboard(page, live_server, seed):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/initiatives/?sector=legal&country=FR&country=be&q=&sort=newest")
    canonical = f"{live_server.url}/initiatives/?country=be&country=fr&sector=legal"
    expect(page).to_have_url(canonical)

    page.get_by_role("button", name="Copy link").click()

    expect(page.get_by_role("button", name="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == canonical
    assert page.locator("link[rel=canonical]").get_attribute("href") == canonical


def test_without_javascript_there_is_no_copy_button_to_fail(no_js_page, seed):
    no_js_page.goto("/initiatives/")
    expect(no_js_page.get_by_role("button", name="Copy link")).to_be_hidden()


def press_tab_until(page, selector, limit=120):
    """Tab forward until the focus is on `selector`, checking every stop has a visible outline."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """selector => {
                const element = document.activeElement;
                const style = getComputedStyle(element);
                return {
                    matches: element.matches(selector),
                    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
                    name: element.outerHTML.slice(0, 80),
                };
            }""",
            selector,
        )
        assert focused["outline"], f"no visible focus on {focused['name']}"
        if focused["matches"]:
            return
    pytest.fail(f"{selector} is not reachable with the Tab key")


def test_keyboard_only_reaches_and_applies_a_filter_then_skips_to_the_results(page, seed):
    page.goto("/initiatives/")

    press_tab_until(page, "#country-fr")
    page.keyboard.press("Space")

    expect(page).to_have_url(re.compile(r"/initiatives/\?country=fr$"))
    expect(page.locator("h1")).to_contain_text("in France")
    expect(page.locator("#country-fr")).to_be_focused()
    expect(page.locator("#country-fr")).to_be_checked()

    # Back up the sidebar: the facet's own search box, its heading, then the filters' actions.
    for expected in [
        page.get_by_label("Find in “Country”"),
        page.locator("#facet-country > summary"),
        page.get_by_role("link", name="Clear filters").first,
        page.get_by_role("button", name=re.compile(r"^Show \d+ results$")).first,
        page.get_by_label("Sort by"),
        page.get_by_label("Search", exact=True),
        page.get_by_role("link", name="Skip to the results"),
    ]:
        page.keyboard.press("Shift+Tab")
        expect(expected).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Remove filter: France")).to_be_focused()


def test_keyboard_only_without_javascript_reaches_and_applies_a_filter(no_js_page, seed):
    page = no_js_page
    page.goto("/initiatives/")

    press_tab_until(page, "#country-fr")
    page.keyboard.press("Space")
    press_tab_until(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/initiatives/\?country=fr$"))
    expect(page.locator("#country-fr")).to_be_checked()


def test_the_skip_link_comes_first_and_leads_to_the_content(page, seed):
    page.goto("/countries/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_an_editor_publishes_a_draft_and_finds_it_on_the_site(
    page, browser, browser_context_args, editor, seed
):
    make_initiative(
        "Pro bono tax clinic for small charities",
        "tax-clinic",
        countries=["PT"],
        status=Initiative.Status.DRAFT,
    )
    reader = browser.new_context(**browser_context_args).new_page()
    assert reader.goto("/initiatives/tax-clinic/").status == 404

    page.goto("/admin/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill("not-used-here")
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/initiatives/initiative/")
    row = page.get_by_role("row", name=re.compile("Pro bono tax clinic"))
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Publish selected initiatives")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("ublished")

    reader.goto("/initiatives/?q=tax+clinic")
    reader.get_by_role("link", name="Pro bono tax clinic for small charities").click()
    expect(reader.locator("h1")).to_have_text("Pro bono tax clinic for small charities")
    expect(reader.get_by_text("Draft, not public")).to_have_count(0)
    reader.context.close()


def test_an_initiative_prints_without_the_navigation_and_with_its_addresses(page, seed):
    page.goto("/initiatives/jeveuxaider-reserve-civique-covid/")
    page.emulate_media(media="print")

    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("contentinfo")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    website = page.get_by_role("link", name="Website")
    after = website.evaluate("link => getComputedStyle(link, '::after').content")
    assert after == '" (https://www.jeveuxaider.gouv.fr/)"'


def test_an_editor_picks_an_existing_tag_and_creates_a_new_one(page, editor, seed):
    page.goto("/admin/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill("not-used-here")
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/initiatives/initiative/add/")
    tags = page.locator(".field-tags .select2-search__field")
    tags.fill("hacka")
    page.locator(".select2-results__option", has_text="hackathon").first.click()
    tags.fill("tenant rights")
    page.locator(".select2-results__option", has_text="tenant rights").first.click()
    chosen = page.locator(".field-tags .select2-selection__choice")
    expect(chosen).to_have_count(2)
    expect(chosen.nth(0)).to_contain_text("hackathon")
    expect(chosen.nth(1)).to_contain_text("tenant rights")
