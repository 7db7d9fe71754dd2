#!/usr/bin/env bash
# setup-primary.sh — on the primary, as root: create the prep role and
# database and the replication role (passwords from the environment, never
# from the command line), and a physical replication slot for the replica.
# Then: prep init --store postgresql://prep:PASSWORD@PRIMARY/prep --data DIR
set -euo pipefail
: "${PREP_DB_PASSWORD:?set PREP_DB_PASSWORD}" "${REPLICATOR_PASSWORD:?set REPLICATOR_PASSWORD}"
psql_() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q "$@"; }
# synchronous_commit = local: the replica does not exist yet, and with
# primary.conf's synchronous_standby_names these commits would wait for it.
psql_ -v pw="$PREP_DB_PASSWORD" -v rpw="$REPLICATOR_PASSWORD" <<'SQL'
SET synchronous_commit = local;
CREATE ROLE prep LOGIN PASSWORD :'pw';
CREATE ROLE replicator REPLICATION LOGIN PASSWORD :'rpw';
CREATE DATABASE prep OWNER prep ENCODING 'UTF8' TEMPLATE template0;
SELECT pg_create_physical_replication_slot('prep_replica');
SQL
mkdir -p /var/lib/prep/wal-archive && chown postgres: /var/lib/prep/wal-archive
echo "primary ready: database prep, role prep, slot prep_replica"
