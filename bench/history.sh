#!/usr/bin/env bash
# bench/history.sh: `history 3/tcp` and `show 80/tcp --at 2020-01-01` as whole processes on the
# database of every snapshot, side by side with what users do today, `git log -S` over a git
# repository of the same versions; issue 4's targets as PASS/FAIL (under 5 ms median each,
# history at least 500x faster than git log -S).
#
# Usage: bench/history.sh [DB [GIT_REPO]]
#   DB         a database holding every snapshot (default $BENCH_DATA/all.db, which
#              bench/import.sh leaves behind)
#   GIT_REPO   a repository with one commit per version of the registry file (default
#              $BENCH_DATA/git-repo, which bench/import.sh or bench/import_git.sh builds)
#   BENCH_RUNS=100        timed runs of each ianawatch command
#   BENCH_GIT_RUNS=5      timed runs of git log -S (seconds each)
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
RUNS=${BENCH_RUNS:-100}
GIT_RUNS=${BENCH_GIT_RUNS:-5}
FILE=${BENCH_GIT_FILE:-service-names-port-numbers.xml}
T="$BENCH_DATA/tmp"
IW=$IANAWATCH
RESULTS="$BENCH_WORK/history-results.txt"
q() { printf '%q' "$1"; }

[[ -f "$DB" ]] || bench_die "no database at $DB (bench/import.sh builds $BENCH_DATA/all.db)"
git -C "$GIT" rev-parse --verify -q HEAD >/dev/null ||
	bench_die "no git repository at $GIT (bench/import.sh or bench/import_git.sh builds one)"
git -C "$GIT" cat-file -e "HEAD:$FILE" 2>/dev/null || bench_die "$GIT has no $FILE at HEAD"
NSNAP=$("$IW" --db "$DB" snapshots | tail -n +2 | wc -l)
NCOMMITS=$(git -C "$GIT" rev-list --count HEAD -- "$FILE")
bench_say "$NSNAP snapshots in $DB; $NCOMMITS commits of $FILE in $GIT"

# What each side answers, before timing it: ianawatch's rows, and the commits git names.
HISTORY_CMD=("$IW" --db "$DB" history 3/tcp)
SHOW_CMD=("$IW" --db "$DB" show 80/tcp --at 2020-01-01)
GIT_CMD=(git -C "$GIT" log --format='%h %ad' --date=short -S '<number>3</number>' -- "$FILE")
"${HISTORY_CMD[@]}" >"$T/history-3-tcp.txt" || bench_die "history 3/tcp failed"
"${SHOW_CMD[@]}" >"$T/show-80-tcp.txt" || bench_die "show 80/tcp --at 2020-01-01 failed"
"${GIT_CMD[@]}" >"$T/git-log-S.txt" || bench_die "git log -S failed"

# Both sides read from the page cache.
cat "$DB" >/dev/null
cat "$GIT"/.git/objects/pack/* >/dev/null 2>&1 || true
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
bench_say "ianawatch, $RUNS runs each (and --version: the cost of starting the binary at all)"
# -N: no shell between hyperfine and the process, whose whole cost is a few milliseconds.
hyperfine --style basic -N --warmup 10 --runs "$RUNS" --export-csv "$T/history.csv" \
	-n history "$(q "$IW") --db $(q "$DB") history 3/tcp" \
	-n show "$(q "$IW") --db $(q "$DB") show 80/tcp --at 2020-01-01" \
	-n version "$(q "$IW") --version" >&2
bench_say "git log -S, $GIT_RUNS runs"
hyperfine --style basic -N --warmup 1 --runs "$GIT_RUNS" --export-csv "$T/history-git.csv" \
	-n git-log-S "git -C $(q "$GIT") log --format=%h -S <number>3</number> -- $(q "$FILE")" >&2
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

H_MED=$(bench_csv_field "$T/history.csv" history median)
S_MED=$(bench_csv_field "$T/history.csv" show median)
V_MED=$(bench_csv_field "$T/history.csv" version median)
G_MED=$(bench_csv_field "$T/history-git.csv" git-log-S median)
SPEEDUP=$(awk -v g="$G_MED" -v h="$H_MED" 'BEGIN { printf "%.0f", g / h }')
{
	echo "history and show vs git log -S, $NSNAP snapshots ($(date -u +%Y-%m-%dT%H:%M:%SZ);" \
		"load $LOAD_BEFORE -> $LOAD_AFTER)"
	printf '  %-44s %12s\n' "ianawatch history 3/tcp (median)" "$(bench_ms "$H_MED")"
	printf '  %-44s %12s\n' "ianawatch show 80/tcp --at 2020-01-01" "$(bench_ms "$S_MED")"
	printf '  %-44s %12s\n' "ianawatch --version (process start alone)" "$(bench_ms "$V_MED")"
	printf '  %-44s %12s\n' "git log -S '<number>3</number>' (median)" "$(bench_secs "$G_MED")"
	printf '  %-44s %12s\n' "speed-up of history over git log -S" "${SPEEDUP}x"
	printf '  %-58s %s\n' "history 3/tcp under 5 ms median" "$(bench_pass "$H_MED" 0.005)"
	printf '  %-58s %s\n' "show 80/tcp --at 2020-01-01 under 5 ms median" "$(bench_pass "$S_MED" 0.005)"
	printf '  %-58s %s\n' "history at least 500x faster than git log -S" "$(bench_pass 500 "$SPEEDUP")"
	echo
	echo "  what ianawatch history 3/tcp answers:"
	sed 's/^/    /' "$T/history-3-tcp.txt"
	echo "  what git log -S lists ($(wc -l <"$T/git-log-S.txt") commits changing the count of the line):"
	sed 's/^/    /' "$T/git-log-S.txt"
} | tee "$RESULTS"
