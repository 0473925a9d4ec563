#!/usr/bin/env bash
# output_errors.sh: every command checks that its output was written (issue 17): into
# /dev/full each one exits non-zero with "ianawatch COMMAND: write error: ..."; into a pipe
# whose reader has gone (SIGPIPE is ignored) it exits non-zero without a message.
# Usage: output_errors.sh BINARY
set -u
iw=$1
data=$(cd "$(dirname "$0")/../data" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iwout.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C HOME="$tmp/home"
unset IANAWATCH_DB XDG_DATA_HOME
db=$tmp/t.db
fails=0
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

cd "$data"
"$iw" --db "$db" import -q 2025-01-23.xml.gz --observed-at 2025-01-24T01:44:55Z &&
	"$iw" --db "$db" import -q 2025-02-13.xml.gz --observed-at 2025-02-14T01:46:39Z ||
	{ echo "FAIL could not build the database"; exit 1; }
[ -e /dev/full ] || { echo "no /dev/full here"; exit 1; }

while IFS='|' read -r cmd args; do
	# shellcheck disable=SC2086
	"$iw" --db "$db" $cmd $args > /dev/full 2> "$tmp/err"
	rc=$?
	if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then
		bad "$cmd $args > /dev/full: exit $rc"
	elif [ "$(cat "$tmp/err")" != "ianawatch $cmd: write error: No space left on device" ]; then
		bad "$cmd $args > /dev/full: stderr: $(head -c 300 "$tmp/err")"
	else
		echo "ok $cmd $args > /dev/full: exit $rc"
	fi
done <<'CMDS'
snapshots|
snapshots|--format json
history|3/tcp
history|3/tcp --format json
show|80/tcp
show|80/tcp --format json --at 2025-01-30
diff|1 2
diff|1 2 --format json
log|
log|--format json
export|--format csv
export|--format services
status|
cat|1
check|--sample 1
snapshots|--help
CMDS

# A reader that stops early: the writer gets EPIPE (SIGPIPE is ignored), stops, and exits
# non-zero without a message. 20,000 ports of history is far more than a pipe buffers.
"$iw" --db "$db" history 0-20000/tcp 2> "$tmp/err" | head -c 10 > /dev/null
rc=${PIPESTATUS[0]}
if [ "$rc" = 0 ] || [ "$rc" -gt 128 ]; then
	bad "history 0-20000/tcp | head: exit $rc (0 would hide the loss, >128 a signal)"
elif [ -s "$tmp/err" ]; then
	bad "history 0-20000/tcp | head: a message on EPIPE: $(head -c 300 "$tmp/err")"
else
	echo "ok history | head: exit $rc, quietly"
fi

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
