#!/usr/bin/env bash
# Installs what nas4j needs on a fresh machine of this kind (Debian, root). Idempotent: a second
# run changes nothing.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v dot >/dev/null 2>&1 || need+=(graphviz)   # nas space --svg
command -v python3 >/dev/null 2>&1 || need+=(python3)  # scripts/idx-to-png.py, used by the tests
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
if [ "${java_major%%.*}" -lt 17 ]; then
  echo "setup: nas4j needs Java 17 or newer, found $java_major" >&2
  exit 1
fi
