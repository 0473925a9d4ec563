#!/usr/bin/env bash
# log_equals_diff.sh: `log` is every consecutive `diff`, nothing more, nothing less (issue 12):
# log --reverse --format json is the concatenation of `diff A B --format json` over every pair of
# consecutive snapshots that changed, in the log's envelope; text and Markdown, newest first,
# are the diffs' renderings with a blank line between. The log reads spans, diff loads whole
# documents (IANAWATCH_DIFF_WHOLE=1), so this proves the span path equal to the documents'
# diff; then `diff` of each consecutive pair as users run it (the span path for one step)
# must print the same bytes as the whole documents' diff.
# Usage: log_equals_diff.sh BINARY [DB]   (without DB: the committed real snapshots)
set -u
iw=$1
data=$(cd "$(dirname "$0")/../data" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iwlog.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C HOME="$tmp/home"
unset IANAWATCH_DB XDG_DATA_HOME
fails=0
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

if [ $# -ge 2 ]; then
	db=$2
else
	db=$tmp/t.db
	(cd "$data" && "$iw" --db "$db" import -q --manifest MANIFEST.tsv) ||
		{ echo "FAIL could not build the database"; exit 1; }
fi
mapfile -t ids < <("$iw" --db "$db" snapshots | awk 'NR > 1 { print $1 }')
n=${#ids[@]}
[ "$n" -ge 2 ] || { echo "FAIL fewer than two snapshots"; exit 1; }

# Every consecutive diff, once per format; the pairs without change are left out.
changed=()
for ((i = 1; i < n; i++)); do
	a=${ids[i - 1]} b=${ids[i]}
	IANAWATCH_DIFF_WHOLE=1 "$iw" --db "$db" diff "$a" "$b" --format json > "$tmp/json.$i"
	rc=$?
	"$iw" --db "$db" diff "$a" "$b" --format json > "$tmp/step.json"
	step_rc=$?
	if [ "$step_rc" != "$rc" ] || ! cmp -s "$tmp/step.json" "$tmp/json.$i"; then
		bad "diff $a $b (one step, from spans) differs from the whole documents' diff"
	fi
	if [ "$rc" = 1 ]; then
		changed+=("$i")
		IANAWATCH_DIFF_WHOLE=1 "$iw" --db "$db" diff "$a" "$b" > "$tmp/text.$i"
		IANAWATCH_DIFF_WHOLE=1 "$iw" --db "$db" diff "$a" "$b" --format markdown > "$tmp/md.$i"
		"$iw" --db "$db" diff "$a" "$b" > "$tmp/step.text"
		cmp -s "$tmp/step.text" "$tmp/text.$i" ||
			bad "diff $a $b (one step, text) differs from the whole documents' diff"
	elif [ "$rc" != 0 ]; then
		bad "diff $a $b: exit $rc"
	fi
done
echo "ok $((n - 1)) consecutive diffs, ${#changed[@]} with changes; each from spans equal to the whole documents' diff"

{
	printf '{"snapshots": %d, "change_sets": [' "$n"
	[ ${#changed[@]} -gt 0 ] && printf '\n'
	k=0
	for i in "${changed[@]}"; do
		k=$((k + 1))
		head -c -1 "$tmp/json.$i"
		if [ "$k" -lt ${#changed[@]} ]; then printf ',\n'; else printf '\n'; fi
	done
	printf ']}\n'
} > "$tmp/expected.json"
for fmt in text md; do
	first=1
	for ((k = ${#changed[@]} - 1; k >= 0; k--)); do
		[ "$first" = 1 ] || printf '\n'
		first=0
		cat "$tmp/$fmt.${changed[k]}"
	done > "$tmp/expected.$fmt"
done

"$iw" --db "$db" log --reverse --format json > "$tmp/log.json"
rc=$?
[ "$rc" = 0 ] || bad "log --reverse --format json: exit $rc"
if cmp -s "$tmp/log.json" "$tmp/expected.json"; then
	echo "ok log --reverse --format json equals the $((n - 1)) consecutive diffs"
else
	bad "log --reverse --format json differs from the consecutive diffs:"
	diff "$tmp/expected.json" "$tmp/log.json" | head -20
fi
"$iw" --db "$db" log > "$tmp/log.text"
"$iw" --db "$db" log --format markdown > "$tmp/log.md"
for fmt in text md; do
	if cmp -s "$tmp/log.$fmt" "$tmp/expected.$fmt"; then
		echo "ok log ($fmt) equals the consecutive diffs, newest first"
	else
		bad "log ($fmt) differs from the consecutive diffs:"
		diff "$tmp/expected.$fmt" "$tmp/log.$fmt" | head -20
	fi
done

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
