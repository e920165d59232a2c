#!/usr/bin/env bash
# Measured latency of random children against the per-block table's prediction: Spearman's rank
# correlation and the time each costs.
#   scripts/bench/latency-table.sh [SPEC] [CHILDREN] [SEED]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/allocator.sh
mvn -q -B -ntp test-compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib >&2
exec java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=2 \
  -cp "target/test-classes:target/classes:target/lib/*" org.nas4j.bench.LatencyPredictionBenchmark \
  "${1:-specs/nas-bench-macro.yaml}" "${2:-100}" "${3:-1}"
