#!/usr/bin/env bash
# Image folders against IDX files, the same Fashion-MNIST images: the loader alone (images/s of one
# epoch's batches, no model) and a whole training epoch of the specs/mnist.yaml child
# (`nas retrain --epochs 1`), alternating, JVM start included.
#   scripts/bench/image-loader.sh [IMAGES] [PAIRS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. scripts/allocator.sh
images="${1:-10000}"
pairs="${2:-3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fashion=data/fashion-mnist
[ -d "$fashion" ] || fashion=/usr/share/datasets/fashion-mnist
python3 scripts/idx-to-png.py "$fashion" "$tmp/png" --limit "$images"
mvn -q -B -ntp test-compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib >&2
java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -cp "target/test-classes:target/classes:target/lib/*" \
  org.nas4j.bench.ImageLoaderBenchmark fashion-mnist "$tmp/png" "$images" "$pairs"
echo '{"conv1": "conv5x5", "skipcon": ["conv2"]}' > "$tmp/arch.json"
"$root/scripts/nas" --version >/dev/null
train() {
  /usr/bin/time -f "%e" -o "$tmp/t" "$root/scripts/nas" retrain --spec specs/mnist.yaml --arch "$tmp/arch.json" --epochs 1 \
    --threads 2 --force --out "$tmp/model" --set data.limit="$images" "$@" > "$tmp/log" 2>&1
  echo "$(cat "$tmp/t") s, $(grep -o 'test accuracy [0-9.]*' "$tmp/log" | head -1)"
}
for i in $(seq "$pairs"); do
  a=$(train --set data.dataset=fashion-mnist)
  b=$(train --set data.dataset=image-folder --set data.path="$tmp/png")
  echo "pair $i: IDX $a; PNG folder $b; PNG / IDX $(python3 -c "print(f'{${b%% s*}/${a%% s*}:.3f}')")"
done
