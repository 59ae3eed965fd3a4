"""The API's documentation page shows every operation, under the site's own policy."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_csp_console import Watched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_documentation_lists_the_operations_without_a_blocked_resource(
    browser, browser_context_args, live_server, seed
):
    page = browser.new_context(**browser_context_args).new_page()
    watched = Watched(page)
    watched.goto(f"{live_server.url}/api/v1/docs/")
    for path in ["/api/v1/initiatives/", "/api/v1/initiatives/{slug}/", "/api/v1/countries/"]:
        expect(page.locator(".opblock-summary-path", has_text=path).first).to_be_visible()
    page.locator(".opblock-summary-path", has_text="/api/v1/initiatives/").first.click()
    expect(page.get_by_text("modified_after").first).to_be_visible()
    watched.settle()
    assert watched.problems == []
    page.context.close()
