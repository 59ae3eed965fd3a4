"""The map of countries, its sortable table, and the facilitators' index, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MOBILE
from tests.browser.test_accessibility import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 375, "height": 812}


def first_countries(page, number=3):
    return page.locator("#country-table tbody th").all_inner_texts()[:number]


def test_every_listed_country_has_a_target_of_44_px_on_a_375_px_phone(page, seed, screenshot):
    """On the world map, in the Europe inset or as a tile: Belgium, Luxembourg's neighbours and
    Singapore included."""
    page.set_viewport_size(PHONE)
    page.goto("/countries/")
    listed = page.locator("#country-table tbody th a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    sizes = page.evaluate(
        """() => {
          const sizes = {};
          for (const link of document.querySelectorAll('.map a[href]')) {
            const box = link.getBoundingClientRect();
            if (box.width === 0) continue;  // a tile hidden at this width
            const href = link.getAttribute('href');
            const size = Math.min(box.width, box.height);
            sizes[href] = Math.max(sizes[href] || 0, size);
          }
          return sizes;
        }"""
    )
    small = {href: size for href, size in sizes.items() if size < 44}
    assert set(listed) <= set(sizes)
    # A shape's box is larger than the shape; a country below 44 px there has a tile too.
    tiles = page.locator(".map__tile").evaluate_all(
        "tiles => tiles.filter(t => t.offsetWidth >= 44 && t.offsetHeight >= 44)"
        ".map(t => t.getAttribute('href'))"
    )
    assert {"/countries/be/", "/countries/sg/"} <= set(tiles)
    assert set(small) <= set(tiles) | {href for href in listed if sizes[href] >= 44}
    # The README's picture: the maps, the tiles and the legend, down to the table's head.
    page.set_viewport_size({"width": 375, "height": 1450})
    screenshot(page, "map-mobile", full_page=False)


def test_each_country_on_the_map_is_named_with_its_counts(page, seed):
    page.goto("/countries/")
    expect(page.get_by_role("link", name="Singapore: 2 initiatives, 1 facilitator")).to_have_count(
        2
    )
    expect(
        page.get_by_role("link", name="Brazil: 0 initiatives, 2 facilitators").first
    ).to_be_visible()


def test_the_table_sorts_in_place_with_javascript_and_says_by_what(page, seed):
    page.goto("/countries/")
    header = page.get_by_role("columnheader", name="Initiatives")
    expect(page.get_by_role("columnheader", name=re.compile("^Country"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    header.get_by_role("button", name="Initiatives").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(page.get_by_role("columnheader", name=re.compile("^Country"))).not_to_have_attribute(
        "aria-sort", "ascending"
    )
    assert first_countries(page) == ["France", "United States of America", "India"]
    expect(page).to_have_url(re.compile(r"/countries/\?sort=initiatives$"))
    page.get_by_role("button", name="Facilitators").click()
    assert first_countries(page) == ["United States of America", "China", "Germany"]
    page.get_by_role("button", name=re.compile("^Country")).click()
    assert first_countries(page) == ["Austria", "Belgium", "Brazil"]
    expect(page).to_have_url(re.compile(r"/countries/$"))


def test_the_table_sorts_by_a_link_without_javascript(no_js_page, seed):
    no_js_page.goto("/countries/")
    no_js_page.locator("#country-table").get_by_role("link", name="Facilitators").click()
    expect(no_js_page).to_have_url(re.compile(r"/countries/\?sort=facilitators$"))
    assert first_countries(no_js_page) == ["United States of America", "China", "Germany"]


def test_a_reader_filters_the_facilitators_by_country_network_and_name(no_js_page, seed):
    page = no_js_page
    page.goto("/facilitators/")
    expect(page.locator(".facilitator-table tbody tr")).to_have_count(29)
    page.get_by_label("Country").select_option(label="Germany (3)")
    # Its 20 current members: Pro Bono Lab, closed, is a former one.
    page.get_by_label("Network").select_option(label="Global Pro Bono Network (20)")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(
        re.compile(r"/facilitators/\?country=de&network=global-pro-bono-network$")
    )
    expect(page.locator(".facilitator-table tbody th a")).to_have_text(
        ["AMAIDI International", "Proboneo"]
    )
    page.get_by_label("Name").fill("probo")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".facilitator-table tbody th a")).to_have_text(["Proboneo"])


@pytest.mark.parametrize(
    "path",
    [
        "/countries/?sort=initiatives",
        "/facilitators/?country=fr&network=nope",
        "/networks/points-of-light/",
    ],
)
def test_the_pages_have_no_wcag_21_aa_violation_at_375_px(page, seed, path):
    page.set_viewport_size(PHONE)
    page.goto(path)
    assert axe_violations(page) == []
    page.set_viewport_size(MOBILE)
    assert axe_violations(page) == []
