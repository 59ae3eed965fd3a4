#!/bin/sh
# PostgreSQL's archive_command (docs/backups.md), as production and `make restore-drill` run it:
#   archive_command = '/path/to/ops/archive_wal.sh /var/backups/probono/wal %p %f'
# Stores one WAL file gzip-compressed in the archive folder, under its name plus .gz, written
# aside and renamed once on disk so that a crash never leaves half a file under the real name.
# Any failure exits non-zero, and PostgreSQL keeps the file and tries again.
set -eu
archive=$1 path=$2 name=$3
target="$archive/$name.gz"
if [ -e "$target" ]; then
    # Archived before a crash and offered again: a success only if it is the same WAL.
    gzip -dc "$target" | cmp -s - "$path"
    exit
fi
gzip -1 -c "$path" >"$target.part"
sync "$target.part"
mv "$target.part" "$target"
