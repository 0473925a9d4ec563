#!/usr/bin/env bash
# bench/import.sh: import speed, database size and peak memory against their floors (xmllint's
# streaming parse, a git repository of the same versions), with issue 2's targets as PASS/FAIL.
#
# Usage: bench/import.sh            (see bench/README.md)
#   BENCH_RUNS=15           timed runs of the one-snapshot import and its xmllint floor
#   BENCH_BACKFILL_RUNS=3   timed runs of the full backfill and the xmllint pass
#   BENCH_REBUILD_GIT=1     rebuild the git repository even when a matching one is kept
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_need hyperfine xmllint git /usr/bin/time sqlite3 awk paste xargs stat date sha256sum
bench_build
bench_manifest
bench_data_dir

RUNS=${BENCH_RUNS:-15}
BACKFILL_RUNS=${BENCH_BACKFILL_RUNS:-3}
T="$BENCH_DATA/tmp/import"
mkdir -p "$T"
IW=$IANAWATCH
RESULTS="$BENCH_WORK/import-results.txt"
q() { printf '%q' "$1"; }

NEW=${SNAP_FILE[NSNAP - 1]}
NEW_T=${SNAP_TIME[NSNAP - 1]}
PREV=${SNAP_FILE[NSNAP - 2]}
PREV_T=${SNAP_TIME[NSNAP - 2]}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
bench_say "$NSNAP snapshots in $CORPUS; one import: $(basename "$NEW") ($(stat -c %s "$NEW") bytes)" \
	"on top of $(basename "$PREV")"

# ---- (a) one snapshot into a database holding the previous one --------------------------------
bench_rm_db "$T/prev.db"
"$IW" --db "$T/prev.db" import -q --observed-at "$PREV_T" "$PREV" || bench_die "cannot import $PREV"
PREP_ONE="cp $(q "$T/prev.db") $(q "$T/one.db") && rm -f $(q "$T/one.db")-wal $(q "$T/one.db")-shm"
ONE_CMD="$(q "$IW") --db $(q "$T/one.db") import -q --observed-at $NEW_T $(q "$NEW")"
XML_ONE="xmllint --stream --noout $(q "$NEW")"
cat "$NEW" "$PREV" >/dev/null
bench_say "(a) one import vs xmllint --stream, $RUNS runs each"
hyperfine --style basic --warmup 2 --runs "$RUNS" --export-csv "$T/one.csv" \
	-n import --prepare "$PREP_ONE" "$ONE_CMD" \
	-n import-no-raw --prepare "$PREP_ONE" "$ONE_CMD --no-raw" \
	-n xmllint --prepare true "$XML_ONE" >&2
[[ "$(sqlite3 "$T/one.db" 'SELECT count(*) FROM snapshot')" == 2 ]] ||
	bench_die "the one-snapshot import did not store a second snapshot"

# ---- (b) the full backfill, into a fresh database each run ------------------------------------
DB="$T/full.db"
RSS_LOG="$T/backfill-rss.txt"
: >"$RSS_LOG"
# Both sides read the corpus from the page cache.
xargs -d '\n' cat <"$BENCH_WORK/files.txt" >/dev/null
bench_say "(b) backfill of $NSNAP snapshots vs an xmllint pass over them, $BACKFILL_RUNS runs each"
hyperfine --style basic --runs "$BACKFILL_RUNS" --export-csv "$T/backfill.csv" \
	-n backfill --prepare "rm -f $(q "$DB") $(q "$DB")-wal $(q "$DB")-shm" \
	"/usr/bin/time -f %M -a -o $(q "$RSS_LOG") $(q "$IW") --db $(q "$DB") import -q --manifest $(q "$MANIFEST")" \
	-n xmllint-all --prepare true \
	"xargs -d '\\n' xmllint --stream --noout < $(q "$BENCH_WORK/files.txt")" >&2
[[ "$(sqlite3 "$DB" 'SELECT count(*) FROM snapshot')" == "$NSNAP" ]] ||
	bench_die "the backfill did not store $NSNAP snapshots"
