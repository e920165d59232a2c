#!/usr/bin/env bash
# nas4j against PyTorch eager on the same work, side by side, for each mode: child (specs/mnist.yaml's
# child, conv5x5 + skip, 1,204,554 parameters) and spos (its single-path supernet, one uniformly
# drawn path per step); batch 64, Adam 1e-3, 2 threads, the same Fashion-MNIST batches, the same
# initial weights and paths. For each mode, first checks that both compute the same thing (the
# losses of one step per batch from nas4j's initial weights, dropout off), then times both
# alternately (ROUNDS rounds, each a fresh process per side: WARMUP steps, then the median of STEPS).
# Modes: child, spos, darts (first order), darts2 (second order), proxyless (the binary-gate architecture
# step, then a drawn path's weight step), enas (a path drawn by the LSTM controller, then its weight step);
# MODES="darts2 enas" runs some only.
# PyTorch is Debian's python3-torch with OpenBLAS (libopenblas0-openmp), installed here when
# missing: for this benchmark only, never a dependency of nas4j.
#   [MODES="..."] [TWIN_ALLOCATOR=stock|nas4j] scripts/bench/vs-pytorch.sh [ROUNDS] [WARMUP] [STEPS]
set -euo pipefail
rounds="${1:-3}"; warmup="${2:-20}"; steps="${3:-100}"
source "$(dirname "${BASH_SOURCE[0]}")/pytorch-env.sh"
mvn -q -B -ntp test-compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# nas4j runs as its launcher runs it (scripts/allocator.sh); PyTorch as users run it, unless
# TWIN_ALLOCATOR=nas4j gives it the same allocator settings.
nas4j() {
  ( . scripts/allocator.sh
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=2 -Dnas4j.data="$root/data" \
    -cp "target/test-classes:target/classes:target/lib/*" org.nas4j.oneshot.VsPyTorchBenchmark "$@" 2>/dev/null )
}
if [ "${TWIN_ALLOCATOR:-stock}" = nas4j ]; then
  twin() { ( . scripts/allocator.sh; "$torch_python" scripts/bench/pytorch_twin.py "$@" ); }
else
  twin() { "$torch_python" scripts/bench/pytorch_twin.py "$@"; }
fi
echo "allocator: nas4j with scripts/allocator.sh's settings, PyTorch ${TWIN_ALLOCATOR:-stock}"

for mode in ${MODES:-child spos darts darts2 proxyless enas}; do
  nas4j export "$mode" "$tmp/$mode" 8
  twin check "$mode" "$tmp/$mode" | tee "$tmp/$mode/torch-losses.txt"
  python3 - "$tmp/$mode" <<'PY'
import sys
d = sys.argv[1]
ours = [float(v) for v in open(f"{d}/losses.txt").read().split()]
theirs = [float(v) for v in open(f"{d}/torch-losses.txt").read().split(":")[1].split()]
diffs = [abs(a - b) / max(abs(b), 1e-9) for a, b in zip(ours, theirs)]
# The first loss is the same forward pass from the same weights; the twin checks with DJL's Adam arithmetic
# (pytorch_twin.DjlAdam), so later ones differ by rounding only, amplified a little where Adam meets the
# near-zero gradients whose last bits the engines' threaded reductions leave to chance.
same = diffs[0] <= 1e-5 and max(diffs[:3]) <= 1e-3 and max(diffs) <= 1e-2
print("same computation: relative differences of the losses " + " ".join(f"{d:.1e}" for d in diffs)
      + (" (first within 1e-5, first 3 within 1e-3, all within 1e-2)" if same else " -- THE TWO SIDES DIFFER"))
sys.exit(0 if same else 1)
PY
  for r in $(seq "$rounds"); do
    a=$(nas4j time "$mode" "$tmp/$mode" "$warmup" "$steps")
    b=$(twin time "$mode" "$tmp/$mode" "$warmup" "$steps")
    ratio=$(python3 -c "import re,sys; f=lambda s: float(re.search(r'median ([0-9.]+)', s).group(1)); print(f'{f(sys.argv[1]) / f(sys.argv[2]):.3f}')" "$a" "$b")
    echo "$mode round $r: $a; $b; nas4j / PyTorch $ratio"
  done
done
