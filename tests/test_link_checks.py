"""The link checker asks real (local) sites with the real HTTP client, by the Internet Archive
crawler's rules: HEAD then GET, one request a second per host, a week between checks of a live
link, dead only after three failures three days apart, nothing counted while offline."""

import datetime
import io
import itertools

import pytest
from django.core.management import CommandError, call_command

from initiatives import link_checks
from initiatives.leases import Lease, LeaseHeld, LeaseLost
from initiatives.link_checks import check_sources
from initiatives.sources import LinkStatus, Source

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("directory_built_once", "only_new_sources_due"),
]

NOW = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


def add_source(initiative, url, **state):
    return Source.objects.create(
        initiative=initiative, url=url, accessed_on=datetime.date(2026, 11, 1), **state
    )


def stored(source):
    return Source.objects.get(pk=source.pk)


def site_requests(sites):
    """(method, path) of the requests to the sites, leaving out the canary and the archive."""
    hosts = {base.split("//")[1] for base in sites.hosts}
    return [(hit.method, hit.path) for hit in sites.hits if hit.host in hosts]


def test_a_live_link_is_live_after_one_head(sites, petition):
    source = add_source(petition, sites.url(0, "/live"))
    counts = check_sources(now=NOW)
    source = stored(source)
    assert (source.link_status, source.http_status) == (LinkStatus.LIVE, 200)
    assert source.checked_at == source.last_live_at == NOW
    assert source.next_check_at == NOW + 7 * DAY
    assert site_requests(sites) == [("HEAD", "/live")]
    assert counts[LinkStatus.LIVE] == 1


def test_it_names_the_site_and_a_contact_to_every_site(sites, petition):
    add_source(petition, sites.url(0, "/live"))
    check_sources(now=NOW)
    agents = {hit.headers["User-Agent"] for hit in sites.hits}
    assert agents == {
        "ProBonoDirectory-LinkChecker/1.0 (+tests@example.org; checks the "
        "sources the directory cites)"
    }


def test_it_asks_with_get_when_head_is_refused(sites, petition):
    source = add_source(petition, sites.url(0, "/no-head"))
    check_sources(now=NOW)
    assert stored(source).link_status == LinkStatus.LIVE
    assert site_requests(sites) == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_a_page_gone_is_not_asked_again_with_get(sites, petition):
    source = add_source(petition, sites.url(0, "/gone"))
    check_sources(now=NOW)
    source = stored(source)
    assert (source.link_status, source.http_status, source.failure_count) == (
        LinkStatus.FAILING,
        410,
        1,
    )
    assert site_requests(sites) == [("HEAD", "/gone")]


def test_it_follows_redirects_and_keeps_the_final_address(sites, petition):
    moved = add_source(petition, sites.url(0, "/redirect-away"))
    same_host = add_source(petition, sites.url(2, "/redirect"))
    check_sources(now=NOW)
    moved, same_host = stored(moved), stored(same_host)
    assert (moved.link_status, moved.final_url) == (LinkStatus.REDIRECTED, sites.url(1, "/live"))
    assert (same_host.link_status, same_host.final_url) == (
        LinkStatus.REDIRECTED,
        sites.url(2, "/live"),
    )


def test_a_site_turning_the_checker_away_is_not_a_failure(sites, petition):
    source = add_source(
        petition, sites.url(0, "/forbidden"), failure_count=1, last_failure_at=NOW - 5 * DAY
    )
    check_sources(now=NOW)
    source = stored(source)
    assert (source.link_status, source.http_status, source.failure_count) == (
        LinkStatus.REFUSED,
        403,
        1,
    )
    # A 403 to the HEAD is asked again with a GET, which some servers answer.
    assert site_requests(sites) == [("HEAD", "/forbidden"), ("GET", "/forbidden")]


def test_a_refused_connection_and_a_timeout_are_failures_when_online(sites, petition):
    refused = add_source(petition, f"{sites.refused}/page")
    slow = add_source(petition, sites.url(0, "/slow"))
    check_sources(now=NOW)
    refused, slow = stored(refused), stored(slow)
    assert (refused.link_status, refused.failure_count, refused.http_status) == (
        LinkStatus.FAILING,
        1,
        None,
    )
    assert refused.last_error.startswith("could not connect")
    assert (slow.link_status, slow.failure_count) == (LinkStatus.FAILING, 1)
    assert slow.last_error.startswith("timed out")


def test_a_live_link_is_asked_again_a_week_later_and_not_before(sites, petition):
    source = add_source(petition, sites.url(0, "/live"))
    check_sources(now=NOW)
    for later in (DAY, 6 * DAY, 7 * DAY - datetime.timedelta(seconds=1)):
        check_sources(now=NOW + later)
    assert len(site_requests(sites)) == 1
    check_sources(now=NOW + 7 * DAY)
    assert len(site_requests(sites)) == 2
    assert stored(source).checked_at == NOW + 7 * DAY


