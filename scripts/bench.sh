#!/usr/bin/env bash
# The benchmarks of issue 7 in one command (about 5 minutes on the 2-core machine): builds the
# server and the benchmark in build/bench (Release), measures the client in headless Chromium
# (bench/client.mjs), then generates the national database and runs every server scenario
# (bench/scenarios.cpp), the ticketing network's client at 10,000 sessions (issue 15,
# bench/network_partner.cpp, about a minute), and last a simulated year of the national programme
# (issue 17, bench/simulation.sh: `uneplace simulate --scale 1`, about 30 s). Prints the tables and
# writes bench/results.json and bench/RESULTS.md.
# Needs the WebAssembly client built first (scripts/build.sh). Extra arguments go to
# `uneplace-bench run` (for instance --seconds 5 for a quicker, noisier run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export NODE_PATH=/usr/share/nodejs
jobs=${UNEPLACE_JOBS:-2}

if [ ! -f build/wasm/client/dist/uneplace.wasm ]; then
  echo "bench.sh : le client WebAssembly n’est pas construit (scripts/build.sh d’abord)" >&2
  exit 1
fi
[ -f build/bench/CMakeCache.txt ] || cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DUNEPLACE_CLIENT_DIR="$root/build/wasm/client/dist" -DUNEPLACE_BENCH=ON
cmake --build build/bench -j"$jobs" --target uneplace-bench uneplace network_partner

status=0
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
echo "== ligne 6 : le client (Chromium headless)"
UNEPLACE_BINARY="$root/build/bench/server/uneplace" node bench/client.mjs build/bench/client.json > build/bench/client.log
echo "== lignes 0 à 5 : données nationales, SQLite brut, HTTP, tempête, catalogue, mémoire"
build/bench/bench/uneplace-bench run --db build/bench/national.db --server build/bench/server/uneplace \
  --client-json build/bench/client.json --json bench/results.json --markdown build/bench/table.md "$@" || status=$?
echo "== réseau de billetterie : 10 000 séances poussées, webhooks signés, flux (bench/network_partner.cpp)"
build/bench/bench/network_partner --sessions 10000 --server-binary build/bench/server/uneplace \
  --json build/bench/network_partner.json | tee build/bench/network_partner.txt || status=$?
echo "== simulation : une année du programme national, chaque politique sur la même demande (bench/SIMULATION.md)"
bench/simulation.sh build/bench/server/uneplace build/bench || status=$?

{
  echo "# Résultats des bancs d’essai"
  echo
  echo "Produit par \`scripts/bench.sh\` le $started, commit $(git rev-parse --short HEAD)," \
       "sur $(nproc) cœurs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), charge au départ : $(jq -r .machine.loadavg_at_start bench/results.json 2>/dev/null || true)."
  echo "Détail complet : \`bench/results.json\`. Lecture des chiffres : README, section « Benchmarks »."
  echo
  cat build/bench/table.md
  if [ -f build/bench/network_partner.txt ]; then
    echo
    echo "## Réseau de billetterie (\`network_partner --sessions 10000\`, issue 15)"
    echo
    sed 's/^/    /' build/bench/network_partner.txt
  fi
  if [ -f build/bench/simulation.txt ]; then
    echo
    echo "## Simulation d’une année (\`uneplace simulate --seed 1 --scale 1\`)"
    echo
    cat build/bench/simulation.txt
  fi
} > bench/RESULTS.md
exit $status
