#!/usr/bin/env bash
# Builds and runs every test: the shared module natively and as WebAssembly under Node, the
# client's view logic (both builds), the shared module and the server under AddressSanitizer and
# UndefinedBehaviorSanitizer (the server suite talks real HTTP to the sanitized server), the memory
# bounds on the native server, the browser tests in headless Chromium against a real server, the
# fuzzers for a bounded time, and the C++ format check (scripts/format.sh --check). Prints each
# suite's own output, then a summary with the counts.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh" || exit 1
"$root/scripts/build.sh" || exit 1
export NODE_PATH=/usr/share/nodejs

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
tests_passed=0
tests_failed=0
suites_failed=0
summary=()

# seconds_since START_NS: elapsed wall-clock seconds, one decimal.
seconds_since() {
  local ns=$(( $(date +%s%N) - $1 ))
  printf '%d.%d' $((ns / 1000000000)) $(((ns / 100000000) % 10))
}
run_started=$(date +%s%N)

# run_suite NAME COMMAND...: runs one suite, shows its output, adds up its test counts and times it.
run_suite() {
  local name=$1; shift
  local log="$logs/suite.log"
  echo
  echo "=============================== $name ==============================="
  local started
  started=$(date +%s%N)
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local took
  took=$(seconds_since "$started")
  local p f
  # GoogleTest: "[  PASSED  ] 70 tests." / "[  FAILED  ] 2 tests, listed below:"; node --test: "# pass 3" / "# fail 0".
  p=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  f=$(grep -Eo '^\[  FAILED  \] [0-9]+ tests?,' "$log" | grep -Eo '[0-9]+' | tail -1)
  [ -n "$p" ] || p=$(grep -Eo '^# pass [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  [ -n "$f" ] || f=$(grep -Eo '^# fail [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # a crash counts as a failure
  tests_passed=$((tests_passed + p)); tests_failed=$((tests_failed + f))
  if [ "$rc" -eq 0 ]; then summary+=("ok      $name: $p passed in $took s")
  else suites_failed=$((suites_failed + 1)); summary+=("FAILED  $name: $p passed, $f failed in $took s"); fi
}

run_suite "shared module, native" build/native/tests/shared/uneplace_shared_tests --gtest_brief=1
run_suite "shared module, WebAssembly (Node)" node --no-experimental-fetch build/wasm/tests/shared/uneplace_shared_tests.js --gtest_brief=1
run_suite "client view logic, native" build/native/tests/client/uneplace_client_logic_tests --gtest_brief=1
run_suite "client view logic, WebAssembly (Node)" node --no-experimental-fetch build/wasm/tests/client/uneplace_client_logic_tests.js --gtest_brief=1
# The server suite runs once, against the server built under ASan + UBSan; the suites whose tests
# also bound the server's memory run again against the native server, where memory means something.
run_suite "shared module under ASan + UBSan" scripts/asan.sh
run_suite "server over real HTTP, the server under ASan + UBSan" scripts/asan.sh --server
run_suite "server memory bounds, native server (FrontDoor, Posters)" \
  build/native/tests/server/uneplace_server_tests --gtest_brief=1 --gtest_filter='FrontDoor.*:Posters.*'
run_suite "browser (headless Chromium)" node --test --test-concurrency=1 tests/browser/
run_suite "fuzzers (libFuzzer, ASan + UBSan, 20 s each)" scripts/fuzz.sh 20
run_suite "format (clang-format --check)" scripts/format.sh --check

echo
echo "=============================== summary ==============================="
printf '%s\n' "${summary[@]}"
echo "$tests_passed passed, $tests_failed failed in $(seconds_since "$run_started") s (builds not counted)"
[ "$suites_failed" -eq 0 ]
