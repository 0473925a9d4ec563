#!/usr/bin/env bash
# bench/memory.sh: peak memory (maximum RSS, /usr/bin/time -v) of importing one 3.9 MB
# snapshot, against issue 7's target of 32 MiB, in the ways it happens: the first snapshot of
# a database, the nightly one on top of the previous, an older one inserted before the others,
# from a plain and from a gzip-compressed file. Readers (check, diff, history) are shown for
# reference. Uses the committed fixtures (tests/data), so it needs no corpus.
#
# The gated cases are a snapshot arriving in time order (the first, and one on top of the
# previous: what every nightly fetch does). An older snapshot arriving late is shown but not
# gated: storing it rebuilds its successor's document from the archive (two documents in
# memory for the delta), so it needs a few MiB more. About 11 MiB of every figure are the
# shared libraries' pages (curl, GnuTLS, libgit2, OpenSSL, ICU): `ianawatch --version` alone.
#
# Usage: bench/memory.sh        (IANAWATCH_BIN=path measures that binary instead of a
#                                Release build in build/bench; BENCH_RUNS=3 runs per case)
# Exit status: 0 when every import stays under the target, 1 otherwise.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_need /usr/bin/time gzip sha256sum
bench_build
IW=$IANAWATCH
RUNS=${BENCH_RUNS:-3}
CAP_KIB=32768
DATA="$REPO_ROOT/tests/data"
T=$(mktemp -d "${TMPDIR:-/tmp}/iwmem.XXXXXX")
trap 'rm -rf "$T"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z

gzip -dc "$DATA/2025-02-13.xml.gz" > "$T/2025-02-13.xml"
bench_say "binary: $IW; document: 2025-02-13 ($(stat -c %s "$T/2025-02-13.xml") bytes); $RUNS runs per case"

# peak KIB PREPARE_DB... -- COMMAND: the largest maximum RSS over RUNS runs, each on a fresh
# copy of the prepared database.
peak() {
	local prep=$1 best=0 r kib
	shift
	for ((r = 0; r < RUNS; r++)); do
		rm -f "$T/run.db" "$T/run.db-wal" "$T/run.db-shm"
		[ -n "$prep" ] && cp "$T/$prep.db" "$T/run.db"
		/usr/bin/time -v -o "$T/time.txt" "$IW" --db "$T/run.db" "$@" > /dev/null 2> "$T/err" || {
			# diff says "there are changes" with 1
			[ "$1" = diff ] && [ "$(awk -F': ' '/Exit status/ { print $2 }' "$T/time.txt")" = 1 ] ||
				bench_die "$* failed: $(cat "$T/err")"
		}
		kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$T/time.txt")
		((kib > best)) && best=$kib
	done
	echo "$best"
}

"$IW" --db "$T/one.db" import -q "$DATA/2025-01-23.xml.gz" --observed-at 2025-01-24T01:44:55Z
cp "$T/one.db" "$T/two.db"
"$IW" --db "$T/two.db" import -q "$DATA/2025-02-13.xml.gz" --observed-at 2025-02-14T01:46:39Z

fail=0
row() { # row LABEL KIB [gated|shown]
	local verdict="(reference)"
	case ${3:-} in
	gated) if (($2 < CAP_KIB)); then verdict=PASS; else verdict=FAIL; fail=1; fi ;;
	shown) if (($2 < CAP_KIB)); then verdict="under (not gated)"; else verdict="over (not gated)"; fi ;;
	esac
	printf '  %-58s %7d KiB %6.1f MiB  %s\n' "$1" "$2" "$(awk -v k="$2" 'BEGIN { print k / 1024 }')" "$verdict"
}
echo "peak RSS (target for imports: under $((CAP_KIB / 1024)) MiB)"
row "import into an empty database (.xml.gz)" \
	"$(peak "" import -q "$DATA/2025-02-13.xml.gz")" gated
row "import into an empty database (.xml)" \
	"$(peak "" import -q "$T/2025-02-13.xml")" gated
row "import on top of the previous snapshot (.xml.gz)" \
	"$(peak one import -q "$DATA/2025-02-13.xml.gz" --observed-at 2025-02-14T01:46:39Z)" gated
row "import on top of the previous snapshot, --no-raw" \
	"$(peak one import -q --no-raw "$DATA/2025-02-13.xml.gz" --observed-at 2025-02-14T01:46:39Z)" gated
row "import of an older snapshot before two others (.xml.gz)" \
	"$(peak two import -q "$DATA/2017-03-10.xml.gz" --observed-at 2017-03-14T19:45:24Z)" shown
row "ianawatch --version (the shared libraries alone)" "$(peak "" --version)"
row "check of two snapshots" "$(peak two check -q)"
row "diff of two snapshots" "$(peak two diff latest~1 latest)"
row "history 3/tcp" "$(peak two history 3/tcp)"
[ $fail = 0 ] && echo "every gated import under $((CAP_KIB / 1024)) MiB" || echo "a gated import is over $((CAP_KIB / 1024)) MiB"
exit $fail
