#!/usr/bin/env bash
# run.sh: installs what is missing, builds ianawatch, installs it into $IANAWATCH_PREFIX
# (default ~/.local: ~/.local/bin/ianawatch, its helpers in ~/.local/libexec/ianawatch, the man
# page in ~/.local/share/man), and runs the nightly job, `ianawatch fetch`, into the default
# database ($IANAWATCH_DB, else $XDG_DATA_HOME/ianawatch/ianawatch.db).
#
# The fetch needs www.iana.org. When it cannot reach the network, this script says so in one
# line, shows what ianawatch does on the committed real snapshots (imported into a throwaway
# database: IANA's de-assignment of CompressNET's ports 2 and 3 on 2025-02-13, and the history
# of 3/tcp), and exits with the fetch's status (7).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${IANAWATCH_PREFIX:-$HOME/.local}
scripts/deps.sh build
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)" > /dev/null
cmake --install build/release --prefix "$prefix" > /dev/null
iw=$prefix/bin/ianawatch
case ":$PATH:" in
*":$prefix/bin:"*) ;;
*) echo "run.sh: installed $iw; to run it as \`ianawatch\`: export PATH=\"$prefix/bin:\$PATH\"" >&2 ;;
esac

# The nightly job: prints the changes when IANA's registry changed, nothing when not.
status=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$iw" fetch 2> "$err" || status=$?
if [ "$status" -eq 7 ]; then # EXIT_NET: the download failed
	echo "run.sh: the nightly fetch could not reach the network ($(sed 's/^ianawatch: //' "$err" | tail -1)); meanwhile, the committed snapshots:" >&2
	demo=$(mktemp -d)
	trap 'rm -f "$err"; rm -rf "$demo"' EXIT
	"$iw" --db "$demo/demo.db" import --manifest tests/data/MANIFEST.tsv > /dev/null
	echo "\$ ianawatch diff 2025-01-23 2025-02-13 --port 2-3"
	"$iw" --db "$demo/demo.db" diff 2025-01-23 2025-02-13 --port 2-3 || [ $? -eq 1 ]
	echo
	echo "\$ ianawatch history 3/tcp"
	"$iw" --db "$demo/demo.db" history 3/tcp
	exit "$status"
fi
cat "$err" >&2
"$iw" status >&2 || true
exit "$status"
