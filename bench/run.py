"""`make bench`: the directory under load, at 10 000 and 100 000 initiatives, beside two controls.

For each size: a fresh PostgreSQL database seeded by seed_demo, gunicorn in production settings
(BENCHMARK=true adds the controls under /bench/), then wrk on every URL in turn, interleaved
with the controls, over several repetitions; medians. Writes bench/results/latest.{md,json}.
BENCH_QUICK=1 tries it out: 10 000 initiatives only, one repetition, 2 s per URL.
"""

import csv
import http.client
import io
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import changes, edge, report, wrk
from bench.server import WORKERS, Server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = report.RESULTS
BIN = Path(sys.executable).parent
QUICK = os.environ.get("BENCH_QUICK") == "1"
SIZES = [10_000] if QUICK else [10_000, 100_000]
REPETITIONS = 1 if QUICK else 3
# Seconds per wrk run; pages rendered afresh are slow enough to need longer for their medians.
DURATION = int(os.environ.get("BENCH_DURATION", "2"))
RENDERED_DURATION = DURATION if QUICK else DURATION + 1
WARM_UP = 1
POSTGRES = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
REDIS_DB = {10_000: 10, 100_000: 11}
PROBE_REDIS_DB = 12
# Pages also measured as the page cache serves them; every page is measured rendered afresh.
CACHED_KEYS = ["list", "three-filters-q", "last-page", "country-page", "detail", "api-list"]
COLD_REQUESTS = 3 if QUICK else 5
STORM_DURATION = 10 if QUICK else changes.DURATION
TAIL_REQUESTS = 300  # at least, for a p99 worth the name
CONTROLS = [
    {"id": "plaintext", "key": "plaintext", "name": "Plaintext (control)", "kind": "control",
     "variant": "control", "path": "/bench/plaintext/"},
    {"id": "fortunes", "key": "fortunes", "name": "Fortunes (control)", "kind": "control",
     "variant": "control", "path": "/bench/fortunes/"},
]  # fmt: skip


def main():
    started = time.monotonic()
    check_services()
    RESULTS.mkdir(exist_ok=True)
    results = {
        "machine": machine(),
        "plan": {
            "quick": QUICK,
            "repetitions": REPETITIONS,
            "duration_s": DURATION,
            "rendered_duration_s": RENDERED_DURATION,
            "wrk": f"-t{wrk.THREADS} -c{wrk.CONNECTIONS} --latency",
            "workers": WORKERS,
        },
        "sizes": {},
    }
    say("Collecting static files")
    manage(server_env("postgres", PROBE_REDIS_DB), "collectstatic", "--no-input")
    for size in SIZES:
        results["sizes"][str(size)] = bench_size(size)
    results["total_s"] = time.monotonic() - started
    table = report.markdown(results)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "latest.md").write_text(table)
    print("\n" + table)


def say(message):
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def check_services():
    missing = []
    if not Path(wrk.WRK).exists():
        missing.append("wrk (apt-get install wrk)")
    if subprocess.run(["pg_isready", *POSTGRES[:4]], capture_output=True).returncode:
        missing.append("PostgreSQL at 127.0.0.1:5432")
    if redis("PING") != "PONG":
        missing.append("Redis at 127.0.0.1:6379")
    if missing:
        sys.exit("make bench needs " + ", ".join(missing) + ".")


def redis(*command, db=0):
    result = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "-n", str(db), *command],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def command_output(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text()
    meminfo = Path("/proc/meminfo").read_text().split()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.splitlines()
                if "model name" in line
            ),
            platform.processor(),
        ),
        "memory_gib": int(meminfo[meminfo.index("MemTotal:") + 1]) / 2**20,
        "postgresql": command_output("psql", *POSTGRES, "-Atc", "show server_version").split()[0],
        "python": platform.python_version(),
        "redis": redis("INFO", "server").partition("redis_version:")[2].split()[0],
        "gunicorn": command_output(str(BIN / "gunicorn"), "--version").split()[-1].strip("()"),
        "wrk": command_output(wrk.WRK, "--version").split()[1].removeprefix("debian/"),
        "commit": command_output("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def cpu_times():
    """{pid: CPU seconds} of the processes that are not the benchmark's: not this process or
    its children (gunicorn, wrk), not PostgreSQL or Redis. Other work distorts the results."""
    parents, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1].split()
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        if name not in ("postgres", "redis-server"):
            times[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    ours = {os.getpid()}
    for pid in sorted(parents, key=lambda pid: depth(pid, parents)):
        if parents[pid] in ours:
            ours.add(pid)
    return {pid: seconds for pid, seconds in times.items() if pid not in ours}


def depth(pid, parents):
    level = 0
    while pid in parents and level < 64:
        pid, level = parents[pid], level + 1
    return level


def other_cpu(before, after):
    return sum(seconds - before.get(pid, 0) for pid, seconds in after.items())


def server_env(database, redis_db):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "probono.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench",
        # wrk speaks plain HTTP to gunicorn, as a proxy that ends TLS would.
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DB_CONN_MAX_AGE": "600",
        "BENCHMARK": "true",
        "CACHE_URL": f"redis://127.0.0.1:6379/{redis_db}",
        # wrk asks from one address, many times a second: no rate limit may answer it.
        "RATE_LIMIT_EXPORTS": "0",
        "RATE_LIMIT_SEARCHES": "0",
        "RATE_LIMIT_PAGES": "0",
        "RATE_LIMIT_API": "0",
        # Pages offered to a shared cache, for Varnish in front (bench.edge).
        "SHARED_CACHE_MAX_AGE": "86400",
    }


