#!/usr/bin/env bash
# concurrency.sh: readers (snapshots, diff, history, show, report, check) run in a loop while
# imports write: every reader run succeeds and sees the snapshot set before or after a write,
# never in between. Two writers at once never interleave: both succeed one after the other,
# or one gives up cleanly with exit 6 (busy); the database checks out afterwards.
# Usage: concurrency.sh IANAWATCH_BINARY [SECONDS]   (default 30 seconds in all)
set -u
iw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
budget=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iwconc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C
unset IANAWATCH_DB XDG_DATA_HOME
fail=0
say() { printf '%s\n' "$*"; }
bad() { say "FAIL: $*"; fail=1; }
T_OLD=2017-03-14T19:45:24Z T_MID=2025-01-24T01:44:55Z T_NEW=2025-02-14T01:46:39Z

base=$tmp/base.db
"$iw" --db "$base" import -q "$data/2025-01-23.xml.gz" --observed-at $T_MID &&
	"$iw" --db "$base" import -q "$data/2025-02-13.xml.gz" --observed-at $T_NEW ||
	{ say "cannot build the base database"; exit 1; }

# The only snapshot sets a reader may see: before the insertion of 2017-03-10, and after.
BEFORE="2025-01-23 2025-02-13"
AFTER="2017-03-10 2025-01-23 2025-02-13"

# One reader pass over db; failures go to $tmp/reader.err. Runs until $tmp/stop exists.
readers() { # readers DB ID
	local db=$1 id=$2 i=0 rc set
	while [ ! -e "$tmp/stop" ]; do
		i=$((i + 1))
		set=$("$iw" --db "$db" snapshots --format json 2> "$tmp/r$id.err" |
			sed -n 's/.*"registry_updated": "\([0-9-]*\)".*/\1/p' | tr '\n' ' ' | sed 's/ $//')
		if [ "$set" != "$BEFORE" ] && [ "$set" != "$AFTER" ]; then
			echo "snapshots saw '$set': $(cat "$tmp/r$id.err")" >> "$tmp/reader.err"
		fi
		"$iw" --db "$db" diff latest~1 latest --format json > /dev/null 2> "$tmp/r$id.err"
		rc=$?
		[ $rc = 0 ] || [ $rc = 1 ] || echo "diff exit $rc: $(cat "$tmp/r$id.err")" >> "$tmp/reader.err"
		for cmd in "history 3/tcp" "show 3/tcp" "check --sample 1 -q" \
			"report --out $tmp/site$id --since 2025-01-01"; do
			# shellcheck disable=SC2086
			"$iw" --db "$db" $cmd > /dev/null 2> "$tmp/r$id.err" ||
				echo "$cmd exit $?: $(cat "$tmp/r$id.err")" >> "$tmp/reader.err"
		done
		echo "$i" > "$tmp/r$id.count"
	done
}

# ---- readers against a writer ------------------------------------------------------------
start=$SECONDS
rounds=0
reads=0
: > "$tmp/reader.err"
while [ $((SECONDS - start)) -lt $((budget / 2)) ]; do
	db=$tmp/read.db
	rm -f "$db" "$db-wal" "$db-shm" "$tmp/stop" "$tmp"/r*.count
	cp "$base" "$db"
	readers "$db" 1 &
	r1=$!
	readers "$db" 2 &
	r2=$!
	sleep 0.$((RANDOM % 5))
	"$iw" --db "$db" import -q "$data/2017-03-10.xml.gz" --observed-at $T_OLD 2> "$tmp/w.err" ||
		bad "the import beside readers failed: $(cat "$tmp/w.err")"
	sleep 0.3
	touch "$tmp/stop"
	wait "$r1" "$r2"
	rounds=$((rounds + 1))
	reads=$((reads + $(cat "$tmp/r1.count" 2> /dev/null || echo 0) + $(cat "$tmp/r2.count" 2> /dev/null || echo 0)))
	"$iw" --db "$db" check -q || bad "check after round $rounds"
done
if [ -s "$tmp/reader.err" ]; then
	bad "readers failed $(wc -l < "$tmp/reader.err") times; first: $(head -n 3 "$tmp/reader.err")"
fi
say "readers: $rounds imports, $reads reader passes of 7 commands beside them"

# ---- two writers at once -----------------------------------------------------------------
pairs=0
busy=0
while [ $((SECONDS - start)) -lt "$budget" ]; do
	db=$tmp/write.db
	rm -f "$db" "$db-wal" "$db-shm"
	"$iw" --db "$db" import -q "$data/2025-01-23.xml.gz" --observed-at $T_MID
	# Two different documents, and the same one twice: each stored exactly once.
	"$iw" --db "$db" import -q "$data/2025-02-13.xml.gz" --observed-at $T_NEW 2> "$tmp/a.err" &
	a=$!
	"$iw" --db "$db" import -q "$data/2017-03-10.xml.gz" --observed-at $T_OLD 2> "$tmp/b.err" &
	b=$!
	"$iw" --db "$db" import -q "$data/2017-03-10.xml.gz" --observed-at $T_OLD 2> "$tmp/c.err" &
	c=$!
	want=1
	for p in "$a:a:2025-02-13" "$b:b:2017-03-10" "$c:c:2017-03-10"; do
		IFS=: read -r pid name doc <<< "$p"
		wait "$pid"
		rc=$?
		case $rc in
		0) ;;
		6) busy=$((busy + 1)) ;;
		*) bad "writer $name exit $rc: $(cat "$tmp/$name.err")" ;;
		esac
	done
	n=$(sqlite3 "$db" "SELECT count(*) FROM snapshot")
	dup=$(sqlite3 "$db" "SELECT count(*) - count(DISTINCT sha256) FROM snapshot")
	[ "$dup" = 0 ] || bad "a document was stored twice"
	[ "$n" -ge 1 ] && [ "$n" -le 3 ] || bad "$n snapshots after the writers"
	[ $busy -gt 0 ] || [ "$n" = 3 ] || bad "all writers succeeded, yet $n snapshots"
	"$iw" --db "$db" check > "$tmp/check" 2>&1 || bad "check after concurrent writers: $(cat "$tmp/check")"
	pairs=$((pairs + 1))
	unset want
done
say "writers: $pairs rounds of three concurrent imports, $busy gave up busy"
[ $fail = 0 ] && say "ok: every reader saw a whole snapshot set, writers never interleaved"
exit $fail
