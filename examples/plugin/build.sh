#!/usr/bin/env bash
# Builds the example plug-in jar against nas4j's build: examples/plugin/nas4j-example-plugin.jar.
#   examples/plugin/build.sh && scripts/nas search --plugin examples/plugin/nas4j-example-plugin.jar --spec examples/plugin/blobs.yaml
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
"$root/scripts/nas" --version >/dev/null   # builds target/nas4j.jar and target/lib when missing or stale
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
javac -d "$out" -cp "$root/target/nas4j.jar:$root/target/lib/*" $(find "$here/src/main/java" -name '*.java')
cp -r "$here/src/main/resources/." "$out/"
jar --create --file "$here/nas4j-example-plugin.jar" -C "$out" .
echo "$here/nas4j-example-plugin.jar"
