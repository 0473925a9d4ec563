#!/usr/bin/env bash
# bench/compare.sh: `ianawatch compare` of a 15,000-line services file as a whole process;
# issue 15's target as PASS/FAIL (under 50 ms median). The file is the first 15,000 data lines
# of nmap's nmap-services (Debian package nmap-common), whose names mostly agree with the
# registry and whose other lines (unknown names, Reserved ports, de-assignments) make compare
# load the history; `compare --missing` is timed too.
#
# Usage: bench/compare.sh [DB [SERVICES]]
#   DB         a database (default: one built in $BENCH_DATA/compare.db from the three
#              snapshots committed in tests/data; pass $BENCH_DATA/all.db for every snapshot)
#   SERVICES   the nmap-services to cut the file from (default /usr/share/nmap/nmap-services)
#   BENCH_RUNS=50         timed runs of each command
#   IANAWATCH_BIN=PATH    measure this binary instead of a Release build in build/bench
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_need hyperfine awk
bench_build
bench_data_dir

SERVICES=${2:-/usr/share/nmap/nmap-services}
RUNS=${BENCH_RUNS:-50}
T="$BENCH_DATA/tmp"
IW=$IANAWATCH
q() { printf '%q' "$1"; }
mkdir -p "$T"

[[ -f "$SERVICES" ]] || bench_die "no $SERVICES (Debian package nmap-common)"
if [[ -n "${1:-}" ]]; then
	DB=$1
	[[ -f "$DB" ]] || bench_die "no database at $DB"
else
	DB="$BENCH_DATA/compare.db"
	bench_rm_db "$DB"
	(cd "$REPO_ROOT/tests/data" && "$IW" --db "$DB" import -q --manifest MANIFEST.tsv) ||
		bench_die "cannot build $DB from tests/data"
fi
FILE="$T/services-15000"
awk '!/^#/ && NF { if (++n > 15000) exit } { print }' "$SERVICES" >"$FILE"
LINES=$(grep -vc '^#' "$FILE")
NSNAP=$("$IW" --db "$DB" snapshots | tail -n +2 | wc -l)
bench_say "$LINES lines from $SERVICES against $NSNAP snapshots in $DB"
"$IW" --db "$DB" compare "$FILE" >"$T/compare.txt" 2>&1 || [[ $? == 1 ]] || bench_die "compare failed"
tail -n 1 "$T/compare.txt" >&2

cat "$DB" >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# -i: compare exits 1 when it has findings.
hyperfine --style basic -N -i --warmup 5 --runs "$RUNS" --export-csv "$T/compare.csv" \
	-n compare "$(q "$IW") --db $(q "$DB") compare $(q "$FILE")" \
	-n missing "$(q "$IW") --db $(q "$DB") compare --missing $(q "$FILE")" >&2
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

C_MED=$(bench_csv_field "$T/compare.csv" compare median)
M_MED=$(bench_csv_field "$T/compare.csv" missing median)
C_CPU=$(awk -v u="$(bench_csv_field "$T/compare.csv" compare user)" \
	-v s="$(bench_csv_field "$T/compare.csv" compare system)" 'BEGIN { print u + s }')
printf 'compare (%s, %s lines, %s snapshots; load %s -> %s)\n' "$BENCH_COMMIT" "$LINES" "$NSNAP" \
	"$LOAD_BEFORE" "$LOAD_AFTER"
printf '  %-44s %12s\n' "compare FILE (median)" "$(bench_ms "$C_MED")"
printf '  %-44s %12s\n' "compare --missing FILE (median)" "$(bench_ms "$M_MED")"
# On a loaded machine the wall clock waits for a core; the CPU time is what compare costs.
printf '  %-44s %12s\n' "compare FILE CPU time, user + system (mean)" "$(bench_ms "$C_CPU")"
printf '  %-58s %s\n' "compare of $LINES lines under 50 ms median" "$(bench_pass "$C_MED" 0.050)"
