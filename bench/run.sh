#!/usr/bin/env bash
# bench/run.sh — runs every benchmark once, in sequence (the machine is
# shared: never in parallel). Programs are $BUILD/bench/bench_* (built by
# `make bench` from bench/bench_*.c, see bench/bench.mk); scripts are
# bench/bench_*.sh. Each prints its own ratio against a reference measured
# in the same run; record the numbers in docs/benchmarks.md.
# ONLY=<name> runs one (e.g. ONLY=bench_catalog); BENCH_REPS sets repetitions.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD PREP_BIN="$PWD/$BUILD/prep"
status=0
for b in "$BUILD"/bench/bench_* bench/bench_*.sh; do
  [ -e "$b" ] || continue
  case "$b" in *.c|*.mk|*.d|*.o) continue ;; esac
  name=$(basename "$b"); name=${name%.sh}
  [ -n "${ONLY:-}" ] && [ "$ONLY" != "$name" ] && continue
  echo "== $name"
  if [ "${b%.sh}" != "$b" ]; then bash "$b"; else "$b"; fi || { echo "$name failed" >&2; status=1; }
done
exit $status
