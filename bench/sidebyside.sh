#!/usr/bin/env bash
# bench/sidebyside.sh: a refactor's speed check: the everyday commands of an older commit and
# of this tree, each pair in one hyperfine run on the same database, medians and the ratio.
#
# Usage: bench/sidebyside.sh REV [DB]
#   REV   the commit to compare against (built once in build/bench-REV from a worktree)
#   DB    a database holding every snapshot, in a schema both binaries read (default
#         $BENCH_DATA/all.db, which bench/import.sh leaves behind)
#   BENCH_RUNS=40   timed runs of each command (the slow ones run a quarter as often)
#   BENCH_SERVICES=/usr/share/nmap/nmap-services   the file `compare` reads
#   IANAWATCH_BIN=PATH    measure this binary as "new" instead of a Release build in build/bench
#
# Both binaries read one copy of DB, which neither writes: the query commands open it
# read-only. `import` of one version runs on a fresh copy of a one-snapshot database each time.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -ge 1 ]] || bench_die "usage: bench/sidebyside.sh REV [DB]"
bench_need hyperfine git awk
bench_build
bench_data_dir
NEW=$IANAWATCH
NEW_COMMIT=$BENCH_COMMIT

REV=$(git -C "$REPO_ROOT" rev-parse --short "$1^{commit}") || bench_die "no commit $1"
OLD_SRC="$BENCH_WORK/src-$REV"
if [[ ! -d "$OLD_SRC" ]]; then
	git -C "$REPO_ROOT" worktree add --detach "$OLD_SRC" "$REV" >/dev/null 2>&1 ||
		bench_die "cannot check out $REV in $OLD_SRC"
fi
SAVED_ROOT=$REPO_ROOT
REPO_ROOT=$OLD_SRC
bench_cmake_build "$OLD_SRC/build/bench"
REPO_ROOT=$SAVED_ROOT
OLD="$OLD_SRC/build/bench/cli/ianawatch"

DB=${2:-$BENCH_DATA/all.db}
[[ -f "$DB" ]] || bench_die "no database $DB (bench/import.sh builds one)"
RUNS=${BENCH_RUNS:-40}
SERVICES=${BENCH_SERVICES:-/usr/share/nmap/nmap-services}
[[ -r "$SERVICES" ]] || SERVICES=/etc/services
T="$BENCH_DATA/tmp/sidebyside"
mkdir -p "$T"
q() { printf '%q' "$1"; }

NSNAP=$("$NEW" --db "$DB" snapshots | tail -n +2 | wc -l)
MID=$((NSNAP / 2))
# The newest snapshot's raw document, and a database of the one before it, for `import`.
"$NEW" --db "$DB" cat latest >"$T/latest.xml"
bench_rm_db "$T/one.db"
"$NEW" --db "$DB" cat latest~1 >"$T/prev.xml"
"$NEW" --db "$T/one.db" import -q "$T/prev.xml"

# name|arguments|runs: the commands measured, both binaries each.
CASES=(
	"diff-latest|diff latest~1 latest --format json|$RUNS"
	"diff-mid|diff $MID $((MID + 1)) --format json|$RUNS"
	"history|history 3/tcp|$RUNS"
	"show|show 80/tcp --at 2020-01-01|$RUNS"
	"search|search compression|$RUNS"
	"person|person Bernie_Volz|$RUNS"
	"compare|compare $(q "$SERVICES")|$RUNS"
	"log|log --format json|$(((RUNS + 3) / 4))"
	"log-text|log --since 2025-01-01|$RUNS"
)
cat "$DB" >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=()
for c in "${CASES[@]}"; do
	IFS='|' read -r name args runs <<<"$c"
	bench_say "$name: $runs runs each"
	# -i: compare exits 1 when it finds differences, diff(1)-style.
	hyperfine --style basic -N -i --warmup 3 --runs "$runs" --export-csv "$T/$name.csv" \
		-n old "$(q "$OLD") --db $(q "$DB") $args" \
		-n new "$(q "$NEW") --db $(q "$DB") $args" >&2
	ROWS+=("$name|$(bench_csv_field "$T/$name.csv" old median)|$(bench_csv_field "$T/$name.csv" new median)")
done
bench_say "import of one version: $(((RUNS + 3) / 4)) runs each"
hyperfine --style basic -N --warmup 1 --runs "$(((RUNS + 3) / 4))" --export-csv "$T/import.csv" \
	--prepare "cp $(q "$T/one.db") $(q "$T/run.db")" \
	-n old "$(q "$OLD") --db $(q "$T/run.db") import -q $(q "$T/latest.xml")" \
	-n new "$(q "$NEW") --db $(q "$T/run.db") import -q $(q "$T/latest.xml")" >&2
ROWS+=("import-one|$(bench_csv_field "$T/import.csv" old median)|$(bench_csv_field "$T/import.csv" new median)")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo "side by side: old $REV, new $NEW_COMMIT; $NSNAP snapshots; medians" \
	"($(date -u +%Y-%m-%dT%H:%M:%SZ); load $LOAD_BEFORE -> $LOAD_AFTER)"
printf '  %-12s %12s %12s %10s\n' command old new new/old
for r in "${ROWS[@]}"; do
	IFS='|' read -r name o n <<<"$r"
	printf '  %-12s %12s %12s %10s\n' "$name" "$(bench_ms "$o")" "$(bench_ms "$n")" "$(bench_ratio "$n" "$o")"
done
