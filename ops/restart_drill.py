"""`make restart-drill`: restart PostgreSQL under load. A PostgreSQL cluster of its own (on a
free port, in a temporary folder, so that nothing else using the machine's server notices),
gunicorn with the production settings in front, and readers asking for pages the cache has
not seen. While the database is down every request must end within a second or two, with a
503 page that says so; once it is back, none may fail: the persistent connections are checked
before each request reuses them (CONN_HEALTH_CHECKS) and reopened."""

import contextlib
import http.client
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.run import say
from ops.common import (
    Cluster,
    Gunicorn,
    conclude,
    database_url,
    production_env,
    psql,
    recreate_database,
    seed,
)

INITIATIVES = 1000
CLIENTS = 4
WORKERS = 2
UP_S, DOWN_S, AFTER_S = 10, 8, 10
FAST_S = 2.0
DATABASE = "probono_restart_drill"


class Reader(threading.Thread):
    """Asks for pages one after another, each with a parameter never seen before, and notes
    when each request started and ended, and how it ended."""

    def __init__(self, number, server, paths, stop):
        super().__init__(daemon=True)
        self.number, self.server, self.paths, self.stop = number, server, paths, stop
        self.results = []

    def run(self):
        counter = 0
        while not self.stop.is_set():
            counter += 1
            path = self.paths[(self.number + counter) % len(self.paths)]
            separator = "&" if "?" in path else "?"
            path = f"{path}{separator}drill={self.number}-{counter}"
            started = time.monotonic()
            outcome = {"path": path, "started": started}
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read().decode(errors="replace")
                connection.close()
                outcome["status"] = response.status
                outcome["friendly"] = (
                    "temporarily unavailable" in body and response.getheader("Retry-After") == "30"
                )
            except OSError as error:
                outcome["error"] = repr(error)
            outcome["ended"] = time.monotonic()
            self.results.append(outcome)


def failed(outcome):
    return "error" in outcome or outcome["status"] >= 400


def main():
    folder = Path(tempfile.mkdtemp(prefix="probono-restart-drill-"))
    failures = []
    try:
        cluster = Cluster(folder)
        cluster.start()
        say(f"Restart drill: a PostgreSQL cluster of its own on port {cluster.port}")
        recreate_database(DATABASE, cluster.port)
        env = production_env(database_url(DATABASE, cluster.port))
        say(f"Seeded {INITIATIVES} initiatives in {seed(env, INITIATIVES):.0f} s")
        slugs = psql(
            DATABASE,
            "SELECT slug FROM initiatives_initiative WHERE status = 'published' "
            "ORDER BY id LIMIT 20",
            cluster.port,
        )
        paths = ["/initiatives/", "/initiatives/?status=ongoing", "/countries/fr/"]
        paths += [f"/initiatives/{slug}/" for (slug,) in slugs]
        stop = threading.Event()
        with Gunicorn(env, folder / "gunicorn.log", workers=WORKERS) as server:
            readers = [Reader(number, server, paths, stop) for number in range(CLIENTS)]
            for reader in readers:
                reader.start()
            time.sleep(UP_S)
            say("Stopping PostgreSQL")
            stopping = time.monotonic()
            cluster.stop()
            time.sleep(DOWN_S)
            say("Starting PostgreSQL")
            cluster.start()
            back = time.monotonic()
            time.sleep(AFTER_S)
            stop.set()
            for reader in readers:
                reader.join(timeout=60)
            log = server.log.read_text()
        results = [outcome for reader in readers for outcome in reader.results]
        before = [o for o in results if o["ended"] < stopping]
        down = [o for o in results if o["started"] >= stopping and o["ended"] <= back]
        after = [o for o in results if o["started"] >= back]
        during = [o for o in results if o not in before and o not in after]
        slowest_down = max((o["ended"] - o["started"] for o in down), default=0)
        say(
            f"{len(results)} requests: {len(before)} before the stop "
            f"({sum(map(failed, before))} failed); {len(during)} during the restart "
            f"({sum(map(failed, during))} failed, slowest while down {slowest_down:.2f} s); "
            f"{len(after)} once it was back ({sum(map(failed, after))} failed)"
        )
        if not before or not down or not after:
            failures.append("too few requests in one of the phases to tell")
        if any(map(failed, before)):
            failures.append(
                f"requests failed before the stop: {[o for o in before if failed(o)][:3]}"
            )
        unfriendly = [
            o for o in during if failed(o) and not (o.get("status") == 503 and o["friendly"])
        ]
        if unfriendly:
            failures.append(f"requests failed without the 503 page: {unfriendly[:3]}")
        if slowest_down > FAST_S:
            failures.append(f"a request took {slowest_down:.1f} s while the database was down")
        if any(map(failed, after)):
            failures.append(
                f"requests failed after the restart: {[o for o in after if failed(o)][:3]}"
            )
        if "WORKER TIMEOUT" in log:
            failures.append("a gunicorn worker timed out")
    finally:
        with contextlib.suppress(NameError, subprocess.CalledProcessError):
            cluster.stop()  # NameError: it was never made
    conclude("Restart drill", folder, failures)


if __name__ == "__main__":
    main()
