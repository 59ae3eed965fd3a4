"""An editor imports initiatives from the template at 1280 px: a bad row's problem is read
without hovering, beside the valid rows, and the preview fits the window and its policy."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.browser.test_csp_console import Watched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


OPAQUE = """element => {
  for (; element; element = element.parentElement) {
    if (getComputedStyle(element).opacity === "0") return false;
  }
  return true;
}"""


def log_in(page):
    page.goto("/admin/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill("not-used-here")
    page.get_by_role("button", name="Log in").click()


def three_rows(template):
    """The template's example, a second new initiative, and a row naming a country that is not."""
    (example,) = csv.DictReader(io.StringIO(template.decode("utf-8-sig")))
    second = {**example, "slug": "example-second", "title_en": "Free legal clinic, second"}
    bad = {**example, "slug": "example-bad", "countries": "BE|ZZ"}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(example))
    writer.writeheader()
    writer.writerows([example, second, bad])
    return out.getvalue().encode()


def right_edge(box):
    return box["x"] + box["width"]


def test_an_editor_reads_a_bad_rows_problem_without_hovering(page, editor, seed, screenshot):
    watched = Watched(page)
    log_in(page)
    page.goto("/admin/initiatives/initiative/import/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a template for initiatives").click()
    template = download.value
    assert template.suggested_filename == "initiatives-template.csv"
    data = three_rows(Path(template.path()).read_bytes())

    page.get_by_label("File to import").set_input_files(
        files=[{"name": "initiatives.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_role("heading", name="Nothing can be imported yet")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Checked 3 rows in \d+\.\d\d seconds\."))).to_be_visible()
    bad = page.get_by_role("row", name=re.compile(r"^3 example-bad"))
    expect(bad).to_contain_text("Errors")
    problem = bad.get_by_text("Unknown country: ZZ")
    # No hover: the mouse has not moved. Playwright counts a transparent element as visible.
    expect(problem).to_be_visible()
    assert problem.evaluate(OPAQUE)
    box = problem.bounding_box()
    assert 0 <= box["x"] < right_edge(box) <= DESKTOP["width"]
    for number, slug in [(1, "example-tenant-legal-clinic"), (2, "example-second")]:
        row = page.get_by_role("row", name=re.compile(rf"^{number} {slug}"))
        expect(row).to_contain_text("New")

    for table in page.locator("table.import-rows").all():
        assert right_edge(table.bounding_box()) <= DESKTOP["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    watched.settle()
    assert watched.problems == []  # within the Content Security Policy
    screenshot(page, "admin-import-preview")
