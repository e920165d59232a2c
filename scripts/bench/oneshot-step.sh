#!/usr/bin/env bash
# ms/step of one-shot training against its children, side by side in one process (alternating
# rounds, warm-up excluded), then each mode alone for its peak RSS.
#   scripts/bench/oneshot-step.sh [ROUNDS] [STEPS] [RSS_STEPS]          specs/mnist.yaml, batch 64
#   scripts/bench/oneshot-step.sh nb201 BATCH [ROUNDS] [STEPS] [RSS_STEPS]  specs/nas-bench-201.yaml
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/allocator.sh
mvn -q -B -ntp test-compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib >&2
run() {
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=2 \
    -cp "target/test-classes:target/classes:target/lib/*" org.nas4j.oneshot.OneShotStepBenchmark "$@"
}
if [[ "${1:-}" == nb201 ]]; then
  space=(nb201 "${2:?nb201 needs a batch size}"); shift 2
  rss_modes=(nor_conv_3x3 single-path mixture darts)
else
  space=()
  rss_modes=(child single-path darts darts-order2 proxyless enas)
fi
run "${space[@]}" "${1:-8}" "${2:-10}"
for mode in "${rss_modes[@]}"; do
  run "${space[@]}" rss "$mode" "${3:-100}"
done
