#!/usr/bin/env bash
# bench/profile.sh: where the CPU time of an import goes (perf, attributed by call stack to
# read, XML parse, hashing, SQLite, zstd, process start...), per imported snapshot.
#
# Usage: bench/profile.sh [import [RUNS] | backfill [N]]
#   import RUNS   the newest snapshot imported RUNS times (default 30) into a database that holds
#                 the one before it, as bench/import.sh's one-import case
#   backfill N    the first N snapshots of the manifest (default 60) in one `import --manifest`
# Needs perf (linux-perf) allowed to sample user stacks (root, or kernel.perf_event_paranoid <= 1).
# BENCH_CALLGRIND=1 also runs one import under valgrind's callgrind and prints inclusive costs.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MODE=${1:-import}
case "$MODE" in
	import) RUNS=${2:-30} ;;
	backfill) RUNS=${2:-60} ;;
	*) bench_die "usage: bench/profile.sh [import [RUNS] | backfill [N]]" ;;
esac
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || bench_die "RUNS must be a positive number"

bench_need perf awk cmake
[[ "${BENCH_CALLGRIND:-0}" == 1 ]] && bench_need valgrind callgrind_annotate
if [[ $(id -u) != 0 ]] && (($(cat /proc/sys/kernel/perf_event_paranoid) > 1)); then
	bench_die "perf cannot sample here: run as root or set kernel.perf_event_paranoid to 1"
fi
bench_manifest
bench_data_dir

# Release code generation with symbols and frame pointers, so that stacks unwind.
B="$REPO_ROOT/build/bench-prof"
bench_cmake_build "$B" "-DCMAKE_C_FLAGS=-g -fno-omit-frame-pointer"
IW="$B/cli/ianawatch"
T="$BENCH_DATA/tmp/profile"
mkdir -p "$T"
LOOP="$T/profile-loop.sh"

if [[ "$MODE" == import ]]; then
	NEW=${SNAP_FILE[NSNAP - 1]}
	PREV=${SNAP_FILE[NSNAP - 2]}
	bench_rm_db "$T/prof-prev.db"
	"$IW" --db "$T/prof-prev.db" import -q --observed-at "${SNAP_TIME[NSNAP - 2]}" "$PREV"
	bench_say "profiling $RUNS imports of $(basename "$NEW") on top of $(basename "$PREV")"
	cat >"$LOOP" <<EOF
#!/usr/bin/env bash
set -e
for ((i = 0; i < $RUNS; i++)); do
	cp $(printf '%q' "$T/prof-prev.db") $(printf '%q' "$T/prof.db")
	rm -f $(printf '%q' "$T/prof.db")-wal $(printf '%q' "$T/prof.db")-shm
	$(printf '%q' "$IW") --db $(printf '%q' "$T/prof.db") import -q --observed-at ${SNAP_TIME[NSNAP - 1]} $(printf '%q' "$NEW")
done
EOF
else
	((RUNS <= NSNAP)) || RUNS=$NSNAP
	head -n "$RUNS" "$MANIFEST" >"$T/prof-manifest.tsv"
	bench_say "profiling a backfill of the first $RUNS snapshots"
	cat >"$LOOP" <<EOF
#!/usr/bin/env bash
set -e
rm -f $(printf '%q' "$T/prof.db") $(printf '%q' "$T/prof.db")-wal $(printf '%q' "$T/prof.db")-shm
$(printf '%q' "$IW") --db $(printf '%q' "$T/prof.db") import -q --manifest $(printf '%q' "$T/prof-manifest.tsv")
EOF
fi
chmod +x "$LOOP"
cat "${SNAP_FILE[@]: -2}" >/dev/null

# cpu-clock: the period is nanoseconds of CPU, whatever the virtual machine offers. DWARF
# unwinding copes with libraries built without frame pointers; 32 KiB of stack reaches past
# the 4 KiB buffers on our own frames.
perf record -q -e cpu-clock -F 999 --call-graph dwarf,32768 -o "$T/perf.data" "$LOOP" 2>/dev/null
echo "commit $BENCH_COMMIT, $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" |
	tee "$BENCH_WORK/profile-$MODE.txt"
perf script -i "$T/perf.data" -F comm,pid,tid,period,ip,sym,dso 2>/dev/null |
	awk -v runs="$RUNS" -f "$BENCH_DIR/profile-classify.awk" | tee -a "$BENCH_WORK/profile-$MODE.txt"
echo
echo "hottest functions (self time, all threads):"
perf report -i "$T/perf.data" --stdio --no-children --comm ianawatch --sort dso,sym -g none \
	--percent-limit 1 2>/dev/null | grep -v '^#' | grep -v '^$' | head -25 |
	tee -a "$BENCH_WORK/profile-$MODE.txt"

if [[ "${BENCH_CALLGRIND:-0}" == 1 && "$MODE" == import ]]; then
	cp "$T/prof-prev.db" "$T/prof.db"
	rm -f "$T/prof.db-wal" "$T/prof.db-shm"
	valgrind -q --tool=callgrind --callgrind-out-file="$T/callgrind.out" "$IW" --db "$T/prof.db" \
		import -q --observed-at "${SNAP_TIME[NSNAP - 1]}" "${SNAP_FILE[NSNAP - 1]}"
	echo
	echo "callgrind, inclusive instructions (SHA-256 runs without the CPU's SHA extensions here):"
	callgrind_annotate --inclusive=yes "$T/callgrind.out" 2>/dev/null |
		grep -E 'registry_parse|store_import|import_items|raw_job_run|raw_compress|raw_decompress|iw_sha256|registry_(record|person)_identity|iw_read_file|sqlite3_step|registry_doc_number_occurrences|PROGRAM TOTALS' |
		head -20
fi
bench_say "profile also in $BENCH_WORK/profile-$MODE.txt"
