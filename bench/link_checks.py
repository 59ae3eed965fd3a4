"""`python -m bench.link_checks`: the link checker's throughput against local sites.

Sources spread over many hosts (127.0.0.2 onwards, the local sites of tests/local_sites.py), in
a throwaway SQLite database, checked by the real checker with its real rule of one request a
second per host. By default each source already has its archived copy (the steady state: the
links only); `--first-pass` leaves them without, so that each source is also looked up in the
(local) Wayback Machine, one host asked once a second.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--first-pass", action="store_true")
    parser.add_argument("--max-seconds", type=float)
    args = parser.parse_args()

    from tests import local_sites

    sites, stop = local_sites.start(args.hosts)
    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ.update(
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="false",
        SECRET_KEY="benchmark-only",
        LINK_CHECK_CONTACT="bench@example.org",
        LINK_CHECK_CANARY_URL=sites.canary,
        WAYBACK_AVAILABILITY_URL=f"{sites.wayback}/wayback/available",
        WAYBACK_SAVE_URL=f"{sites.wayback}/save",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from initiatives.link_checks import check_sources
    from initiatives.models import Initiative, Source

    call_command("migrate", verbosity=0)
    initiative = Initiative.objects.create(title="Benchmark", slug="benchmark")
    copy = "" if args.first_pass else "https://web.archive.org/web/2025/page"
    looked_up = None if args.first_pass else timezone.now()
    Source.objects.bulk_create(
        Source(
            initiative=initiative,
            url=sites.url(number % args.hosts, f"/live?source={number}"),
            accessed_on="2026-12-01",
            order=number,
            archive_url=copy,
            archive_checked_at=looked_up,
        )
        for number in range(args.sources)
    )
    started = time.monotonic()
    counts = check_sources(max_seconds=args.max_seconds, progress=print, progress_every=10)
    elapsed = time.monotonic() - started
    stop()
    checks = sorted(hit.at for base in sites.hosts for hit in sites.requests_to(base))
    lookups = sites.requests_to(sites.wayback)
    span = checks[-1] - checks[0] if len(checks) > 1 else 0.0
    print(
        f"{counts['checked']} links over {args.hosts} hosts: their requests spanned {span:.1f} s, "
        f"{len(checks) / span if span else 0:.1f} links/s; the run took {elapsed:.1f} s, with "
        f"{len(lookups)} archive lookups."
    )


if __name__ == "__main__":
    main()
