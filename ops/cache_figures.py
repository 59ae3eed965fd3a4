"""Figures for the bounded cache and the rate limits, against real gunicorn, PostgreSQL and a
Redis of its own started with ops/redis/redis.conf (docs/operations.md: Redis, Rate limits).

    .venv/bin/python -m ops.cache_figures   # FIGURES_DATABASE, FIGURES_INITIATIVES

Not a drill: it prints what it measured and fails on nothing but a 5xx.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.run import manage
from ops.common import Gunicorn, database_url, production_env, recreate_database, seed

DATABASE = os.environ.get("FIGURES_DATABASE", "probono_cache_figures")
INITIATIVES = int(os.environ.get("FIGURES_INITIATIVES", "5000"))
CONFIG = Path(__file__).parent / "redis" / "redis.conf"
EXPORT = "/initiatives/export.csv"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cli(port, *args):
    command = ["redis-cli", "-p", str(port), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def used_memory(port):
    info = redis_cli(port, "info", "memory").splitlines()
    return int(next(line for line in info if line.startswith("used_memory:")).split(":")[1])


def statuses(responses):
    counts = {}
    for response in responses:
        counts[response.status] = counts.get(response.status, 0) + 1
    return dict(sorted(counts.items()))


def main():
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", str(CONFIG), "--port", str(redis_port)], stdout=subprocess.DEVNULL
    )
    env = production_env(
        database_url(DATABASE),
        CACHE_URL=f"redis://127.0.0.1:{redis_port}/0",
        # The limits as production has them, unless the environment says otherwise.
        RATE_LIMIT_EXPORTS=os.environ.get("RATE_LIMIT_EXPORTS", "10"),
        RATE_LIMIT_WINDOW=os.environ.get("RATE_LIMIT_WINDOW", "60"),
    )
    try:
        recreate_database(DATABASE)
        print(f"Seeded {INITIATIVES} initiatives in {seed(env, INITIATIVES):.0f} s", flush=True)
        manage(env, "collectstatic", "--no-input")
        log = Path(tempfile.mkdtemp()) / "gunicorn.log"
        with Gunicorn(env, log, workers=3) as server:
            measure(server, redis_port, redis)
    finally:
        redis.terminate()
        redis.wait()


def measure(server, redis_port, redis):
    print(f"Redis: {redis_cli(redis_port, 'config', 'get', 'maxmemory*')!r}")
    # 1. Twenty parallel full exports from one address.
    started = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        flood = list(pool.map(lambda _n: server.request(EXPORT), range(20)))
    print(
        f"20 parallel exports from one address: {statuses(flood)} in "
        f"{time.monotonic() - started:.1f} s; Retry-After "
        f"{sorted({r.getheader('Retry-After') for r in flood if r.status == 429})}"
    )
    # 2. How fast the refusals go, four clients for 5 s.
    deadline = time.monotonic() + 5

    def hammer(_n):
        answers = []
        while time.monotonic() < deadline:
            answers.append(server.request(EXPORT))
        return answers

    with ThreadPoolExecutor(4) as pool:
        refused = [answer for answers in pool.map(hammer, range(4)) for answer in answers]
    print(f"429s past the limit, 4 clients for 5 s: {statuses(refused)}, {len(refused) / 5:.0f}/s")
    another = server.request(EXPORT, {"X-Forwarded-For": "203.0.113.9"})
    print(f"The same export from the same peer with a forged X-Forwarded-For: {another.status}")
    # 3. A made-up session cookie on the sitemap: served from the cache, not rendered.
    sitemap = "/sitemap-initiatives.xml"
    server.request(sitemap)
    cookie = {"Cookie": "__Host-sessionid=forged0123456789abcdefghijklmnop"}
    for label, headers in (("no cookie", {}), ("a made-up session cookie", cookie)):
        started = time.perf_counter()
        answers = [server.request(sitemap, headers) for _n in range(20)]
        took = (time.perf_counter() - started) / 20 * 1000
        print(f"{sitemap} with {label}: {statuses(answers)}, {took:.1f} ms each")
    # 4. A scan of made-up addresses: kept a minute each.
    scan = [server.request(f"/initiatives/?junk={number}") for number in range(300)]
    keys = redis_cli(redis_port, "--scan", "--pattern", "*directory:page:*").split()
    lifetimes = sorted(int(redis_cli(redis_port, "ttl", key)) for key in keys)
    brief = [lifetime for lifetime in lifetimes if lifetime <= 60]
    print(
        f"After 300 made-up addresses ({statuses(scan)}): {len(keys)} pages kept, {len(brief)} "
        f"of them for at most {max(brief)} s; Redis uses {used_memory(redis_port) / 2**20:.1f} MiB"
    )
    # 5. Fresh pages with Redis up, full (noeviction), then stopped: they still answer.
    started = time.monotonic()
    fresh = [server.request(f"/initiatives/?page={n}") for n in range(52, 102)]
    took = (time.monotonic() - started) / 50 * 1000
    print(f"50 fresh pages, Redis up: {statuses(fresh)}, {took:.0f} ms each")
    redis_cli(redis_port, "config", "set", "maxmemory-policy", "noeviction")
    redis_cli(redis_port, "config", "set", "maxmemory", str(used_memory(redis_port)))
    started = time.monotonic()
    fresh += [server.request(f"/initiatives/?page={n}") for n in range(2, 52)]
    took = (time.monotonic() - started) / 50 * 1000
    print(f"50 fresh pages, Redis full with noeviction: {statuses(fresh[50:])}, {took:.0f} ms each")
    redis.terminate()
    redis.wait()
    started = time.monotonic()
    fresh += [server.request(f"/initiatives/?page={n}") for n in range(102, 152)]
    took = (time.monotonic() - started) / 50 * 1000
    print(f"50 fresh pages, Redis stopped: {statuses(fresh[100:])}, {took:.0f} ms each")
    over = server.request(EXPORT)
    print(f"An export past the limit with Redis stopped (fails open): {over.status}")
    if any(response.status >= 500 for response in fresh + flood + refused + scan):
        sys.exit("5xx answers")


if __name__ == "__main__":
    main()
