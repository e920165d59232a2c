#!/usr/bin/env bash
# ms/step of the MNIST child built from specs/mnist.yaml against the same network written by
# hand in DJL (one process, alternating rounds, warm-up excluded), the live NDArray count over
# 1,000 steps, and peak RSS. Args: rounds, steps per round, steps for the NDArray count.
#   scripts/bench/child-step.sh [ROUNDS] [STEPS] [LEAK_STEPS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/allocator.sh
mvn -q -B -ntp test-compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib >&2
exec java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=2 \
  -cp "target/test-classes:target/classes:target/lib/*" org.nas4j.bench.ChildStepBenchmark "${1:-10}" "${2:-20}" "${3:-1000}"
