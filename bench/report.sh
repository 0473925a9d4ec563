#!/usr/bin/env bash
# bench/report.sh: issue 6's targets for `ianawatch report`: the whole static site for every
# snapshot of the history under 2 s, and the incremental update after one new snapshot (what
# `fetch --report-dir` does) under 100 ms.
#
# Usage: bench/report.sh            (see bench/README.md for the corpus, binary and BENCH_DATA)
#   BENCH_RUNS=10          timed runs of each full build
#   BENCH_INC_RUNS=30      timed runs of each incremental update
#   BENCH_VERIFY=1         also check every change set of changes.json against `ianawatch diff
#                          FROM TO --format json` (one diff per change set: a few minutes)
#
# Databases (kept in $BENCH_DATA for the next run): all.db, every snapshot (import.sh's
# backfill, or imported here when missing), and report-prev.db, all but the newest snapshot
# (imported once, reused while the manifest is unchanged).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_need hyperfine sqlite3 python3 awk cmp diff
bench_build
bench_manifest
bench_data_dir

RUNS=${BENCH_RUNS:-10}
INC_RUNS=${BENCH_INC_RUNS:-30}
T="$BENCH_DATA/tmp/report"
IW=$IANAWATCH
RESULTS="$BENCH_WORK/report-results.txt"
q() { printf '%q' "$1"; }
mkdir -p "$T"
STAMP=$(sha256sum <"$MANIFEST" | cut -d' ' -f1)
# How many snapshots a database holds that this binary can read (0 when it cannot: missing,
# or written by a build with another schema).
count_snapshots() {
	"$IW" --db "$1" snapshots >/dev/null 2>&1 || { echo 0; return; }
	sqlite3 "$1" 'SELECT count(*) FROM snapshot' 2>/dev/null || echo 0
}

# ---- the databases --------------------------------------------------------------------------------
ALL="$BENCH_DATA/all.db"
if [[ "$(count_snapshots "$ALL")" != "$NSNAP" ]]; then
	bench_say "importing $NSNAP snapshots into $ALL (about a minute)"
	bench_rm_db "$ALL.tmp"
	"$IW" --db "$ALL.tmp" import -q --manifest "$MANIFEST" || bench_die "the import failed"
	bench_rm_db "$ALL"
	mv "$ALL.tmp" "$ALL"
fi
PREV="$BENCH_DATA/report-prev.db"
if [[ "$(count_snapshots "$PREV")" != "$((NSNAP - 1))" || ! -f "$PREV.stamp" ||
	"$(cat "$PREV.stamp")" != "$STAMP" ]]; then
	bench_say "importing the first $((NSNAP - 1)) snapshots into $PREV (about a minute)"
	head -n "$((NSNAP - 1))" "$MANIFEST" >"$T/prev-manifest.tsv"
	bench_rm_db "$PREV"
	"$IW" --db "$PREV" import -q --manifest "$T/prev-manifest.tsv" || bench_die "the import failed"
	echo "$STAMP" >"$PREV.stamp"
fi
# The same history: all.db is report-prev.db plus the newest snapshot.
[[ "$(sqlite3 "$ALL" 'SELECT group_concat(sha256) FROM (SELECT sha256 FROM snapshot ORDER BY pos LIMIT '"$((NSNAP - 1))"')')" == \
	"$(sqlite3 "$PREV" 'SELECT group_concat(sha256) FROM (SELECT sha256 FROM snapshot ORDER BY pos)')" ]] ||
	bench_die "$PREV is not $ALL without its newest snapshot; delete it to rebuild"

# ---- the site of the previous snapshots, the starting point of an incremental update ------------
"$IW" --db "$PREV" report --out "$T/site-prev" >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- (a) the whole site, into an empty folder and over an existing one ----------------------------
# The floor: `cp -r` of the finished site, i.e. creating as many files of the same sizes. On a
# busy or slow file system, creating ~870 files is most of the time.
bench_say "(a) the whole site of $NSNAP snapshots, $RUNS runs each"
"$IW" --db "$ALL" report --out "$T/site-full" >/dev/null
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-csv "$T/full.csv" \
	-n full-new --prepare "rm -rf $(q "$T/site-full")" \
	"$(q "$IW") --db $(q "$ALL") report --out $(q "$T/site-full")" \
	-n full-over --prepare true "$(q "$IW") --db $(q "$ALL") report --out $(q "$T/site-full")" \
	-n cp-floor --prepare "rm -rf $(q "$T/site-cp")" "cp -r $(q "$T/site-full") $(q "$T/site-cp")" >&2

