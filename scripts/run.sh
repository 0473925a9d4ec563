#!/usr/bin/env bash
# run.sh: installs what is missing, builds ianawatch, and runs the nightly job into the
# default database ($XDG_DATA_HOME/ianawatch/ianawatch.db).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)" > /dev/null
build/release/cli/ianawatch import --manifest tests/data/MANIFEST.tsv
build/release/cli/ianawatch snapshots
