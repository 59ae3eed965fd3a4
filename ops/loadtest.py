"""`make loadtest`: gunicorn with the production settings on PostgreSQL seeded with 20 000
initiatives and Redis as the shared cache, under wrk for a minute over a list of URLs drawn
from the real parameter space: home, filtered lists, details, search, feeds, exports, old
slugs that redirect, and deliberately bad input. It fails on any 5xx, any connection error
or timeout, or a gunicorn worker timeout."""

import http.client
import json
import os
import random
import sys
import tempfile
import urllib.parse
from pathlib import Path

import django

from bench import wrk
from bench.run import manage, say
from ops.common import (
    ROOT,
    Gunicorn,
    database_url,
    production_env,
    recreate_database,
    seed,
)

INITIATIVES = 20_000
DURATION_S = int(os.environ.get("LOADTEST_DURATION", "60"))
# Two per worker: every worker always has a request waiting, and none waits long.
CONNECTIONS = 4
WORKERS = 2
# As long as gunicorn lets a worker take: a slower request is a worker timeout, counted as such.
CLIENT_TIMEOUT = "30s"
DATABASE = "probono_loadtest"
LOGS = ROOT / "var"  # gunicorn's log stays there for a look after a failure
REDIS_DB = 13
# The finder's parameters in their canonical order (docs/finder.md: the query parameters).
ORDER = ["country", "sector", "network", "facilitator", "crisis", "tag", "kind", "status", "year"]
BAD_INPUT = [
    "/initiatives/no-such-initiative/",
    "/initiatives/?year=abc",
    "/initiatives/?page=0",
    "/initiatives/?page=999999",
    "/initiatives/?country=zz",
    "/initiatives/?q=%00%01",
    "/initiatives/?q=" + "long" * 100,
    "/initiatives/?sort=title&sort=oldest",
    "/initiatives/?q=a&q=b",
    "/initiatives/?unknown=1",
    "/initiatives/?country=%3Cscript%3E",
    "/initiatives/?" + "&".join(f"country=c{n}" for n in range(30)),
    "/countries/ZZ/",
    "/countries/xx/",
    "/sectors/no-such-sector/",
    "/initiatives/export.xml",
    "/initiatives/feed/?year=-1",
    "/%ff%fe/",
]
# Every request in this many gets a parameter the site ignores: a URL the page cache has not
# seen, so that pages are rendered under load and not only served from the cache.
FRESH_EVERY = 3
SCRIPT = """
local paths = %(paths)s
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
local counter = 0
statuses = {}  -- a global, for thread:get in done()
function init(args)
  counter = id * 7919
end
function request()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  if counter %% %(fresh)d == 0 and not string.find(path, "export", 1, true) then
    local separator = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. separator .. "lt=" .. id .. "-" .. counter
  end
  return wrk.format("GET", path)
end
function response(status, headers, body)
  local class = tostring(math.floor(status / 100)) .. "xx"
  statuses[class] = (statuses[class] or 0) + 1
end
function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for class, count in pairs(thread:get("statuses")) do
      totals[class] = (totals[class] or 0) + count
    end
  end
  local out = io.open("%(out)s", "w")
  for class, count in pairs(totals) do out:write(class, " ", count, "\\n") end
  out:close()
end
"""


def query(**params):
    pairs = [(name, value) for name in ORDER for value in sorted(params.get(name, []))]
    pairs += [(name, params[name]) for name in ("q", "sort", "page") if name in params]
    return "/initiatives/?" + urllib.parse.urlencode(pairs)


def rename_some(initiatives, count):
    """Rename `count` published initiatives; their old URLs must redirect."""
    old = []
    for initiative in initiatives.order_by("pk")[:count]:
        initiative.save()  # its history now knows the current slug
        old.append(initiative.get_absolute_url())
        initiative.slug = initiative.slug[:40] + "-renamed"
        initiative.save()
    return old


