#!/usr/bin/env bash
# Mean and standard deviation of the best NAS-Bench-Macro accuracy after 10, 50, 100 and 200
# evaluations, per strategy, over seeds FIRST..FIRST+N-1 (defaults 100, 100: fresh seeds; the
# defaults were tuned on seeds 0..99), and microseconds per trial (strategy + table lookup).
#   scripts/bench/strategies.sh [FIRST] [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/allocator.sh
mvn -q -B -ntp test-compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib >&2
exec java -cp "target/test-classes:target/classes:target/lib/*" org.nas4j.bench.StrategyBenchmark "${1:-100}" "${2:-100}"