# ---- (b) the incremental update after one new snapshot --------------------------------------------
bench_say "(b) incremental update after one new snapshot, $INC_RUNS runs each"
PREP_INC="rm -rf $(q "$T/site-inc") && cp -a $(q "$T/site-prev") $(q "$T/site-inc")"
hyperfine --style basic --warmup 2 --runs "$INC_RUNS" --export-csv "$T/inc.csv" \
	-n incremental --prepare "$PREP_INC" \
	"$(q "$IW") --db $(q "$ALL") report --incremental --out $(q "$T/site-inc")" \
	-n up-to-date --prepare true \
	"$(q "$IW") --db $(q "$ALL") report --incremental --out $(q "$T/site-inc")" >&2

# ---- correctness: the update gives the very files of a full build -----------------------------------
eval "$PREP_INC"
INC_OUT=$("$IW" --db "$ALL" report --incremental --out "$T/site-inc")
diff -r "$T/site-inc" "$T/site-full" >/dev/null && SAME=yes || SAME=no
NSETS=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/site-full/changes.json")
NFILES=$(find "$T/site-full" -type f | wc -l)
SIZE=$(du -sb "$T/site-full" | cut -f1)
VERIFIED="not run (BENCH_VERIFY=1)"
if [[ "${BENCH_VERIFY:-0}" == 1 ]]; then
	bench_say "verifying $NSETS change sets against ianawatch diff"
	python3 - "$IW" "$ALL" "$T/site-full/changes.json" <<'EOF' && VERIFIED=yes || VERIFIED=no
import json, subprocess, sys
iw, db, path = sys.argv[1:]
bad = 0
for s in json.load(open(path)):
    out = subprocess.run([iw, "--db", db, "diff", str(s["from"]["id"]), str(s["to"]["id"]),
                          "--format", "json"], capture_output=True, text=True).stdout
    if json.loads(out) != s:
        bad += 1
        print("differs: %s -> %s" % (s["from"]["id"], s["to"]["id"]), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
fi

# ---- report ---------------------------------------------------------------------------------------
med() { bench_csv_field "$1" "$2" median; }
FULL=$(med "$T/full.csv" full-new)
FULL_OVER=$(med "$T/full.csv" full-over)
CP=$(med "$T/full.csv" cp-floor)
FULL_CPU=$(awk -v u="$(bench_csv_field "$T/full.csv" full-new user)" \
	-v s="$(bench_csv_field "$T/full.csv" full-new system)" 'BEGIN { print u + s }')
INC=$(med "$T/inc.csv" incremental)
INC_CPU=$(awk -v u="$(bench_csv_field "$T/inc.csv" incremental user)" \
	-v s="$(bench_csv_field "$T/inc.csv" incremental system)" 'BEGIN { print u + s }')
UPTODATE=$(med "$T/inc.csv" up-to-date)
cpu() { awk -v u="$(bench_csv_field "$1" "$2" user)" -v s="$(bench_csv_field "$1" "$2" system)" \
	'BEGIN { print u + s }'; }
{
	echo "ianawatch report bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores," \
		"load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "binary: $IW; $NSNAP snapshots ($ALL); site: $NSETS change sets, $NFILES files," \
		"$(bench_mb "$SIZE")"
	echo
	printf '%-52s %12s %12s\n' "measure (medians)" "wall" "CPU (mean)"
	printf '%-52s %12s %12s\n' "(a) whole site into an empty folder" "$(bench_ms "$FULL")" \
		"$(bench_ms "$FULL_CPU")"
	printf '%-52s %12s %12s\n' "    whole site over an existing one" "$(bench_ms "$FULL_OVER")" \
		"$(bench_ms "$(cpu "$T/full.csv" full-over)")"
	printf '%-52s %12s %12s\n' "    floor: cp -r of the site ($NFILES files)" "$(bench_ms "$CP")" \
		"$(bench_ms "$(cpu "$T/full.csv" cp-floor)")"
	printf '%-52s %12s %12s\n' "(b) incremental update after one new snapshot" "$(bench_ms "$INC")" \
		"$(bench_ms "$INC_CPU")"
	printf '%-52s %12s %12s\n' "    incremental run with nothing new" "$(bench_ms "$UPTODATE")" \
		"$(bench_ms "$(cpu "$T/inc.csv" up-to-date)")"
	echo "    the update printed: $INC_OUT"
	echo
	echo "checks:"
	printf '  %-58s %s\n' "incremental result identical to a full build" "$SAME"
	printf '  %-58s %s\n' "changes.json equal to \`diff --format json\` per change set" "$VERIFIED"
	echo
	echo "targets (issue 6):"
	printf '  %-58s %s\n' "whole site under 2 s ($(bench_ms "$FULL"))" "$(bench_pass "$FULL" 1.999)"
	printf '  %-58s %s\n' "incremental update under 100 ms ($(bench_ms "$INC"))" \
		"$(bench_pass "$INC" 0.0999)"
} | tee "$RESULTS"
bench_say "results also in $RESULTS"
[[ "$SAME" == yes && "$VERIFIED" != no ]]
