#!/usr/bin/env bash
# Builds everything: the WebAssembly client and shared tests (build/wasm), then the native server,
# which embeds the client, and the native tests (build/native).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export NODE_PATH=/usr/share/nodejs   # Debian's Emscripten needs it (TOOLCHAIN.md)
jobs=${UNEPLACE_JOBS:-$(nproc)}

# configure PRESET: once, then again only to turn UNEPLACE_WERROR on in a build tree configured by hand.
# This script (hence CI) builds with warnings as errors; `cmake --preset …` alone keeps them warnings.
configure() {
  local cache="build/$1/CMakeCache.txt"
  if [ ! -f "$cache" ]; then cmake --preset "$1" -DUNEPLACE_WERROR=ON
  elif ! grep -q '^UNEPLACE_WERROR:BOOL=ON$' "$cache"; then cmake "build/$1" -DUNEPLACE_WERROR=ON
  fi
}

configure wasm
cmake --build build/wasm -j"$jobs"
configure native
cmake --build build/native -j"$jobs"
