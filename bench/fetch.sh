#!/usr/bin/env bash
# bench/fetch.sh: `ianawatch fetch` on loopback against tests/httpd.py, with issue 5's targets as
# PASS/FAIL: (a) a fetch answered by 304 Not Modified, median under 20 ms; (b) a fetch of a
# changed ~3.9 MB document (download, validation, import, change report) against `curl`
# downloading the same document plus `ianawatch import` of it, side by side in one hyperfine
# run: at most 1.2x. (b) runs twice: identity transfer, and gzip on both sides.
#
# Usage: bench/fetch.sh
#   BENCH_RUNS=100         timed runs of the 304 fetch
#   BENCH_CHANGED_RUNS=15  timed runs of each side of (b)
#   IANAWATCH_BIN=PATH     measure this binary instead of a Release build in build/bench
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_need hyperfine curl python3 awk sqlite3 stat
bench_build
bench_manifest
bench_data_dir

RUNS=${BENCH_RUNS:-100}
CHANGED_RUNS=${BENCH_CHANGED_RUNS:-15}
T="$BENCH_DATA/tmp/fetch"
IW=$IANAWATCH
RESULTS="$BENCH_WORK/fetch-results.txt"
q() { printf '%q' "$1"; }

NEW=${SNAP_FILE[NSNAP - 1]}
PREV=${SNAP_FILE[NSNAP - 2]}
PREV_T=${SNAP_TIME[NSNAP - 2]}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the server: the two newest versions, as prev.xml and new.xml ---------------------------
rm -rf "$T"
mkdir -p "$T/root"
ln -s "$PREV" "$T/root/prev.xml"
ln -s "$NEW" "$T/root/new.xml"
python3 "$REPO_ROOT/tests/httpd.py" --root "$T/root" --port-file "$T/port" --lifetime 3600 \
	--parent-pid $$ >/dev/null 2>"$T/httpd.log" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null' EXIT
for _ in $(seq 100); do
	[[ -s "$T/port" ]] && break
	sleep 0.1
done
[[ -s "$T/port" ]] || bench_die "tests/httpd.py did not start: $(cat "$T/httpd.log")"
U="http://127.0.0.1:$(cat "$T/port")"
bench_say "serving $(basename "$PREV") and $(basename "$NEW") ($(stat -c %s "$NEW") bytes) on $U"

# ---- (a) 304: a database that fetched new.xml, fetching it again -----------------------------
bench_rm_db "$T/nm.db"
"$IW" --db "$T/nm.db" fetch --url "$U/f/new.xml" >/dev/null || bench_die "the first fetch failed"
"$IW" --db "$T/nm.db" -v fetch --url "$U/f/new.xml" 2>"$T/nm.log" ||
	bench_die "the second fetch failed: $(cat "$T/nm.log")"
grep -q "ianawatch: not modified" "$T/nm.log" || bench_die "the second fetch was not answered by 304"
bench_say "(a) fetch answered by 304, $RUNS runs"
hyperfine --style basic -N --warmup 5 --runs "$RUNS" --export-csv "$T/nm.csv" \
	-n fetch-304 "$IW --db $T/nm.db fetch --url $U/f/new.xml" >&2
NM_MEDIAN=$(bench_csv_field "$T/nm.csv" fetch-304 median)
[[ "$(sqlite3 "$T/nm.db" "SELECT count(*) FROM fetch_log WHERE outcome = 'not-modified'")" -ge "$RUNS" ]] ||
	bench_die "the timed fetches were not all 304s"

# ---- (b) a changed document: fetch vs curl + import ------------------------------------------
# Each run starts from a database holding the previous version (imported from its file, so no
# validators: the fetch downloads in full).
bench_rm_db "$T/prev.db"
"$IW" --db "$T/prev.db" import -q --observed-at "$PREV_T" "$PREV" || bench_die "cannot import $PREV"
PREP="cp $(q "$T/prev.db") $(q "$T/run.db") && rm -f $(q "$T/run.db")-wal $(q "$T/run.db")-shm $(q "$T/dl.xml")"
cat "$NEW" "$PREV" >/dev/null

