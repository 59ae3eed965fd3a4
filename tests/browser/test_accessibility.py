"""axe-core finds no WCAG 2.1 A or AA violation on any page type, at desktop and mobile widths.

axe.min.js is axe-core 4.14.1 from the npm registry (MPL-2.0, see AXE.md beside it).
"""

from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, MOBILE, PAGE_TYPES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).with_name("axe.min.js")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}

# The screenshots the README shows (SCREENSHOTS=1 writes them to docs/screenshots/): whole pages,
# or the first screen where the filters would make a very long picture.
SCREENSHOTS = {
    ("home", "desktop"): "whole page",
    ("finder", "desktop"): "first screen",
    ("initiative", "desktop"): "whole page",
    ("finder", "mobile"): "first screen",
}


def axe_violations(page):
    """axe's WCAG 2.1 A and AA violations on the page, one readable line each."""
    # Evaluated through DevTools: the pages' policy refuses an inline <script>, rightly.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_21_AA}},
    )
    found = []
    for violation in result["violations"]:
        targets = [node["target"] for node in violation["nodes"]]
        found.append(f"{violation['id']}: {violation['help']} at {targets}")
    return found


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_it_has_no_wcag_21_aa_violation_at_desktop_or_mobile_width(page, seed, screenshot, name):
    found = {}
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        response = page.goto(PAGE_TYPES[name])
        assert response.status == (404 if name == "404" else 200)
        found[width] = axe_violations(page)
        if (name, width) in SCREENSHOTS:
            whole = SCREENSHOTS[name, width] == "whole page"
            screenshot(page, f"{name}-{width}", full_page=whole)
    assert found == {"desktop": [], "mobile": []}


def test_a_refused_form_has_no_wcag_21_aa_violation_at_either_width(page, seed):
    found = {}
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.goto(PAGE_TYPES["propose"])
        page.get_by_label("Title").fill("Lawyers for tenants")
        # Sent as a browser that checks nothing would: the server's messages are the ones shown.
        page.evaluate("document.querySelector('main form').noValidate = true")
        with page.expect_response(lambda response: response.request.method == "POST") as sent:
            page.get_by_role("button", name="Send to the editors").click()
        assert sent.value.status == 400
        found[width] = axe_violations(page)
    assert found == {"desktop": [], "mobile": []}
