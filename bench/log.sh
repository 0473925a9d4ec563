#!/usr/bin/env bash
# bench/log.sh: `log --format json` of the whole history and `diff` of two consecutive
# snapshots as whole processes on the database of every snapshot, side by side with what
# people do today: `git log -p` over a git repository of the same versions, and `diff` run on
# every consecutive pair; issue 12's targets as PASS/FAIL (log under 250 ms median and at
# least 50x faster than git log -p; a consecutive diff under 10 ms median). First it proves
# what is timed: log equals the concatenation of every consecutive diff
# (tests/cli/log_equals_diff.sh, which ctest runs on the committed snapshots).
#
# Usage: bench/log.sh [DB [GIT_REPO]]
#   DB         a database holding every snapshot, built by this binary's schema (default
#              $BENCH_DATA/all.db)
#   GIT_REPO   one commit per version of the registry file (default $BENCH_DATA/git-repo,
#              which bench/common.sh's bench_git_repo builds)
#   BENCH_RUNS=20         timed runs of log and of diff (diff: 5 times as many)
#   BENCH_GIT_RUNS=3      timed runs of git log -p and of the diff loop (seconds each)
#   BENCH_SKIP_EQUAL=1    skip the equality proof (about 3 diffs per pair, minutes)
#   BENCH_GIT_FILE=service-names-port-numbers.xml   the registry file in GIT_REPO
#   IANAWATCH_BIN=PATH    measure this binary instead of a Release build in build/bench
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_need hyperfine git awk
bench_build
bench_data_dir

DB=${1:-$BENCH_DATA/all.db}
GIT=${2:-$BENCH_DATA/git-repo}
RUNS=${BENCH_RUNS:-20}
GIT_RUNS=${BENCH_GIT_RUNS:-3}
FILE=${BENCH_GIT_FILE:-service-names-port-numbers.xml}
T="$BENCH_DATA/tmp"
IW=$IANAWATCH
RESULTS="$BENCH_WORK/log-results.txt"
mkdir -p "$BENCH_WORK"
q() { printf '%q' "$1"; }

[[ -f "$DB" ]] || bench_die "no database at $DB (import --manifest builds one)"
git -C "$GIT" rev-parse --verify -q HEAD >/dev/null ||
	bench_die "no git repository at $GIT (bench/common.sh's bench_git_repo builds one)"
git -C "$GIT" cat-file -e "HEAD:$FILE" 2>/dev/null || bench_die "$GIT has no $FILE at HEAD"
NSNAP=$("$IW" --db "$DB" snapshots | tail -n +2 | wc -l)
NCOMMITS=$(git -C "$GIT" rev-list --count HEAD -- "$FILE")
bench_say "$NSNAP snapshots in $DB; $NCOMMITS commits of $FILE in $GIT"

if [[ "${BENCH_SKIP_EQUAL:-0}" != 1 ]]; then
	bench_say "proving log equal to the $((NSNAP - 1)) consecutive diffs (json, text, markdown)"
	bash "$REPO_ROOT/tests/cli/log_equals_diff.sh" "$IW" "$DB" >"$T/log-equal.txt" ||
		{ cat "$T/log-equal.txt" >&2; bench_die "log differs from the consecutive diffs"; }
	EQUAL="proved: $(grep -c '^ok' "$T/log-equal.txt") checks passed ($(head -n 1 "$T/log-equal.txt" | sed 's/^ok //'))"
else
	EQUAL="not checked (BENCH_SKIP_EQUAL=1)"
fi

# The loop people would write: every consecutive pair, by snapshot id.
"$IW" --db "$DB" snapshots | awk 'NR > 1 { print $1 }' >"$T/log-ids.txt"
cat >"$T/log-diff-loop.sh" <<LOOP
prev=
while read -r id; do
	[ -n "\$prev" ] && $(q "$IW") --db $(q "$DB") diff "\$prev" "\$id" --format json
	prev=\$id
done <$(q "$T/log-ids.txt")
exit 0
LOOP
"$IW" --db "$DB" log --format json >"$T/log.json"
NSETS=$(grep -c '^{"from"' "$T/log.json" || true)

