from django.core.management.base import BaseCommand

from initiatives import changes


class Command(BaseCommand):
    help = (
        "Rebuild the finder's facet index from the database and make every cached page and "
        "count stale, as after a removal: for changes made to the database by hand."
    )

    def handle(self, *args, **options):
        # Outside a transaction: published at once.
        changes.everything_changed()
        self.stdout.write("Facet index rebuilt; cached pages and counts will be worked out again.")
