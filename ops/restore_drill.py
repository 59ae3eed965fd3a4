"""`make restore-drill`: the backup plan of docs/backups.md, run end to end on a PostgreSQL
cluster of its own (a free port, a temporary folder).

The primary archives its WAL (archive_command into an archive folder, archive_timeout short for
the drill) and holds a few thousand initiatives. After a base backup (pg_basebackup) an editor's
day is written through the ORM, the time is noted, pg_dump takes a logical backup, then a mistake
deletes every initiative that started before 2005. Writes go on until the primary is killed
(immediate stop) and its data folder thrown away.

1. Point in time: the base backup plus the archive, replayed to just before the mistake
   (recovery_target_time). The editor's day must be there and the mistake not; the database must
   be row for row, and page for page, the pg_dump taken at that time restored by pg_restore.
   The time from unpacking the base backup to a server accepting writes is the measured RTO.
2. Latest: the same base backup replayed to the end of the archive. Every write committed more
   than archive_timeout before the kill must be there: the data lost, measured, is the RPO.
A recovery that stops short of its target (WAL missing from the archive) fails the drill."""

import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg

from bench.run import say
from ops.common import (
    CONTENT_TABLES,
    ROOT,
    Cluster,
    as_postgres,
    conclude,
    connection_args,
    database_url,
    fetch_pages,
    owned_by_postgres,
    production_env,
    psql,
    recreate_database,
    seed,
)

INITIATIVES = 3000
DATABASE, DUMPED = "probono", "probono_from_dump"
ARCHIVE_TIMEOUT_S = 5  # 60 in production (docs/backups.md)
HEARTBEAT_S, HEARTBEATS_FOR_S = 0.25, 3 * ARCHIVE_TIMEOUT_S
# The archiver's own delay after a segment switch: gzip and fsync of 16 MiB, on a busy machine.
ARCHIVER_SLACK_S = 2
RECOVERY_TIMEOUT_S = 300


def row_counts(database, port):
    tables = [
        row[0]
        for row in psql(
            database,
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
            port,
        )
    ]
    union = " UNION ALL ".join(f"SELECT '{table}', count(*) FROM {table}" for table in tables)
    return {table: int(count) for table, count in psql(database, union, port)}


def checksums(database, port):
    """An md5 of each content table, rows in primary-key order."""
    return {
        table: psql(
            database,
            f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t",
            port,
        )[0][0]
        for table in CONTENT_TABLES
    }


def filtered_pages(database, port):
    """Paths of a few filtered pages, drawn from the data: the busiest country, sector, tag."""
    country = psql(
        database,
        "SELECT lower(country_id) FROM initiatives_initiative_countries "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        port,
    )[0][0]
    sector, tag = psql(
        database,
        "SELECT (SELECT s.slug FROM initiatives_sector s JOIN initiatives_initiative_sectors i"
        " ON i.sector_id = s.id GROUP BY s.slug ORDER BY count(*) DESC, s.slug LIMIT 1),"
        " (SELECT t.slug FROM taggit_tag t JOIN initiatives_taggedinitiative i ON i.tag_id = t.id"
        " GROUP BY t.slug ORDER BY count(*) DESC, t.slug LIMIT 1)",
        port,
    )[0]
    return [
        f"/initiatives/?country={country}",
        f"/initiatives/?country={country}&sector={sector}&page=2",
        f"/initiatives/?tag={tag}&status=ongoing&sort=title",
        "/initiatives/?year=2021&q=network",
        f"/initiatives/export.json?sector={sector}",
        f"/countries/{country}/",
    ]


