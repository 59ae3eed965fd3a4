"""Site-wide guards over the seed content: every public page answers, with one h1, headings in
order and no HTML error, and no draft shows anywhere."""

import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from initiatives.alerts import Alert, Subscriber
from initiatives.models import Initiative, Sector
from networks.models import Facilitator, Network
from networks.views import listed_countries
from tests.conftest import sitemap_pages
from tests.directory import make_initiative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_loaded_once")]

MARKER = "zqxdraftmarker"


def public_urls():
    urls = ["/", "/initiatives/", "/countries/", "/sectors/", "/networks/", "/facilitators/"]
    urls += [i.get_absolute_url() for i in Initiative.objects.published()]
    urls += [c.get_absolute_url() for c in listed_countries()]
    for model in (Sector, Network, Facilitator):
        urls += [obj.get_absolute_url() for obj in model.objects.all()]
    return urls


def reader_form_urls():
    """The readers' forms, one of each kind, and their thanks (initiatives/reports.py)."""
    entries = [
        Initiative.objects.published().first(),
        Facilitator.objects.first(),
        Network.objects.first(),
    ]
    urls = [entry.get_absolute_url() + "report/" for entry in entries] + ["/propose/", "/thanks/"]
    return urls + alert_urls()


def alert_urls():
    """The alerts' pages (initiatives/alert_views.py): the form, the page after it, and those
    the links of their emails open, for an alert asked for and one confirmed."""
    subscriber, _created = Subscriber.objects.get_or_create(email="crawl@example.net")
    asked, _created = Alert.objects.get_or_create(
        subscriber=subscriber,
        query="sector=legal-services",
        defaults={"frequency": "daily", "language": "en"},
    )
    confirmed, _created = Alert.objects.get_or_create(
        subscriber=subscriber, query="", defaults={"frequency": "weekly", "language": "en"}
    )
    confirmed.confirm("weekly", "en")
    return [
        "/alerts/new/?country=fr&sector=legal-services&q=covid",
        "/alerts/sent/",
        f"/alerts/confirm/{asked.confirm_token('daily', 'en')}/",
        f"/alerts/unsubscribe/{confirmed.unsubscribe_token}/",
        f"/alerts/manage/{subscriber.manage_token}/",
    ]


def test_every_public_page_answers_with_exactly_one_h1(client, seeded):
    urls = public_urls() + reader_form_urls()
    assert len(urls) > 80
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(re.findall(rb"<h1[ >]", response.content)) == 1, url


def test_no_public_page_skips_a_heading_level(client, seeded):
    # Screen readers list a page by its headings: an h3 right under the h1 reads as a gap.
    extra = ["/facilitators/?country=fr&network=nope", "/fr/facilitators/"]
    for url in [*public_urls(), *reader_form_urls(), *extra]:
        levels = [int(level) for level in re.findall(rb"<h([1-6])[ >]", client.get(url).content)]
        deeper = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert not deeper, (url, levels)


def test_a_draft_appears_on_no_public_page_feed_export_or_sitemap(client, seeded):
    sector = Sector.objects.create(name=f"Sector {MARKER}", slug=f"sector-{MARKER}")
    make_initiative(
        f"Title {MARKER}",
        f"slug-{MARKER}",
        summary=f"Summary {MARKER}",
        description=f"Description {MARKER}",
        facilitator=Facilitator.objects.get(slug="pilnet"),
        countries=["PT"],
        sectors=[sector],
        tags=[f"tag-{MARKER}"],
        status=Initiative.Status.DRAFT,
    )
    urls = [
        *public_urls(),
        f"/initiatives/?q={MARKER}",
        f"/initiatives/?tag=tag-{MARKER}",
        "/initiatives/feed/",
        "/initiatives/export.csv",
        "/initiatives/export.json",
        "/sitemap.xml",
        *sitemap_pages(client),
    ]
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert f"slug-{MARKER}".encode() not in body, url
        assert f"Title {MARKER}".encode() not in body, url
        assert f"tag-{MARKER}".encode() not in body or url.startswith("/initiatives/?tag="), url
    assert client.get(f"/initiatives/slug-{MARKER}/").status_code == 404


# The W3C's Nu Html Checker, pinned in scripts/vnu/package-lock.json (`make vnu`).
VNU = Path(__file__).resolve().parent.parent / ".vnu/node_modules/vnu-jar/build/dist/vnu.jar"


def require_nu_checker():
    """Skip a test without the Nu Html Checker, except in CI, which runs every check."""
    if not (VNU.exists() and shutil.which("java")):
        reason = "the Nu Html Checker needs java and `make vnu`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI runs every check, but {reason}.")
        pytest.skip(reason)


def test_every_public_page_passes_the_nu_html_checker(client, seeded, tmp_path):
    require_nu_checker()
    urls = public_urls() + reader_form_urls()
    urls += ["/fr" + url for url in urls]
    urls += ["/initiatives/?country=fr&sector=legal-services&q=covid", "/no-such-page/"]
    urls += ["/alerts/manage/no-such-link/"]
    pages = {}
    for number, url in enumerate(urls):
        path = tmp_path / f"{number}.html"
        path.write_bytes(client.get(url).content)
        pages[path.name] = url
    # The readers' forms sent back with their errors, as a refused submission shows them.
    for url in ["/propose/", reader_form_urls()[0], "/alerts/new/?country=fr"]:
        path = tmp_path / f"refused-{len(pages)}.html"
        path.write_bytes(client.post(url, {"problem": "x", "homepage": "robot"}).content)
        pages[path.name] = f"POST {url}"
    files = sorted(str(path) for path in tmp_path.glob("*.html"))
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = [
        f"{pages[Path(message['url']).name]}:{message.get('lastLine')}: {message['message']}"
        for message in json.loads(checked.stderr)["messages"]
    ]
    assert len(pages) > 160
    assert errors == []
