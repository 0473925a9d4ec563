#!/usr/bin/env bash
# run_case.sh: runs one command-line test case (see README.md): run_case.sh BINARY CASEFILE
set -u
bin=$1
case_file=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
name=$(basename "$case_file" .case)

field() { sed -n "s/^$1: *//p" "$case_file" | head -n 1; }
section() { # prints the body of "--- $1" up to the next "--- " line
	awk -v want="--- $1" '$0 == want {on = 1; next} /^--- / {on = 0} on {print}' "$case_file"
}

fixture=$(field fixture)
command=$(field command)
want_exit=$(field exit)
stdin_file=$(field stdin)
[ -n "$command" ] && [ -n "$want_exit" ] || { echo "$case_file: needs command: and exit:"; exit 2; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/iwcase.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C
unset IANAWATCH_DB XDG_DATA_HOME XDG_CONFIG_HOME IANAWATCH_CONFIG
export HOME="$scratch/home"
db="$scratch/case.db"

if [ -n "$fixture" ] && [ "$fixture" != none ]; then
	mkdir -p "${IW_FIXTURE_CACHE:-$scratch}"
	cache="${IW_FIXTURE_CACHE:-$scratch}/fixture-$fixture.db"
	if [ ! -f "$cache" ]; then
		tmpdb="$cache.$$"
		(cd "$data" && IW="$bin" IW_DB="$tmpdb" IW_DATA="$data" bash "$here/fixtures/$fixture.sh") > "$scratch/fixture.log" 2>&1 || {
			echo "fixture $fixture failed:"; cat "$scratch/fixture.log"; exit 1; }
		mv "$tmpdb" "$cache"
		rm -f "$tmpdb-wal" "$tmpdb-shm"
	fi
	cp "$cache" "$db"
fi

command=${command//@DATA@/$data}
command=${command//@TMP@/$scratch}
if [[ $command == *@LONG@* ]]; then
	long=$(head -c 100000 /dev/zero | tr '\0' x)
	command=${command//@LONG@/$long}
fi
eval "set -- $command"
cd "$data"
if [ -n "$stdin_file" ]; then
	"$bin" --db "$db" "$@" < "$data/$stdin_file" > "$scratch/stdout" 2> "$scratch/stderr"
else
	"$bin" --db "$db" "$@" < /dev/null > "$scratch/stdout" 2> "$scratch/stderr"
fi
got_exit=$?
# What the command left in the scratch folder (the runner's own files aside), for "--- files".
(cd "$scratch" && ls -A | grep -vx -e stdout -e stderr -e fixture.log -e home) > "$scratch/files.list.tmp"
grep -vx files.list.tmp "$scratch/files.list.tmp" > "$scratch/files" || true
rm -f "$scratch/files.list.tmp"
# Scratch paths differ per run: show them as @TMP@.
sed -i "s|$scratch|@TMP@|g" "$scratch/stdout" "$scratch/stderr"

fail=0
check() { # check NAME FILE
	local want="$scratch/want.$1"
	section "$1" > "$want"
	if ! grep -q "^--- $1\$" "$case_file"; then
		return 0
	fi
	if [ "$(head -n 1 "$want")" = "@contains" ]; then
		tail -n +2 "$want" | while IFS= read -r line; do
			[ -z "$line" ] && continue
			grep -qF -- "$line" "$2" || { echo "$name: $1 lacks: $line"; echo x >> "$scratch/missing"; }
		done
		[ -f "$scratch/missing" ] && { echo "--- got $1:"; head -n 40 "$2"; fail=1; rm -f "$scratch/missing"; }
		return 0
	fi
	if ! diff -u "$want" "$2" > "$scratch/diff.$1"; then
		echo "$name: $1 differs:"; cat "$scratch/diff.$1"; fail=1
	fi
}
check stdout "$scratch/stdout"
check stderr "$scratch/stderr"
check files "$scratch/files"
if [ "$got_exit" != "$want_exit" ]; then
	echo "$name: exit status $got_exit, expected $want_exit"; echo "--- stderr:"; cat "$scratch/stderr"; fail=1
fi
[ $fail = 0 ] && echo "$name: ok"
exit $fail
