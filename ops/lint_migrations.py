"""`make lint-migrations`: django-migration-linter over the project's own migrations.

It fails on a migration that old code still running during a deploy could not live with
(a new NOT NULL column without a database default, a dropped or renamed column...) and on a
data migration that cannot be reversed. Initial migrations are not linted.
"""

import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
# Written before the first release, when no older code served the database, or as said:
# accepted as they are.
ACCEPTED = {
    "0002_add_search_fields": "initiatives: the search columns, before the first release",
    "0007_add_translations": "initiatives: the French columns, before the first release",
    "0004_add_translations": "networks: the French columns, before the first release",
}


def project_apps():
    from django.apps import apps

    return [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
        and not Path(config.path).is_relative_to(sys.prefix)
        and (Path(config.path) / "migrations").is_dir()
    ]


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
    django.setup()
    from django_migration_linter import MigrationLinter

    linter = MigrationLinter(
        include_apps=project_apps(),
        ignore_name=list(ACCEPTED),
        ignore_initial_migrations=True,
        warnings_as_errors_tests=["RUNPYTHON_REVERSIBLE", "RUNSQL_REVERSIBLE"],
        no_cache=True,
    )
    linter.lint_all_migrations()
    linter.print_summary()
    sys.exit(1 if linter.has_errors else 0)


if __name__ == "__main__":
    main()
