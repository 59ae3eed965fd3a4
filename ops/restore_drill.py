"""`make restore-drill`: back up a PostgreSQL database of a few thousand initiatives with
pg_dump, restore it into a scratch database with pg_restore, and check that nothing differs:
the row count of every table, the content tables row by row, and a few filtered pages."""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import say
from ops.common import (
    CONTENT_TABLES,
    connection_args,
    database_url,
    drop_database,
    fetch_pages,
    production_env,
    psql,
    recreate_database,
    seed,
)

INITIATIVES = 3000
SOURCE, RESTORED = "probono_drill_source", "probono_drill_restored"


def row_counts(database):
    tables = [
        row[0]
        for row in psql(
            database,
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        )
    ]
    union = " UNION ALL ".join(f"SELECT '{table}', count(*) FROM {table}" for table in tables)
    return {table: int(count) for table, count in psql(database, union)}


def checksums(database):
    """An md5 of each content table, rows in primary-key order."""
    return {
        table: psql(
            database,
            f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t",
        )[0][0]
        for table in CONTENT_TABLES
    }


def filtered_pages(database):
    """Paths of a few filtered pages, drawn from the data: the busiest country, sector, tag."""
    country = psql(
        database,
        "SELECT lower(country_id) FROM initiatives_initiative_countries "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    )[0][0]
    sector, tag = psql(
        database,
        "SELECT (SELECT s.slug FROM initiatives_sector s JOIN initiatives_initiative_sectors i"
        " ON i.sector_id = s.id GROUP BY s.slug ORDER BY count(*) DESC, s.slug LIMIT 1),"
        " (SELECT t.slug FROM taggit_tag t JOIN initiatives_taggedinitiative i ON i.tag_id = t.id"
        " GROUP BY t.slug ORDER BY count(*) DESC, t.slug LIMIT 1)",
    )[0]
    return [
        f"/initiatives/?country={country}",
        f"/initiatives/?country={country}&sector={sector}&page=2",
        f"/initiatives/?tag={tag}&status=ongoing&sort=title",
        "/initiatives/?year=2021&q=network",
        f"/initiatives/export.json?sector={sector}",
        f"/countries/{country}/",
    ]


def main():
    say(f"Restore drill: {INITIATIVES} initiatives in {SOURCE}")
    recreate_database(SOURCE)
    source_env = production_env(database_url(SOURCE))
    say(
        f"Seeded in {seed(source_env, INITIATIVES):.0f} s; pg_dump, then pg_restore into {RESTORED}"
    )
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        backup = Path(folder, "probono.dump")
        started = time.monotonic()
        subprocess.run(
            ["pg_dump", *connection_args(), "--format=custom", f"--file={backup}", SOURCE],
            check=True,
        )
        dump_s = time.monotonic() - started
        recreate_database(RESTORED)
        started = time.monotonic()
        subprocess.run(
            ["pg_restore", *connection_args(), "--exit-on-error", "--no-owner",
             f"--dbname={RESTORED}", str(backup)],
            check=True,
        )  # fmt: skip
        restore_s = time.monotonic() - started
        size_mib = backup.stat().st_size / 2**20

    counts = row_counts(SOURCE)
    if (restored_counts := row_counts(RESTORED)) != counts:
        failures.append(f"row counts differ: {counts} != {restored_counts}")
    if checksums(RESTORED) != checksums(SOURCE):
        failures.append("the content tables differ row by row")
    paths = filtered_pages(SOURCE)
    pages = fetch_pages(source_env, paths)
    restored_pages = fetch_pages(production_env(database_url(RESTORED)), paths)
    for path in paths:
        status, body = pages[path]
        if status != 200:
            failures.append(f"{path}: HTTP {status} on the source database")
        elif restored_pages[path] != [status, body]:
            failures.append(f"{path}: not the same page on the restored database")

    published = counts["initiatives_initiative"]
    say(
        f"pg_dump {dump_s:.1f} s ({size_mib:.1f} MiB), pg_restore {restore_s:.1f} s; "
        f"{len(counts)} tables, {sum(counts.values())} rows ({published} initiatives), "
        f"{len(paths)} filtered pages compared"
    )
    if failures:
        sys.exit("Restore drill FAILED:\n" + "\n".join(failures))
    for database in (SOURCE, RESTORED):
        drop_database(database)
    say(f"Restore drill passed: backup and restore took {dump_s + restore_s:.1f} s")


if __name__ == "__main__":
    main()
