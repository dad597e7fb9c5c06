#!/usr/bin/env bash
# Which parameters move the simulation's figures most (bench/SIMULATION.md, "Sensitivity"): reruns
# `uneplace simulate` at a small scale with each key parameter at −50 % and +50 % of its default
# (clamped to 1 for shares) and prints, as a Markdown table, the usage ratio of fcfs and uneplace and
# the gain of the rules in points. Usage: bench/simulation_sensitivity.sh BINARY [SCALE] [SEED]
set -euo pipefail
bin=${1:?usage: simulation_sensitivity.sh BINARY [SCALE] [SEED]}
scale=${2:-0.1}
seed=${3:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {  # run NAME=VALUE... → "fcfs uneplace" usage ratios
  local args=()
  for p in "$@"; do args+=(--param "$p"); done
  "$bin" simulate --seed "$seed" --scale "$scale" --json "$tmp/out.json" "${args[@]}" > /dev/null
  jq -r '[.policies.fcfs.usage_ratio, .policies.uneplace.usage_ratio] | @tsv' "$tmp/out.json"
}
pct() { awk -v x="$1" 'BEGIN { printf "%.1f", 100 * x }'; }
read -r base_f base_u < <(run)
echo "| paramètre (défaut) | valeur | fcfs | uneplace | gain des règles (points) |"
echo "|---|---|---|---|---|"
echo "| — | défauts | $(pct "$base_f") % | $(pct "$base_u") % | $(awk -v a="$base_u" -v b="$base_f" 'BEGIN { printf "%+.1f", 100 * (a - b) }') |"
"$bin" simulate --seed "$seed" --scale 0.0001 --json "$tmp/defaults.json" > /dev/null
for name in demand_per_place demand_spread last_minute_share supply_urban_exponent slow_delay_days fast_delay_hours \
            household_mean drop_reliable drop_unreliable unreliable_share forget_per_week self_cancel_share \
            forgot_share reminder_response companion_absent appetite_skew structure_size_pareto; do
  default=$(jq -r ".params.$name" "$tmp/defaults.json")
  for factor in 0.5 1.5; do
    value=$(awk -v d="$default" -v f="$factor" -v n="$name" 'BEGIN {
      v = d * f
      if (n ~ /share|drop_|reminder_response|companion_absent|forget_per_week/ && v > 1) v = 1
      if (n == "household_mean" && v < 1) v = 1
      if (n == "appetite_skew" && v < 1) v = 1
      printf "%g", v }')
    read -r f u < <(run "$name=$value")
    echo "| $name ($default) | $value | $(pct "$f") % | $(pct "$u") % | $(awk -v a="$u" -v b="$f" 'BEGIN { printf "%+.1f", 100 * (a - b) }') |"
  done
done
