#!/usr/bin/env bash
# Installs every Debian package juicer needs (idempotent, non-interactive) and builds it.
# Usage: scripts/setup.sh [--no-build] [--build-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=build
DO_BUILD=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) DO_BUILD=0 ;;
    --build-dir) BUILD_DIR="$2"; shift ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# Debian packages (build tools, the libraries juicer links, and test/bench tools).
PACKAGES=(
  build-essential cmake pkg-config
  libsimdjson-dev libyaml-cpp-dev libzstd-dev zstd libxxhash-dev libssl-dev libicu-dev libre2-dev
  libcli11-dev libgoogle-perftools-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 time
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all Debian packages present" >&2
fi

if [[ $DO_BUILD -eq 1 ]]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)"
  echo "setup: built $BUILD_DIR/juicer" >&2
fi
