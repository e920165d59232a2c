#!/usr/bin/env bash
# Two builds of nas4j side by side on table searches, alternating which goes first: the whole
# NAS-Bench-Macro grid (6,561 trials) and 10,000 random NAS-Bench-201 trials on a synthetic table
# (written here), each build with its own checkout's specs. Both checkouts must be built
# (`mvn -q package -DskipTests` makes target/nas4j.jar), e.g. an older commit in a git worktree:
#   git worktree add ../nas4j-before COMMIT && (cd ../nas4j-before && mvn -q package -DskipTests)
#   scripts/bench/table-ab.sh ../nas4j-before . [PAIRS]
set -euo pipefail
old="$(cd "$1" && pwd)"; new="$(cd "$2" && pwd)"; pairs="${3:-3}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/nb201.json" <<'PY'
import itertools, json, sys
ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
table = {}
for i, e in enumerate(itertools.product(ops, repeat=6)):
    table["|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|" % e] = {"accuracy": 50 + 7.5 * sum(o == "nor_conv_3x3" for o in e) + (i % 7) / 10}
json.dump(table, open(sys.argv[1], "w"))
PY
one() {  # ROOT ARGS...: the wall seconds of one search with ROOT's build and specs
  local root="$1"; shift
  /usr/bin/time -f "%e" -o "$tmp/t" java -Dai.djl.offline=true -jar "$root/target/nas4j.jar" search --out "$tmp/r$RANDOM$RANDOM" "$@" >/dev/null
  cat "$tmp/t"
}
for what in grid nb201; do
  for i in $(seq "$pairs"); do
    if [ "$what" = grid ]; then a_args=(--spec "$old/specs/nas-bench-macro.yaml"); b_args=(--spec "$new/specs/nas-bench-macro.yaml"); more=(--strategy grid --trials 6561)
    else a_args=(--spec "$old/specs/nas-bench-201.yaml"); b_args=(--spec "$new/specs/nas-bench-201.yaml")
      more=(--set "search.evaluator.table=$tmp/nb201.json" --strategy random --trials 10000); fi
    if (( i % 2 )); then a=$(one "$old" "${a_args[@]}" "${more[@]}"); b=$(one "$new" "${b_args[@]}" "${more[@]}")
    else b=$(one "$new" "${b_args[@]}" "${more[@]}"); a=$(one "$old" "${a_args[@]}" "${more[@]}"); fi
    echo "$what pair $i: before $a s, after $b s, after / before $(python3 -c "print(f'{$b / $a:.2f}')")"
  done
done
