"""What writes cost readers, in `make bench`.

- *Every cache cleared*: a few pages just after a FLUSHDB of the workers' cache (the versions,
  vocabulary, counts and pages gone), as after a Redis restart.
- *The edit storm*: readers on a mix of common URLs for 30 s, quiet, then while an editor saves
  an initiative every 5 s (`bench.editor`, a process of its own) and, halfway through,
  unpublishes the initiative at the top of the list. From the moment that unpublish has
  committed, a probe asks for every page that showed it and counts those that still do.
"""

import http.client
import json
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import wrk

ROOT = Path(__file__).resolve().parent.parent
DURATION = 30
EVERY = 5
COLD_REQUESTS = 5


def cold(server, flush, pages, requests=COLD_REQUESTS):
    """{name: timings} of pages asked for just after `flush()` empties the workers' cache,
    timed from here over loopback."""
    by_key = {page["key"]: page["path"] for page in pages}
    urls = {
        "list": "/initiatives/",
        "q-common": by_key["q-common"],
        "countries": "/countries/",
        "home": "/",
    }
    timings = {}
    for name, url in urls.items():
        measured, statuses = [], set()
        for _request in range(requests):
            flush()
            started = time.perf_counter()
            statuses.add(server.status({"path": url}))
            measured.append((time.perf_counter() - started) * 1000)
        timings[name] = {
            "path": url,
            "median_ms": statistics.median(measured),
            "timings_ms": measured,
            "statuses": sorted(statuses),
        }
    return timings


def readers_mix(pages):
    """At least ten URLs readers commonly ask for: home, the country index, the list, two
    countries, a sector, a kind, a search, a country page, a sector page, an initiative."""
    by_key = {page["key"]: page["path"] for page in pages}
    return [
        "/",
        "/countries/",
        "/initiatives/",
        by_key["country-big"],
        "/initiatives/?country=gb",
        by_key["sector"],
        "/initiatives/?kind=hackathon",
        by_key["q-common"],
        by_key["country-page"],
        by_key["sector-page"],
        by_key["detail"],
    ]


def storm(server, env, pages, duration=DURATION):
    paths = readers_mix(pages)
    server.drain()
    for path in paths:
        server.request(path)
    quiet = wrk.run_mix(server.url, paths, duration).as_dict()

    target = top_of_the_list(server)
    editor = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.editor",
            f"--every={EVERY}",
            f"--duration={duration}",
            f"--unpublish-after={duration / 2}",
            f"--slug={target['slug']}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    probe = Probe(server, target)
    watcher = threading.Thread(target=probe.follow, args=(editor,))
    watcher.start()
    stormy = wrk.run_mix(server.url, paths, duration).as_dict()
    editor.wait(timeout=60)
    probe.stop()
    watcher.join(timeout=60)
    return {
        "paths": paths,
        "quiet": quiet,
        "storm": stormy,
        "writes": probe.writes,
        "target": target,
        "probe": {"responses": probe.responses, "showing": probe.showing, "urls": probe.urls},
    }


def top_of_the_list(server):
    """The initiative a reader sees first on /initiatives/, and its country."""
    page = get(server, "/initiatives/")[1]
    slug = page.split('class="card__title"><a href="/initiatives/', 1)[1].split("/", 1)[0]
    detail = get(server, f"/initiatives/{slug}/")[1]
    country = re.search(r'href="/countries/([a-z]{2})/"', detail)[1]
    return {"slug": slug, "country": country}


def get(server, path):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


class Probe:
    """Once the editor says the unpublish has committed, asks for every page that showed the
    initiative, over and over, until stopped."""

    def __init__(self, server, target):
        self.server, self.target = server, target
        slug, country = target["slug"], target["country"]
        self.urls = [
            "/initiatives/",
            f"/initiatives/?country={country}",
            f"/countries/{country}/",
            "/initiatives/feed/",
            f"/initiatives/{slug}/",
        ]
        self.writes, self.responses, self.showing = [], 0, 0
        self.stopped = threading.Event()
        self.asking = threading.Thread(target=self.ask)

    def follow(self, editor):
        for line in editor.stdout:
            self.writes.append(json.loads(line))
            if "unpublished" in self.writes[-1]:
                self.asking.start()

    def ask(self):
        while not self.stopped.is_set():
            for url in self.urls:
                status, text = get(self.server, url)
                self.responses += 1
                detail = url.endswith(f"/{self.target['slug']}/")
                if (status != 404) if detail else (self.target["slug"] in text):
                    self.showing += 1
            time.sleep(0.05)

    def stop(self):
        self.stopped.set()
        if self.asking.is_alive():
            self.asking.join(timeout=60)
