#!/usr/bin/env bash
# run.sh: installs what is missing, builds ianawatch, and runs the nightly job, `ianawatch
# fetch`, into the default database ($XDG_DATA_HOME/ianawatch/ianawatch.db, or $IANAWATCH_DB).
# It needs network access to www.iana.org; without it the fetch fails (exit status 7, one line
# on stderr) and this script exits with the fetch's status.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)" > /dev/null
iw=build/release/cli/ianawatch

# The nightly job: prints the changes when IANA's registry changed, nothing when not.
status=0
"$iw" -v fetch || status=$?
"$iw" status >&2 || true
exit "$status"
