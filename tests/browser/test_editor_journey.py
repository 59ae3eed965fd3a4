"""An editor's day in the admin, in Chromium: a draft jotted down with a title alone, published
once complete with a one-click verification date, one history entry with the reason given."""

import re

import pytest
from playwright.sync_api import expect

from initiatives.models import Initiative

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def log_in(page):
    page.goto("/admin/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill("not-used-here")
    page.get_by_role("button", name="Log in").click()


def choose(page, field, typed, option):
    """Pick `option` in the admin's autocomplete for `field` by typing and pressing Enter."""
    page.locator(f".field-{field} .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(typed)
    expect(page.locator(".select2-results__option--highlighted")).to_have_text(option)
    search.press("Enter")


def test_an_editor_jots_down_a_draft_then_publishes_it_verified_today(page, editor, seed):
    log_in(page)
    page.goto("/admin/initiatives/initiative/add/")
    page.get_by_label("Title [en]:").fill("Lawyers for food banks")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    draft = Initiative.objects.get(slug="lawyers-for-food-banks")
    assert draft.status == Initiative.Status.DRAFT

    page.goto(f"/admin/initiatives/initiative/{draft.pk}/change/")
    page.get_by_label("Status:").select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".errorlist.nonfield")).to_contain_text(
        "it still needs a summary, a kind of engagement, a country and a "
        "“facts last verified on” date"
    )

    page.get_by_label("Summary [en]:").fill("Volunteer lawyers reviewed food banks' contracts.")
    page.get_by_label("Kind of engagement:").select_option(label="Legal advice")
    choose(page, "countries", "Portu", "Portugal")
    page.get_by_role("button", name=re.compile("Add another source", re.I)).click()
    page.locator("#id_sources-0-url").fill("https://example.org/food-banks")
    page.locator("#id_sources-0-is_primary").check()
    page.locator(".field-last_verified_on").get_by_role("link", name="Today").click()
    page.get_by_label("Reason for this change:").fill("Checked against the food bank's report")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    published = Initiative.objects.get(pk=draft.pk)
    assert published.is_published
    assert published.last_verified_on is not None

    page.goto(f"/admin/initiatives/initiative/{draft.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Checked against the food bank's report")
    expect(rows.first).to_contain_text("Portugal")


@pytest.mark.parametrize("width", [1280, 1024])
def test_english_and_french_stand_side_by_side(page, editor, seed, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page)
    page.goto("/admin/initiatives/initiative/add/")
    for field in ("title", "summary", "description"):
        english = page.locator(f"#id_{field}_en").bounding_box()
        french = page.locator(f"#id_{field}_fr").bounding_box()
        assert english["y"] == french["y"], field
        assert english["x"] + english["width"] < french["x"] <= width, field
