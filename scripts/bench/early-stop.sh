#!/usr/bin/env bash
# Random search with and without --early-stop median, seed by seed: the trials' total training
# seconds (from trials.jsonl) and the best validation score each run found.
#   scripts/bench/early-stop.sh [SPEC] [EPOCHS] [TRIALS] [SEEDS] [--set ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
spec="${1:-specs/tabular-mlp.yaml}"; epochs="${2:-10}"; trials="${3:-30}"; seeds="${4:-5}"
shift $(( $# < 4 ? $# : 4 ))
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/nas" --version >/dev/null
for seed in $(seq "$seeds"); do
  for mode in full stopped; do
    extra=(); [ "$mode" = stopped ] && extra=(--early-stop median)
    "$root/scripts/nas" search --spec "$spec" --strategy random --epochs "$epochs" --trials "$trials" --seed "$seed" --threads 2 \
      --no-report --out "$tmp/$mode-$seed" "${extra[@]}" "$@" >/dev/null
  done
done
python3 - "$tmp" "$seeds" <<'PY'
import json, statistics, sys
tmp, seeds = sys.argv[1], int(sys.argv[2])
rows = {"full": [], "stopped": []}
for mode in rows:
    for s in range(1, seeds + 1):
        t = [json.loads(l) for l in open(f"{tmp}/{mode}-{s}/trials.jsonl")]
        rows[mode].append((sum(x["seconds"] for x in t), max(x["score"] for x in t if x["status"] == "ok"),
                           sum(1 for x in t if "stopped-after" in x["metrics"])))
for s in range(seeds):
    f, e = rows["full"][s], rows["stopped"][s]
    print(f"seed {s + 1}: full {f[0]:.1f} s, best {f[1]:.4f}; early-stop {e[0]:.1f} s ({e[2]} stopped), best {e[1]:.4f}; time saved {1 - e[0] / f[0]:.0%}")
ft = sum(r[0] for r in rows["full"]); et = sum(r[0] for r in rows["stopped"])
print(f"all seeds: training time saved {1 - et / ft:.0%}; mean best {statistics.mean(r[1] for r in rows['full']):.4f} (full) "
      f"against {statistics.mean(r[1] for r in rows['stopped']):.4f} (early-stop)")
PY
