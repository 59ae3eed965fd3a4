from django.core.management.base import BaseCommand

from initiatives.api import dumps


class Command(BaseCommand):
    help = (
        "Write the whole published directory to DUMP_DIR as directory.json and initiatives.csv "
        "(served at /api/v1/dump.json and dump.csv); a file whose content is the same is left "
        "as it was. Run it on a schedule (docs/api.md)."
    )

    def handle(self, **options):
        changed = dumps.build()
        for format, was_changed in changed.items():
            state = "rewritten" if was_changed else "unchanged"
            self.stdout.write(f"{dumps.path_of(format)}: {state}")
