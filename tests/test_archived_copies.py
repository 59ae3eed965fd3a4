"""Archived copies: looked up in the (local) Wayback Machine, captures asked for with the keys,
and what readers and editors see of them."""

import datetime
from urllib.parse import parse_qs

import pytest

from initiatives.link_checks import check_sources
from initiatives.sources import LinkStatus
from tests.test_link_checks import DAY, NOW, add_source, stored

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("directory_built_once", "only_new_sources_due"),
]


def test_it_finds_the_archived_copy(sites, petition):
    source = add_source(petition, sites.url(0, "/live"))
    absent = add_source(petition, sites.url(1, "/live"))
    sites.snapshots[source.url] = (
        f"http://web.archive.org/web/20250102030405/{source.url}",
        "20250102030405",
    )
    counts = check_sources(now=NOW)
    source, absent = stored(source), stored(absent)
    assert source.archive_url == f"https://web.archive.org/web/20250102030405/{source.url}"
    assert source.archived_at == datetime.datetime(
        2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc
    )
    assert (absent.archive_url, absent.archived_at) == ("", None)
    assert counts["archived copies found"] == 1
    lookups = [
        parse_qs(hit.path.split("?")[1])["url"][0] for hit in sites.requests_to(sites.wayback)
    ]
    assert sorted(lookups) == sorted([source.url, absent.url])


def test_captures_are_asked_for_with_the_keys_for_published_initiatives_only(
    sites, petition, draft, settings
):
    settings.WAYBACK_ACCESS_KEY, settings.WAYBACK_SECRET_KEY = "access", "secret"
    published = add_source(
        petition, sites.url(0, "/live"), link_status=LinkStatus.LIVE, next_check_at=NOW + DAY
    )
    add_source(draft, sites.url(1, "/live"), link_status=LinkStatus.LIVE, next_check_at=NOW + DAY)
    add_source(
        petition, sites.url(2, "/gone"), link_status=LinkStatus.DEAD, next_check_at=NOW + DAY
    )
    counts = check_sources(now=NOW)
    saves = [hit for hit in sites.requests_to(sites.wayback) if hit.method == "POST"]
    assert len(saves) == 1
    assert parse_qs(saves[0].body) == {"url": [published.url]}
    assert saves[0].headers["Authorization"] == "LOW access:secret"
    assert saves[0].headers["Accept"] == "application/json"
    assert stored(published).capture_requested_at == NOW
    assert counts["captures requested"] == 1
    # Asked once only; the copy is looked for in the next hour's run.
    sites.forget()
    sites.snapshots[published.url] = (
        f"https://web.archive.org/web/20261206093000/{published.url}",
        "20261206093000",
    )
    check_sources(now=NOW + datetime.timedelta(hours=1))
    assert [hit.method for hit in sites.requests_to(sites.wayback)] == ["GET"]
    assert stored(published).archive_url.endswith(published.url)


def test_without_the_keys_no_capture_is_asked_for(sites, petition):
    source = add_source(
        petition, sites.url(0, "/live"), link_status=LinkStatus.LIVE, next_check_at=NOW + DAY
    )
    check_sources(now=NOW)
    assert sites.hits == [] or all(hit.method != "POST" for hit in sites.hits)
    assert stored(source).capture_requested_at is None


def test_a_refused_capture_is_asked_again_next_run(sites, petition, settings):
    settings.WAYBACK_ACCESS_KEY, settings.WAYBACK_SECRET_KEY = "access", ""
    settings.WAYBACK_SECRET_KEY = "secret"
    settings.WAYBACK_SAVE_URL = f"{sites.wayback}/no-such-api"
    source = add_source(
        petition, sites.url(0, "/live"), link_status=LinkStatus.LIVE, next_check_at=NOW + DAY
    )
    counts = check_sources(now=NOW)
    assert counts["captures refused"] == 1
    assert stored(source).capture_requested_at is None


def test_a_copy_looked_for_in_vain_is_looked_for_again_a_week_later(sites, petition):
    source = add_source(petition, sites.url(0, "/live"))
    check_sources(now=NOW)
    assert stored(source).archive_checked_at == NOW
    sites.snapshots[source.url] = (
        f"https://web.archive.org/web/20261207000000/{source.url}",
        "20261207000000",
    )
    check_sources(now=NOW + 6 * DAY)
    assert stored(source).archive_url == ""
    check_sources(now=NOW + 7 * DAY)
    assert stored(source).archive_url.endswith(source.url)
    assert len(sites.requests_to(sites.wayback)) == 2