def manage(env, *args):
    """Run a management command; its wall-clock time in seconds."""
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return time.monotonic() - started


def bench_size(size):
    database = f"probono_bench_{size // 1000}k"
    env = server_env(database, REDIS_DB[size])
    say(f"{size} initiatives: building {database}")
    subprocess.run(["dropdb", *POSTGRES, "--if-exists", "--force", database], check=True)
    subprocess.run(["createdb", *POSTGRES, database], check=True)
    result = {"database": database, "migrate_s": manage(env, "migrate", "--no-input")}
    manage(env, "load_seed")
    result["seed_s"] = manage(env, "seed_demo", "--initiatives", str(size), "--seed", "1")
    say(f"seed_demo --initiatives {size}: {result['seed_s']:.1f} s")
    # seed_demo leaves the planner without statistics, which autovacuum would gather at some
    # moment of the run: gather them now, as a database in service has them.
    started = time.monotonic()
    subprocess.run(["vacuumdb", *POSTGRES, "--analyze", "--quiet", database], check=True)
    result["vacuum_analyze_s"] = time.monotonic() - started

    say("Choosing URLs and counting queries in-process")
    redis("FLUSHDB", db=PROBE_REDIS_DB)
    probe_env = server_env(database, PROBE_REDIS_DB)
    probe = subprocess.run(
        [sys.executable, "-m", "bench.probe"],
        cwd=ROOT,
        env=probe_env,
        check=True,
        capture_output=True,
        text=True,
    )
    result.update(json.loads(probe.stdout))

    redis("FLUSHDB", db=REDIS_DB[size])
    log = RESULTS / f"gunicorn-{size // 1000}k.log.tmp"
    with Server(env, log) as server:
        rows = plan_rows(result["pages"], server)
        fields = ("id", "key", "name", "kind", "variant", "path")
        result["rows"] = [{field: row[field] for field in fields} for row in rows]
        result["statuses"] = {row["id"]: server.status(row) for row in rows}
        # What wrk sends for pages rendered afresh must be served, not redirected.
        result["statuses"] |= {
            row["id"]: server.status({"path": fresh_url(row["path"], "check")})
            for row in rows
            if row["variant"] == "fresh"
        }
        say(f"Warming up {len(rows) + 2} URLs on {server.url}")
        for row in [*CONTROLS, *rows]:
            if row["variant"] == "fresh":
                # Fills the facet caches; wrk would leave a long queue of slow requests behind.
                for number in range(WORKERS):
                    server.request(fresh_url(row["path"], f"warm-{number}"))
            else:
                drive(server, row, WARM_UP)
        result["runs"], result["other_cpu_s"] = [], []
        for number in range(REPETITIONS):
            before, started = cpu_times(), time.monotonic()
            result["runs"].append(repetition(server, rows, number))
            result["other_cpu_s"].append(other_cpu(before, cpu_times()))
            result.setdefault("repetition_s", []).append(time.monotonic() - started)
        result["tail"] = {
            variant: tail(server, rows, result["runs"], f"list:{variant}")
            for variant in ("cached", "fresh")
        }
        say("Pages with every cache cleared")
        result["cold"] = changes.cold(
            server, lambda: redis("FLUSHDB", db=REDIS_DB[size]), result["pages"], COLD_REQUESTS
        )
        result["export"] = export(server)
        say("The page cache's URLs through Varnish, beside gunicorn alone")
        result["edge"] = edge.through_varnish(server, rows, DURATION * 2)
        say("Edit storm: readers quiet, then beside an editor")
        result["storm"] = changes.storm(server, env, result["pages"], STORM_DURATION)
    result["redis_used_memory"] = (
        redis("INFO", "memory", db=REDIS_DB[size]).partition("used_memory_human:")[2].split()[0]
    )
    return result


