#!/usr/bin/env bash
# scripts/pg-test.sh — run a command against a throwaway PostgreSQL cluster:
# initdb + pg_ctl in a temporary directory, listening only on a free
# loopback port, as the `postgres` user when run as root (initdb refuses
# root). The command sees PREP_TEST_STORE=postgresql://prep@127.0.0.1:PORT/postgres
# (and PGBIN, the server's bin directory); the cluster is stopped and
# deleted whatever happens (trap). Usage: scripts/pg-test.sh CMD [ARGS...]
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$PGBIN/initdb" ] || { echo "pg-test: no PostgreSQL server found (apt-get install postgresql)" >&2; exit 2; }
export PGBIN

tmp=$(mktemp -d /tmp/prep-pg-XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$tmp"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"${as_pg[@]}" "$PGBIN/initdb" -D "$tmp/data" -U prep -A trust -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1 ||
  { cat "$tmp/initdb.log" >&2; exit 1; }
# fsync stays on: the tests and benchmarks measure durable commits.
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 start \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $tmp -c max_connections=200" >/dev/null ||
  { cat "$tmp/server.log" >&2; exit 1; }
export PREP_TEST_STORE="postgresql://prep@127.0.0.1:$port/postgres"
echo "pg-test: PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
