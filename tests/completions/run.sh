#!/usr/bin/env bash
# run.sh: the generated completions. bash's is sourced and driven as bash drives it (COMP_WORDS,
# COMP_CWORD, the function, COMPREPLY): commands, every option of every command's --help,
# formats, change kinds, and the snapshot dates of the database named on the command line;
# zsh's must parse (zsh -n).
# usage: run.sh IANAWATCH_BINARY BASH_COMPLETION ZSH_COMPLETION
set -u
IW=$1
BASH_COMP=$2
ZSH_COMP=$3
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/iwcomp.XXXXXX")
trap 'rm -rf "$work"' EXIT
unset IANAWATCH_DB
export XDG_DATA_HOME="$work/nowhere" HOME="$work/home" LC_ALL=C
# Completion runs `ianawatch` as typed: the one under test.
export PATH="$(dirname "$IW"):$PATH"
failed=0
fail() { echo "FAIL: $*"; failed=1; }

db="$work/t.db"
"$IW" --db "$db" import -q "$data"/2017-03-10.xml.gz "$data"/2025-01-23.xml.gz \
	"$data"/2025-02-13.xml.gz || { echo "FAIL: import"; exit 1; }

bash -n "$BASH_COMP" || fail "bash -n $BASH_COMP"
if command -v zsh > /dev/null; then
	zsh -n "$ZSH_COMP" || fail "zsh -n $ZSH_COMP"
	head -1 "$ZSH_COMP" | grep -qx '#compdef ianawatch' || fail "_ianawatch does not start with #compdef"
else
	fail "zsh is not installed (scripts/deps.sh test installs it)"
fi

# shellcheck source=/dev/null
source "$BASH_COMP"
complete -p ianawatch > /dev/null 2>&1 || fail "the completion does not register for ianawatch"

# comp WORD... : completes the last word as bash would, into $got (one candidate a line).
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_ianawatch ianawatch "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2> "$work/stderr"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
	[ -s "$work/stderr" ] && fail "completing '$*' printed on stderr: $(cat "$work/stderr")"
}
# expect "WANTED (one a line)" WORD...: exactly these candidates.
expect() {
	local want
	want=$(printf '%s\n' "$1" | tr ' ' '\n' | sort)
	shift
	comp "$@"
	[ "$got" = "$want" ] || fail "'$*': expected [$(echo $want)], got [$(echo $got)]"
}
# has CANDIDATE WORD...: CANDIDATE among others.
has() {
	local c=$1
	shift
	comp "$@"
	grep -qxF -- "$c" <<<"$got" || fail "'$*': $c missing from [$(echo $got)]"
}

# Commands, and every command --help lists.
expect "diff" ianawatch di
expect "import import-git" ianawatch --db "$db" im
has "--version" ianawatch --
commands=$("$IW" --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
[ -n "$commands" ] || fail "no commands in ianawatch --help"
for c in $commands; do
	has "$c" ianawatch ""
	# Every option the command's --help lists (its option table), and --db.
	for o in $("$IW" "$c" --help | grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+$'); do
		has "$o" ianawatch "$c" -
	done
	has "--db" ianawatch "$c" --
done

# An option of diff; the formats of its --format, as the option's set has them; kinds.
expect "--kind" ianawatch diff --ki
expect "text json markdown" ianawatch diff --format ""
expect "json" ianawatch diff --format j
expect "services csv json" ianawatch export --format ""
expect "csv" ianawatch export --format = c    # --format=c, split at '=' by bash
expect "moved modified" ianawatch diff --kind mo
expect "deassigned,renamed" ianawatch diff --kind deassigned,ren
expect "added assigned" ianawatch diff 2025-01-23 --kind a
# Severities (watch/watch.h's words).
expect "low medium high" ianawatch diff --min-severity ""
expect "high" ianawatch fetch --min-severity = h
# A value nothing can suggest: no candidates rather than operands.
expect "" ianawatch diff --port ""

# Snapshot dates, from the database on the command line (before or after the command, with
# or without '='), else $IANAWATCH_DB; none, and no message, without a database.
dates="2017-03-10 2025-01-23 2025-02-13"
expect "$dates" ianawatch --db "$db" diff ""
expect "2025-01-23 2025-02-13" ianawatch --db "$db" diff 2025-0
expect "2025-02-13" ianawatch diff 2025-01-23 --db "$db" 2025-02
expect "2017-03-10" ianawatch --db = "$db" cat 2017
expect "$dates" ianawatch show 80/tcp --db "$db" --at ""
IANAWATCH_DB=$db expect "$dates" ianawatch export --at ""
expect "" ianawatch diff ""
expect "" ianawatch --db "$work/missing.db" cat ""
[ -e "$work/missing.db" ] && fail "completing created the database"

# Files where a file is wanted.
touch "$work/services.txt"
expect "$work/services.txt" ianawatch compare "$work/serv"

[ "$failed" -eq 0 ] && echo "completions: all checks passed"
exit "$failed"
