#!/usr/bin/env bash
# ms/step of one-shot training on specs/mnist.yaml against its children, side by side in one
# process (alternating rounds, warm-up excluded), then each mode alone for its peak RSS.
#   scripts/bench/oneshot-step.sh [ROUNDS] [STEPS] [RSS_STEPS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mvn -q -B -ntp test-compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib >&2
run() {
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=2 \
    -cp "target/test-classes:target/classes:target/lib/*" org.nas4j.oneshot.OneShotStepBenchmark "$@"
}
run "${1:-8}" "${2:-10}"
for mode in child single-path darts darts-order2 proxyless enas; do
  run rss "$mode" "${3:-100}"
done