def test_a_link_is_dead_only_after_three_failures_three_days_apart(sites, petition):
    source = add_source(petition, sites.url(0, "/gone"))
    expected = [
        (0 * DAY, LinkStatus.FAILING, 1),
        (1 * DAY, LinkStatus.FAILING, 1),  # a day after the first: counts once with it
        (2 * DAY, LinkStatus.FAILING, 1),
        (3 * DAY, LinkStatus.FAILING, 2),
        (5 * DAY, LinkStatus.FAILING, 2),
        (6 * DAY, LinkStatus.DEAD, 3),
    ]
    for offset, status, count in expected:
        check_sources(now=NOW + offset)
        found = stored(source)
        assert (found.link_status, found.failure_count) == (status, count), offset
    assert found.first_failure_at == NOW
    assert found.last_failure_at == NOW + 6 * DAY
    assert len(site_requests(sites)) == len(expected)


def test_a_link_found_live_again_starts_its_count_afresh(sites, petition):
    source = add_source(
        petition,
        sites.url(0, "/live"),
        link_status=LinkStatus.DEAD,
        failure_count=3,
        first_failure_at=NOW - 9 * DAY,
        last_failure_at=NOW - 3 * DAY,
    )
    check_sources(now=NOW)
    source = stored(source)
    assert (source.link_status, source.failure_count, source.first_failure_at) == (
        LinkStatus.LIVE,
        0,
        None,
    )


def test_offline_nothing_is_asked_and_nothing_counts_toward_dead(sites, petition):
    sites.canary_up = False
    failing = add_source(
        petition,
        sites.url(0, "/gone"),
        link_status=LinkStatus.FAILING,
        failure_count=2,
        first_failure_at=NOW - 6 * DAY,
        last_failure_at=NOW - 3 * DAY,
    )
    live = add_source(petition, sites.url(1, "/live"))
    dead = add_source(petition, sites.url(2, "/gone"), link_status=LinkStatus.DEAD, failure_count=3)
    counts = check_sources(now=NOW)
    assert site_requests(sites) == []
    assert counts[LinkStatus.UNREACHABLE] == 3
    failing, live, dead = stored(failing), stored(live), stored(dead)
    assert (failing.link_status, failing.failure_count) == (LinkStatus.UNREACHABLE, 2)
    assert live.link_status == LinkStatus.UNREACHABLE
    assert (dead.link_status, dead.failure_count) == (LinkStatus.DEAD, 3)
    assert {failing.next_check_at, live.next_check_at} == {NOW + datetime.timedelta(hours=1)}
    assert not Source.objects.filter(link_status=LinkStatus.DEAD).exclude(pk=dead.pk).exists()


def test_a_connection_lost_during_a_run_counts_no_failure(sites, petition, monkeypatch):
    """The canary answers the run's first probe, then the connection goes: the refused
    connection is not counted, and the sources left are recorded unreachable."""
    monkeypatch.setattr(link_checks, "PROBE_TRUSTED_FOR", 0)
    first = add_source(petition, sites.url(0, "/live"), next_check_at=NOW - 2 * DAY)
    refused = add_source(petition, f"{sites.refused}/page", next_check_at=NOW - DAY)
    after = add_source(petition, sites.url(1, "/live"), next_check_at=NOW)

    def connection_lost(line):
        sites.canary_up = False

    sites_canary_down_after_first = link_checks.Run(
        now=NOW, progress=connection_lost, progress_every=0
    )
    sites_canary_down_after_first.run()
    assert stored(first).link_status == LinkStatus.LIVE
    assert (stored(refused).link_status, stored(refused).failure_count) == (
        LinkStatus.UNREACHABLE,
        0,
    )
    assert stored(after).link_status == LinkStatus.UNREACHABLE
    assert ("HEAD", "/live") in site_requests(sites)
    assert len(site_requests(sites)) == 1


def test_one_request_a_second_per_host_across_the_run(sites, petition, settings):
    """Each request to a host, a GET after a refused HEAD and each hop of a redirect too, waits
    a second after the last; hosts are asked in turn meanwhile."""
    settings.LINK_CHECK_HOST_INTERVAL = 1.0
    archived = {"archive_url": "https://web.archive.org/web/2025/page", "archive_checked_at": NOW}
    for number in range(3):
        add_source(petition, sites.url(0, f"/live?page={number}"), **archived)
        add_source(petition, sites.url(1, f"/live?page={number}"), **archived)
    add_source(petition, sites.url(2, "/no-head"), **archived)
    add_source(petition, sites.url(2, "/redirect"), **archived)
    check_sources(now=NOW)
    for base in sites.hosts[:3]:
        times = [hit.at for hit in sites.requests_to(base)]
        assert len(times) in (3, 4)
        assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(times))
    every = sorted(hit.at for base in sites.hosts[:3] for hit in sites.requests_to(base))
    # Ten requests: four to the third host, in three seconds, not nine.
    assert len(every) == 10
    assert every[-1] - every[0] < 4.0


