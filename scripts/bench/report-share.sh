#!/usr/bin/env bash
# The report's share of a search: the whole 6,561-architecture grid of NAS-Bench-Macro
# (table evaluator), with report.html redrawn as trials finish and
# with --no-report, in alternating pairs (JVM start included). Prints each pair and the medians.
#   scripts/bench/report-share.sh [PAIRS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pairs="${1:-5}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/nas" --version >/dev/null
wall() {
  local out="$tmp/run-$RANDOM$RANDOM"
  /usr/bin/time -f "%e" -o "$tmp/time" "$root/scripts/nas" search --spec "$root/specs/nas-bench-macro.yaml" \
    --strategy grid --trials 6561 --out "$out" "$@" >/dev/null
  rm -rf "$out"
  cat "$tmp/time"
}
with=(); without=()
for i in $(seq "$pairs"); do
  if (( i % 2 )); then a=$(wall); b=$(wall --no-report); else b=$(wall --no-report); a=$(wall); fi
  with+=("$a"); without+=("$b")
  echo "pair $i: with report $a s, --no-report $b s, share $(python3 -c "print(f'{1 - $b / $a:.1%}')")"
done
python3 - "${with[*]}" "${without[*]}" <<'PY'
import statistics, sys
a = [float(x) for x in sys.argv[1].split()]
b = [float(x) for x in sys.argv[2].split()]
ma, mb = statistics.median(a), statistics.median(b)
print(f"median: with report {ma:.2f} s, --no-report {mb:.2f} s; the report's share {1 - mb / ma:.1%} (target < 5%); "
      f"median of the pairs' shares {statistics.median(1 - y / x for x, y in zip(a, b)):.1%}")
PY
