"""The edge drill's checks that follow pages after a write (c, d, e) and outlive gunicorn (f);
ops/edge_drill.py runs them on the stack of ops/edge_stack.py."""

import contextlib
import itertools
import math
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench.run import say
from ops.common import psql
from ops.edge_stack import fetch

EDITED, EDITS_EACH = 10, 3
UNPUBLISHED, DELETED = 3, 3
# How long an edit may take to show before it counts as never shown.
SHOW_WITHIN_S = 10.0
# Watched after the new title showed: longer than the standby's replay delay.
WATCH_S = 3.0
# Removed initiatives are looked for this long after the save returned.
REMOVAL_WATCH_S = 3.0
GRACE_S = 10.0
PURGE_P99_S = 1.0
POLL_S = 0.02
LINK = re.compile(r'href="/initiatives/([a-z0-9][a-z0-9-]*)/"')


class Checks:
    def __init__(self, varnish, servers, editor, standby, database, slugs):
        self.varnish, self.servers, self.editor = varnish, servers, editor
        self.standby, self.database, self.slugs = standby, database, slugs
        self.varnish_url = f"http://127.0.0.1:{varnish.port}/"
        self.markers = itertools.count(1)
        self.removed = set()
        self.save_times = []

    def through_varnish(self, path):
        return fetch(self.varnish.port, path)

    def warm(self, paths, through_varnish=True):
        """Every path asked for through Varnish, twice, and from each gunicorn."""
        ports = [self.varnish.port] * 2 if through_varnish else []
        with ThreadPoolExecutor(8) as pool:
            for port in ports + [s.port for s in self.servers]:
                list(pool.map(lambda path, port=port: fetch(port, path), paths))

    @contextlib.contextmanager
    def editing(self, slugs, every):
        """The editor retitles one of `slugs` after another every `every` seconds meanwhile;
        yields the list of the edits done (the editor's answers)."""
        stop, done = threading.Event(), []

        def edit():
            for slug in itertools.cycle(slugs):
                if stop.wait(every):
                    return
                done.append(self.editor.do("retitle", slug, title=f"Replay {next(self.markers)}"))

        thread = threading.Thread(target=edit, daemon=True)
        thread.start()
        try:
            yield done
        finally:
            stop.set()
            thread.join()

    def page_one(self):
        """Slugs of the initiatives on the first page of /initiatives/."""
        status, headers, body = self.through_varnish("/initiatives/")
        if status != 200:
            raise RuntimeError(f"/initiatives/ through Varnish: {status} {headers} {body[:300]}")
        return [slug for slug in dict.fromkeys(LINK.findall(body)) if slug in self.slugs]

    def edits(self, figures, failures):
        """c and e: each edit timed from the save to the first response through Varnish that
        shows it, on the initiative's page and on /initiatives/; then, for WATCH_S, no
        response (Varnish, each gunicorn) that showed the new title shows the old one again."""
        targets = self.page_one()[:EDITED]
        if len(targets) < EDITED:
            failures.append(f"c. only {len(targets)} initiatives on /initiatives/")
        titles = {}
        for slug in targets:  # a title of the drill's own, so that no other page shares it
            titles[slug] = f"Edge drill mark {next(self.markers)}"
            self.editor.do("retitle", slug, title=titles[slug])
        time.sleep(3)
        lag = self.lag_seen(targets[0], titles)
        with ThreadPoolExecutor(4) as pool:
            outcomes = list(pool.map(lambda slug: self.edit_series(slug, titles[slug]), targets))
        latencies = sorted(latency for series, _stale in outcomes for latency in series)
        stale = [stale for _series, stales in outcomes for stale in stales]
        p99 = latencies[math.ceil(0.99 * len(latencies)) - 1] if latencies else math.inf
        figures["c. purge latency p50 / p99 / max"] = (
            f"{latencies[len(latencies) // 2]:.3f} / {p99:.3f} / {latencies[-1]:.3f} s "
            f"over {len(latencies)} edits"
            if latencies
            else "no edit"
        )
        saves = sorted(self.save_times)
        figures["c. of which the save and its purge, p99"] = (
            f"{saves[math.ceil(0.99 * len(saves)) - 1]:.3f} s" if saves else "no edit"
        )
        figures["e. stale pages after an edit showed"] = f"{len(stale)} (standby lag seen: {lag})"
        say(f"{figures['c. purge latency p50 / p99 / max']}; stale pages {len(stale)}")
        if p99 > PURGE_P99_S:
            failures.append(f"c. purge latency p99 {p99:.3f} s over {PURGE_P99_S} s")
        if stale:
            failures.append(f"e. {len(stale)} stale pages, e.g. {stale[:3]}")
        if lag == "no":
            failures.append("e. the standby was never seen behind: the check proves nothing")

    def lag_seen(self, slug, titles):
        """Whether the standby still had the old title just after an edit."""
        title = f"Edge drill mark {next(self.markers)}"
        self.editor.do("retitle", slug, title=title)
        rows = psql(self.database, f"SELECT title FROM initiatives_initiative "
                    f"WHERE slug = '{slug}'", self.standby.port)  # fmt: skip
        titles[slug] = title
        return "yes" if rows and rows[0][0] != title else "no"

    def edit_series(self, slug, title):
        latencies, stale = [], []
        for _number in range(EDITS_EACH):
            new = f"Edge drill mark {next(self.markers)}"
            answer = self.editor.do("retitle", slug, title=new)
            self.save_times.append(answer["saved"] - answer["started"])
            paths = [f"/initiatives/{slug}/", "/initiatives/"]
            shown = self.wait_shown(paths, new, answer["started"])
            if shown is None:
                stale.append(("varnish", slug, f"{new!r} not shown in {SHOW_WITHIN_S} s"))
            else:
                latencies.append(shown - answer["started"])
            stale += self.watch(paths, old=title, new=new)
            title = new
        return latencies, stale

    def wait_shown(self, paths, title, started):
        pending = set(paths)
        while pending and time.monotonic() < started + SHOW_WITHIN_S:
            for path in list(pending):
                if title in self.through_varnish(path)[2]:
                    pending.discard(path)
            if pending:
                time.sleep(POLL_S)
        return None if pending else time.monotonic()

    def watch(self, paths, old, new):
        """(where, path, what) for each response showing `old` once `new` showed there."""
        ports = {"varnish": self.varnish.port}
        ports.update({f"gunicorn {s.port}": s.port for s in self.servers})
        shown, stale = set(), []
        deadline = time.monotonic() + WATCH_S
        while time.monotonic() < deadline:
            for (name, port), path in itertools.product(ports.items(), paths):
                body = fetch(port, path)[2]
                if new in body:
                    shown.add((name, path))
                elif old in body and (name, path) in shown:
                    stale.append((name, path, f"{old!r} again after {new!r}"))
            time.sleep(POLL_S * 5)
        stale += [(name, path, f"{new!r} never shown") for name, path in
                  itertools.product(ports, paths) if (name, path) not in shown]  # fmt: skip
        return stale

    def removals(self, figures, failures):
        """d: initiatives unpublished or deleted are on no page Varnish serves once the save
        returned: their own page, and each list of the first two pages that showed them."""
        lists = ["/", "/initiatives/", "/initiatives/?page=2"]
        targets = self.page_one()[EDITED : EDITED + UNPUBLISHED + DELETED]
        if len(targets) < UNPUBLISHED + DELETED:
            failures.append(f"d. only {len(targets)} initiatives to remove")
        stale, looked = [], 0
        for number, slug in enumerate(targets):
            link = f'href="/initiatives/{slug}/"'
            for path in lists:  # cached before the write
                self.through_varnish(path)
            showing = [path for path in lists if link in self.through_varnish(path)[2]]
            page = f"/initiatives/{slug}/"
            op = "unpublish" if number < UNPUBLISHED else "delete"
            self.editor.do(op, slug)
            self.removed.add(f"/initiatives/{slug}/")
            deadline = time.monotonic() + REMOVAL_WATCH_S
            while time.monotonic() < deadline:
                status = self.through_varnish(page)[0]
                looked += 1
                if status != 404:
                    stale.append((op, page, status))
                for path in showing:
                    looked += 1
                    if link in self.through_varnish(path)[2]:
                        stale.append((op, path, "still listed"))
                time.sleep(0.1)
        figures["d. stale removals"] = (
            f"{len(stale)} in {looked} responses after {len(targets)} removals"
        )
        say(figures["d. stale removals"])
        if stale:
            failures.append(f"d. {len(stale)} responses showed a removed initiative: {stale[:3]}")

    def grace(self, paths, figures, failures):
        """f: both gunicorn processes stopped; until GRACE_S after Varnish saw them sick, every
        page it had answers 200 with the same body."""
        cached, uncached = {}, []
        deadline = time.monotonic() + 15
        while self.varnish.sick_backends() and time.monotonic() < deadline:
            time.sleep(0.5)  # the load test may have kept a probe waiting
        if self.varnish.sick_backends():
            failures.append("f. a gunicorn was still sick before it was stopped")
        for path in paths:
            self.through_varnish(path)
            status, headers, body = self.through_varnish(path)
            if status == 200 and headers.get("x-cache") == "HIT":
                cached[path] = body
            else:
                uncached.append((path, status, headers.get("cache-control")))
        if uncached:
            say(f"Not cached by Varnish: {len(uncached)}, e.g. {uncached[:4]}")
        for server in self.servers:
            server.__exit__()
        stopped = time.monotonic()
        sick_after, bad, asked = None, [], 0
        while sick_after is None or time.monotonic() < stopped + sick_after + GRACE_S:
            if sick_after is None and self.varnish.sick_backends() == len(self.servers):
                sick_after = time.monotonic() - stopped
            for path, body in cached.items():
                status, _headers, served = self.through_varnish(path)
                asked += 1
                if status != 200 or served != body:
                    bad.append((path, status))
            if sick_after is None and time.monotonic() > stopped + 30:
                failures.append("f. Varnish did not see the gunicorn processes sick in 30 s")
                break
        figures["f. grace with both gunicorn down"] = (
            f"{len(bad)} failed of {asked} requests for {len(cached)} cached pages "
            f"(of {len(paths)}); seen sick {sick_after or 0:.1f} s after both had exited, "
            f"then {GRACE_S:.0f} s more"
        )
        say(figures["f. grace with both gunicorn down"])
        if bad:
            failures.append(f"f. {len(bad)} requests failed in grace, e.g. {bad[:3]}")
        if len(cached) < len(paths) // 2:
            failures.append(f"f. only {len(cached)} of {len(paths)} pages were cached")
