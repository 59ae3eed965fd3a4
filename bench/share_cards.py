"""How long a share card takes to draw, and to serve once drawn:
`DEBUG=false .venv/bin/python -m bench.share_cards`.

Reads the database the settings name (the seed content after `make run`), through Django's test
client with the whole middleware stack, caches in local memory. Columns: Pillow's drawing alone,
a request with every cache cleared (counts, the card, the page cache), a request served from the
cache (median of 200), the PNG's size.
"""

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from initiatives import share_cards  # noqa: E402
from initiatives.models import Initiative  # noqa: E402

ROUNDS = 20
initiative = Initiative.objects.published().order_by("-pk").first()
CARDS = [
    "/card.png",
    "/initiatives/card.png",
    "/countries/be/card.png",
    "/fr/countries/be/card.png",
    f"/initiatives/{initiative.slug}/card.png" if initiative else "/sectors/card.png",
]


def milliseconds(fetch, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fetch()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def timed_drawing(spent):
    draw = share_cards.draw

    def timed(card, request):
        start = time.perf_counter()
        drawn = draw(card, request)
        spent.append((time.perf_counter() - start) * 1000)
        return drawn

    return timed


def main():
    client = Client()
    print(f"{'card':<42} {'draw ms':>8} {'cold ms':>8} {'cached ms':>9} {'bytes':>7}")
    for address in CARDS:
        spent = []
        share_cards.draw = timed_drawing(spent)

        def drawn(address=address):
            cache.clear()  # every cache: the card, the page cache, the counts
            assert client.get(address, secure=True).status_code == 200

        cold = milliseconds(drawn, ROUNDS)
        size = len(client.get(address, secure=True).content)
        cached = milliseconds(lambda address=address: client.get(address, secure=True), ROUNDS * 10)
        drawing = statistics.median(spent)
        print(f"{address[:42]:<42} {drawing:>8.1f} {cold:>8.1f} {cached:>9.2f} {size:>7}")


if __name__ == "__main__":
    main()
