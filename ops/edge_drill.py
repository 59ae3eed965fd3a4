"""`make edge-drill`: the directory past one machine, on one machine (docs/edge.md). A
PostgreSQL primary and a hot standby that replays each transaction 2 s late, PgBouncer in
transaction mode in front of both, Redis as the shared cache, two gunicorn processes reading from
the standby (DATABASE_REPLICA_URLS), Varnish with ops/varnish/probono.vcl in front of them, and an
editor writing through the ORM, whose saves purge Varnish. It measures and asserts:

a. Varnish serves a replayed mix of canonical URLs at least 5 times as fast as gunicorn alone
   serves it from its own page cache;
b. Varnish's hit ratio on that mix, while the editor writes, is at least 0.9;
c. an edit shows through Varnish (its page and a list) within 1 s of the save (p99);
d. an unpublished or deleted initiative is gone from every page Varnish serves once the save
   has returned;
e. no page shows an edited title again once the new one showed, through Varnish or gunicorn,
   whatever the standby's lag;
g. a minute of uncached load through PgBouncer: no error answer, no error in PgBouncer's log or
   gunicorn's;
f. with both gunicorn processes stopped, Varnish still serves every page it had.
"""

import contextlib
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import wrk
from bench.run import manage, say
from ops import edge_checks
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
from ops.edge_stack import (
    Editor,
    PgBouncer,
    Varnish,
    free_port,
    make_standby,
    reachable_by_varnish,
    shipped_vcl,
)
from ops.loadtest import query

INITIATIVES = 3000
DATABASE = "probono_edge_drill"
REDIS_DB = 8
WORKERS = 2
REPLAY_DELAY = "2s"
REPLAY_S = int(os.environ.get("EDGE_DRILL_REPLAY_S", "15"))
LOAD_S = int(os.environ.get("EDGE_DRILL_LOAD_S", "60"))
# The editor's pace while the mix is replayed: an edit every this many seconds.
EDIT_EVERY_S = 2.0
# The replay while the editor writes: runs of CHUNK_S seconds, for REPLAY_S at least and
# until the editor has written its share, at most MAX_EDITING_S.
CHUNK_S, MAX_EDITING_S = 3, 60
SPEEDUP, HIT_RATIO = 5.0, 0.9
# Browsers ask for compressed pages; so do both sides of the comparison.
HEADERS = ("Accept-Encoding: gzip",)
COUNTERS = ("MAIN.cache_hit", "MAIN.cache_miss", "MAIN.client_req")
# Django's error records, gunicorn's, a traceback, a worker killed for taking too long.
GUNICORN_ERROR = re.compile(r"Traceback| ERROR |\[ERROR\]|WORKER TIMEOUT")


def main():
    if not Path(wrk.WRK).exists():
        sys.exit("make edge-drill needs wrk (apt-get install wrk).")
    folder = Path(tempfile.mkdtemp(prefix="probono-edge-drill-"))
    failures, figures = [], {}
    reachable_by_varnish(folder)
    shipped = shipped_vcl(folder)
    rules = subprocess.run(
        ["varnishtest", "-D", f"vcl_folder={shipped}", str(shipped / "probono.vtc")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    figures["The VCL's rules (ops/varnish/probono.vtc)"] = rules.stdout.strip().splitlines()[-1]
    if rules.returncode:
        failures.append(f"ops/varnish/probono.vtc failed:\n{rules.stdout[-3000:]}")
    with contextlib.ExitStack() as stack:
        primary = Cluster(folder, "primary")
        primary.configure(wal_level="replica", max_wal_senders=10, hot_standby="on")
        primary.start()
        stack.callback(stop_quietly, primary)
        recreate_database(DATABASE, primary.port)
        cache_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
        direct = production_env(database_url(DATABASE, primary.port), CACHE_URL=cache_url)
        say(f"Edge drill: primary on {primary.port}; seeding {INITIATIVES} initiatives")
        say(f"Seeded in {seed(direct, INITIATIVES):.0f} s")
        manage(direct, "collectstatic", "--no-input")
        # What Django passes as startup options, which PgBouncer refuses (docs/edge.md).
        for setting in ("statement_timeout = '20s'", "max_parallel_workers_per_gather = 0"):
            psql(DATABASE, f"ALTER DATABASE {DATABASE} SET {setting}", primary.port)
        standby = make_standby(folder, primary, REPLAY_DELAY)
        stack.callback(stop_quietly, standby)
        bouncer = stack.enter_context(
            PgBouncer(folder, {"primary": (primary.port, DATABASE),
                               "standby": (standby.port, DATABASE)})
        )  # fmt: skip
        say(f"Standby on {standby.port} ({REPLAY_DELAY} behind), PgBouncer on {bouncer.port}")
        subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], check=True, stdout=-3)
        varnish_port = free_port()
        env = production_env(
            bouncer.url("primary"),
            CACHE_URL=cache_url,
            DATABASE_REPLICA_URLS=bouncer.url("standby"),
            DATABASE_POOLING="transaction",
            SHARED_CACHE_PURGE_URLS=f"http://127.0.0.1:{varnish_port}/",
        )
        servers = [Gunicorn(env, folder / f"gunicorn-{n}.log", workers=WORKERS) for n in (1, 2)]
        reachable_by_varnish(folder)
        varnish = stack.enter_context(Varnish(folder, varnish_port, [s.port for s in servers]))
        for server in servers:
            stack.enter_context(server)
        editor = Editor(env, folder / "editor.log")
        stack.callback(editor.close)
        say(f"Varnish on {varnish_port}, gunicorn on {[s.port for s in servers]}")

        urls = plan_urls(primary.port)
        check = edge_checks.Checks(
            varnish, servers, editor, standby, DATABASE, {slug for slug, _title in urls["rows"]}
        )
        replay(check, urls, figures, failures)
        check.edits(figures, failures)
        check.removals(figures, failures)
        # What the removals took off is a 404 now, as it should be.
        urls = {name: [p for p in paths if p not in check.removed] if name != "rows" else paths
                for name, paths in urls.items()}  # fmt: skip
        load(folder, servers, bouncer, urls, figures, failures)
        check.grace(urls["mix"], figures, failures)
    print_figures(figures)
    conclude("Edge drill", folder, failures)