def plan_urls():
    """URLs drawn from the data, reproducibly."""
    from initiatives.models import Crisis, Initiative, Sector
    from networks.models import Country, Facilitator, Network

    published = Initiative.objects.published()
    rng = random.Random(1)
    values = {
        "country": [c.lower() for c in Country.objects.filter(initiatives__in=published)
                    .distinct().values_list("code", flat=True)],
        "sector": list(Sector.objects.values_list("slug", flat=True)),
        "network": list(Network.objects.values_list("slug", flat=True)),
        "facilitator": list(Facilitator.objects.values_list("slug", flat=True)[:300]),
        "crisis": list(Crisis.objects.values_list("slug", flat=True)),
        "tag": list(published.values_list("tags__slug", flat=True).distinct()[:500]),
        "kind": list(Initiative.Kind.values),
        "status": ["ongoing", "completed"],
        "year": [str(year) for year in range(2015, 2026)],
    }  # fmt: skip
    values = {name: [value for value in options if value] for name, options in values.items()}
    words = [word for title in published.values_list("title", flat=True)[:200]
             for word in title.split() if word.isalpha() and len(word) > 4]  # fmt: skip
    lists = []
    for _number in range(200):
        params = {name: [rng.choice(values[name])] for name in rng.sample(ORDER, rng.randint(1, 3))}
        if rng.random() < 0.3:
            params["q"] = rng.choice(words)
        if rng.random() < 0.2:
            params["sort"] = rng.choice(["oldest", "title"])
        if rng.random() < 0.2:
            params["page"] = str(rng.randint(2, 4))
        lists.append(query(**params))
    slugs = list(published.order_by("?").values_list("slug", flat=True)[:150])
    countries = rng.sample(values["country"], 20)
    small = sorted(
        values["country"], key=lambda code: published.in_countries([code.upper()]).count()
    )[:10]
    urls = {
        "home and indexes": ["/", "/initiatives/", "/countries/", "/sectors/", "/networks/",
                             "/facilitators/", "/fr/", "/robots.txt"],
        "filtered lists": lists,
        "details": [f"/initiatives/{slug}/" for slug in slugs],
        "country, sector and network pages": [f"/countries/{code}/" for code in countries]
        + [f"/sectors/{slug}/" for slug in values["sector"][:10]]
        + [f"/networks/{slug}/" for slug in values["network"][:5]]
        + [f"/facilitators/{slug}/" for slug in values["facilitator"][:10]],
        "search": [query(q=rng.choice(words)) for _number in range(30)],
        "feeds": ["/initiatives/feed/"]
        + [query(**{"sector": [slug]}).replace("/?", "/feed/?") for slug in values["sector"][:9]],
        "exports": [query(country=[code]).replace("/?", f"/export.{kind}?")
                    for code in small for kind in ("csv", "json")],
        "old slugs": rename_some(
            published.filter(slug__startswith="demo-").exclude(slug__endswith="-renamed"), 20
        ),
        "bad input": BAD_INPUT,
    }  # fmt: skip
    return urls


def check_old_slugs_and_bad_input(server, urls):
    """Each old slug redirects; no bad input gets a 5xx."""
    failures = []
    for path in urls["old slugs"]:
        response = server.request(path)
        if response.status != 301 or "-renamed/" not in response.getheader("Location", ""):
            failures.append(f"{path}: HTTP {response.status}, not a redirect to the new slug")
    for path in urls["bad input"]:
        if (status := server.request(path).status) >= 500:
            failures.append(f"{path}: HTTP {status}")
    return failures


def check_static_files(server):
    """WhiteNoise: hashed names, cached for a year, compressed."""
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    path = "/static/" + manifest["paths"]["css/site.css"]
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    response.read()
    connection.close()
    failures = []
    if "max-age=315360000" not in response.getheader("Cache-Control", ""):
        failures.append(f"{path}: Cache-Control {response.getheader('Cache-Control')}")
    if response.getheader("Content-Encoding") != "gzip":
        failures.append(f"{path}: not compressed")
    return failures


def main():
    if not Path(wrk.WRK).exists():
        sys.exit("make loadtest needs wrk (apt-get install wrk).")
    env = production_env(
        database_url(DATABASE),
        CACHE_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
    )
    say(f"Load test: {INITIATIVES} initiatives in {DATABASE}")
    if os.environ.get("LOADTEST_REUSE") != "1":  # 1: keep the database of the last run
        recreate_database(DATABASE)
        say(f"Seeded in {seed(env, INITIATIVES):.0f} s")
    manage(env, "collectstatic", "--no-input")
    os.environ.update(env)
    django.setup()
    from django.core.cache import cache

    cache.clear()
    urls = plan_urls()
    paths = [path for group in urls.values() for path in group]
    random.Random(2).shuffle(paths)  # slow pages spread out, not one after another
    say(", ".join(f"{len(group)} {name}" for name, group in urls.items()))

    LOGS.mkdir(exist_ok=True)
    log = LOGS / "loadtest-gunicorn.log"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder, "statuses.txt")
        script = SCRIPT % {"paths": "{" + ", ".join(map(json.dumps, paths)) + "}",
                           "fresh": FRESH_EVERY, "out": out}  # fmt: skip
        with Gunicorn(env, log, workers=WORKERS) as server:
            say(f"wrk: {DURATION_S} s, {CONNECTIONS} connections, {WORKERS} gunicorn workers")
            result = wrk.run(
                server.url + "/",
                DURATION_S,
                connections=CONNECTIONS,
                script=script,
                timeout=CLIENT_TIMEOUT,
            )
            failures = check_old_slugs_and_bad_input(server, urls)
            failures += check_static_files(server)
        statuses = dict(line.split() for line in out.read_text().splitlines())
        text = log.read_text()
        timeouts = text.count("WORKER TIMEOUT")
    server_errors = int(statuses.get("5xx", 0))
    say(
        f"{result.requests} requests in {DURATION_S} s ({result.rps:.0f}/s), p50 "
        f"{result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms; by class: "
        + ", ".join(f"{name} {count}" for name, count in sorted(statuses.items()))
        + f"; connection errors {result.socket_errors}; worker timeouts {timeouts}"
    )
    if server_errors:
        failures.append(f"{server_errors} responses were 5xx")
    if result.socket_errors:
        failures.append(f"{result.socket_errors} connection errors or timeouts")
    if timeouts:
        failures.append(f"{timeouts} gunicorn worker timeouts")
    if failures:
        sys.exit(f"Load test FAILED (gunicorn's log: {log}):\n" + "\n".join(failures))
    say("Load test passed")


if __name__ == "__main__":
    main()
