"""`python -m bench.editor`: the editor of the benchmark's edit storm, in a process of its own.

It saves a published initiative every `--every` seconds for `--duration` seconds, through the
models as the admin does (each save in one transaction, published on commit), changing its
title, a tag or a country in turn; after `--unpublish-after` seconds it unpublishes `--slug`
instead. It prints one JSON line per write, with the time its transaction committed.
"""

import argparse
import json
import os
import random
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=float, default=5)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--unpublish-after", type=float, default=None)
    parser.add_argument("--slug", default="")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
    import django

    django.setup()
    from django.db import transaction

    from initiatives.models import Initiative

    rng = random.Random(1)
    published = list(
        Initiative.objects.published()
        .exclude(slug=options.slug)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    started = time.monotonic()
    unpublish_at = options.unpublish_after
    for slot in range(int(options.duration // options.every)):
        time.sleep(max(0, started + slot * options.every - time.monotonic()))
        with transaction.atomic():
            if unpublish_at is not None and slot == int(unpublish_at // options.every):
                initiative = Initiative.objects.get(slug=options.slug)
                initiative.status = Initiative.Status.DRAFT
                initiative.save()
                what = {"unpublished": options.slug}
            else:
                edit(Initiative.objects.get(pk=rng.choice(published)), slot, rng)
                what = {"edited": slot}
        report(**what)


def edit(initiative, number, rng):
    """A title, a tag or a country: what editors change most."""
    change = number % 3
    if change == 0:
        initiative.title_en = f"{initiative.title_en.rstrip(' ·')} ·"
        initiative.save()
    elif change == 1:
        initiative.save()
        initiative.tags.add(f"storm-{rng.randrange(5)}")
    else:
        initiative.save()
        initiative.countries.add(rng.choice(["DE", "PT", "KE", "IN"]))


def report(**what):
    print(json.dumps({**what, "committed_at": time.time()}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
