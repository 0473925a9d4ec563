#!/usr/bin/env bash
# bench/search.sh: `search` and `person` as whole processes on the database of every snapshot;
# issue 12's targets as PASS/FAIL (each under 20 ms median), and the share of the database the
# full-text index takes (under 50 % added to the database's size; needs sqlite3 with dbstat).
#
# Usage: bench/search.sh [DB]
#   DB         a database holding every snapshot (default $BENCH_DATA/all.db, which
#              bench/import.sh leaves behind)
#   BENCH_RUNS=100        timed runs of each command
#   IANAWATCH_BIN=PATH    measure this binary instead of a Release build in build/bench
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_need hyperfine awk
bench_build
bench_data_dir

DB=${1:-$BENCH_DATA/all.db}
RUNS=${BENCH_RUNS:-100}
T="$BENCH_DATA/tmp"
IW=$IANAWATCH
RESULTS="$BENCH_WORK/search-results.txt"
q() { printf '%q' "$1"; }
mkdir -p "$T" "$BENCH_WORK"

[[ -f "$DB" ]] || bench_die "no database at $DB (bench/import.sh builds $BENCH_DATA/all.db)"
NSNAP=$("$IW" --db "$DB" snapshots | tail -n +2 | wc -l)
bench_say "$NSNAP snapshots in $DB"

# What each command answers, before timing it.
"$IW" --db "$DB" search compression >"$T/search-compression.txt" || bench_die "search compression failed"
"$IW" --db "$DB" search apple >"$T/search-apple.txt" || bench_die "search apple failed"
"$IW" --db "$DB" person Bernie_Volz >"$T/person-id.txt" || bench_die "person Bernie_Volz failed"
"$IW" --db "$DB" person "bernie volz" >"$T/person-name.txt" || bench_die "person 'bernie volz' failed"

cat "$DB" >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
bench_say "ianawatch, $RUNS runs each (and --version: the cost of starting the binary at all)"
hyperfine --style basic -N --warmup 10 --runs "$RUNS" --export-csv "$T/search.csv" \
	-n search-compression "$(q "$IW") --db $(q "$DB") search compression" \
	-n search-apple "$(q "$IW") --db $(q "$DB") search apple" \
	-n person-id "$(q "$IW") --db $(q "$DB") person Bernie_Volz" \
	-n person-name "$(q "$IW") --db $(q "$DB") person 'bernie volz'" \
	-n version "$(q "$IW") --version" >&2
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

SC=$(bench_csv_field "$T/search.csv" search-compression median)
SA=$(bench_csv_field "$T/search.csv" search-apple median)
PI=$(bench_csv_field "$T/search.csv" person-id median)
PN=$(bench_csv_field "$T/search.csv" person-name median)
V=$(bench_csv_field "$T/search.csv" version median)

FTS=""
if command -v sqlite3 >/dev/null 2>&1; then
	# Pages of the FTS5 tables (and their shadow tables) against all the others.
	FTS=$(sqlite3 -readonly "$DB" "SELECT coalesce(sum(CASE WHEN name LIKE '%fts%' THEN pgsize END), 0) || ' ' || sum(pgsize) FROM dbstat" 2>/dev/null || true)
fi
{
	echo "search and person, $NSNAP snapshots ($(date -u +%Y-%m-%dT%H:%M:%SZ);" \
		"load $LOAD_BEFORE -> $LOAD_AFTER)"
	printf '  %-44s %12s\n' "ianawatch search compression (median)" "$(bench_ms "$SC")"
	printf '  %-44s %12s\n' "ianawatch search apple (median)" "$(bench_ms "$SA")"
	printf '  %-44s %12s\n' "ianawatch person Bernie_Volz (median)" "$(bench_ms "$PI")"
	printf '  %-44s %12s\n' "ianawatch person 'bernie volz' (median)" "$(bench_ms "$PN")"
	printf '  %-44s %12s\n' "ianawatch --version (process start alone)" "$(bench_ms "$V")"
	if [[ -n "$FTS" ]]; then
		read -r fts all <<<"$FTS"
		printf '  %-44s %12s\n' "full-text index" "$(bench_mb "$fts") of $(bench_mb "$all")"
		printf '  %-58s %s\n' "the index adds under 50 % to the rest of the database" \
			"$(bench_pass "$fts" "$(awk -v a="$all" -v f="$fts" 'BEGIN { print (a - f) / 2 }')")"
	fi
	for m in "search compression:$SC" "search apple:$SA" "person Bernie_Volz:$PI" \
		"person 'bernie volz':$PN"; do
		printf '  %-58s %s\n' "${m%%:*} under 20 ms median" "$(bench_pass "${m##*:}" 0.020)"
	done
	echo
	echo "  what ianawatch search compression answers:"
	sed 's/^/    /' "$T/search-compression.txt"
	echo "  what ianawatch person Bernie_Volz answers:"
	sed 's/^/    /' "$T/person-id.txt"
} | tee "$RESULTS"
