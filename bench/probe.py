"""In-process look at one benchmark database: which URLs to drive, and what each page costs
in SQL queries and server time. Run by bench.run as `python -m bench.probe`, in the server's
environment but with a cache of its own; prints JSON.
"""

import collections
import json
import math
import os
import re
import sys
import time
from urllib.parse import urlencode

WORD = re.compile(r"[a-z]{5,}")
# Documents sampled to find a common and a rare word; every non-demo document is read too.
WORD_SAMPLE = 5000


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client()
    client.get("/bench/plaintext/")  # opens the database connection
    pages = [dict(zip(("key", "name", "kind", "path"), page, strict=True)) for page in pick_pages()]
    queries = [measure(client, page) for page in pages]
    json.dump({"pages": pages, "queries": queries}, sys.stdout)


def pick_pages():
    """(key, name, kind, path) of the pages to drive, chosen from the data."""
    from django.db.models import Count, Q
    from django.db.models.functions import Mod

    from initiatives.finder import PAGE_SIZE
    from initiatives.models import Initiative, TaggedInitiative
    from initiatives.views import sectors_with_counts

    published = Initiative.objects.published()
    countries = (
        Initiative.countries.through.objects.filter(initiative__status="published")
        .values_list("country", flat=True)
        .annotate(n=Count("*"))
        .order_by("-n", "country")
    )
    big, tiny = countries.first().lower(), countries.last().lower()
    sector = min(sectors_with_counts(), key=lambda s: (-s.initiative_count, s.slug)).slug
    tag = (
        TaggedInitiative.objects.filter(content_object__status="published")
        .values_list("tag__slug", flat=True)
        .annotate(n=Count("*"))
        .order_by("-n", "tag__slug")[0]
    )
    kind = published.values_list("kind", flat=True).annotate(n=Count("*")).order_by("-n", "kind")[0]
    total = published.count()
    step = max(1, total // WORD_SAMPLE)
    documents = (
        published.alias(bucket=Mod("pk", step))
        .filter(Q(bucket=0) | ~Q(slug__startswith="demo-"))
        .values_list("search_document", flat=True)
    )
    frequency = collections.Counter()
    for document in documents:
        frequency.update(set(WORD.findall(document)))
    by_frequency = sorted(frequency, key=lambda word: (-frequency[word], word))
    common, rare = by_frequency[0], by_frequency[-1]
    detail = (
        published.annotate(n=Count("tags")).order_by("-n", "pk").values_list("slug", flat=True)[0]
    )

    def finder(**params):
        return "/initiatives/?" + urlencode(params)

    return [
        ("list", "Unfiltered list", "list", "/initiatives/"),
        ("country-big", f"Largest country ({big})", "list", finder(country=big)),
        ("country-tiny", f"Tiny country ({tiny})", "list", finder(country=tiny)),
        ("sector", f"One sector ({sector})", "list", finder(sector=sector)),
        ("tag-sector", "Tag + sector", "list-filters", finder(sector=sector, tag=tag)),
        ("q-common", f"Common word ({common})", "list", finder(q=common)),
        ("q-rare", f"Rare word ({rare})", "list", finder(q=rare)),
        (
            "three-filters-q",
            "Three filters + q",
            "list-filters",
            finder(country=big, sector=sector, kind=kind, q=common),
        ),
        ("last-page", "Last page", "list", finder(page=math.ceil(total / PAGE_SIZE))),
        ("country-page", f"Country page ({big})", "scoped", f"/countries/{big}/"),
        ("sector-page", "Sector page", "scoped", f"/sectors/{sector}/"),
        ("detail", "Detail, most tags", "detail", f"/initiatives/{detail}/"),
        ("api-list", "API: initiatives list", "list", "/api/v1/initiatives/"),
        ("404", "404 page", "404", "/initiatives/no-such-initiative/"),
    ]


def measure(client, page):
    """Queries and server time with every cache cleared, then fresh (a URL the page cache has
    never seen, other caches warm), then again (served from the page cache, if any).
    A page the finder redirects to its canonical URL is measured there, and `page` updated."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _attempt in range(2):
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            started = time.perf_counter()
            response = client.get(page["path"])
            cold_ms = (time.perf_counter() - started) * 1000
        if response.status_code != 301:
            break
        page["path"] = response["Location"]
    page["status"] = response.status_code
    path = page["path"]
    fresh = path + ("&" if "?" in path else "?") + "bench=probe-"
    with CaptureQueriesContext(connection) as warm:
        started = time.perf_counter()
        client.get(fresh + "1")
        fresh_ms = (time.perf_counter() - started) * 1000
    with CaptureQueriesContext(connection) as cached:
        client.get(fresh + "1")
    return {
        "key": page["key"],
        "cold": len(cold),
        "fresh": len(warm),
        "cached": len(cached),
        "cold_ms": cold_ms,
        "fresh_ms": fresh_ms,
    }


if __name__ == "__main__":
    main()
