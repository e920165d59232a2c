#!/usr/bin/env bash
# Wall time and peak RSS (JVM start included) of table searches: 100 evolution trials on
# NAS-Bench-201 (a synthetic table of all 15,625 cells, written here: the real one is the user's)
# and on NAS-Bench-Macro, and 10,000 random trials on NAS-Bench-201, whose report is then drawn
# from scratch by `nas report` (every child's parameters counted: the synthetic table has none).
#   scripts/bench/table-search.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/nas" --version >/dev/null
python3 - "$tmp/nb201.json" <<'PY'
import itertools, json, sys
ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
table = {}
for i, e in enumerate(itertools.product(ops, repeat=6)):
    key = "|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|" % e
    table[key] = {"accuracy": 50 + 7.5 * sum(o == "nor_conv_3x3" for o in e) + (i % 7) / 10}
json.dump(table, open(sys.argv[1], "w"))
PY
run() {
  local name="$1"; shift
  local out
  out=$( { /usr/bin/time -f "%e %M" "$root/scripts/nas" "$@" >/dev/null; } 2>&1 | tail -1)
  echo "$name: $(echo "$out" | cut -d' ' -f1) s, peak RSS $(( $(echo "$out" | cut -d' ' -f2) / 1024 )) MB"
}
run "nas-bench-201, 100 evolution trials" search --out "$tmp/a" --spec "$root/specs/nas-bench-201.yaml" --set "search.evaluator.table=$tmp/nb201.json" --trials 100
run "nas-bench-macro, 100 evolution trials" search --out "$tmp/b" --spec "$root/specs/nas-bench-macro.yaml" --trials 100
run "nas-bench-201, 10,000 random trials" search --out "$tmp/c" --spec "$root/specs/nas-bench-201.yaml" --set "search.evaluator.table=$tmp/nb201.json" --strategy random --trials 10000
run "nas report of those 10,000 trials" report --run "$tmp/c"
