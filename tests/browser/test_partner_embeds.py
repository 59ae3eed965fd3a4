"""A partner's page, served from an origin of its own, shows a list with the loader; a page on
any other origin gets nothing from the directory in its frame."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Permission

from networks.models import EmbedPartner
from tests.browser.test_accessibility import VIEWPORTS, axe_violations
from tests.browser.test_admin_import import log_in
from tests.browser.test_csp_console import Watched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARTNER_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A partner's page</title></head>
<body>
<h1>Pro bono in Belgium</h1>
<script src="{directory}/static/js/embed.js" data-partner="lab"
        data-view="?sector=skills-based-volunteering" data-theme="dark" async></script>
<noscript><a href="{directory}/embed/lab/">Pro bono initiatives</a></noscript>
<p>After the list.</p>
</body>
</html>
"""


class PartnerSite:
    """A partner's site: one page, on 127.0.0.1 and a port of its own (an origin of its own)."""

    def __init__(self, directory):
        page = PARTNER_PAGE.format(directory=directory).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def partner_sites(live_server):
    """Two sites: the partner's, whose origin the partner lists, and a stranger's."""
    sites = PartnerSite(live_server.url), PartnerSite(live_server.url)
    yield sites
    for site in sites:
        site.close()


def embed_frame(page):
    page.locator("iframe").wait_for(state="attached")
    return page.frame_locator("iframe")


def test_the_partner_s_page_shows_the_list_at_its_own_height(page, seed, partner_sites):
    partner, _stranger = partner_sites
    EmbedPartner.objects.create(name="Lab", slug="lab", allowed_origins=partner.origin)
    page.goto(partner.origin + "/")
    frame = embed_frame(page)
    frame.locator(".embed__list").wait_for()
    iframe = page.locator("iframe")
    assert iframe.get_attribute("title") == "Pro bono initiatives"
    assert iframe.get_attribute("loading") == "lazy"
    inner = page.frames[1]
    assert "embed--dark" in inner.locator("body").get_attribute("class")
    # The loader has set the height the list posted, all of it: the list's own, even if it
    # changed while its style sheets loaded.
    content = shown = 0
    for _attempt in range(50):
        content = inner.evaluate("document.documentElement.getBoundingClientRect().height")
        shown = iframe.evaluate("frame => frame.getBoundingClientRect().height")
        if abs(shown - content) <= 1:
            break
        page.wait_for_timeout(100)
    assert abs(shown - content) <= 1, (shown, content)
    assert inner.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    assert content > 200
    assert iframe.evaluate("frame => frame.style.height") == f"{round(shown)}px"
    # A height posted by anything but the list (here the partner's page itself) is ignored.
    page.evaluate("window.postMessage({probonoEmbedHeight: 50}, '*')")
    page.wait_for_timeout(300)
    assert iframe.evaluate("frame => frame.style.height") == f"{round(shown)}px"
    # Every link opens the directory in a new tab.
    links = inner.locator("a").all()
    assert links
    assert {link.get_attribute("target") for link in links} == {"_blank"}


def test_a_page_on_another_origin_gets_nothing_in_its_frame(page, seed, partner_sites):
    partner, stranger = partner_sites
    EmbedPartner.objects.create(name="Lab", slug="lab", allowed_origins=partner.origin)
    refusals = []
    page.on("console", lambda message: refusals.append(message.text))
    page.goto(stranger.origin + "/")
    page.locator("iframe").wait_for(state="attached")
    page.wait_for_timeout(1500)
    child = page.frames[1]
    # The browser refused to show the directory's page: an error page stands in its place.
    assert child.url.startswith("chrome-error://")
    assert "Petition" not in child.content()
    assert any("frame-ancestors" in text for text in refusals), refusals
    # The frame was never given the list's height.
    assert page.locator("iframe").evaluate("frame => frame.style.height") == "24rem"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_list_has_no_wcag_21_aa_violation(page, seed, theme):
    EmbedPartner.objects.create(
        name="Lab", slug="lab", allowed_origins="https://lab.example", accent_colour="#c01c28"
    )
    found = {}
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        response = page.goto(f"/embed/lab/?sector=skills-based-volunteering&theme={theme}")
        assert response.status == 200
        found[width] = axe_violations(page)
    assert found == {"desktop": [], "mobile": []}


def test_the_admin_previews_the_list_it_writes_the_code_for(page, seed, editor):
    """Its page may frame the directory's own list, and nothing breaks the policy."""
    editor.user_permissions.add(Permission.objects.get(codename="view_embedpartner"))
    partner = EmbedPartner.objects.create(
        name="Lab", slug="lab", allowed_origins="https://lab.example"
    )
    watched = Watched(page)
    log_in(page)
    watched.goto(f"/admin/networks/embedpartner/{partner.pk}/embed-code/")
    page.get_by_label("View of the directory").fill(
        "/initiatives/?sector=skills-based-volunteering"
    )
    page.get_by_label("Theme").select_option("dark")
    page.get_by_role("button", name="Write the code").click()
    watched.settle()
    snippet = page.get_by_label("Loader").input_value()
    assert 'data-view="?sector=skills-based-volunteering" data-theme="dark"' in snippet
    preview = page.frame_locator("iframe.embed-preview")
    preview.locator(".embed__list").wait_for()
    assert preview.locator(".embed__item").count() > 0
    assert watched.problems == []