bench_rm_db "$BENCH_DATA/all.db"
for ext in "" -wal -shm; do
	if [[ -f "$DB$ext" ]]; then mv "$DB$ext" "$BENCH_DATA/all.db$ext"; fi
done
ALL="$BENCH_DATA/all.db"

# ---- (c) sizes: the database against a git repository of the same versions --------------------
DB_FILE=$(bench_size "$ALL" "$ALL-wal")
PAGE=$(sqlite3 "$ALL" 'PRAGMA page_size')
FREE=$(($(sqlite3 "$ALL" 'PRAGMA freelist_count') * PAGE))
RAW_PAYLOAD=$(sqlite3 "$ALL" 'SELECT coalesce(sum(length(data)), 0) FROM raw')
RAW_FULL=$(sqlite3 "$ALL" 'SELECT coalesce(sum(length(data)), 0) FROM raw WHERE base_id IS NULL')
RAW_DELTAS=$(sqlite3 "$ALL" 'SELECT count(*) FROM raw WHERE base_id IS NOT NULL')
if sqlite3 "$ALL" 'SELECT 1 FROM dbstat LIMIT 1' >/dev/null 2>&1; then
	# The raw archive is raw_head and raw_delta; the parsed history is every other b-tree.
	RAW_PAGES=$(sqlite3 "$ALL" "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ('raw_head', 'raw_delta')")
	PARSED=$(sqlite3 "$ALL" "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name NOT IN ('raw_head', 'raw_delta')")
	RAW_LEAF_UNUSED=$(sqlite3 "$ALL" "SELECT coalesce(sum(unused), 0) FROM dbstat WHERE name IN ('raw_head', 'raw_delta') AND pagetype = 'leaf'")
	# VACUUM repacks the pages: the difference is b-tree fragmentation, not data.
	bench_rm_db "$T/vacuum.db"
	sqlite3 "$ALL" "VACUUM INTO '$T/vacuum.db'"
	VAC_FILE=$(bench_size "$T/vacuum.db")
	VAC_RAW=$(sqlite3 "$T/vacuum.db" "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ('raw_head', 'raw_delta')")
	VAC_PARSED=$(sqlite3 "$T/vacuum.db" "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name NOT IN ('raw_head', 'raw_delta')")
else
	bench_say "this sqlite3 has no dbstat: the parsed history is estimated as file - raw payload - free pages"
	RAW_PAGES=$RAW_PAYLOAD
	PARSED=$((DB_FILE - RAW_PAYLOAD - FREE))
	RAW_LEAF_UNUSED=0 VAC_FILE=0 VAC_RAW=0 VAC_PARSED=0
fi