def stop_quietly(cluster):
    with contextlib.suppress(subprocess.CalledProcessError):
        cluster.stop()


def plan_urls(port):
    """Canonical URLs drawn from the data, reproducibly: the replayed mix, and the uncached
    load (searches, exports, lists with a parameter never seen before)."""
    rng = random.Random(1)
    rows = psql(
        DATABASE,
        "SELECT slug, title FROM initiatives_initiative WHERE status = 'published' "
        "ORDER BY md5(slug)",
        port,
    )
    countries = [code for (code,) in psql(
        DATABASE,
        "SELECT DISTINCT lower(country_id) FROM initiatives_initiative_countries ORDER BY 1",
        port,
    )]  # fmt: skip
    sectors = [slug for (slug,) in psql(DATABASE, "SELECT slug FROM initiatives_sector", port)]
    lists = []
    for _number in range(100):
        params = {"country": [rng.choice(countries)]}
        if rng.random() < 0.5:
            params["sector"] = [rng.choice(sectors)]
        if rng.random() < 0.3:
            params["status"] = [rng.choice(["ongoing", "completed"])]
        lists.append(query(**params))
    lists = sorted(set(lists))
    words = [word for _slug, title in rows[:300] for word in title.split()
             if word.isalpha() and len(word) > 4]  # fmt: skip
    details = [f"/initiatives/{slug}/" for slug, _title in rows[:150]]
    mix = ["/", "/initiatives/", "/countries/", "/sectors/", "/networks/"]
    mix += lists + details + [f"/countries/{code}/" for code in rng.sample(countries, 20)]
    uncached = lists[:40] + details[:40]
    uncached += [query(q=rng.choice(words)) for _number in range(30)]
    uncached += [query(country=[code]).replace("/?", f"/export.{kind}?")
                 for code in countries[:2] for kind in ("csv", "json")]  # fmt: skip
    # The replay's edits touch the last details of the mix, none of which the later checks use.
    return {
        "mix": mix,
        "uncached": uncached,
        "replay_edits": [slug for slug, _title in rows[100:150]],
        "rows": rows,
    }


