#!/usr/bin/env bash
# tests/fuzz/run.sh TARGET... — a bounded libFuzzer run of each target
# (build-fuzz/fuzz/fuzz_TARGET) for FUZZ_SECONDS (default 20) on a scratch
# copy of tests/fuzz/corpus/TARGET, so the committed corpus only changes on
# purpose. Exits non-zero on the first crash, leak, timeout or broken
# property; the input that did it is left in build-fuzz/artifacts/ and the
# line to replay it is printed. MERGE=1 instead minimises the scratch
# corpus of the last run into the committed one (libFuzzer -merge=1).
set -u
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-20}
out=build-fuzz
mkdir -p "$out/artifacts"
failed=()
for t in "$@"; do
  bin=$out/fuzz/fuzz_$t corpus=tests/fuzz/corpus/$t scratch=$out/corpus/$t
  mkdir -p "$corpus" "$scratch"
  opts=(-timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=0)
  case $t in
    image) opts+=(-max_len=200000) ;;
    catalog|csv_check|audit) opts+=(-max_len=32768) ;;
    *) opts+=(-max_len=4096) ;;
  esac
  [ -f "tests/fuzz/$t.dict" ] && opts+=(-dict="tests/fuzz/$t.dict")
  if [ "${MERGE:-0}" = 1 ]; then
    "$bin" -merge=1 "${opts[@]}" "$corpus" "$scratch" 2>&1 | tail -2
    continue
  fi
  log=$out/fuzz-$t.log
  if "$bin" "${opts[@]}" -max_total_time="$secs" -artifact_prefix="$out/artifacts/$t-" \
       "$scratch" "$corpus" >"$log" 2>&1; then
    stats=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1)
    printf '  fuzz %-10s ok   %s\n' "$t" "$stats"
  else
    failed+=("$t")
    printf '  fuzz %-10s FAILED (log %s)\n' "$t" "$log"
    grep -E -A25 'ERROR: |property broken|Test unit written' "$log" | head -60 >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing failed: ${failed[*]} (replay: build-fuzz/fuzz/fuzz_TARGET build-fuzz/artifacts/TARGET-...)" >&2
  exit 1
fi
[ "${MERGE:-0}" = 1 ] && echo "merged into tests/fuzz/corpus: $*" || echo "fuzzing: ${#@} targets, ${secs} s each, no failures"