bench_git_repo
GIT=$BENCH_GIT
GC_SECS=$BENCH_GIT_GC_SECS
GIT_PACK=$(bench_size "$GIT"/.git/objects/pack/*.pack)

# ---- (d) peak memory of one import -------------------------------------------------------------
rss_of() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
RSS_ONE=0
for i in 1 2 3; do
	eval "$PREP_ONE"
	/usr/bin/time -v -o "$T/rss-one.txt" "$IW" --db "$T/one.db" import -q --observed-at "$NEW_T" "$NEW"
	r=$(rss_of "$T/rss-one.txt")
	if ((r > RSS_ONE)); then RSS_ONE=$r; fi
done
/usr/bin/time -v -o "$T/rss-xmllint.txt" xmllint --stream --noout "$NEW"
RSS_XML=$(rss_of "$T/rss-xmllint.txt")
RSS_BACKFILL=$(sort -n "$RSS_LOG" | tail -1)

# ---- report ---------------------------------------------------------------------------------------
med() { bench_csv_field "$1" "$2" median; }
ONE=$(med "$T/one.csv" import)
ONE_NORAW=$(med "$T/one.csv" import-no-raw)
ONE_MIN=$(bench_csv_field "$T/one.csv" import min)
XML_MIN=$(bench_csv_field "$T/one.csv" xmllint min)
FULL_MIN=$(bench_csv_field "$T/backfill.csv" backfill min)
XML_ALL_MIN=$(bench_csv_field "$T/backfill.csv" xmllint-all min)
XML=$(med "$T/one.csv" xmllint)
FULL=$(med "$T/backfill.csv" backfill)
cpu() { awk -v u="$(bench_csv_field "$1" "$2" user)" -v s="$(bench_csv_field "$1" "$2" system)" 'BEGIN { print u + s }'; }
ONE_CPU=$(cpu "$T/one.csv" import)
XML_CPU=$(cpu "$T/one.csv" xmllint)
FULL_CPU=$(cpu "$T/backfill.csv" backfill)
XML_ALL_CPU=$(cpu "$T/backfill.csv" xmllint-all)
XML_ALL=$(med "$T/backfill.csv" xmllint-all)
PER_SNAP=$(awk -v a="$FULL" -v n="$NSNAP" 'BEGIN { print a / n }')
PER_XML=$(awk -v a="$XML_ALL" -v n="$NSNAP" 'BEGIN { print a / n }')
MB10=10000000
RSS_CAP=32768 # KiB: 32 MiB

{
	echo "ianawatch import bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores," \
		"load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "binary: $IW (commit $BENCH_COMMIT); corpus: $CORPUS ($NSNAP snapshots)"
	echo
	printf '%-44s %14s %14s %8s\n' "measure (medians)" "ianawatch" "floor" "ratio"
	printf '%-44s %14s %14s %8s\n' "(a) one import vs xmllint --stream" "$(bench_ms "$ONE")" \
		"$(bench_ms "$XML")" "$(bench_ratio "$ONE" "$XML")"
	printf '%-44s %14s %14s %8s\n' "    same, import --no-raw" "$(bench_ms "$ONE_NORAW")" \
		"$(bench_ms "$XML")" "$(bench_ratio "$ONE_NORAW" "$XML")"
	printf '%-44s %14s %14s %8s\n' "    fastest run (least disturbed)" "$(bench_ms "$ONE_MIN")" \
		"$(bench_ms "$XML_MIN")" "$(bench_ratio "$ONE_MIN" "$XML_MIN")"
	printf '%-44s %14s %14s %8s\n' "    CPU user+sys, mean" "$(bench_ms "$ONE_CPU")" \
		"$(bench_ms "$XML_CPU")" "$(bench_ratio "$ONE_CPU" "$XML_CPU")"
	printf '%-44s %14s %14s %8s\n' "(b) backfill of $NSNAP vs xmllint pass" "$(bench_secs "$FULL")" \
		"$(bench_secs "$XML_ALL")" "$(bench_ratio "$FULL" "$XML_ALL")"
	printf '%-44s %14s %14s %8s\n' "    per snapshot" "$(bench_ms "$PER_SNAP")" \
		"$(bench_ms "$PER_XML")" ""
	printf '%-44s %14s %14s %8s\n' "    fastest run (least disturbed)" "$(bench_secs "$FULL_MIN")" \
		"$(bench_secs "$XML_ALL_MIN")" "$(bench_ratio "$FULL_MIN" "$XML_ALL_MIN")"
	printf '%-44s %14s %14s %8s\n' "    CPU user+sys, mean" "$(bench_secs "$FULL_CPU")" \
		"$(bench_secs "$XML_ALL_CPU")" "$(bench_ratio "$FULL_CPU" "$XML_ALL_CPU")"
	printf '%-44s %14s %14s %8s\n' "(c) database file vs git pack" "$(bench_mb "$DB_FILE")" \
		"$(bench_mb "$GIT_PACK")" "$(bench_ratio "$DB_FILE" "$GIT_PACK")"
	printf '%-44s %14s\n' "    parsed history (all b-trees but raw)" "$(bench_mb "$PARSED")"
	printf '%-44s %14s %14s %8s\n' "    raw archive on disk (raw_head + raw_delta)" "$(bench_mb "$RAW_PAGES")" \
		"$(bench_mb "$GIT_PACK")" "$(bench_ratio "$RAW_PAGES" "$GIT_PACK")"
	printf '%-44s %14s %14s %8s\n' "    raw archive payload, sum(length(data))" "$(bench_mb "$RAW_PAYLOAD")" \
		"$(bench_mb "$GIT_PACK")" "$(bench_ratio "$RAW_PAYLOAD" "$GIT_PACK")"
	printf '%-44s %14s\n' "      of which the newest, compressed alone" "$(bench_mb "$RAW_FULL")"
	printf '%-44s %14s\n' "      and $RAW_DELTAS deltas, average" \
		"$(awk -v a="$RAW_PAYLOAD" -v b="$RAW_FULL" -v n="$RAW_DELTAS" 'BEGIN { printf "%.0f B", n ? (a - b) / n : 0 }')"
	printf '%-44s %14s\n' "    unused bytes in raw leaf pages" "$(bench_mb "$RAW_LEAF_UNUSED")"
	printf '%-44s %14s\n' "    free pages" "$(bench_mb "$FREE")"
	printf '%-44s %14s\n' "    after VACUUM: file" "$(bench_mb "$VAC_FILE")"
	printf '%-44s %14s\n' "    after VACUUM: parsed history" "$(bench_mb "$VAC_PARSED")"
	printf '%-44s %14s %14s %8s\n' "    after VACUUM: raw archive" "$(bench_mb "$VAC_RAW")" \
		"$(bench_mb "$GIT_PACK")" "$(bench_ratio "$VAC_RAW" "$GIT_PACK")"
	printf '%-44s %14s %14s\n' "    raw archive vs git pack, exact bytes" "$RAW_PAGES" "$GIT_PACK"
	printf '%-44s %14s %14s\n' "    same after VACUUM, exact bytes" "$VAC_RAW" "$GIT_PACK"
	printf '%-44s %14s\n' "    git gc --aggressive took" "${GC_SECS} s"
	printf '%-44s %14s %14s %8s\n' "(d) peak RSS of one import vs xmllint" "$((RSS_ONE / 1024)) MiB" \
		"$((RSS_XML / 1024)) MiB" "$(bench_ratio "$RSS_ONE" "$RSS_XML")"
	printf '%-44s %14s\n' "    peak RSS of the backfill" "$((RSS_BACKFILL / 1024)) MiB"
	echo
	echo "targets (issue 2):"
	printf '  %-58s %s\n' "one import within 2x of xmllint --stream ($(bench_ratio "$ONE" "$XML"))" \
		"$(bench_pass "$ONE" "$(awk -v x="$XML" 'BEGIN { print 2 * x }')")"
	printf '  %-58s %s\n' "backfill within 2x of the xmllint pass ($(bench_ratio "$FULL" "$XML_ALL"))" \
		"$(bench_pass "$FULL" "$(awk -v x="$XML_ALL" 'BEGIN { print 2 * x }')")"
	printf '  %-58s %s\n' "parsed history under 10 MB ($(bench_mb "$PARSED"))" \
		"$(bench_pass "$PARSED" $((MB10 - 1)))"
	printf '  %-58s %s\n' "raw archive on disk <= git pack ($(bench_mb "$RAW_PAGES") vs $(bench_mb "$GIT_PACK"))" \
		"$(bench_pass "$RAW_PAGES" "$GIT_PACK")"
	printf '  %-58s %s\n' "raw archive payload <= git pack ($(bench_mb "$RAW_PAYLOAD"))" \
		"$(bench_pass "$RAW_PAYLOAD" "$GIT_PACK")"
	printf '  %-58s %s\n' "peak RSS of one import under 32 MiB ($((RSS_ONE / 1024)) MiB)" \
		"$(bench_pass "$RSS_ONE" $((RSS_CAP - 1)))"
	echo
	echo "kept: $ALL (the backfill), $GIT (the git repository)"
} | tee "$RESULTS"
bench_say "results also in $RESULTS"
