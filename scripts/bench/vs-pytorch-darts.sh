#!/usr/bin/env bash
# One DARTS epoch (first order) on Fashion-MNIST over specs/mnist.yaml's supernet, wall time
# including process starts: `nas search --strategy darts --epochs 1` against the same epoch in
# PyTorch as NNI's DARTS trainer runs it (scripts/bench/pytorch-darts-epoch.py: the same split,
# batch, optimizers, schedule, clipping), alternating, ROUNDS rounds. PyTorch as
# scripts/bench/pytorch-env.sh sets it up.
#   scripts/bench/vs-pytorch-darts.sh [ROUNDS]
set -euo pipefail
rounds="${1:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/pytorch-env.sh"
scripts/nas --version >/dev/null
fashion=data/fashion-mnist
[ -d "$fashion" ] || fashion=/usr/share/datasets/fashion-mnist
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
for r in $(seq "$rounds"); do
  start=$(now)
  scripts/nas search --spec specs/mnist.yaml --strategy darts --epochs 1 --threads 2 --seed "$r" --no-report \
    --set data.dataset=fashion-mnist --out "$tmp/run-$r" > "$tmp/nas.log" 2>&1
  mid=$(now)
  mkdir -p "$tmp/torch-$r"
  "$torch_python" scripts/bench/pytorch-darts-epoch.py "$fashion" "$tmp/torch-$r" "$r" > "$tmp/torch.log"
  end=$(now)
  ours=$(grep -o 'epoch 1/1  loss [0-9.]*  accuracy [0-9.]*' "$tmp/nas.log" | sed 's/.*accuracy //')
  python3 -c "a=$mid-$start; b=$end-$mid; print(f'round $r: nas4j {a:.1f} s (training accuracy $ours), PyTorch {b:.1f} s ($(sed 's/.*training accuracy \([0-9.]*\).*/\1/' "$tmp/torch.log")), nas4j / PyTorch {a/b:.3f}')"
done
