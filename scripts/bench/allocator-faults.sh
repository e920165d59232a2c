#!/usr/bin/env bash
# What scripts/allocator.sh's glibc settings do to a training step: the MNIST child's step timed
# (VsPyTorchBenchmark's time mode, as scripts/bench/vs-pytorch.sh runs it: 2 threads, WARMUP steps,
# then the median of STEPS) with glibc's default allocator and with the settings, alternating, PAIRS
# pairs of fresh processes, each with its minor page faults (/usr/bin/time).
#   scripts/bench/allocator-faults.sh [PAIRS] [WARMUP] [STEPS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
pairs="${1:-3}"; warmup="${2:-20}"; steps="${3:-100}"
scripts/fetch-data.sh >/dev/null
mvn -q -B -ntp test-compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
step() {
  /usr/bin/time -f "%R minor faults, peak RSS %M KB" java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
    -Dai.djl.pytorch.num_interop_threads=2 -Dnas4j.data="$root/data" -cp "target/test-classes:target/classes:target/lib/*" \
    org.nas4j.oneshot.VsPyTorchBenchmark "$@" 2>&1 | grep -v WARN | tr '\n' ' '
}
step export child "$tmp/child" 8 >/dev/null
for p in $(seq "$pairs"); do
  echo "pair $p default:  $( unset MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_; step time child "$tmp/child" "$warmup" "$steps")"
  echo "pair $p settings: $( . scripts/allocator.sh; step time child "$tmp/child" "$warmup" "$steps")"
done
