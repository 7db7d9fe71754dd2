#!/usr/bin/env bash
# scripts/pg-replica-test.sh — proves deploy/postgresql/ as written: a primary
# with primary.conf, a streaming replica made by pg_basebackup -S prep_replica
# -R with replica.conf, both throwaway clusters on free loopback ports. Checks
# that the replica is the synchronous standby, that PREP's writes on the
# primary (prep init --store, catalog load, user add) reach it, that it
# refuses writes, and that after `pg_ctl promote` a data directory pointed at
# it verifies its bitácora and takes new writes. Always stops and deletes
# both clusters. Needs PREP_BIN (the prep binary); prints "replica: OK".
set -euo pipefail
cd "$(dirname "$0")/.."
PREP=${PREP_BIN:-$PWD/build/prep}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
tmp=$(mktemp -d /tmp/prep-repl-XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$tmp"; as_pg=(runuser -u postgres --); fi
pg() { "${as_pg[@]}" "$@"; }
cleanup() {
  for c in replica primary; do pg "$PGBIN/pg_ctl" -D "$tmp/$c" -m immediate stop >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() { echo "replica: $*" >&2; for l in "$tmp"/*.log; do echo "--- $l" >&2; tail -20 "$l" >&2; done; exit 1; }
freeport() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
p1=$(freeport); p2=$(freeport)
while [ "$p2" = "$p1" ]; do p2=$(freeport); done
cp deploy/postgresql/primary.conf deploy/postgresql/replica.conf "$tmp/"
pg mkdir "$tmp/archive"
# The deploy files as they are; only addresses and paths of this machine differ.
local_opts() { echo "-p $1 -k $tmp -c listen_addresses=127.0.0.1 -c archive_command='cp %p $tmp/archive/%f'"; }

pg "$PGBIN/initdb" -D "$tmp/primary" -U prep -A trust -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1 || fail "initdb"
echo "include '$tmp/primary.conf'" | pg tee -a "$tmp/primary/postgresql.conf" >/dev/null
pg "$PGBIN/pg_ctl" -D "$tmp/primary" -l "$tmp/primary.log" -w -t 60 start -o "$(local_opts "$p1")" >/dev/null || fail "primary start"
url1="postgresql://prep@127.0.0.1:$p1"
psql "$url1/postgres" -qAtc "SELECT pg_create_physical_replication_slot('prep_replica')" >/dev/null

# The replica, as setup-replica.sh makes it (here without the password).
pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$p1" -U prep -D "$tmp/replica" -X stream -S prep_replica -R \
  >"$tmp/basebackup.log" 2>&1 || fail "pg_basebackup"
echo "include '$tmp/replica.conf'" | pg tee -a "$tmp/replica/postgresql.conf" >/dev/null
pg "$PGBIN/pg_ctl" -D "$tmp/replica" -l "$tmp/replica.log" -w -t 60 start -o "$(local_opts "$p2")" >/dev/null || fail "replica start"
url2="postgresql://prep@127.0.0.1:$p2"

for _ in $(seq 300); do
  st=$(psql "$url1/postgres" -qAtc "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'prep_replica'")
  [ "$st" = sync ] && break
  sleep 0.1
done
[ "$st" = sync ] || fail "the replica is not the synchronous standby (state '$st')"
# Only now: with synchronous_standby_names set, a commit waits for the standby.
psql "$url1/postgres" -qc "CREATE DATABASE prep"

# PREP on the primary. Every commit waits for the replica's flush.
data=$tmp/data
cat=$tmp/cat
"$PREP" init --data "$data" --store "$url1/prep" >/dev/null
"$PREP" catalog gen --preset small --out "$cat" --force >/dev/null
"$PREP" catalog load "$cat" --data "$data" >/dev/null
echo "contraseña-de-prueba-1" | "$PREP" user add aco --role acopio --password-stdin --data "$data" >/dev/null
n1=$(psql "$url1/prep" -qAtc "SELECT count(*) FROM bitacora")
for _ in $(seq 300); do
  n2=$(psql "$url2/prep" -qAtc "SELECT count(*) FROM bitacora" 2>/dev/null || echo -)
  [ "$n2" = "$n1" ] && break
  sleep 0.1
done
[ "$n2" = "$n1" ] || fail "replica has $n2 bitácora entries, primary $n1"
c2=$(psql "$url2/prep" -qAtc "SELECT count(*) FROM casilla")
[ "$c2" = 296 ] || fail "replica has $c2 casillas"
if psql "$url2/prep" -qc "INSERT INTO meta VALUES('x', 'y')" 2>/dev/null; then fail "the replica accepted a write"; fi

# Failover: the primary is gone, the replica is promoted, the nodes' store.url points at it.
pg "$PGBIN/pg_ctl" -D "$tmp/primary" -m immediate stop >/dev/null
pg "$PGBIN/pg_ctl" -D "$tmp/replica" -w promote >/dev/null || fail "promote"
(umask 077 && echo "$url2/prep" > "$data/store.url")
"$PREP" log verify --data "$data" >"$tmp/verify.out" || fail "log verify after promotion: $(cat "$tmp/verify.out")"
echo "contraseña-de-prueba-1" | "$PREP" user add aco2 --role acopio --password-stdin --data "$data" >/dev/null ||
  fail "write after promotion"
"$PREP" log verify --data "$data" >"$tmp/verify2.out" || fail "log verify after a write on the promoted replica"
m=$(psql "$url2/prep" -qAtc "SELECT count(*) FROM bitacora")
[ "$m" -gt "$n1" ] || fail "no new bitácora entry after promotion ($m, was $n1)"
echo "replica: OK (sync standby, $n1 entries replicated, promoted: $(cat "$tmp/verify2.out"))"
