#!/usr/bin/env bash
# Wall time of `scripts/nas validate-spec SPEC` including JVM start, over N runs (default 20),
# after one warm-up run that also builds the jar if needed. Prints median and quartiles in ms.
#   scripts/bench/validate-time.sh [SPEC] [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
spec="${1:-$root/specs/mnist.yaml}"
n="${2:-20}"
"$root/scripts/nas" validate-spec "$spec" >/dev/null
times=()
for _ in $(seq "$n"); do
  start=$(date +%s%N)
  "$root/scripts/nas" validate-spec "$spec" >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
q() { echo "${sorted[$(( ($1 * (n - 1)) / 100 ))]}"; }
echo "validate-spec $(basename "$spec"), $n runs: median $(q 50) ms, IQR $(q 25)-$(q 75) ms, min ${sorted[0]} ms, max ${sorted[$((n - 1))]} ms"
