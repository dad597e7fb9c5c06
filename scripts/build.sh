#!/usr/bin/env bash
# Builds everything: the WebAssembly client and shared tests (build/wasm), then the native server,
# which embeds the client, and the native tests (build/native).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export NODE_PATH=/usr/share/nodejs   # Debian's Emscripten needs it (TOOLCHAIN.md)
jobs=${UNEPLACE_JOBS:-$(nproc)}

[ -f build/wasm/CMakeCache.txt ] || cmake --preset wasm
cmake --build build/wasm -j"$jobs"
[ -f build/native/CMakeCache.txt ] || cmake --preset native
cmake --build build/native -j"$jobs"