def test_an_archive_that_fails_is_left_alone_for_the_run(sites, petition, settings):
    settings.WAYBACK_AVAILABILITY_URL = f"{sites.wayback}/no-such-api"
    sources = [add_source(petition, sites.url(number, "/live")) for number in range(5)]
    counts = check_sources(now=NOW)
    assert counts[LinkStatus.LIVE] == 5
    assert counts["lookups failed"] == 3
    assert len(sites.requests_to(sites.wayback)) == 3
    # Not marked as looked for: the next run looks again.
    assert {stored(source).archive_checked_at for source in sources} == {None}


PAGE = "/initiatives/eu-health-petition/"
COPY = "https://web.archive.org/web/20250102030405/https://example.org/source"


def sources_section(client):
    content = client.get(PAGE).content.decode()
    return content.split('<h2 id="sources">', 1)[1].split("</section>", 1)[0]


def test_the_page_offers_the_archived_copy_beside_a_live_link(client, petition):
    petition.sources.update(
        link_status=LinkStatus.LIVE,
        archive_url=COPY,
        archived_at=datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    )
    section = sources_section(client)
    assert 'href="https://example.org/source"' in section
    assert (
        f'<a class="sources__archive" href="{COPY}" rel="external noopener">archived copy</a>'
        in (section)
    )
    assert "no longer available" not in section


def test_the_page_gives_the_archived_copy_in_place_of_a_dead_link(client, petition):
    petition.sources.update(
        link_status=LinkStatus.DEAD,
        archive_url=COPY,
        archived_at=datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    )
    section = sources_section(client)
    assert 'href="https://example.org/source"' not in section
    assert f'<a class="print-url" href="{COPY}" rel="external noopener">example.org</a>' in section
    assert "archived copy of 2 January 2025; the original is no longer available" in section


def test_the_page_says_a_dead_link_without_a_copy_is_no_longer_available(client, petition):
    petition.sources.update(link_status=LinkStatus.DEAD)
    section = sources_section(client)
    assert 'href="https://example.org/source"' in section
    assert "(the original is no longer available)" in section


def test_the_page_says_nothing_of_links_not_found_dead(client, petition):
    petition.sources.update(link_status=LinkStatus.FAILING, failure_count=2)
    section = sources_section(client)
    assert "no longer available" not in section
    assert "archived copy" not in section


def test_the_structured_data_names_the_archived_copy(client, petition):
    petition.sources.update(link_status=LinkStatus.LIVE, archive_url=COPY, archived_at=NOW)
    content = client.get(PAGE).content.decode()
    assert f'"archivedAt": "{COPY}"' in content


def test_the_admin_shows_what_the_checker_found_read_only(admin_client, petition):
    petition.sources.update(
        link_status=LinkStatus.DEAD,
        http_status=410,
        failure_count=3,
        checked_at=NOW,
        archive_url=COPY,
        archived_at=NOW,
    )
    content = admin_client.get(f"/admin/initiatives/initiative/{petition.pk}/change/").content
    content = content.decode()
    assert "Dead (410; 3 failures counted), checked 12/06/2026 9 a.m." in content
    assert f'<a href="{COPY}" rel="noopener">6 Dec 2026</a>' in content
    assert 'name="sources-0-link_status"' not in content


def test_the_admin_lists_initiatives_with_a_dead_source_link(admin_client, petition, draft):
    petition.sources.update(link_status=LinkStatus.DEAD)
    response = admin_client.get("/admin/initiatives/initiative/", {"links": "dead"})
    assert [str(entry) for entry in response.context["cl"].result_list] == [str(petition)]
    response = admin_client.get("/admin/initiatives/initiative/", {"links": "failing"})
    assert list(response.context["cl"].result_list) == []
    response = admin_client.get("/admin/initiatives/initiative/", {"links": "<script>"})
    assert response.status_code == 200


def test_a_copy_at_an_address_that_is_not_a_web_page_is_not_kept(sites, petition):
    source = add_source(petition, sites.url(0, "/live"))
    sites.snapshots[source.url] = ("javascript:alert(1)", "20250102030405")
    counts = check_sources(now=NOW)
    assert counts["lookups failed"] == 1
    assert stored(source).archive_url == ""
