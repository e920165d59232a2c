#!/usr/bin/env bash
# One training epoch from IDX files against PNG folders (the same Fashion-MNIST images), with
# libgomp's default waiting policy and with OMP_WAIT_POLICY=PASSIVE, alternating, ROUNDS rounds:
# whether the engine threads' spinning is what the image loader's thread costs.
#   scripts/bench/omp-wait.sh [IMAGES] [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
images="${1:-10000}"; rounds="${2:-3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fashion=data/fashion-mnist
[ -d "$fashion" ] || fashion=/usr/share/datasets/fashion-mnist
python3 scripts/idx-to-png.py "$fashion" "$tmp/png" --limit "$images" >/dev/null
scripts/nas --version >/dev/null
echo '{"conv1": "conv5x5", "skipcon": ["conv2"]}' > "$tmp/arch.json"
run() { # POLICY DATASET
  local extra=() envs=()
  [ "$2" = image-folder ] && extra=(--set data.path="$tmp/png")
  [ "$1" = PASSIVE ] && envs=(OMP_WAIT_POLICY=PASSIVE)
  /usr/bin/time -f "%e" -o "$tmp/t" env "${envs[@]}" scripts/nas retrain --spec specs/mnist.yaml --arch "$tmp/arch.json" --epochs 1 \
    --threads 2 --force --out "$tmp/m" --set data.limit="$images" --set data.dataset="$2" "${extra[@]}" > "$tmp/log" 2>&1
  cat "$tmp/t"
}
for r in $(seq "$rounds"); do
  for policy in default PASSIVE; do
    a=$(run "$policy" fashion-mnist); b=$(run "$policy" image-folder)
    echo "round $r, $policy: IDX $a s, PNG folder $b s, PNG / IDX $(python3 -c "print(f'{$b/$a:.3f}')")"
  done
done
