#!/usr/bin/env bash
# kill_import.sh: crash safety. Over and over, `ianawatch import` (a newer snapshot appended,
# an older one inserted in time order) and `ianawatch fetch` (from tests/httpd.py) are killed
# with SIGKILL after a random delay; after each kill the database must pass SQLite's
# integrity_check and `ianawatch check` (so the snapshot is wholly there or wholly absent),
# the crashed database is used as it is for the next round, and a final run must succeed.
# Usage: kill_import.sh IANAWATCH_BINARY [SECONDS]   (default 45 seconds of killing)
set -u
iw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
budget=${2:-45}
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iwkill.XXXXXX")
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C
export IANAWATCH_RETRY_BASE_MS=20 IANAWATCH_LOCK_WAIT_MS=2000
unset IANAWATCH_DB XDG_DATA_HOME http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
fail=0
say() { printf '%s\n' "$*"; }
bad() { say "FAIL: $*"; fail=1; }
command -v sqlite3 > /dev/null || { say "sqlite3 (the command-line shell) is needed"; exit 1; }

sha_of() { gzip -dc "$data/$1.xml.gz" | sha256sum | cut -d' ' -f1; }
T_OLD=2017-03-14T19:45:24Z T_MID=2025-01-24T01:44:55Z T_NEW=2025-02-14T01:46:39Z
SHA_OLD=$(sha_of 2017-03-10)
SHA_NEW=$(sha_of 2025-02-13)

# Two starting points: the newest version missing (to append), the oldest missing (to insert
# before everything: every position shifts and the raw archive is re-encoded).
mkbase() { # mkbase DB FILE TIME FILE TIME
	"$iw" --db "$1" import -q "$data/$2.xml.gz" --observed-at "$3" &&
		"$iw" --db "$1" import -q "$data/$4.xml.gz" --observed-at "$5"
}
mkbase "$tmp/base-append.db" 2017-03-10 $T_OLD 2025-01-23 $T_MID || { say "cannot build a base"; exit 1; }
mkbase "$tmp/base-insert.db" 2025-01-23 $T_MID 2025-02-13 $T_NEW || { say "cannot build a base"; exit 1; }
cp "$tmp/base-append.db" "$tmp/base-fetch.db"

modes=(append insert)
if command -v python3 > /dev/null; then
	mkdir "$tmp/root"
	ln -s "$data/2025-02-13.xml.gz" "$tmp/root/2025-02-13.xml.gz"
	python3 "$here/../httpd.py" --root "$tmp/root" --port-file "$tmp/port" \
		--lifetime $((budget + 120)) --parent-pid $$ > /dev/null 2> "$tmp/httpd.log" &
	server_pid=$!
	for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
	if [ -s "$tmp/port" ]; then
		url="http://127.0.0.1:$(cat "$tmp/port")/f/2025-02-13.xml"
		modes+=(fetch)
	else
		say "note: tests/httpd.py did not start; fetch is not killed: $(cat "$tmp/httpd.log")"
	fi
fi

# What each mode runs, and which snapshot it adds.
command_of() { # command_of MODE DB
	case $1 in
	append) echo "$iw --db $2 import -q $data/2025-02-13.xml.gz --observed-at $T_NEW" ;;
	insert) echo "$iw --db $2 import -q $data/2017-03-10.xml.gz --observed-at $T_OLD" ;;
	fetch) echo "$iw --db $2 fetch --url $url --attempts 1" ;;
	esac
}
target_of() { case $1 in insert) echo "$SHA_OLD" ;; *) echo "$SHA_NEW" ;; esac; }

# Kill within the time a whole run takes (at least 300 ms), so that kills land everywhere:
# reading, parsing, compressing, inside the write transaction, after the commit.
declare -A max_ms
for m in "${modes[@]}"; do
	cp "$tmp/base-$m.db" "$tmp/probe.db"
	t0=$(date +%s%N)
	# shellcheck disable=SC2046
	$(command_of "$m" "$tmp/probe.db") > /dev/null 2>&1 || { say "a $m run fails even unkilled"; exit 1; }
	ms=$((($(date +%s%N) - t0) / 1000000))
	max_ms[$m]=$((ms * 3 / 2 > 300 ? ms * 3 / 2 : 300))
	rm -f "$tmp"/probe.db*
done

declare -A kills absent present
start=$SECONDS
round=0
while [ $((SECONDS - start)) -lt "$budget" ]; do
	m=${modes[$((round % ${#modes[@]}))]}
	round=$((round + 1))
	db=$tmp/state-$m.db
	target=$(target_of "$m")
	# Keep crashing the same database until a run gets through; then start over.
	if [ ! -f "$db" ] || [ "$(sqlite3 "$db" "SELECT count(*) FROM snapshot WHERE sha256 = '$target'")" != 0 ]; then
		rm -f "$db" "$db-wal" "$db-shm"
		cp "$tmp/base-$m.db" "$db"
	fi
	delay=$((RANDOM % ${max_ms[$m]}))
	# shellcheck disable=SC2046
	$(command_of "$m" "$db") > /dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' "$delay")"
	kill -KILL "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	kills[$m]=$((${kills[$m]:-0} + 1))

	ic=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1)
	[ "$ic" = ok ] || bad "$m, killed after ${delay} ms: integrity_check: $ic"
	if ! "$iw" --db "$db" check > "$tmp/check" 2>&1; then
		# Keep the evidence: the temporary folder goes away on exit.
		kept=$(mktemp "${TMPDIR:-/tmp}/iwkill-failed-$m.XXXXXX")
		cp "$db" "$kept"
		[ -f "$db-wal" ] && cp "$db-wal" "$kept-wal"
		bad "$m, killed after ${delay} ms (database kept as $kept): check: $(head -c 600 "$tmp/check")"
	fi
	n=$(sqlite3 "$db" "SELECT count(*) FROM snapshot")
	has=$(sqlite3 "$db" "SELECT count(*) FROM snapshot WHERE sha256 = '$target'")
	case "$n/$has" in
	2/0) absent[$m]=$((${absent[$m]:-0} + 1)) ;;
	3/1) present[$m]=$((${present[$m]:-0} + 1)) ;;
	*) bad "$m, killed after ${delay} ms: $n snapshots, target stored $has times" ;;
	esac
	[ $fail = 0 ] || break
done

# The next run on each crashed database succeeds and leaves it whole.
for m in "${modes[@]}"; do
	db=$tmp/state-$m.db
	[ -f "$db" ] || continue
	# shellcheck disable=SC2046
	$(command_of "$m" "$db") > "$tmp/out" 2>&1 || bad "$m: the run after the last kill failed: $(cat "$tmp/out")"
	[ "$(sqlite3 "$db" "SELECT count(*) FROM snapshot")" = 3 ] || bad "$m: not 3 snapshots after the final run"
	"$iw" --db "$db" check > "$tmp/check" 2>&1 || bad "$m: check after the final run: $(cat "$tmp/check")"
	say "$m: ${kills[$m]:-0} kills within ${max_ms[$m]} ms; snapshot absent after ${absent[$m]:-0}, whole after ${present[$m]:-0}"
done
[ $fail = 0 ] && say "ok: $round kills, the database consistent after every one"
exit $fail
