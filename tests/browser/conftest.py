"""Browser tests: headless Chromium driven by Playwright, against a live server the tests start.

Without Chromium at /usr/bin/chromium they are skipped, so a newcomer's `make test` passes; in
CI (CI=true) a skipped browser test fails the run instead.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium keeps calling home, which a closed network punishes.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = (
    "Chromium not found at /usr/bin/chromium: "
    "install it with `apt-get install chromium` to run the browser tests"
)
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 360, "height": 740}
# One page of each type readers see, from the seed content.
PAGE_TYPES = {
    "home": "/",
    "list": "/initiatives/",
    "finder": "/initiatives/?country=fr&sector=skills-based-volunteering&crisis=covid-19&q=covid",
    "initiative": "/initiatives/tgl-eu-health-petition/",
    "countries": "/countries/",
    "country": "/countries/fr/",
    "sectors": "/sectors/",
    "sector": "/sectors/skills-based-volunteering/",
    "networks": "/networks/",
    "network": "/networks/global-pro-bono-network/",
    "facilitators": "/facilitators/",
    "facilitator": "/facilitators/pro-bono-lab/",
    "report": "/initiatives/tgl-eu-health-petition/report/",
    "propose": "/propose/",
    "thanks": "/thanks/",
    "alerts": "/alerts/new/?country=fr&sector=skills-based-volunteering",
    "alerts-sent": "/alerts/sent/",
    "404": "/initiatives/no-such-initiative/",
}
# SCREENSHOTS=1 rewrites the committed screenshots; ordinary runs leave them alone.
SCREENSHOTS = settings.BASE_DIR / "docs" / "screenshots"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=MISSING_CHROMIUM))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    in_ci = os.environ.get("CI") == "true"
    if in_ci and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"CI runs every browser test, but this one was skipped: {reason}"
    return report


@pytest.fixture(scope="session")
def playwright(django_db_setup):
    """Playwright, with Django still able to use the database from the tests' thread.

    Playwright's sync API leaves an event loop running in this thread. Django then refuses
    database queries there unless told they are safe, and keeps connections per context: new
    ones would not know the contents to restore between tests, so the earlier ones are shared.
    """
    before = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in before.items():
            connections[alias] = connection
        yield playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP, "locale": "en-GB"}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in page.goto() go to the live server."""
    return live_server.url


@pytest.fixture
def seed():
    """The seed content: 24 initiatives, 29 facilitators, 14 sectors, 2 networks."""
    call_command("load_seed", stdout=io.StringIO())


def new_page(browser, browser_context_args, javascript=True):
    context = browser.new_context(**browser_context_args, java_script_enabled=javascript)
    return context.new_page()


@pytest.fixture
def no_js_page(browser, browser_context_args):
    """A page in a browser with JavaScript turned off: every task must work there too."""
    page = new_page(browser, browser_context_args, javascript=False)
    yield page
    page.context.close()


@pytest.fixture(params=["with-js", "without-js"])
def javascript(request):
    return request.param == "with-js"


@pytest.fixture
def reader(browser, browser_context_args, javascript):
    """A page with JavaScript on, then off: the finder's tasks work both ways."""
    page = new_page(browser, browser_context_args, javascript=javascript)
    yield page
    page.context.close()


def open_facet(page, facet):
    """The group of options of the facet titled `facet`, unfolded if it was folded."""
    details = page.locator("details.facet", has=page.locator("summary", has_text=facet))
    if not details.evaluate("details => details.open"):
        details.locator("summary").click()
    return page.get_by_role("group", name=facet)


def tick(page, facet, option):
    """Tick the option whose label starts with `option` in the facet titled `facet`."""
    group = open_facet(page, facet)
    group.get_by_role("checkbox", name=re.compile(rf"^{re.escape(option)}\b")).check()


def result_titles(page):
    """The titles of the initiatives the finder shows, in order."""
    return page.locator(".finder__results .card__title").all_inner_texts()


@pytest.fixture
def screenshot():
    """Save a screenshot to docs/screenshots/ when SCREENSHOTS=1 asks for it."""

    def save(page, name, full_page=True):
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=full_page)

    return save
