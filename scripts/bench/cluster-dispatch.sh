#!/usr/bin/env bash
# What running trials on a Spark cluster costs against --parallel on one machine: the same
# searches, one after the other, with --parallel 2 locally and on a loopback cluster of 2 workers
# (scripts/spark-cluster.sh): TRIALS random trials of the NAS-Bench-Macro table (no training: the
# dispatch alone), and the 4 children of specs/mnist.yaml trained one epoch each. Prints wall
# times, the cluster's extra time per trial, and whether both found the same trials (random
# search proposes without looking at results, so the same seed gives the same set).
#   scripts/bench/cluster-dispatch.sh [TRIALS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
trials="${1:-200}"
export NAS4J_SPARK_DIR="${NAS4J_SPARK_DIR:-$root/.spark}"
tmp="$(mktemp -d)"
port=17199
trap 'scripts/spark-cluster.sh stop >/dev/null; rm -rf "$tmp"' EXIT
scripts/fetch-data.sh >/dev/null
scripts/nas --version >/dev/null
scripts/spark-cluster.sh start --workers 2 --memory 1g --port "$port" >/dev/null
now() { date +%s.%N; }
compare() { # NAME TRIALS ARGS...: the same search locally and on the cluster
  local name="$1" n="$2"; shift 2
  local a b c
  a=$(now); scripts/nas search "$@" --parallel 2 --no-report --out "$tmp/$name-local" > /dev/null 2>&1
  b=$(now); scripts/nas search "$@" --parallel 2 --no-report --out "$tmp/$name-cluster" --cluster "spark://127.0.0.1:$port" > /dev/null 2>&1
  c=$(now)
  python3 - "$tmp/$name-local" "$tmp/$name-cluster" "$name" "$n" "$(python3 -c "print($b-$a)")" "$(python3 -c "print($c-$b)")" <<'PY'
import json, sys
local, cluster, name, n, tl, tc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
def trials(d):
    return sorted((json.dumps(t["architecture"], sort_keys=True), round(t["score"], 6), t["status"]) for t in map(json.loads, open(f"{d}/trials.jsonl")))
a, b = trials(local), trials(cluster)
print(f"{name}: {n} trials; --parallel 2 here {tl:.1f} s, on the cluster {tc:.1f} s; the cluster's extra time per trial "
      f"{(tc - tl) / n * 2:.2f} s of a worker slot ({(tc - tl) / n:.2f} s of wall time); "
      f"the same {len(a)} trials and scores: {'yes' if a == b else 'NO'}; failed: {sum(1 for t in b if t[2] != 'ok')}")
PY
}
compare table "$trials" --spec specs/nas-bench-macro.yaml --strategy random --trials "$trials" --seed 3
compare mnist 4 --spec specs/mnist.yaml --strategy grid --trials 4 --seed 3
