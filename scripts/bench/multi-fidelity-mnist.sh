#!/usr/bin/env bash
# Real training where budgets matter: specs/mnist-macro.yaml (324 children on MNIST), each
# strategy given the same wall-clock time per seed (--max-duration), one run after another:
# random search training every child max-budget epochs, against hyperband, asha and bohb with
# budgets 1, 3 and 9 epochs. Prints per seed the best validation score each found (best among
# the children trained to the top budget, and of any trial), the trials and epochs trained.
#   scripts/bench/multi-fidelity-mnist.sh [SECONDS] [SEEDS] [--set ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
seconds="${1:-120}"; seeds="${2:-5}"
shift $(( $# < 2 ? $# : 2 ))
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/nas" --version >/dev/null
for seed in $(seq "$seeds"); do
  for strategy in random hyperband asha bohb; do
    extra=(--trials 10000); [ "$strategy" = random ] && extra=(--epochs 9 --trials 324)
    "$root/scripts/nas" search --spec specs/mnist-macro.yaml --strategy "$strategy" --seed "$seed" --threads 2 \
      --max-duration "${seconds}s" --no-report --out "$tmp/$strategy-$seed" "${extra[@]}" "$@" >/dev/null
  done
done
python3 - "$tmp" "$seeds" <<'PY'
import json, statistics, sys
tmp, seeds = sys.argv[1], int(sys.argv[2])
names = ["random", "hyperband", "asha", "bohb"]
res = {n: [] for n in names}
for s in range(1, seeds + 1):
    line = [f"seed {s}:"]
    for n in names:
        t = [json.loads(l) for l in open(f"{tmp}/{n}-{s}/trials.jsonl")]
        ok = [x for x in t if x["status"] == "ok"]
        top = max((x["score"] for x in ok if x["metrics"].get("budget", 9) == 9), default=float("nan"))
        best = max(x["score"] for x in ok)
        epochs = sum(len(x["metrics"].get("curve", [])) - x["metrics"].get("continued-from", 0) for x in ok)
        res[n].append((top, best, len(t), epochs))
        line.append(f"{n} {top:.4f}/{best:.4f} ({len(t)} trials, {epochs} epochs)")
    print("  ".join(line))
for n in names:
    r = res[n]
    tops = [x[0] for x in r if x[0] == x[0]]
    print(f"{n:10s} best at 9 epochs {statistics.mean(tops):.4f} +- {statistics.stdev(tops) if len(tops) > 1 else 0:.4f} "
          f"(over {len(tops)} seeds); best of any trial {statistics.mean(x[1] for x in r):.4f}; "
          f"wins against random (at 9 epochs) {sum(1 for a, b in zip(r, res['random']) if a[0] > b[0])}/{len(r)}; "
          f"mean trials {statistics.mean(x[2] for x in r):.1f}, epochs {statistics.mean(x[3] for x in r):.1f}")
PY
