#!/usr/bin/env bash
# db_guards.sh: a database from a newer ianawatch, a file that is no database, another
# program's SQLite database and a read-only database are refused with a clear error (exit 5)
# by every command, and never modified: same bytes before and after, no -wal left behind.
# Usage: db_guards.sh IANAWATCH_BINARY
set -u
iw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iwguards.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C
fail=0
checked=0
say() { printf '%s\n' "$*"; }
bad() { say "FAIL: $*"; fail=1; }

real=$tmp/real.db
"$iw" --db "$real" import -q "$data/2025-01-23.xml.gz" --observed-at 2025-01-24T01:44:55Z ||
	{ say "cannot build the database"; exit 1; }

mkdir "$tmp/g"
cp "$real" "$tmp/g/newer.db"
sqlite3 "$tmp/g/newer.db" "PRAGMA user_version = 99" || { say "sqlite3 failed"; exit 1; }
head -c 8192 /dev/urandom > "$tmp/g/random.db"
printf 'SQLite format 3\0 but then nothing of the sort\n' > "$tmp/g/fake-header.db"
printf 'just some text\n' > "$tmp/g/text.db"
sqlite3 "$tmp/g/other-app.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
head -c 100000 "$real" > "$tmp/g/truncated.db"

# file -> message the refusal must contain
expect() {
	case $1 in
	newer.db) echo "database schema version 99 is newer than this ianawatch" ;;
	other-app.db) echo "a SQLite database, but not an ianawatch one" ;;
	truncated.db) echo "corrupt" ;;
	*) echo "not an ianawatch database" ;;
	esac
}

# Runs one command against db and checks: exit 5, one line naming the db, db unchanged.
guarded() { # guarded DB WANT_MESSAGE ARGS...
	local db=$1 want=$2 before after rc
	shift 2
	before=$(sha256sum < "$db")
	"$iw" --db "$db" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	after=$(sha256sum < "$db")
	checked=$((checked + 1))
	[ "$rc" = 5 ] || bad "$(basename "$db") $1: exit $rc, expected 5: $(head -c 300 "$tmp/err")"
	grep -qF -- "$want" "$tmp/err" || bad "$(basename "$db") $1: message lacks '$want': $(head -c 300 "$tmp/err")"
	[ "$(wc -l < "$tmp/err")" = 1 ] || bad "$(basename "$db") $1: not one line: $(cat "$tmp/err")"
	[ "$before" = "$after" ] || bad "$(basename "$db") $1: the file changed"
	[ ! -s "$db-wal" ] || bad "$(basename "$db") $1: a -wal with content appeared"
}

for db in "$tmp"/g/*.db; do
	want=$(expect "$(basename "$db")")
	guarded "$db" "$want" import "$data/2025-02-13.xml.gz"
	guarded "$db" "$want" snapshots
	guarded "$db" "$want" check
	guarded "$db" "$want" diff latest~1 latest
	guarded "$db" "$want" history 80
	rm -f "$db-wal" "$db-shm"
done

# A read-only database: writers are refused before SQLite opens it, readers still work, and
# the file never changes. root ignores file modes, so as root the commands run as `nobody`
# (setpriv); without a way to drop privileges this part is skipped, and says so.
ro=$tmp/ro
mkdir "$ro"
cp "$real" "$ro/ro.db"
cp "$data/2025-02-13.xml.gz" "$ro/new.xml.gz"
chmod 444 "$ro/ro.db"
run=()
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv > /dev/null && id nobody > /dev/null 2>&1; then
		# nobody must reach the binary, the folder (writable: readers make their -shm there),
		# and its libraries.
		chmod 755 "$tmp"
		cp "$iw" "$ro/ianawatch"
		cp "$(dirname "$iw")/ianawatch-ingest" "$(dirname "$iw")/ianawatch-net" "$ro/"
		chmod 755 "$ro/ianawatch" "$ro/ianawatch-ingest" "$ro/ianawatch-net"
		iw_ro=$ro/ianawatch
		chown nobody "$ro"
		run=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
		setpriv_ok=$("${run[@]}" true 2>&1 && echo yes)
		[ "$setpriv_ok" = yes ] || run=(skip)
	else
		run=(skip)
	fi
else
	iw_ro=$iw
fi
if [ "${run[0]:-}" = skip ]; then
	say "SKIP read-only database: running as root and cannot drop privileges (setpriv, nobody)"
else
	sum=$(sha256sum < "$ro/ro.db")
	"${run[@]}" "$iw_ro" --db "$ro/ro.db" import "$ro/new.xml.gz" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	checked=$((checked + 1))
	[ "$rc" = 5 ] || bad "read-only import: exit $rc, expected 5: $(cat "$tmp/err")"
	grep -qF "the database is read-only" "$tmp/err" || bad "read-only import: message: $(cat "$tmp/err")"
	for cmd in snapshots check "history 3" "show 3"; do
		# shellcheck disable=SC2086
		"${run[@]}" "$iw_ro" --db "$ro/ro.db" $cmd > "$tmp/out" 2> "$tmp/err" ||
			bad "read-only database, reader '$cmd' failed: $(cat "$tmp/err")"
		checked=$((checked + 1))
	done
	[ "$(sha256sum < "$ro/ro.db")" = "$sum" ] || bad "the read-only database changed"
	grep -q "14466" <("${run[@]}" "$iw_ro" --db "$ro/ro.db" snapshots) ||
		bad "the read-only database lost its snapshot"
fi

[ $fail = 0 ] && say "ok: $checked refusals and reads checked, no database modified"
exit $fail
