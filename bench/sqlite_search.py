"""Time a search on SQLite: its matches (for the counts), its first 20 ids ranked, its page.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 DEBUG=false SECRET_KEY=x \
        .venv/bin/python bench/sqlite_search.py "santé mentale" volunteers years

Medians of 7 runs (5 for the page, rendered with every cache cleared) in one process.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from initiatives import search  # noqa: E402
from initiatives.models import Initiative  # noqa: E402
from initiatives.querysets import NEWEST_FIRST  # noqa: E402

# No collectstatic needed.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def median_ms(function, *args, repeat=7):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def fetched(queryset):
    return list(queryset.all())  # a fresh copy: a queryset keeps what it read


def page(client, text):
    cache.clear()
    assert client.get("/initiatives/", {"q": text}).status_code == 200


def main(texts):
    client = Client()
    print(f"{Initiative.objects.published().count()} published initiatives")
    for text in texts:
        matches = search.published_matches(text)
        found = Initiative.objects.published().matching(text)
        ranked = "rank" in found.query.annotations
        ordered = found.order_by("-rank", *NEWEST_FIRST) if ranked else found
        first = ordered.values_list("pk", flat=True)[:20]
        print(
            f"{text!r}: {len(matches)} matches;"
            f" matches {median_ms(search.published_matches, text):.1f} ms;"
            f" first 20 {'ranked' if ranked else 'newest'} {median_ms(fetched, first):.1f} ms;"
            f" page {median_ms(page, client, text, repeat=5):.0f} ms"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
