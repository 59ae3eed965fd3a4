"""With JavaScript, the finder's results follow the filters in place (static/js/finder.js)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import result_titles, tick
from tests.browser.test_accessibility import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def view(page):
    """Everything a reader sees change when the filters change."""
    return {
        "url": page.url,
        "title": page.title(),
        "h1": page.locator("h1").inner_text(),
        "announced": page.locator("#results-summary").inner_text(),
        "ticked": page.locator(".finder__filters input:checked").evaluate_all(
            "boxes => boxes.map(box => box.id)"
        ),
        "chips": page.locator(".chips--active .chip").all_inner_texts(),
        "results": result_titles(page),
    }


def stays_in_place(page):
    """True while the page has not been reloaded since `mark_page` (a full load would reset it)."""
    return page.evaluate("window.stillThisPage === true")


def mark_page(page):
    page.evaluate("window.stillThisPage = true")


def test_ticking_two_filters_updates_the_results_and_the_url_and_back_restores_each_state(
    page, seed
):
    page.goto("/initiatives/")
    mark_page(page)
    start = view(page)

    tick(page, "Country", "France")
    expect(page).to_have_url(re.compile(r"/initiatives/\?country=fr$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^\d+ initiatives in France$"))
    france = view(page)
    assert france["announced"] == france["h1"]
    assert france["title"] == "Initiatives in France · Pro Bono Directory"
    assert france["ticked"] == ["country-fr"]
    assert france["chips"] == ["France ×"]
    assert len(france["results"]) < len(start["results"])

    tick(page, "Sector", "Legal")
    expected = r"/initiatives/\?country=fr&sector=legal$"
    expect(page).to_have_url(re.compile(expected))
    expect(page.locator("h1")).to_have_text(re.compile(r"^\d+ legal initiatives? in France$"))
    expect(page.locator("#sector-legal")).to_be_focused()
    legal = view(page)
    assert legal["announced"] == legal["h1"]
    assert legal["ticked"] == ["country-fr", "sector-legal"]
    assert stays_in_place(page)

    page.go_back()
    expect(page).to_have_url(france["url"])
    expect(page.locator("h1")).to_have_text(france["h1"])
    assert view(page) == france

    page.go_back()
    expect(page).to_have_url(start["url"])
    expect(page.locator("h1")).to_have_text(start["h1"])
    assert view(page) == start

    page.go_forward()
    expect(page.locator("h1")).to_have_text(france["h1"])
    assert view(page) == france
    assert stays_in_place(page)


def test_the_results_come_from_the_server_rendered_fragment(page, seed):
    page.goto("/initiatives/")
    with page.expect_request(lambda request: "country=fr" in request.url) as asked:
        tick(page, "Country", "France")
    expect(page).to_have_url(re.compile(r"/initiatives/\?country=fr$"))
    assert asked.value.headers["x-requested-with"] == "finder"


def test_a_search_and_a_sort_apply_in_place(page, seed):
    page.goto("/initiatives/")
    mark_page(page)

    page.get_by_role("searchbox", name="Search").fill("covid")
    page.get_by_role("searchbox", name="Search").press("Enter")
    expect(page).to_have_url(re.compile(r"/initiatives/\?q=covid$"))
    expect(page.get_by_role("searchbox", name="Search")).to_be_focused()

    page.get_by_label("Sort by").focus()
    page.get_by_label("Sort by").select_option(label="Title A–Z")
    expect(page).to_have_url(re.compile(r"/initiatives/\?q=covid&sort=title$"))
    expect(page.get_by_label("Sort by")).to_be_focused()
    assert stays_in_place(page)


def test_a_page_link_updates_in_place_and_moves_focus_to_the_results(page, seed):
    page.goto("/initiatives/")
    mark_page(page)

    page.get_by_role("link", name="Next").click()

    expect(page).to_have_url(re.compile(r"/initiatives/\?page=2$"))
    expect(page.locator("#results")).to_be_focused()
    assert stays_in_place(page)


def test_show_all_lists_every_option_in_place_and_keeps_it_whole_while_ticking(page, seed):
    page.goto("/initiatives/")
    mark_page(page)
    countries = page.get_by_role("group", name="Country")
    expect(countries.get_by_role("checkbox")).to_have_count(8)
    show_all = countries.get_by_role("link", name=re.compile(r"^Show all \d+$"))
    every = int(show_all.inner_text().split()[-1])

    show_all.click()
    expect(page).to_have_url(re.compile(r"/initiatives/\?show=country$"))
    expect(countries.get_by_role("checkbox")).to_have_count(every)
    expect(countries.get_by_role("link", name="Show fewer")).to_be_focused()

    # One of the options that were hidden: the list stays whole after it applies.
    countries.get_by_role("checkbox").last.check()
    expect(page).to_have_url(re.compile(r"/initiatives/\?country=[a-z]{2}&show=country$"))
    expect(countries.get_by_role("checkbox")).to_have_count(every)
    expect(countries.get_by_role("checkbox", checked=True)).to_have_count(1)

    countries.get_by_role("link", name="Show fewer").click()
    expect(page).to_have_url(re.compile(r"/initiatives/\?country=[a-z]{2}$"))
    # The top eight, and the chosen country where it stands, still ticked.
    expect(countries.get_by_role("checkbox")).to_have_count(9)
    expect(countries.get_by_role("checkbox").last).to_be_checked()
    assert stays_in_place(page)


def test_leaving_and_coming_back_shows_the_whole_page_not_the_fragment(page, seed):
    page.goto("/initiatives/")
    tick(page, "Country", "France")
    expect(page).to_have_url(re.compile(r"/initiatives/\?country=fr$"))
    france = view(page)

    page.locator(".finder__results .card__title a").first.click()
    expect(page).not_to_have_url(re.compile(r"\?country=fr$"))
    page.go_back()

    expect(page).to_have_url(france["url"])
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.locator("h1")).to_have_text(france["h1"])
    assert view(page) == france


def test_the_updated_page_has_no_wcag_21_aa_violation(page, seed):
    page.goto("/initiatives/")
    tick(page, "Country", "France")
    expect(page).to_have_url(re.compile(r"/initiatives/\?country=fr$"))

    assert axe_violations(page) == []


def test_back_to_results_returns_to_the_exact_view_the_reader_left(page, seed):
    page.goto("/initiatives/?country=fr&sort=title")
    first = page.locator(".finder__results .card__title a").first
    first.click()
    back = page.get_by_role("link", name="Back to results")
    expect(back).to_be_visible()
    back.click()
    expect(page).to_have_url(re.compile(r"/initiatives/\?country=fr&sort=title$"))


def test_back_to_results_stays_hidden_for_a_reader_who_came_from_elsewhere(page, seed):
    page.goto("/countries/fr/")
    url = page.locator(".finder__results .card__title a").first.get_attribute("href")
    page.goto(url)  # typed or pasted: no list to go back to
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("link", name="Back to results")).to_be_hidden()


def test_a_long_facets_search_box_finds_the_options_its_short_list_hides(page, seed):
    page.goto("/initiatives/")
    countries = page.get_by_role("group", name="Country")
    expect(countries.get_by_role("checkbox")).to_have_count(8)
    hidden = countries.locator("li[hidden] .option__label").first.inner_text()

    # Typed without its accents or capitals, a few letters of it.
    countries.get_by_role("searchbox", name="Find in “Country”").fill(hidden[:4].lower())
    found = countries.get_by_role("checkbox", name=re.compile(rf"^{re.escape(hidden)}\b"))
    expect(found).to_be_visible()
    found.check()

    expect(page.locator("h1")).to_contain_text(f"in {hidden}")
    # The box keeps what was typed, and the option stays in view, ticked.
    expect(countries.get_by_role("searchbox")).to_have_value(hidden[:4].lower())
    expect(page.locator("#results-summary")).to_contain_text(hidden)
    expect(countries.get_by_role("checkbox", checked=True)).to_have_count(1)

    countries.get_by_role("searchbox").fill("")
    # Back to the short list, with the chosen country where it stands.
    expect(countries.get_by_role("checkbox")).to_have_count(9)


def test_tab_reaches_the_first_result_in_a_few_presses(page, seed):
    page.goto("/initiatives/")
    first = page.locator(".finder__results .card__title a").first
    presses = 0
    while not first.evaluate("link => link === document.activeElement") and presses < 60:
        page.keyboard.press("Tab")
        presses += 1
    # The folded facets (seven of nine) each take one stop; it took 76 before they folded.
    assert presses <= 50, presses
