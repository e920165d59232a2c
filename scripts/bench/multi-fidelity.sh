#!/usr/bin/env bash
# Hyperband, BOHB and ASHA against random search with full budgets on the generated curve table
# (specs/curve-bench.yaml), at equal total budgets of 270, 810 and 1,539 epochs: the true final
# accuracy of each strategy's recommendation, mean and sd over seeds FIRST..FIRST+N-1 (defaults
# 1, 100), and how often it beats random on the same seed.
#   scripts/bench/multi-fidelity.sh [FIRST] [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/allocator.sh
mvn -q -B -ntp test-compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib >&2
exec java -cp "target/test-classes:target/classes:target/lib/*" org.nas4j.bench.MultiFidelityBenchmark "${1:-1}" "${2:-100}"
