#!/usr/bin/env bash
# How the shape check grows with the network: validate-spec on NAS-Bench-201's space with 3, 5,
# 10, 20 and 30 cells per stage (specs generated from specs/nas-bench-201.yaml, its table
# evaluator left out so that no table is needed), wall time with JVM start and peak RSS, the
# median of N runs each (default 5).
#   scripts/bench/nb201-scale.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-5}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/nas" --version >/dev/null
for cells in 3 5 10 20 30; do
  python3 - "$root/specs/nas-bench-201.yaml" "$cells" > "$tmp/nb201-$cells.yaml" <<'PY'
import re, sys
text = re.sub(r"  evaluator:\n(    .*\n)+", "", open(sys.argv[1]).read())
cells = int(sys.argv[2])
head, model = text.split("model:\n")
plain = [l for l in model.splitlines() if "block: cell" not in l]
def stage(name, c):
    return ["  - {id: %s%d, block: cell, scope: cell, c: %d}" % (name, i, c) for i in range(1, cells + 1)]
# stem, its batch norm, then stage a; r1, stage b; r2, stage c; the head.
out = plain[:2] + stage("a", 16) + [plain[2]] + stage("b", 32) + [plain[3]] + stage("c", 64) + plain[4:]
print(head + "model:\n" + "\n".join(out))
PY
  times=(); rss=()
  for _ in $(seq "$n"); do
    out=$( { /usr/bin/time -f "%e %M" "$root/scripts/nas" validate-spec "$tmp/nb201-$cells.yaml" >/dev/null; } 2>&1 | tail -1)
    times+=("$(echo "$out" | cut -d' ' -f1)"); rss+=("$(echo "$out" | cut -d' ' -f2)")
  done
  t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p")
  r=$(printf '%s\n' "${rss[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p")
  nodes=$(grep -c "block: cell" "$tmp/nb201-$cells.yaml")
  echo "cells per stage $cells ($nodes cells): median ${t} s, peak RSS $(( r / 1024 )) MB"
done
