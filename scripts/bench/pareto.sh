#!/usr/bin/env bash
# Hypervolume of (accuracy, parameters) on NAS-Bench-Macro after 50, 100 and 200 table trials, as a
# share of the whole table's front, for random, evolution and nsga2, over seeds FIRST..FIRST+N-1.
#   scripts/bench/pareto.sh [FIRST] [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/allocator.sh
mvn -q -B -ntp test-compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib >&2
exec java -cp "target/test-classes:target/classes:target/lib/*" org.nas4j.bench.ParetoBenchmark "${1:-100}" "${2:-100}"
