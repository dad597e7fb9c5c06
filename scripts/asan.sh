#!/usr/bin/env bash
# AddressSanitizer and UndefinedBehaviorSanitizer (the `asan` preset, build/asan: -O1, line tables
# only, which is what the reports' stack traces need and builds in a third less time than -g).
#   scripts/asan.sh            the shared module's suite, built under the sanitizers
#   scripts/asan.sh --server   the server suite (the native test binary of scripts/build.sh) with
#                              every test's server process the sanitized `uneplace`: the tests are
#                              HTTP clients, the server is what is checked, so only it is rebuilt
# Both build the same two targets; the test command runs both, the second build being a no-op.
# The memory bounds some tests hold are skipped against the sanitized server (its shadow memory
# is not the server's own); scripts/test.sh checks them on the native server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cmake --preset asan -DUNEPLACE_SHARED_ONLY=OFF >/dev/null
cmake --build build/asan -j2 --target uneplace_shared_tests uneplace
if [ "${1:-}" = "--server" ]; then
  cmake --build build/native -j2 --target uneplace_server_tests
  UNEPLACE_BINARY="$root/build/asan/server/uneplace" UNEPLACE_SERVER_SANITIZED=1 \
    build/native/tests/server/uneplace_server_tests --gtest_brief=1
else
  build/asan/tests/shared/uneplace_shared_tests --gtest_brief=1
fi