def test_a_run_cut_short_resumes_where_it_stopped(sites, petition):
    sources = [add_source(petition, sites.url(number, "/live")) for number in range(5)]
    out = io.StringIO()
    call_command("check_sources", "--limit", "2", stdout=out)
    assert "2 of 2 due links checked" in out.getvalue()
    checked = {source.pk for source in Source.objects.filter(link_status=LinkStatus.LIVE)}
    assert checked == {sources[0].pk, sources[1].pk}
    sites.forget()
    call_command("check_sources", stdout=out)
    assert sorted(path for _, path in site_requests(sites)) == ["/live"] * 3
    assert Source.objects.filter(link_status=LinkStatus.LIVE).count() == 5


def test_each_result_is_stored_as_soon_as_it_is_known(sites, petition):
    first = add_source(petition, sites.url(0, "/live"), next_check_at=NOW - DAY)
    second = add_source(petition, sites.url(1, "/live"), next_check_at=NOW)
    seen = []

    def interrupted(line):
        seen.append(stored(first).link_status)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        link_checks.Run(now=NOW, progress=interrupted, progress_every=0).run()
    assert seen == [LinkStatus.LIVE]
    assert stored(second).link_status == LinkStatus.UNCHECKED
    check_sources(now=NOW)
    assert stored(second).link_status == LinkStatus.LIVE


def test_a_run_started_while_another_runs_does_nothing(sites, petition):
    add_source(petition, sites.url(0, "/live"))
    out = io.StringIO()
    with Lease.held(link_checks.LEASE_NAME, link_checks.LEASE_FOR):
        call_command("check_sources", stdout=out)
    assert "Another run is under way" in out.getvalue()
    assert sites.hits == []
    call_command("check_sources", stdout=out)
    assert len(site_requests(sites)) == 1


def test_a_lease_left_by_a_killed_run_expires(sites, petition):
    Lease.objects.create(name=link_checks.LEASE_NAME, holder="killed", expires_at=NOW)
    add_source(petition, sites.url(0, "/live"))
    call_command("check_sources", stdout=io.StringIO())
    assert len(site_requests(sites)) == 1


def test_a_run_that_stalled_past_its_lease_learns_another_took_over():
    quarter = datetime.timedelta(minutes=15)
    with Lease.held("job", datetime.timedelta(0)) as stalled, Lease.held("job", quarter) as other:
        with pytest.raises(LeaseLost):
            stalled.renew()
        other.renew()
        with pytest.raises(LeaseHeld), Lease.held("job", quarter):
            pass


def test_checks_are_not_edits(sites, petition):
    source = add_source(petition, sites.url(0, "/gone"))
    revision, history = petition.stored_revision(), source.history.count()
    check_sources(now=NOW)
    assert stored(source).link_status == LinkStatus.FAILING
    assert (petition.stored_revision(), source.history.count()) == (revision, history)


def test_a_new_address_is_checked_afresh(sites, petition):
    source = add_source(
        petition,
        sites.url(0, "/gone"),
        link_status=LinkStatus.DEAD,
        failure_count=3,
        archive_url="https://web.archive.org/web/2020/x",
        next_check_at=NOW + DAY,
    )
    source = stored(source)
    source.url = sites.url(0, "/live")
    source.save()
    source = stored(source)
    assert (source.link_status, source.failure_count, source.archive_url, source.next_check_at) == (
        LinkStatus.UNCHECKED,
        0,
        "",
        None,
    )
    source.title = "Renamed"
    source.save()
    check_sources(now=NOW)
    assert stored(source).link_status == LinkStatus.LIVE
    # A title edit keeps what the checker found.
    checked = stored(source)
    checked.title = "Renamed again"
    checked.save()
    assert stored(source).link_status == LinkStatus.LIVE
    # So does a revert from the history to the first address: what was found is of another.
    source.history.earliest().instance.save()
    reverted = stored(source)
    assert (reverted.url, reverted.link_status) == (sites.url(0, "/gone"), LinkStatus.UNCHECKED)


def test_the_command_needs_a_contact(settings):
    settings.LINK_CHECK_CONTACT = ""
    with pytest.raises(CommandError, match="LINK_CHECK_CONTACT"):
        call_command("check_sources", stdout=io.StringIO())


@pytest.mark.parametrize(
    "arguments", [["--limit", "0"], ["--max-seconds", "-1"], ["--captures", "-2"]]
)
def test_the_command_refuses_bad_options(arguments):
    with pytest.raises(CommandError):
        call_command("check_sources", *arguments, stdout=io.StringIO())


def test_it_stops_starting_checks_after_max_seconds(sites, petition, settings):
    settings.LINK_CHECK_HOST_INTERVAL = 1.0
    for number in range(4):
        add_source(petition, sites.url(0, f"/live?page={number}"))
    out = io.StringIO()
    call_command("check_sources", "--max-seconds", "0.5", "--progress-every", "0", stdout=out)
    assert len(site_requests(sites)) == 1
    assert "3 left for the next run" in out.getvalue()