def edit(env, what):
    """ops.drill_edits' writes through the ORM; what they did."""
    output = subprocess.run(
        [sys.executable, "-m", "ops.drill_edits", what],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def clock(port):
    """The database's clock, as recovery_target_time reads it."""
    return psql("postgres", "SELECT clock_timestamp()", port)[0][0]


def heartbeats(port, seconds):
    """A row every HEARTBEAT_S for `seconds`, each committed on its own: the stream of small
    writes whose tail a crash loses. Their times, from the database's clock, just before commit."""
    with psycopg.connect(database_url("heartbeat", port), autocommit=True) as connection:
        beats, until = [], time.monotonic() + seconds
        while time.monotonic() < until:
            beats.append(
                connection.execute(
                    "INSERT INTO beat VALUES (clock_timestamp()) RETURNING at"
                ).fetchone()[0]
            )
            time.sleep(HEARTBEAT_S)
    return beats


def base_backup(primary, folder):
    """pg_basebackup as the nightly job takes it: a compressed tar with the WAL it needs."""
    primary.pg(
        ["pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
         "-D", folder, "--format=tar", "--gzip", "--wal-method=fetch", "--checkpoint=fast"]
    )  # fmt: skip
    return folder / "base.tar.gz"


def restore(folder, name, base, archive, **target):
    """A new cluster from the base backup and the WAL archive, replayed up to the target if one
    is given, else to the end of the archive, then promoted; it and the seconds it took."""
    started = time.monotonic()
    cluster = Cluster(folder, name, new=False)
    cluster.data.mkdir(mode=0o700)
    owned_by_postgres(cluster.data)
    as_postgres(["tar", "-xzf", base, "-C", cluster.data])
    # Archiving off: the restored server must not write its new timeline into the archive that
    # the next restore reads.
    cluster.configure(
        restore_command=f"gzip -dc {archive}/%f.gz > %p",
        recovery_target_action="promote",
        archive_mode="off",
        **target,
    )
    (cluster.data / "recovery.signal").touch()
    owned_by_postgres(cluster.data / "recovery.signal")
    try:
        cluster.start()
        while psql("postgres", "SELECT pg_is_in_recovery()", cluster.port) != [["f"]]:
            if time.monotonic() - started > RECOVERY_TIMEOUT_S:
                raise RuntimeError(f"still recovering after {RECOVERY_TIMEOUT_S} s")
            time.sleep(0.1)
    except subprocess.CalledProcessError as error:
        fatal = [line for line in cluster.log.read_text().splitlines() if "FATAL" in line]
        goal = target.get("recovery_target_time", "the end of the archive")
        raise RuntimeError(f"the restore to {goal} failed: {fatal}") from error
    return cluster, time.monotonic() - started


def slugs(port, among):
    listed = ",".join(among)
    query = f"SELECT slug, title FROM initiatives_initiative WHERE slug = ANY('{{{listed}}}')"
    return dict(psql(DATABASE, query, port))


def check_point_in_time(cluster, day, mistake, dump):
    """What the restore to just before the mistake must hold; the failures."""
    failures = []
    found = slugs(cluster.port, [*day["created"], *day["edited"], *day["deleted"]])
    if missing := [slug for slug in day["created"] if slug not in found]:
        failures.append(f"initiatives created before the target are missing: {missing}")
    if wrong := [slug for slug, title in day["edited"].items() if found.get(slug) != title]:
        failures.append(f"edits made before the target are missing: {wrong}")
    if back := [slug for slug in day["deleted"] if slug in found]:
        failures.append(f"initiatives deleted before the target are back: {back}")
    if lost := len(mistake["deleted"]) - len(slugs(cluster.port, mistake["deleted"])):
        failures.append(f"the mistake is in the restore: {lost} initiatives missing")

    recreate_database(DUMPED, cluster.port)
    subprocess.run(
        ["pg_restore", *connection_args(cluster.port), "--exit-on-error", "--no-owner",
         f"--dbname={DUMPED}", str(dump)],
        check=True,
    )  # fmt: skip
    counts, dumped = row_counts(DATABASE, cluster.port), row_counts(DUMPED, cluster.port)
    if differ := {
        t: (counts.get(t), dumped.get(t)) for t in counts | dumped if counts.get(t) != dumped.get(t)
    }:
        failures.append(f"row counts (restored, dump's) differ: {differ}")
    if checksums(DATABASE, cluster.port) != checksums(DUMPED, cluster.port):
        failures.append("the content tables differ from the dump's row by row")
    paths = filtered_pages(DATABASE, cluster.port)
    pages = fetch_pages(production_env(database_url(DATABASE, cluster.port)), paths)
    dumped_pages = fetch_pages(production_env(database_url(DUMPED, cluster.port)), paths)
    for path in paths:
        status, body = pages[path]
        if status != 200:
            failures.append(f"{path}: HTTP {status} on the restored database")
        elif dumped_pages[path] != [status, body]:
            failures.append(f"{path}: not the same page as on the dump")
    say(
        f"Point in time: {counts['initiatives_initiative']} initiatives, "
        f"{sum(counts.values())} rows in {len(counts)} tables and {len(paths)} filtered pages "
        "the same as pg_dump's at the target"
    )
    return failures


def check_latest(cluster, mistake, beats, killed_at):
    """What the restore to the end of the archive must hold; the failures and the data lost."""
    failures = []
    if left := slugs(cluster.port, mistake["deleted"]):
        failures.append(f"the archive ends before the mistake: {len(left)} initiatives left")
    recovered = {
        datetime.fromisoformat(at)
        for (at,) in psql("heartbeat", "SELECT at FROM beat ORDER BY at", cluster.port)
    }
    bound = timedelta(seconds=ARCHIVE_TIMEOUT_S + ARCHIVER_SLACK_S)
    if lost := [at for at in beats if at not in recovered and killed_at - at > bound]:
        failures.append(
            f"{len(lost)} writes committed more than {bound.seconds} s before the kill lost"
        )
    last = max(recovered, default=beats[0])
    return failures, (killed_at - last).total_seconds(), len(beats) - len(recovered)


def drill(folder):
    archive = folder / "archive"
    archive.mkdir()
    owned_by_postgres(archive)
    # Where production installs it: outside a checkout the postgres user may not read.
    archiver = shutil.copy(ROOT / "ops" / "archive_wal.sh", folder)
    primary = Cluster(folder, "primary")
    primary.configure(
        archive_mode="on",
        archive_command=f"{archiver} {archive} %p %f",
        archive_timeout=ARCHIVE_TIMEOUT_S,
    )
    primary.start()
    say(f"Restore drill: a PostgreSQL cluster of its own on port {primary.port}, WAL archived")
    recreate_database(DATABASE, primary.port)
    recreate_database("heartbeat", primary.port)
    psql("heartbeat", "CREATE TABLE beat (at timestamptz PRIMARY KEY)", primary.port)
    env = production_env(database_url(DATABASE, primary.port))
    say(f"Seeded {INITIATIVES} initiatives in {seed(env, INITIATIVES):.0f} s")

    started = time.monotonic()
    base = base_backup(primary, folder / "base")
    say(
        f"Base backup in {time.monotonic() - started:.1f} s ({base.stat().st_size / 2**20:.1f} MiB)"
    )
    day = edit(env, "day")
    target = clock(primary.port)
    dump = folder / "probono.dump"
    subprocess.run(
        ["pg_dump", *connection_args(primary.port), "--format=custom", f"--file={dump}", DATABASE],
        check=True,
    )
    mistake = edit(env, "mistake")
    beats = heartbeats(primary.port, HEARTBEATS_FOR_S)
    # What monitoring watches (docs/backups.md): segments archived, attempts that failed.
    archived, failed = psql(
        "postgres", "SELECT archived_count, failed_count FROM pg_stat_archiver", primary.port
    )[0]
    killed_at = datetime.fromisoformat(clock(primary.port))
    primary.stop("immediate")
    shutil.rmtree(primary.data)
    size_mib = sum(wal.stat().st_size for wal in archive.iterdir()) / 2**20
    stats = f"pg_stat_archiver: {archived} WAL files archived ({size_mib:.1f} MiB), {failed} failed"
    say(
        f"{len(day['created'])} initiatives created, {len(day['edited'])} retitled, "
        f"{len(day['deleted'])} deleted; target {target}; then the mistake deleted "
        f"{len(mistake['deleted'])}; {len(beats)} writes until the primary was killed; {stats}"
    )

    recovered, rto_s = restore(folder, "point-in-time", base, archive, recovery_target_time=target)
    say(f"Restored to {target} in {rto_s:.1f} s (base backup unpacked, WAL replayed, promoted)")
    failures = check_point_in_time(recovered, day, mistake, dump)
    recovered.stop()

    latest, latest_s = restore(folder, "latest", base, archive)
    latest_failures, lost_s, lost = check_latest(latest, mistake, beats, killed_at)
    latest.stop()
    say(
        f"Restored to the end of the archive in {latest_s:.1f} s: the mistake is there, and "
        f"all but the last {lost} of {len(beats)} writes; data lost {lost_s:.1f} s "
        f"(archive_timeout {ARCHIVE_TIMEOUT_S} s)"
    )
    if failed != "0":
        failures.append(f"archive_command failed {failed} times (see primary.log)")
    return failures + latest_failures, rto_s, lost_s


def main():
    folder = Path(tempfile.mkdtemp(prefix="probono-restore-drill-"))
    started = time.monotonic()
    failures = []
    try:
        failures, rto_s, lost_s = drill(folder)
    except (subprocess.CalledProcessError, RuntimeError) as error:
        output = getattr(error, "stderr", "") or ""
        failures = [f"{error}\n{output}".strip()]
    finally:
        for data in folder.glob("*/PG_VERSION"):
            with contextlib.suppress(subprocess.CalledProcessError):
                Cluster(folder, data.parent.name, new=False).stop("immediate")
    conclude(
        "Restore drill",
        folder,
        failures,
        passed=f"Restore drill passed in {time.monotonic() - started:.0f} s: point-in-time "
        f"restore {rto_s:.1f} s, data lost at a crash {lost_s:.1f} s",
    )


if __name__ == "__main__":
    main()
