#!/usr/bin/env bash
# setup-replica.sh PRIMARY_HOST PGDATA — on the replica, as root, with the
# server stopped and PGDATA empty: copy the primary with pg_basebackup
# (streaming WAL, the prep_replica slot) and write standby.signal and
# primary_conninfo (-R), named prep_replica so synchronous_standby_names on
# the primary matches it. Start the server afterwards; it follows the
# primary read-only (hot standby) and can be promoted with `pg_ctl promote`.
set -euo pipefail
primary=${1:?usage: setup-replica.sh PRIMARY_HOST PGDATA}
pgdata=${2:?usage: setup-replica.sh PRIMARY_HOST PGDATA}
: "${REPLICATOR_PASSWORD:?set REPLICATOR_PASSWORD}"
[ -z "$(ls -A "$pgdata" 2>/dev/null)" ] || { echo "$pgdata is not empty" >&2; exit 1; }
install -d -o postgres -g postgres -m 0700 "$pgdata"
PGPASSWORD="$REPLICATOR_PASSWORD" runuser -u postgres -- pg_basebackup \
  -h "$primary" -U replicator -D "$pgdata" -X stream -S prep_replica -R -P
echo "replica copied into $pgdata; start PostgreSQL there"
