#!/usr/bin/env bash
# bench/import_git.sh: `import-git` over a git repository holding every corpus version against
# `import --manifest` over the same files unpacked, each into a fresh database; issue 8's target
# (import-git within 1.2x) as PASS/FAIL.
#
# Usage: bench/import_git.sh
#   BENCH_RUNS=3          timed runs of each (a run takes tens of seconds)
#   BENCH_REBUILD_GIT=1   rebuild the git repository even when a matching one is kept
# The repository, $BENCH_DATA/git-repo, is the one bench/import.sh measures sizes on (built the
# same way: one commit per version in manifest order, committed at its observed time, then
# `git gc --aggressive`, so blobs are deltas in a pack as in a cloned mirror); whichever script
# runs first builds it.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_need hyperfine git awk stat date sha256sum python3
bench_build
bench_manifest
bench_data_dir

RUNS=${BENCH_RUNS:-3}
T="$BENCH_DATA/tmp"
IW=$IANAWATCH
RESULTS="$BENCH_WORK/import-git-results.txt"
q() { printf '%q' "$1"; }

bench_git_repo
GIT=$BENCH_GIT
[[ "$(git -C "$GIT" rev-list --count main)" == "$NSNAP" ]] ||
	bench_die "$GIT does not hold $NSNAP commits (BENCH_REBUILD_GIT=1 rebuilds it)"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
GDB="$T/import-git.db"
MDB="$T/import-manifest.db"
# Both sides read from the page cache: the unpacked files, and the pack.
xargs -d '\n' cat <"$BENCH_WORK/files.txt" >/dev/null
cat "$GIT"/.git/objects/pack/* >/dev/null
bench_say "import-git vs import --manifest of $NSNAP versions, $RUNS runs each"
hyperfine --style basic --runs "$RUNS" --export-csv "$T/import-git.csv" \
	-n import-git --prepare "rm -f $(q "$GDB") $(q "$GDB")-wal $(q "$GDB")-shm" \
	"$(q "$IW") --db $(q "$GDB") import-git -q $(q "$GIT")" \
	-n import-manifest --prepare "rm -f $(q "$MDB") $(q "$MDB")-wal $(q "$MDB")-shm" \
	"$(q "$IW") --db $(q "$MDB") import -q --manifest $(q "$MANIFEST")" >&2

# The two databases must hold the same snapshots: content, registry date, observed time.
same=$(python3 - <(
	"$IW" --db "$GDB" snapshots --format json) <(
	"$IW" --db "$MDB" snapshots --format json) <<'PY'
import json, sys
key = lambda s: (s["sha256"], s["registry_updated"], s["observed_at"], s["record_count"])
a, b = ([key(s) for s in json.load(open(p))] for p in sys.argv[1:3])
print(len(a) if a == b else "differ: %d vs %d snapshots" % (len(a), len(b)))
PY
)
[[ "$same" == "$NSNAP" ]] || bench_die "import-git and import --manifest stored different snapshots ($same)"

GIT_MEAN=$(bench_csv_field "$T/import-git.csv" import-git mean)
MAN_MEAN=$(bench_csv_field "$T/import-git.csv" import-manifest mean)
GIT_MIN=$(bench_csv_field "$T/import-git.csv" import-git min)
MAN_MIN=$(bench_csv_field "$T/import-git.csv" import-manifest min)
RATIO=$(awk -v a="$GIT_MEAN" -v b="$MAN_MEAN" 'BEGIN { printf "%.3f", a / b }')
# CPU time is steadier than wall time on a shared machine; import-git spends more of it (the
# read-ahead thread resolves deltas while the parse runs).
cpu() { awk -v u="$(bench_csv_field "$T/import-git.csv" "$1" user)" \
	-v s="$(bench_csv_field "$T/import-git.csv" "$1" system)" 'BEGIN { printf "%.3f", u + s }'; }
GIT_CPU=$(cpu import-git)
MAN_CPU=$(cpu import-manifest)
CPU_RATIO=$(awk -v a="$GIT_CPU" -v b="$MAN_CPU" 'BEGIN { printf "%.3f", a / b }')
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
GIT_PACK=$(bench_size "$GIT"/.git/objects/pack/*.pack)
{
	echo "import-git vs import --manifest, $NSNAP versions, $RUNS runs each ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
	echo "binary: $IW; $(nproc) cores, load average before: $LOAD_BEFORE, after: $LOAD_AFTER"
	printf '  %-34s %12s  (min %s)\n' "import-git (pack $(bench_mb "$GIT_PACK"))" \
		"$(bench_secs "$GIT_MEAN")" "$(bench_secs "$GIT_MIN")"
	printf '  %-34s %12s  (min %s)\n' "import --manifest" "$(bench_secs "$MAN_MEAN")" \
		"$(bench_secs "$MAN_MIN")"
	printf '  %-34s %12s\n' "ratio (means)" "${RATIO}x"
	printf '  %-34s %12s  vs %s: %sx\n' "CPU user+sys, import-git" "$(bench_secs "$GIT_CPU")" \
		"$(bench_secs "$MAN_CPU")" "$CPU_RATIO"
	printf '  %-58s %s\n' "import-git within 1.2x of import --manifest" "$(bench_pass "$RATIO" 1.2)"
	echo "  both databases hold the same $NSNAP snapshots (content, dates, observed times)"
} | tee "$RESULTS"
