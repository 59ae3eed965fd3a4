from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from initiatives.leases import LeaseHeld, LeaseLost
from initiatives.link_checks import check_sources


class Command(BaseCommand):
    help = (
        "Check the sources' links politely, look up their archived copies and ask the Wayback "
        "Machine to capture published ones (docs/sources.md). Meant to run every hour; a run "
        "started while another one runs does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="check at most this many links")
        parser.add_argument(
            "--max-seconds", type=float, help="start no task after this many seconds"
        )
        parser.add_argument(
            "--captures",
            type=int,
            default=50,
            help="ask for at most this many captures (default 50)",
        )
        parser.add_argument(
            "--progress-every",
            type=float,
            default=30.0,
            help="seconds between progress lines (default 30)",
        )

    def handle(self, *args, limit, max_seconds, captures, progress_every, **options):
        if not settings.LINK_CHECK_CONTACT:
            raise CommandError(
                "Set LINK_CHECK_CONTACT (an address or a page where sites can reach you): "
                "the checker names it to every site it asks."
            )
        for name, value in (("--limit", limit), ("--max-seconds", max_seconds)):
            if value is not None and value <= 0:
                raise CommandError(f"{name} must be above zero.")
        if captures < 0:
            raise CommandError("--captures cannot be negative.")
        try:
            check_sources(
                limit=limit,
                max_seconds=max_seconds,
                captures=captures,
                progress=self.stdout.write,
                progress_every=progress_every,
            )
        except LeaseHeld as held:
            self.stdout.write(f"Another run is under way: {held} Nothing done.")
        except LeaseLost:
            # This run stalled past its lease and another one took over: it stops at once.
            raise CommandError(
                "Another run took over while this one stalled; it stopped here. What it "
                "checked is stored."
            ) from None