# Both sides read from the page cache.
cat "$DB" >/dev/null
cat "$GIT"/.git/objects/pack/* >/dev/null 2>&1 || true
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
bench_say "ianawatch log and diff, $RUNS and $((RUNS * 5)) runs"
hyperfine --style basic -N --warmup 3 --runs "$RUNS" --export-csv "$T/log.csv" \
	-n log "$(q "$IW") --db $(q "$DB") log --format json" >&2
hyperfine --style basic -N -i --warmup 10 --runs "$((RUNS * 5))" --export-csv "$T/log-diff.csv" \
	-n diff "$(q "$IW") --db $(q "$DB") diff latest~1 latest --format json" \
	-n diff-mid "$(q "$IW") --db $(q "$DB") diff $((NSNAP / 2)) $((NSNAP / 2 + 1)) --format json" >&2
bench_say "git log -p and diff on every consecutive pair, $GIT_RUNS runs each"
hyperfine --style basic -N --warmup 1 --runs "$GIT_RUNS" --export-csv "$T/log-git.csv" \
	-n git-log-p "git -C $(q "$GIT") log -p -- $(q "$FILE")" \
	-n diff-loop "bash $(q "$T/log-diff-loop.sh")" >&2
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

L_MED=$(bench_csv_field "$T/log.csv" log median)
D_MED=$(bench_csv_field "$T/log-diff.csv" diff median)
M_MED=$(bench_csv_field "$T/log-diff.csv" diff-mid median)
G_MED=$(bench_csv_field "$T/log-git.csv" git-log-p median)
P_MED=$(bench_csv_field "$T/log-git.csv" diff-loop median)
# CPU time (user + system), which a loaded machine does not inflate as it does the wall clock.
cpu() { awk -v u="$(bench_csv_field "$1" "$2" user)" -v s="$(bench_csv_field "$1" "$2" system)" \
	'BEGIN { printf "%.1f ms", (u + s) * 1000 }'; }
SPEEDUP=$(awk -v g="$G_MED" -v l="$L_MED" 'BEGIN { printf "%.0f", g / l }')
LOOP_SPEEDUP=$(awk -v g="$P_MED" -v l="$L_MED" 'BEGIN { printf "%.0f", g / l }')
{
	echo "log and consecutive diff, $NSNAP snapshots, $NSETS change sets ($(date -u +%Y-%m-%dT%H:%M:%SZ);" \
		"load $LOAD_BEFORE -> $LOAD_AFTER)"
	echo "  log equals every consecutive diff: $EQUAL"
	printf '  %-52s %12s\n' "ianawatch log --format json (median)" "$(bench_ms "$L_MED")"
	printf '  %-52s %12s\n' "  CPU (user + system, mean)" "$(cpu "$T/log.csv" log)"
	printf '  %-52s %12s\n' "git log -p (median)" "$(bench_secs "$G_MED")"
	printf '  %-52s %12s\n' "  CPU (user + system, mean)" "$(cpu "$T/log-git.csv" git-log-p)"
	printf '  %-52s %12s\n' "diff on every consecutive pair, a shell loop" "$(bench_secs "$P_MED")"
	printf '  %-52s %12s\n' "ianawatch diff latest~1 latest --format json" "$(bench_ms "$D_MED")"
	printf '  %-52s %12s\n' "  CPU (user + system, mean)" "$(cpu "$T/log-diff.csv" diff)"
	printf '  %-52s %12s\n' "ianawatch diff N N+1 (mid-history) --format json" "$(bench_ms "$M_MED")"
	printf '  %-52s %12s\n' "speed-up of log over git log -p" "${SPEEDUP}x"
	printf '  %-52s %12s\n' "speed-up of log over the diff loop" "${LOOP_SPEEDUP}x"
	printf '  %-58s %s\n' "log --format json under 250 ms median" "$(bench_pass "$L_MED" 0.25)"
	printf '  %-58s %s\n' "log at least 50x faster than git log -p" "$(bench_pass 50 "$SPEEDUP")"
	printf '  %-58s %s\n' "diff of two consecutive snapshots under 10 ms median" "$(bench_pass "$D_MED" 0.010)"
} | tee "$RESULTS"
