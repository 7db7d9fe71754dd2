#!/usr/bin/env bash
# tests/fuzz/run.sh TARGET... — a bounded libFuzzer run of each target
# (build-fuzz/fuzz/fuzz_TARGET) for FUZZ_SECONDS (default 20) on a scratch
# copy of tests/fuzz/corpus/TARGET, so the committed corpus only changes on
# purpose. Exits non-zero if any target found a crash, leak, timeout or broken
# property; the input that did it is left in build-fuzz/artifacts/ and the
# line to replay it is printed. MERGE=1 instead minimises the scratch
# corpus of the last run into the committed one (libFuzzer -merge=1).
set -u
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-20}
out=build-fuzz
mkdir -p "$out/artifacts"
rm -f "$out"/fuzz-*.result
# One target's run: prints its line (and, on failure, what broke) into
# $out/fuzz-TARGET.result and exits non-zero on failure.
fuzz_one() {
  local t=$1 bin=$out/fuzz/fuzz_$1 corpus=tests/fuzz/corpus/$1 scratch=$out/corpus/$1
  mkdir -p "$corpus" "$scratch"
  local opts=(-timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=0)
  case $t in
    image) opts+=(-max_len=200000) ;;
    catalog|csv_check|audit) opts+=(-max_len=32768) ;;
    *) opts+=(-max_len=4096) ;;
  esac
  [ -f "tests/fuzz/$t.dict" ] && opts+=(-dict="tests/fuzz/$t.dict")
  if [ "${MERGE:-0}" = 1 ]; then
    "$bin" -merge=1 "${opts[@]}" "$corpus" "$scratch" 2>&1 | tail -2
    return 0
  fi
  local log=$out/fuzz-$t.log res=$out/fuzz-$t.result
  if "$bin" "${opts[@]}" -max_total_time="$secs" -artifact_prefix="$out/artifacts/$t-" \
       "$scratch" "$corpus" >"$log" 2>&1; then
    printf '  fuzz %-10s ok   %s\n' "$t" "$(grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1)" >"$res"
  else
    { printf '  fuzz %-10s FAILED (log %s)\n' "$t" "$log"
      grep -E -A25 'ERROR: |property broken|Test unit written' "$log" | head -60; } >"$res"
    return 1
  fi
}

# Each libFuzzer run is one process on one core: FUZZ_JOBS of them (default:
# the number of cores) run at once, so the whole run takes targets x seconds
# / cores. Results are printed in target order once all have ended.
njobs=${FUZZ_JOBS:-$(nproc)}
[ "${MERGE:-0}" = 1 ] && njobs=1
for t in "$@"; do
  while [ "$(jobs -rp | wc -l)" -ge "$njobs" ]; do wait -n || true; done
  if [ "$njobs" = 1 ]; then fuzz_one "$t" || true; else fuzz_one "$t" & fi
done
wait
failed=()
if [ "${MERGE:-0}" != 1 ]; then
  for t in "$@"; do
    res=$out/fuzz-$t.result
    if [ -f "$res" ] && head -1 "$res" | grep -q ' ok '; then cat "$res"
    else failed+=("$t"); cat "$res" 2>/dev/null || printf '  fuzz %-10s FAILED (no result)\n' "$t"; fi
  done
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing failed: ${failed[*]} (replay: build-fuzz/fuzz/fuzz_TARGET build-fuzz/artifacts/TARGET-...)" >&2
  exit 1
fi
[ "${MERGE:-0}" = 1 ] && echo "merged into tests/fuzz/corpus: $*" || echo "fuzzing: ${#@} targets, ${secs} s each, no failures"
