#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, AddressSanitizer, UndefinedBehaviorSanitizer)
# and runs each for a bounded time: first on every input that once broke it (tests/fuzz/regressions/),
# then fuzzing from its corpus (tests/fuzz/corpus/<target>/, read only: what it finds goes to a
# temporary directory). Prints each target's executions and corpus size; fails on any crash, leak,
# sanitizer report or broken property, leaving the input in build/fuzz/crashes/ to be added to
# tests/fuzz/regressions/<target>/ once fixed.
#   scripts/fuzz.sh [SECONDS per target, default 20]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-20}
cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j2
mkdir -p build/fuzz/crashes
targets=(fuzz_booking_code fuzz_time fuzz_text fuzz_request_json fuzz_request_readers)
# A target may also start from another's corpus (the server's readers read the same bodies).
declare -A also_from=([fuzz_request_readers]=fuzz_request_json)
passed=0
failed=0
for t in "${targets[@]}"; do
  bin="build/fuzz/tests/fuzz/$t"
  work=$(mktemp -d)
  echo "--- $t (${seconds} s)"
  ok=1
  # Regressions first: each must run through without a report.
  if [ -d "tests/fuzz/regressions/$t" ] && [ -n "$(ls -A "tests/fuzz/regressions/$t")" ]; then
    "$bin" -runs=0 "tests/fuzz/regressions/$t"/* >"$work/regressions.log" 2>&1 || { ok=0; cat "$work/regressions.log"; }
  fi
  if [ $ok -eq 1 ]; then
    if ! "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
        -artifact_prefix="build/fuzz/crashes/$t-" "$work" "tests/fuzz/corpus/$t" \
        ${also_from[$t]:+"tests/fuzz/corpus/${also_from[$t]}"} >"$work/run.log" 2>&1; then
      ok=0
      tail -40 "$work/run.log"
    fi
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$work/run.log" | grep -Eo '[0-9]+$' | tail -1)
    corpus=$(ls "$work" | wc -l)
    seeds=$(find "tests/fuzz/corpus/$t" ${also_from[$t]:+"tests/fuzz/corpus/${also_from[$t]}"} -type f | wc -l)
    echo "$t: ${runs:-?} executions in ${seconds} s, corpus ${seeds} seeds + ${corpus} found"
  fi
  rm -rf "$work"
  if [ $ok -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "$t: FAILED"; fi
done
echo "[  PASSED  ] $passed tests."
if [ $failed -gt 0 ]; then echo "[  FAILED  ] $failed tests, listed above"; exit 1; fi