changed() { # changed NAME QUERY CURL_FLAGS: one hyperfine run of both sides
	local name=$1 query=$2 cflags=$3
	bench_say "(b) $name: fetch vs curl + import, $CHANGED_RUNS runs each"
	hyperfine --style basic --warmup 2 --runs "$CHANGED_RUNS" --export-csv "$T/$name.csv" \
		-n fetch --prepare "$PREP" \
		"$(q "$IW") --db $(q "$T/run.db") fetch --url '$U/f/new.xml$query' > /dev/null" \
		-n curl+import --prepare "$PREP" \
		"curl -sSf $cflags -o $(q "$T/dl.xml") '$U/f/new.xml$query' && $(q "$IW") --db $(q "$T/run.db") import -q $(q "$T/dl.xml")" >&2
	[[ "$(sqlite3 "$T/run.db" 'SELECT count(*) FROM snapshot')" == 2 ]] ||
		bench_die "$name: the last run did not store the new version"
}
changed identity "?gzip=0" ""
changed gzip "" "--compressed"

ID_FETCH=$(bench_csv_field "$T/identity.csv" fetch median)
ID_BASE=$(bench_csv_field "$T/identity.csv" curl+import median)
GZ_FETCH=$(bench_csv_field "$T/gzip.csv" fetch median)
GZ_BASE=$(bench_csv_field "$T/gzip.csv" curl+import median)
# CPU time (user + system) as well: wall time on a loaded machine says little.
cpu() { awk -v u="$(bench_csv_field "$1" "$2" user)" -v s="$(bench_csv_field "$1" "$2" system)" \
	'BEGIN { printf "%.4f", u + s }'; }
NM_CPU=$(cpu "$T/nm.csv" fetch-304)
ID_FETCH_CPU=$(cpu "$T/identity.csv" fetch)
ID_BASE_CPU=$(cpu "$T/identity.csv" curl+import)
GZ_FETCH_CPU=$(cpu "$T/gzip.csv" fetch)
GZ_BASE_CPU=$(cpu "$T/gzip.csv" curl+import)
ID_RATIO=$(awk -v a="$ID_FETCH" -v b="$ID_BASE" 'BEGIN { printf "%.3f", a / b }')
GZ_RATIO=$(awk -v a="$GZ_FETCH" -v b="$GZ_BASE" 'BEGIN { printf "%.3f", a / b }')

{
	echo "bench/fetch.sh on $(uname -srm), $(nproc) cores; load before: $LOAD_BEFORE"
	echo "document: $(basename "$NEW") ($(stat -c %s "$NEW") bytes) after $(basename "$PREV")"
	echo
	row() { printf '%-40s %10s %10s  %-9s %s\n' "$@"; }
	row "measure" "median" "cpu (mean)" "target" "verdict"
	row "(a) fetch answered by 304" "$(bench_ms "$NM_MEDIAN")" "$(bench_ms "$NM_CPU")" "< 20 ms" \
		"$(awk -v a="$NM_MEDIAN" 'BEGIN { print (a < 0.020) ? "PASS" : "FAIL" }')"
	row "(b) identity: fetch" "$(bench_ms "$ID_FETCH")" "$(bench_ms "$ID_FETCH_CPU")"
	row "(b) identity: curl + import" "$(bench_ms "$ID_BASE")" "$(bench_ms "$ID_BASE_CPU")"
	row "(b) identity: ratio" "${ID_RATIO}x" "$(bench_ratio "$ID_FETCH_CPU" "$ID_BASE_CPU")" \
		"<= 1.2x" "$(bench_pass "$ID_RATIO" 1.2)"
	row "(b) gzip: fetch" "$(bench_ms "$GZ_FETCH")" "$(bench_ms "$GZ_FETCH_CPU")"
	row "(b) gzip: curl --compressed + import" "$(bench_ms "$GZ_BASE")" "$(bench_ms "$GZ_BASE_CPU")"
	row "(b) gzip: ratio" "${GZ_RATIO}x" "$(bench_ratio "$GZ_FETCH_CPU" "$GZ_BASE_CPU")" \
		"<= 1.2x" "$(bench_pass "$GZ_RATIO" 1.2)"
} | tee "$RESULTS"
bench_say "results kept in $RESULTS"
