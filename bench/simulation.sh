#!/usr/bin/env bash
# The simulation line of scripts/bench.sh (issue 17): `uneplace simulate` at national size (scale 1,
# ~700,000 places), every policy on the same demand. Prints the policy × figures table, the time it
# took and its peak memory (the command prints both); writes OUT_DIR/simulation.json and
# OUT_DIR/simulation.md. Figures only, no assertion on time.
# Usage: bench/simulation.sh BINARY OUT_DIR [SEED]
set -euo pipefail
bin=${1:?usage: simulation.sh BINARY OUT_DIR [SEED]}
out=${2:?usage: simulation.sh BINARY OUT_DIR [SEED]}
seed=${3:-1}
mkdir -p "$out"
{
  echo "Charge de la machine au départ : $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cœurs)."
  echo
  "$bin" simulate --seed "$seed" --scale 1 --json "$out/simulation.json" --markdown "$out/simulation.md"
} | tee "$out/simulation.txt"
