#!/usr/bin/env bash
# The shared module's suite under AddressSanitizer and UndefinedBehaviorSanitizer (the `asan`
# preset, build/asan); with --server, the server and its suite too (every test's server process is
# then the sanitized binary). The test command runs the shared suite; the server's takes a second
# full build of the server, longer than the test command's time budget allows on two cores.
#   scripts/asan.sh [--server]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ "${1:-}" = "--server" ]; then
  cmake --preset asan -DUNEPLACE_SHARED_ONLY=OFF >/dev/null
  cmake --build build/asan -j2 --target uneplace_shared_tests uneplace_server_tests uneplace
  build/asan/tests/shared/uneplace_shared_tests --gtest_brief=1
  UNEPLACE_BINARY="$root/build/asan/server/uneplace" build/asan/tests/server/uneplace_server_tests --gtest_brief=1
else
  cmake --preset asan -DUNEPLACE_SHARED_ONLY=ON >/dev/null
  cmake --build build/asan -j2 --target uneplace_shared_tests
  build/asan/tests/shared/uneplace_shared_tests --gtest_brief=1
fi
