#!/usr/bin/env bash
# Sets up (idempotent), builds and runs the whole test suite. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --datasets-light   # the demo dataset test builds from these (small Debian packages)
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 900
