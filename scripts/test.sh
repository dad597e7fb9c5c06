#!/usr/bin/env bash
# Builds and runs every test: the shared module natively and as WebAssembly under Node, the server
# over real HTTP, the client's view logic, and the browser tests in headless Chromium.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh" || exit 1
"$root/scripts/build.sh" || exit 1
export NODE_PATH=/usr/share/nodejs

passed=0
failed=0
summary=()
# run_suite NAME COMMAND...: runs one suite, records its result.
run_suite() {
  local name=$1; shift
  echo
  echo "=============================== $name ==============================="
  if "$@"; then passed=$((passed + 1)); summary+=("ok      $name"); else failed=$((failed + 1)); summary+=("FAILED  $name"); fi
}
# A GoogleTest binary run directly, so its own count ("[  PASSED  ] N tests.") is printed.
run_suite "shared module, native" build/native/tests/shared/uneplace_shared_tests --gtest_brief=1
run_suite "shared module, WebAssembly (Node)" node --no-experimental-fetch build/wasm/tests/shared/uneplace_shared_tests.js --gtest_brief=1
run_suite "client view logic, native" build/native/tests/client/uneplace_client_logic_tests --gtest_brief=1
run_suite "client view logic, WebAssembly (Node)" node --no-experimental-fetch build/wasm/tests/client/uneplace_client_logic_tests.js --gtest_brief=1
run_suite "server over real HTTP" build/native/tests/server/uneplace_server_tests --gtest_brief=1
run_suite "browser (headless Chromium)" node --test --test-concurrency=1 tests/browser/

echo
echo "=============================== summary ==============================="
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
