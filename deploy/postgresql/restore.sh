#!/usr/bin/env bash
# restore.sh BACKUPDIR URL NEWDATADIR — restore a backup.sh backup into the
# EMPTY PostgreSQL database at URL (a fresh cluster or a new database) and a
# new data directory pointing at it, then prove it: the checksums match, the
# bitácora chain verifies (prep log verify) and prep status reads it. PREP
# is the prep binary (default: prep on PATH). Exits non-zero on any doubt.
set -euo pipefail
bk=${1:?usage: restore.sh BACKUPDIR URL NEWDATADIR}
url=${2:?usage: restore.sh BACKUPDIR URL NEWDATADIR}
data=${3:?usage: restore.sh BACKUPDIR URL NEWDATADIR}
PREP=${PREP:-prep}
(cd "$bk" && sha256sum --quiet -c SHA256SUMS) || { echo "restore: checksums do not match" >&2; exit 1; }
[ ! -e "$data" ] || { echo "restore: $data already exists" >&2; exit 1; }
tables=$(psql "$url" -qAtc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
[ "$tables" = 0 ] || { echo "restore: the database at the URL is not empty" >&2; exit 1; }
pg_restore --exit-on-error --no-owner --no-privileges --single-transaction -d "$url" "$bk/prep.dump"
mkdir -p "$data"
chmod 0750 "$data"
tar -C "$data" -xzf "$bk/datadir.tar.gz"
(umask 077 && printf '%s\n' "$url" > "$data/store.url")
"$PREP" log verify --data "$data"
"$PREP" status --data "$data"
echo "restore: $data ready on the restored database"
