"""Checking the sources' links, and keeping a copy of each in the Wayback Machine (docs/sources.md).

The rules are the Internet Archive crawler's: a HEAD, then a GET if the HEAD is refused
(`fetching`); one request a second at most to any host; a live link asked again a week later at
the soonest; a link dead only after three failures at least three days apart. When the checker's
own connection is down, nothing it finds counts against a link.

A run works through its tasks (check a link, look up its copy, ask for a capture) host by host,
always taking the next task of a host that may be asked now, so that a host with many sources
(or the archive) does not hold up the others. Each
result is stored at once, with QuerySet.update() (no history, no revision: `Source`), and the
sources left over stay due: the next run resumes where this one stopped.
"""

import collections
import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from initiatives import changes, wayback
from initiatives.fetching import Fetcher, HostSpacing, host_of
from initiatives.leases import Lease
from initiatives.sources import LinkStatus, Source

logger = logging.getLogger(__name__)

LIVE_FOR = datetime.timedelta(days=7)
FAILURES_APART = datetime.timedelta(days=3)
FAILURES_FOR_DEAD = 3
RETRY_FAILING = datetime.timedelta(days=1)
RECHECK_DEAD = datetime.timedelta(days=30)
RETRY_UNREACHABLE = datetime.timedelta(hours=1)
# Answers that turn the checker away rather than say the page is gone: never a failure.
REFUSING = {401, 403, 429}
# A canary that answered this many seconds ago still vouches for the connection.
PROBE_TRUSTED_FOR = 60.0
# Failed lookups or captures after which a run leaves the archive alone (it may be down).
ARCHIVE_FAILURES_TOLERATED = 3
LEASE_NAME, LEASE_FOR, RENEW_EVERY = "check_sources", datetime.timedelta(minutes=15), 60.0
NO_CONNECTION = "not checked: the checker had no connection"


def verdict(source, answer, now):
    """The fields to store after `answer` to a check of `source` at `now`."""
    fields = {
        "checked_at": now,
        "http_status": answer.status,
        "final_url": answer.final_url[:2000] if answer.answered else "",
        "last_error": answer.error,
    }
    if answer.works:
        moved = answer.final_url != source.url
        return fields | {
            "link_status": LinkStatus.REDIRECTED if moved else LinkStatus.LIVE,
            "last_live_at": now,
            "failure_count": 0,
            "first_failure_at": None,
            "last_failure_at": None,
            "next_check_at": now + LIVE_FOR,
        }
    if answer.status in REFUSING:
        return fields | {"link_status": LinkStatus.REFUSED, "next_check_at": now + LIVE_FOR}
    count, first, last = source.failure_count, source.first_failure_at, source.last_failure_at
    if not count:
        count, first, last = 1, now, now
    elif last is None or now - last >= FAILURES_APART:
        count, last = count + 1, now
    # Otherwise too close to the last failure counted: it counts once with it.
    dead = count >= FAILURES_FOR_DEAD
    return fields | {
        "link_status": LinkStatus.DEAD if dead else LinkStatus.FAILING,
        "failure_count": count,
        "first_failure_at": first,
        "last_failure_at": last,
        "next_check_at": now + (RECHECK_DEAD if dead else RETRY_FAILING),
    }


def unreachable(source, now):
    """Nothing was learnt: a dead link stays dead, any other is marked unreachable, and no
    failure is counted; it is due again next hour."""
    fields = {"last_error": NO_CONNECTION, "next_check_at": now + RETRY_UNREACHABLE}
    return fields if source.is_dead else fields | {"link_status": LinkStatus.UNREACHABLE}


def shown_differently(source, fields):
    """Whether readers would see the source otherwise: the initiative's page shows a dead link's
    archived copy in its place, and any archived copy beside the link."""
    if "link_status" in fields and (fields["link_status"] == LinkStatus.DEAD) != source.is_dead:
        return True
    return "archive_url" in fields and fields["archive_url"] != source.archive_url


def store(source, fields):
    """Written only if the address is still the one checked (an editor may have changed it
    meanwhile); the cached pages are left behind, once committed, when readers would see it."""
    with transaction.atomic():
        written = Source.objects.filter(pk=source.pk, url=source.url).update(**fields)
        if written and shown_differently(source, fields):
            changes.record()
    for name, value in fields.items():
        setattr(source, name, value)
    return written


def in_https(address):
    return address.replace("http://web.archive.org/", "https://web.archive.org/", 1)


class NoConnection(Exception):
    """The canary is silent: `source`, whose check failed at connection level, and those left
    learn nothing from this run."""

    def __init__(self, source=None):
        self.source = source
        super().__init__("no connection")


@dataclass
class Task:
    kind: str  # "check", "lookup" or "capture"
    source: Source
    host: str