def fresh_url(path, tag):
    """The URL with a parameter the site ignores, as wrk.SCRIPT adds to every request."""
    return f"{path}{'&' if '?' in path else '?'}bench={tag}"


def plan_rows(pages, server):
    """Every page rendered afresh, some again from the page cache, then 304, 404, static."""
    rows = []
    for page in pages:
        if page["kind"] == "404":
            continue
        rows.append({**page, "id": page["key"] + ":fresh", "variant": "fresh"})
    for page in pages:
        if page["key"] in CACHED_KEYS:
            rows.append({**page, "id": page["key"] + ":cached", "variant": "cached"})
    etag = server.headers("/initiatives/").get("etag")
    rows.append(
        {"id": "304", "key": "304", "name": "Conditional GET (list)", "kind": "304",
         "variant": "304", "path": "/initiatives/", "etag": etag}
    )  # fmt: skip
    not_found = next(page for page in pages if page["kind"] == "404")
    rows.append({**not_found, "id": "404", "variant": "404"})
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    static = "/static/" + manifest["paths"]["css/site.css"]
    rows.append(
        {"id": "static", "key": "static", "name": "Static asset (site.css)", "kind": "static",
         "variant": "static", "path": static}
    )  # fmt: skip
    return rows


def drive(server, row, duration, connections=wrk.CONNECTIONS, interval_ms=0):
    if row["variant"] == "304" and not row.get("etag"):
        return None
    server.drain()
    headers = [f"If-None-Match: {row['etag']}"] if row["variant"] == "304" else []
    fresh = row["variant"] == "fresh"
    use_script = fresh or interval_ms
    return wrk.run(
        server.url + row["path"],
        duration,
        connections=connections,
        headers=headers,
        script=wrk.SCRIPT if use_script else None,
        args=["fresh" if fresh else "same", secrets.token_hex(4), interval_ms],
    ).as_dict()


def repetition(server, rows, number):
    """Every row once, with the controls before, halfway through and after."""
    say(f"Repetition {number + 1}/{REPETITIONS}: {len(rows)} URLs and the controls")
    half = len(rows) // 2
    sequence = [*CONTROLS, *rows[:half], *CONTROLS, *rows[half:], *CONTROLS]
    return [
        {
            "id": row["id"],
            "result": drive(
                server, row, RENDERED_DURATION if row["variant"] == "fresh" else DURATION
            ),
        }
        for row in sequence
    ]


def tail(server, rows, runs, row_id):
    """Latency of the unfiltered list, from the page cache or rendered afresh, at about half the
    throughput it reached under full load: 4 connections, each waiting between its requests."""
    say(f"Tail latency at half load: {row_id}")
    row = next(row for row in rows if row["id"] == row_id)
    peak = statistics.median(
        run["result"]["rps"] for rep in runs for run in rep if run["id"] == row["id"]
    )
    target, connections = peak / 2, 4
    duration = min(15, max(DURATION, round(TAIL_REQUESTS / target)))
    # A request alone takes about 2 / peak s, with two workers.
    interval = max(1, round(connections * 1000 / target - 2000 / peak))
    for _attempt in range(3):
        measured = drive(server, row, duration, connections, interval)
        if abs(measured["rps"] / target - 1) < 0.1:
            break
        latency = max(0, connections * 1000 / measured["rps"] - interval)
        interval = max(1, round(connections * 1000 / target - latency))
    return {**measured, "peak_rps": peak, "interval_ms": interval, "duration_s": duration}


def export(server):
    """Stream the CSV export of every published initiative; rows, time, workers' peak memory."""
    say("CSV export of every initiative")
    before = server.memory()
    peak = {}
    rows, error = 0, None
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    try:
        connection.request("GET", "/initiatives/export.csv")
        response = connection.getresponse()
        for _row in csv.reader(io.TextIOWrapper(response, encoding="utf-8", newline="")):
            rows += 1
            if rows % 2000 == 0:
                for pid, (_hwm, rss) in server.memory().items():
                    peak[pid] = max(peak.get(pid, 0), rss)
    except (OSError, http.client.HTTPException, csv.Error) as exception:
        error = repr(exception)
    finally:
        connection.close()
    seconds = time.perf_counter() - started
    after = server.memory()
    if "WORKER TIMEOUT" in server.log.read_text():
        error = f"gunicorn's worker timeout killed the worker after {seconds:.0f} s"
    return {
        "rows": max(rows - 1, 0),
        "seconds": seconds,
        "rows_per_s": max(rows - 1, 0) / seconds,
        "error": error,
        "workers_before": before,
        "workers_after": after,
        "rss_peak_during": peak,
    }


if __name__ == "__main__":
    main()
