#!/usr/bin/env bash
# backup.sh DATADIR OUTDIR — online backup of a PREP installation on
# PostgreSQL: a consistent pg_dump (custom format) of its database, taken
# while prep serve keeps running, plus the data directory's own files
# (signing keys, images, cortes, store.url), with a SHA256SUMS of both.
# OUTDIR must not exist. Restore with restore.sh. Run as a user that can
# read DATADIR (keys/ is 0700).
set -euo pipefail
data=${1:?usage: backup.sh DATADIR OUTDIR}
out=${2:?usage: backup.sh DATADIR OUTDIR}
[ -f "$data/store.url" ] || { echo "backup: $data has no store.url (not a PostgreSQL data directory)" >&2; exit 1; }
[ ! -e "$out" ] || { echo "backup: $out already exists" >&2; exit 1; }
url=$(head -n1 "$data/store.url")
mkdir -p "$out"
chmod 0700 "$out"
pg_dump --format=custom --no-owner --no-privileges --file="$out/prep.dump" "$url"
# The files: everything but store.url's secret stays readable only by us.
tar -C "$data" -czf "$out/datadir.tar.gz" --exclude=./store.url .
(cd "$out" && sha256sum prep.dump datadir.tar.gz > SHA256SUMS)
echo "backup: $out ($(du -sh "$out" | cut -f1))"
