"""An editor in the admin at 1280 px: the autocomplete picks what was typed, the initiative
list's columns fit beside the filters."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def editor_page(page, editor, seed):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill("not-used-here")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    return page


def test_typing_good_and_pressing_enter_picks_the_good_lobby(editor_page):
    page = editor_page
    page.goto("/admin/initiatives/initiative/add/")
    page.locator(".field-facilitator .select2-selection").click()
    options = page.locator(".select2-results__option")
    highlighted = page.locator(".select2-results__option--highlighted")
    unfiltered_first = highlighted.inner_text()
    page.locator(".select2-container--open .select2-search__field").press_sequentially("Good")
    # Enter once the list has changed to the answer for "Good", as an editor who sees it.
    expect(options.filter(has_text=unfiltered_first)).to_have_count(0)
    expect(highlighted).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#id_facilitator option:checked")).to_have_text("The Good Lobby")
    expect(page.locator(".field-facilitator .select2-selection__rendered")).to_contain_text(
        "The Good Lobby"
    )


def box(locator):
    found = locator.bounding_box()
    return found["x"], found["x"] + found["width"]


def test_the_status_and_last_verified_columns_show_beside_the_filters(editor_page):
    page = editor_page
    page.goto("/admin/initiatives/initiative/")
    assert_columns_fit(page)
    # Sorting adds its arrows to a header: the list still fits.
    page.locator("#result_list th.column-last_verified a").first.click()
    expect(page).to_have_url(re.compile(r"[?&]o=5"))
    assert_columns_fit(page)


def assert_columns_fit(page):
    filters_left, _right = box(page.locator("#changelist-filter"))
    results_left, results_right = box(page.locator("#changelist-form .results"))
    for column in ("status", "last_verified", "updated"):
        header = page.locator(f"#result_list th.column-{column}")
        expect(header).to_be_in_viewport(ratio=1)
        left, right = box(header)
        assert results_left <= left, column
        assert right <= results_right <= filters_left, column
    table_width, visible_width = page.locator("#changelist-form .results").evaluate(
        "results => [results.scrollWidth, results.clientWidth]"
    )
    assert table_width <= visible_width
