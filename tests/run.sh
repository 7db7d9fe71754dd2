#!/usr/bin/env bash
# tests/run.sh — runs every test suite and ends with one closing line,
# "N passed, N failed". Unit tests are cmocka binaries in $BUILD/tests/, each
# run in its own process; integration and browser tests are Node test files
# (node --test) that start real `prep` processes on loopback ports.
# Crash tests (tests/crash: kill -9 and a full disk) run in every suite too,
# on the SQLite store only (they own the data directory and its disk).
# ONLY=unit|integration|browser|crash limits the run to one suite; BUILDS="build
# build-san" runs everything once per build (the sanitizer build included)
# and still prints a single closing line. STORES="sqlite pg" runs each build
# on both stores (pg needs PREP_TEST_STORE, which scripts/pg-test.sh sets);
# the default is pg when PREP_TEST_STORE is set, else sqlite.
set -u
cd "$(dirname "$0")/.."
BUILDS=${BUILDS:-${BUILD:-build}}
PG_STORE=${PREP_TEST_STORE:-}
STORES=${STORES:-$([ -n "$PG_STORE" ] && echo pg || echo sqlite)}
passed=0 failed=0
failures=()

run_unit() {
  for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    out=$("$t" 2>&1); rc=$?
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0}; f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
      failures+=("$BUILD/$(basename "$t") ($STORE)"); printf '%s\n' "$out" | grep -v '^\[ \(RUN\|       OK\) ' >&2
    fi
    printf '  unit %-28s %3d passed, %d failed\n' "$(basename "$t")" "$p" "$f"
  done
}

# Node suites run several files at once (each file starts its own prep on a
# free port, its own data directory and, on PostgreSQL, its own database):
# most of a suite's time is waiting on processes, timers and Chromium, so on
# 2 cores 3 files at a time take 0.57 of the time of one at a time.
# JOBS=N overrides; the crash suite always runs alone (it fills a disk).
node_once() { # $1 = files at once, then the files; sets out, p, f
  local jobs=$1; shift
  out=$(node --test --test-concurrency="$jobs" --test-reporter=tap "$@" 2>&1); local rc=$?
  p=$(printf '%s\n' "$out" | sed -n 's/^# pass \([0-9]*\)/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/^# fail \([0-9]*\)/\1/p' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
}

# A Node suite that fails is named (every "not ok" line) and run once more;
# a second failure counts. The one intermittent failure seen so far (the
# cluster drill, when a loaded machine made it last over 30 s) is fixed at
# its cause (cluster.test.mjs); the rerun stays as a net, and its first
# failure is printed, so a new race is seen rather than hidden.
run_node() { # $1 = suite name, $2 = directory, $3 = files at once
  local files=("$2"/*.test.mjs) t0=$SECONDS jobs=${JOBS:-$3}
  [ "$3" = 1 ] && jobs=1
  [ -e "${files[0]}" ] || return 0
  node_once "$jobs" "${files[@]}"
  if [ "$f" -ne 0 ]; then
    printf '%s: %d failed on the first run, running it again, one file at a time:\n' "$1" "$f" >&2
    printf '%s\n' "$out" | grep -E '^ *not ok' >&2
    printf '%s\n' "$out" | grep -E -v '^ *(ok|# Subtest)' | tail -40 >&2
    node_once 1 "${files[@]}"
  fi
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$f" -ne 0 ]; then failures+=("$1"); printf '%s\n' "$out" | grep -E '^ *not ok' >&2; printf '%s\n' "$out" | grep -E -v '^ *(ok|# Subtest)' | tail -80 >&2; fi
  printf '  %-33s %3d passed, %d failed (%d s)\n' "$1" "$p" "$f" $((SECONDS - t0))
}

for BUILD in $BUILDS; do
for STORE in $STORES; do
  if [ "$STORE" = pg ]; then
    [ -n "$PG_STORE" ] || { echo "STORES=pg needs PREP_TEST_STORE (run under scripts/pg-test.sh)" >&2; exit 2; }
    export PREP_TEST_STORE="$PG_STORE"
  else
    unset PREP_TEST_STORE
  fi
  export PREP_BIN="$PWD/$BUILD/prep" PREP_BUILD="$BUILD"
  echo "== $BUILD ($STORE)"
  # The browser suite drives pages through the API; what it adds on a second
  # store is covered by the integration suite there, so when several builds
  # run, the browser suite runs on PostgreSQL with the first build only.
  browser=1
  if [ "$STORE" = pg ] && [ "$BUILD" != "${BUILDS%% *}" ]; then browser=0; fi
  case "${ONLY:-all}" in
    unit) run_unit ;;
    integration) run_node "integration ($BUILD, $STORE)" tests/integration 3 ;;
    browser) run_node "browser ($BUILD, $STORE)" tests/browser 2 ;;
    crash) [ "$STORE" = sqlite ] && run_node "crash ($BUILD)" tests/crash 1 ;;
    all) run_unit; run_node "integration ($BUILD, $STORE)" tests/integration 3
         [ "$browser" = 1 ] && run_node "browser ($BUILD, $STORE)" tests/browser 2
         [ "$STORE" = sqlite ] && run_node "crash ($BUILD)" tests/crash 1 ;;
  esac
done
done
[ ${#failures[@]} -eq 0 ] || echo "failing: ${failures[*]}" >&2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
