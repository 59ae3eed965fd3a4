"""Under the Content Security Policy, Chromium blocks nothing and logs no error on any page.

Every public page type and the admin pages an editor uses, with the policy the site sends: a
violation would mean a script, style or image that readers or editors silently lose.
"""

import re

import pytest
from playwright.sync_api import expect

from initiatives.models import Initiative
from tests.browser.conftest import PAGE_TYPES, new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Runs before the page's own scripts, and is not subject to its policy.
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile}:${event.lineNumber})`);
});
"""


class Watched:
    """A page that keeps every console error, uncaught exception and policy violation."""

    def __init__(self, page):
        self.page, self.problems = page, []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))

    def console(self, message):
        if message.type == "error" and not self.expected_404(message):
            self.problems.append(f"console: {message.text} at {message.location['url']}")

    def expected_404(self, message):
        """Chromium logs the 404 page's own status as an error; that one is the point."""
        return "status of 404" in message.text and message.location["url"].endswith(
            "/no-such-initiative/"
        )

    def goto(self, url):
        response = self.page.goto(url, wait_until="networkidle")
        self.settle()
        return response

    def settle(self):
        self.page.wait_for_load_state("networkidle")
        self.problems += self.page.evaluate("window.violations")
        self.page.evaluate("window.violations = []")


@pytest.fixture
def watched(browser, browser_context_args):
    page = new_page(browser, browser_context_args)
    yield Watched(page)
    page.context.close()


def test_the_site_sends_its_policy_to_the_browser(watched, seed):
    response = watched.goto("/")
    policy = response.header_value("Content-Security-Policy")
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy


def test_a_violation_would_be_seen(watched, seed):
    watched.goto("/")
    watched.page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    watched.settle()
    assert watched.page.evaluate("window.ran") is None
    assert any("script-src" in problem for problem in watched.problems), watched.problems


def test_no_public_page_breaks_the_policy_or_logs_an_error(watched, seed):
    for name, url in PAGE_TYPES.items():
        response = watched.goto(url)
        assert response.status == (404 if name == "404" else 200), name
    assert watched.problems == []


def test_the_finder_updates_in_place_within_the_policy(watched, seed):
    watched.goto("/initiatives/")
    group = watched.page.get_by_role("group", name="Country")
    group.get_by_role("checkbox", name=re.compile(r"^France\b")).check()
    expect(watched.page).to_have_url(re.compile(r"country=fr"))
    watched.settle()
    assert watched.problems == []


def test_no_admin_page_breaks_the_policy_or_logs_an_error(watched, seed, django_user_model):
    django_user_model.objects.create_superuser("ada", "ada@example.org", "a long passphrase")
    initiative = Initiative.objects.get(slug="pilnet-covid-legal-guidance-2020")
    initiative.title += " (checked)"
    initiative.save()
    change = f"/admin/initiatives/initiative/{initiative.pk}/"
    version = initiative.history.earliest()

    watched.goto("/admin/")
    watched.page.get_by_label("Username").fill("ada")
    watched.page.get_by_label("Password").fill("a long passphrase")
    watched.page.get_by_role("button", name="Log in").click()
    expect(watched.page.get_by_role("heading", name="Site administration")).to_be_visible()
    watched.settle()
    for url in [
        "/admin/initiatives/initiative/",
        "/admin/initiatives/initiative/?q=covid",
        f"{change}change/",
        f"{change}history/",
        f"{change}history/{version.history_id}/",
    ]:
        assert watched.goto(url).status == 200, url
    assert watched.problems == []


def test_the_tag_autocomplete_works_within_the_policy(watched, seed, django_user_model):
    django_user_model.objects.create_superuser("ada", "ada@example.org", "a long passphrase")
    watched.goto("/admin/login/")
    watched.page.get_by_label("Username").fill("ada")
    watched.page.get_by_label("Password").fill("a long passphrase")
    watched.page.get_by_role("button", name="Log in").click()
    watched.goto("/admin/initiatives/initiative/add/")
    tags = watched.page.locator(".field-tags .select2-search__field")
    tags.fill("hacka")
    watched.page.locator(".select2-results__option", has_text="hackathon").first.click()
    chosen = watched.page.locator(".field-tags .select2-selection__choice")
    expect(chosen).to_have_count(1)
    watched.settle()
    assert watched.problems == []
