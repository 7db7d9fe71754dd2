#!/usr/bin/env bash
# bench_drill.sh — wall time, actas per second end to end and peak server
# memory of a full drill (`prep simulate`, every phase, images included),
# reported as a ratio against a reference measured in the same run on the
# same disk: one durable SQLite commit (WAL, synchronous=FULL, one small row)
# per acta, the floor of any system that acknowledges each acta only once it
# is on disk. The reference is timed before and after the drill (the machine
# is shared) and the mean is used. The CPU seconds of the drill, its server
# and its cortes (user + system, /usr/bin/time) are printed too: on a loaded
# machine they say more than the wall time. Numbers go to docs/benchmarks.md.
#   BENCH_DRILL_PRESET=cdmx|national|small   (default cdmx)
#   BENCH_DRILL_ARGS="--small-images"        extra prep simulate options
#   BENCH_REF_COMMITS=2000                   commits timed for the reference
#   BENCH_DRILL_KEEP=1                       keep the data directory (its
#     drill report, cortes and images) instead of deleting it at the end.
#     On ext4 without a journal, inodes freed in the last 1 – 6 minutes are
#     skipped one by one when files are created, so a drill started right
#     after another one's data was deleted pays for it (over a fifth of the
#     server's CPU in one cdmx run): keep the data of back-to-back runs.
set -euo pipefail
cd "$(dirname "$0")/.."
prep=${PREP_BIN:-$PWD/build/prep}
preset=${BENCH_DRILL_PRESET:-cdmx}
extra=${BENCH_DRILL_ARGS:-}
n=${BENCH_REF_COMMITS:-2000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/prep-bench-drill-XXXXXX")
if [ "${BENCH_DRILL_KEEP:-0}" = 1 ]; then
  trap 'echo "bench_drill: data kept in $tmp"' EXIT
else
  trap 'rm -rf "$tmp"' EXIT
fi

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.9f\", $1 }"; }

reference() { # seconds per durable commit
  local db="$tmp/ref-$1.db" sql="$tmp/ref.sql"
  {
    echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
    echo "CREATE TABLE acta(id INTEGER PRIMARY KEY, estado TEXT, valores TEXT);"
    for ((i = 1; i <= n; i++)); do
      echo "BEGIN; INSERT INTO acta VALUES($i,'VERIFICADA','123,45,6,789,Ilegible,0,12'); COMMIT;"
    done
  } >"$sql"
  local t0 t1
  t0=$(now)
  sqlite3 "$db" <"$sql" >/dev/null
  t1=$(now)
  calc "($t1 - $t0) / $n"
}

ref1=$(reference 1)
echo "reference before: $(printf '%.3f' "$(calc "$ref1 * 1000")") ms per durable commit ($n commits)"
t0=$(now)
set +e
# shellcheck disable=SC2086
/usr/bin/time -f '%U %S' -o "$tmp/cpu" \
  "$prep" simulate --preset "$preset" --data "$tmp/data" $extra >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
t1=$(now)
ref2=$(reference 2)
echo "reference after:  $(printf '%.3f' "$(calc "$ref2 * 1000")") ms per durable commit"
cat "$tmp/out"
if [ "$rc" -ne 0 ]; then
  tail -20 "$tmp/err" >&2
  echo "bench_drill: the drill failed (exit $rc)" >&2
  exit 1
fi
report=$(ls -d "$tmp"/data/simulacros/*-semilla*/ | head -1)
node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1] + "/informe.json", "utf8"));
const wall = +process.argv[2], ref = (+process.argv[3] + +process.argv[4]) / 2;
const t = j.tiempos_s, v = j.volumen;
const run = t.noche + t.corte_final + t.comparacion;
const refAll = v.actas_registradas * ref;
const f = (x, d = 1) => x.toFixed(d);
console.log(`preset ${process.argv[5]}: ${v.actas_registradas} actas registered, ${v.actas_verificadas} verified, ${v.capturas} captures, ${v.imagenes} images (${f(v.bytes_imagenes / 1e6)} MB), ${v.peticiones_http} HTTP requests`);
console.log(`wall: ${f(wall)} s whole command (setup ${f(t.preparacion)} s, night ${f(t.noche)} s, final corte ${f(t.corte_final)} s, comparison ${f(t.comparacion)} s)`);
console.log(`actas/s end to end: ${f(v.actas_registradas / wall)} (whole command), ${f(v.actas_registradas / run)} (night + final corte + comparison)`);
const cpu = process.argv[6].trim().split(/\s+/).map(Number);
console.log(`CPU: ${f(cpu[0] + cpu[1])} s (user ${f(cpu[0])} s, system ${f(cpu[1])} s) for drill, server and cortes = ${f((cpu[0] + cpu[1]) / wall, 2)} cores on average, ${f((cpu[0] + cpu[1]) * 1000 / v.actas_registradas, 2)} ms per acta; load average at the end: ${require("os").loadavg().map(x => x.toFixed(1)).join(" ")}`);
console.log(`peak server RSS: ${f(j.servidor_rss_max_kb / 1024)} MB`);
console.log(`reference: ${f(ref * 1000, 3)} ms per durable commit -> one per acta = ${f(refAll)} s`);
console.log(`RATIO drill (night + final corte + comparison) / one durable commit per acta: ${f(run / refAll, 2)}`);
console.log(`RATIO whole command / one durable commit per acta: ${f(wall / refAll, 2)}`);
' "$report" "$(calc "$t1 - $t0")" "$ref1" "$ref2" "$preset" "$(tail -1 "$tmp/cpu")"