class Run:
    def __init__(
        self,
        now=None,
        limit=None,
        captures=50,
        max_seconds=None,
        fetcher=None,
        progress=None,
        progress_every=30.0,
    ):
        self.fixed_now, self.limit, self.captures = now, limit, captures
        self.deadline = time.monotonic() + max_seconds if max_seconds else None
        self.fetcher = fetcher or Fetcher(HostSpacing(settings.LINK_CHECK_HOST_INTERVAL))
        self.progress, self.progress_every = progress, progress_every
        self.counts = collections.Counter()
        self.probed_at = None
        self.started = self.reported = self.renewed = time.monotonic()
        self.lease = None
        self.archive_failures = 0

    def now(self):
        return self.fixed_now or timezone.now()

    def tasks(self):
        now = self.now()
        due = Source.objects.due(now)
        tasks = [Task("check", source, host_of(source.url)) for source in due[: self.limit]]
        if wayback.can_capture() and self.captures:
            save_host = host_of(settings.WAYBACK_SAVE_URL)
            captures = Source.objects.needing_capture()[: self.captures]
            tasks += [Task("capture", source, save_host) for source in captures]
        lookup_host = host_of(settings.WAYBACK_AVAILABILITY_URL)
        lookups = Source.objects.needing_lookup(now)
        return tasks + [Task("lookup", source, lookup_host) for source in lookups]

    def run(self):
        queues = by_host(self.tasks())
        self.counts["due"] = checks_in(queues)
        try:
            if queues and not self.connection_works():
                raise NoConnection
            while queues:
                host, wait = self.next_host(queues)
                if self.deadline and time.monotonic() + wait >= self.deadline:
                    break
                task = queues[host].popleft()
                if not queues[host]:
                    del queues[host]
                getattr(self, task.kind)(task.source)
                self.keep_lease()
                self.report()
        except NoConnection as lost:
            left = [
                task.source for queue in queues.values() for task in queue if task.kind == "check"
            ]
            self.no_connection([lost.source, *left] if lost.source else left)
            queues = {}
        self.counts["left"] = checks_in(queues)
        self.report(final=True)
        return self.counts

    def next_host(self, queues):
        """The first host (in the order of its most overdue task) that may be asked now, else
        the one free soonest; with how long it has yet to wait."""
        best, best_wait = None, None
        for host in queues:
            wait = self.fetcher.spacing.ready_in(host)
            if not wait:
                return host, 0.0
            if best_wait is None or wait < best_wait:
                best, best_wait = host, wait
        return best, best_wait

    def connection_works(self):
        if self.probed_at and time.monotonic() - self.probed_at < PROBE_TRUSTED_FOR:
            return True
        if self.fetcher.reaches(settings.LINK_CHECK_CANARY_URL):
            self.probed_at = time.monotonic()
            return True
        return False

    def check(self, source):
        answer = self.fetcher.check(source.url)
        if not answer.answered and not self.connection_works():
            raise NoConnection(source)
        fields = verdict(source, answer, self.now())
        store(source, fields)
        self.counts[fields["link_status"]] += 1
        self.counts["checked"] += 1

    def lookup(self, source):
        if self.archive_failures >= ARCHIVE_FAILURES_TOLERATED:
            return
        try:
            found = wayback.closest_snapshot(self.fetcher, source.url)
        except LookupError as error:
            self.archive_failed(source, error, "lookups failed")
            return
        fields = {"archive_checked_at": self.now()}
        if found:
            address, archived_at = found
            fields |= {"archive_url": in_https(address)[:2000], "archived_at": archived_at}
            self.counts["archived copies found"] += 1
        store(source, fields)

    def capture(self, source):
        if self.archive_failures >= ARCHIVE_FAILURES_TOLERATED:
            return
        try:
            wayback.request_capture(self.fetcher, source.url)
        except LookupError as error:
            self.archive_failed(source, error, "captures refused")
            return
        store(source, {"capture_requested_at": self.now()})
        self.counts["captures requested"] += 1

    def archive_failed(self, source, error, what):
        """Logged, and tried again next run; after a few, the archive is left alone this run."""
        logger.warning("Source %s: %s", source.pk, error)
        self.counts[what] += 1
        self.archive_failures += 1

    def no_connection(self, sources):
        now = self.now()
        for source in sources:
            store(source, unreachable(source, now))
        self.counts[LinkStatus.UNREACHABLE] += len(sources)

    def keep_lease(self):
        if self.lease and time.monotonic() - self.renewed >= RENEW_EVERY:
            self.lease.renew()
            self.renewed = time.monotonic()

    def report(self, final=False):
        elapsed = time.monotonic() - self.started
        if not self.progress or (
            not final and time.monotonic() - self.reported < self.progress_every
        ):
            return
        self.reported = time.monotonic()
        self.progress(summary(self.counts, elapsed, final))


def summary(counts, elapsed, final):
    statuses = ", ".join(f"{counts[status]} {status}" for status in LinkStatus.values[1:])
    rate = counts["checked"] / elapsed if elapsed else 0.0
    archive = ", ".join(
        f"{counts[what]} {what}"
        for what in (
            "archived copies found",
            "lookups failed",
            "captures requested",
            "captures refused",
        )
        if counts[what]
    )
    head = "Done" if final else "So far"
    line = f"{head}: {counts['checked']} of {counts['due']} due links checked in {elapsed:.1f} s"
    line += f" ({rate:.1f}/s): {statuses}"
    if archive:
        line += f"; {archive}"
    if final and counts["left"]:
        line += f"; {counts['left']} left for the next run"
    return line + "."


def by_host(tasks):
    """{host: its tasks in order}, the hosts in the order of their first task."""
    queues = {}
    for task in tasks:
        queues.setdefault(task.host, collections.deque()).append(task)
    return queues


def checks_in(queues):
    return sum(task.kind == "check" for queue in queues.values() for task in queue)


def check_sources(**options):
    """One run under the lease; raises LeaseHeld when another run holds it."""
    run = Run(**options)
    with Lease.held(LEASE_NAME, LEASE_FOR) as lease:
        run.lease = lease
        return run.run()
