#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and runs the server in the foreground with demo
# data, serving the web client on http://127.0.0.1:8080 (set UNEPLACE_LISTEN to change it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
mkdir -p "$root/build/data"
exec "$root/build/native/server/uneplace" serve --db "$root/build/data/uneplace-demo.db" \
  --listen "${UNEPLACE_LISTEN:-127.0.0.1:8080}" --demo