def replay(check, urls, figures, failures):
    """a: wrk on the mix through Varnish, then straight at both gunicorn processes from their
    warm page cache, nothing written meanwhile (a write empties gunicorn's page cache, where
    Varnish loses only what it changed). b: the mix through Varnish again while the editor
    retitles an initiative every EDIT_EVERY_S."""
    mix = urls["mix"]
    check.warm(mix)
    table = ", ".join(f"[[{path}]]" for path in mix)
    script = wrk.MIX_SCRIPT % table
    through = wrk.run(check.varnish_url, REPLAY_S, headers=HEADERS, script=script)
    check.warm(mix, through_varnish=False)
    with ThreadPoolExecutor(2) as pool:
        direct = list(pool.map(
            lambda server: wrk.run(server.url + "/", REPLAY_S, connections=8,
                                   headers=HEADERS, script=script),
            check.servers,
        ))  # fmt: skip
    gunicorn_rps = sum(result.rps for result in direct)
    check.warm(mix)
    before = check.varnish.settled_counters(*COUNTERS)
    # In short runs until the editor has saved as many edits as it would in REPLAY_S: wrk and
    # Varnish at full speed can take most of a small machine's CPU from it.
    wanted = int(REPLAY_S / EDIT_EVERY_S)
    with check.editing(urls["replay_edits"], EDIT_EVERY_S) as edits:
        runs = []
        while len(runs) * CHUNK_S < REPLAY_S or (
            len(edits) < wanted and len(runs) * CHUNK_S < MAX_EDITING_S
        ):
            runs.append(wrk.run(check.varnish_url, CHUNK_S, headers=HEADERS, script=script))
        finished = time.monotonic()
    editing = wrk.Result(
        rps=sum(run.requests for run in runs) / (len(runs) * CHUNK_S),
        p50_ms=max(run.p50_ms for run in runs),
        p99_ms=max(run.p99_ms for run in runs),
        requests=sum(run.requests for run in runs),
        non_2xx_3xx=sum(run.non_2xx_3xx for run in runs),
        socket_errors=sum(run.socket_errors for run in runs),
    )
    edited = sum(edit["saved"] < finished for edit in edits)
    after = check.varnish.settled_counters(*COUNTERS)
    hits = after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
    misses = after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
    ratio = hits / max(hits + misses, 1)
    # Every request of the replay counted, or the ratio is of a part of them only.
    counted = after["MAIN.client_req"] - before["MAIN.client_req"]
    if counted < editing.requests:
        failures.append(f"b. Varnish counted {counted} requests of wrk's {editing.requests}")
    figures["a. requests/s through Varnish"] = f"{through.rps:.0f}"
    figures["a. requests/s from gunicorn alone"] = f"{gunicorn_rps:.0f}"
    figures["a. speed-up"] = f"{through.rps / max(gunicorn_rps, 1):.1f}x (at least {SPEEDUP}x)"
    figures["b. hit ratio while editing"] = (
        f"{ratio:.3f} ({hits} hits, {misses} misses; {edited} edits saved and purged meanwhile; "
        f"{editing.rps:.0f} requests/s)"
    )
    say(f"Replay of {len(mix)} URLs, {REPLAY_S} s each: Varnish {through.rps:.0f}/s, gunicorn "
        f"{gunicorn_rps:.0f}/s; Varnish while editing every {EDIT_EVERY_S} s "
        f"{editing.rps:.0f}/s, hit ratio {ratio:.3f}")  # fmt: skip
    runs = [("Varnish", through), ("Varnish while editing", editing)]
    for name, result in runs + [("gunicorn", result) for result in direct]:
        if result.non_2xx_3xx or result.socket_errors:
            failures.append(f"a. {name}: {result.non_2xx_3xx} non-2xx/3xx answers, "
                            f"{result.socket_errors} socket errors in the replay")  # fmt: skip
    if through.rps < SPEEDUP * gunicorn_rps:
        failures.append(f"a. Varnish {through.rps:.0f}/s, under {SPEEDUP}x gunicorn's")
    if edited < wanted:
        failures.append(f"b. {edited} edits saved during the replay, not {wanted}")
    if ratio < HIT_RATIO:
        failures.append(f"b. hit ratio {ratio:.3f} under {HIT_RATIO}")


def load(folder, servers, bouncer, urls, figures, failures):
    """g: the uncached mix at both gunicorn processes for LOAD_S seconds, through PgBouncer."""
    from ops.loadtest import SCRIPT

    def run(server):
        out = folder / f"statuses-{server.port}.txt"
        paths = "{" + ", ".join(f"[[{path}]]" for path in urls["uncached"]) + "}"
        script = SCRIPT % {"paths": paths, "fresh": 2, "out": out}
        result = wrk.run(server.url + "/", LOAD_S, connections=4, script=script, timeout="30s")
        return result, dict(line.split() for line in out.read_text().splitlines())

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run, servers))
    requests = sum(result.requests for result, _statuses in results)
    bad = sum(int(count) for _result, statuses in results
              for name, count in statuses.items() if name not in ("2xx", "3xx"))  # fmt: skip
    sockets = sum(result.socket_errors for result, _statuses in results)
    bouncer_errors = bouncer.errors()
    gunicorn_errors = [
        line
        for server in servers
        for line in server.log.read_text().splitlines()
        if GUNICORN_ERROR.search(line)
    ]
    figures["g. load through PgBouncer"] = (
        f"{requests} requests in {LOAD_S} s; {bad} non-2xx/3xx, {sockets} socket errors, "
        f"{len(bouncer_errors)} PgBouncer errors, {len(gunicorn_errors)} gunicorn errors"
    )
    say(figures["g. load through PgBouncer"])
    if bad or sockets:
        failures.append(f"g. {bad} non-2xx/3xx answers, {sockets} socket errors under load")
    if bouncer_errors:
        failures.append(f"g. PgBouncer's log has errors: {bouncer_errors[:3]}")
    if gunicorn_errors:
        failures.append(f"g. gunicorn's log has errors: {gunicorn_errors[:3]}")


def print_figures(figures):
    width = max(map(len, figures), default=0)
    print("\n" + "\n".join(f"{name:<{width}}  {value}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
