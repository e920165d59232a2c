#!/usr/bin/env bash
# A 4-trial search of specs/mnist.yaml (its whole space: conv1 conv3x3|conv5x5, skip or not), each
# child trained one epoch on MNIST (batch 64, Adam 1e-3, 2 threads, 10% held out), wall time
# including process starts: `nas search --strategy grid` (one JVM, the children in it) against
# PyTorch run as NNI runs trials (a fresh Python process per trial, scripts/bench/pytorch-trials.py),
# alternating, ROUNDS rounds. PyTorch as scripts/bench/pytorch-env.sh sets it up.
#   scripts/bench/vs-pytorch-search.sh [ROUNDS]
set -euo pipefail
rounds="${1:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/pytorch-env.sh"
scripts/nas --version >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
for r in $(seq "$rounds"); do
  start=$(now)
  scripts/nas search --spec specs/mnist.yaml --strategy grid --trials 4 --threads 2 --no-report --out "$tmp/run-$r" > "$tmp/nas.log" 2>&1
  mid=$(now)
  for child in "conv3x3 0" "conv3x3 1" "conv5x5 0" "conv5x5 1"; do
    # shellcheck disable=SC2086
    "$torch_python" scripts/bench/pytorch-trials.py data/mnist $child "$r" >> "$tmp/torch.log"
  done
  end=$(now)
  best=$(python3 -c "import json; print(max(json.loads(l)['score'] for l in open('$tmp/run-$r/trials.jsonl')))")
  torch_best=$(grep -o 'accuracy [0-9.]*' "$tmp/torch.log" | tail -4 | awk '{print $2}' | sort -r | head -1)
  python3 -c "a=$mid-$start; b=$end-$mid; print(f'round $r: nas4j {a:.1f} s (best validation accuracy $best), PyTorch {b:.1f} s (best $torch_best), nas4j / PyTorch {a/b:.3f}')"
done
