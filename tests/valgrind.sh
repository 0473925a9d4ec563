#!/usr/bin/env bash
# valgrind.sh: the unit tests, the fuzz corpora and a tour of the command line (successes and
# error paths) under valgrind memcheck; any invalid access, uninitialised use or leak (definite
# or indirect) fails. Slow (minutes), so not part of the default test run: see
# tests/hardening/README.md (ctest label `valgrind`, with -DIANAWATCH_VALGRIND=ON).
# Usage: tests/valgrind.sh BUILD_DIR [UNIT_TEST_NAME_REGEX]
set -u
build=$(cd "${1:?usage: valgrind.sh BUILD_DIR [REGEX]}" && pwd)
only=${2:-.}
here=$(cd "$(dirname "$0")" && pwd)
data="$here/data"
iw="$build/cli/ianawatch"
command -v valgrind > /dev/null || { echo "valgrind is needed (Debian package: valgrind)"; exit 1; }
[ -x "$iw" ] || { echo "no $iw: build first"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iwvalgrind.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C
unset IANAWATCH_DB XDG_DATA_HOME
export HOME="$tmp/home"
# curl and cmocka print nothing of interest here; leaks of libraries' global state at exit
# ("still reachable") are not ours and not errors.
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-origins=yes --num-callers=30
    --suppressions="$here/valgrind.supp")
fail=0
runs=0
say() { printf '%s\n' "$*"; }

# vrun NAME EXPECTED_EXIT COMMAND...: exit 99 is valgrind's; anything else must be expected.
vrun() {
	local name=$1 want=$2 rc
	shift 2
	runs=$((runs + 1))
	"${vg[@]}" --log-file="$tmp/vg.log" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ -s "$tmp/vg.log" ] || [ "$rc" = 99 ]; then
		say "FAIL $name: valgrind reports:"; head -n 60 "$tmp/vg.log"; fail=1
	elif [ "$rc" != "$want" ]; then
		say "FAIL $name: exit $rc, expected $want: $(head -c 400 "$tmp/err")"; fail=1
	else
		say "ok   $name"
	fi
}

# ---- unit tests ----------------------------------------------------------------------------
while IFS= read -r t; do
	name=$(basename "$t")
	[[ $name =~ $only ]] || continue
	cd "$(dirname "$t")" || exit 1
	vrun "$name" 0 "$t"
done < <(find "$build/tests" -type f -perm -u+x -name 'test_*' | sort)

# ---- fuzz corpora (hostile documents, arguments, services files, watch lists, command lines) -
for t in parse args services watch options; do
	[ -x "$build/fuzz/replay_$t" ] && vrun "replay_$t" 0 "$build/fuzz/replay_$t" "$here/../fuzz/corpus/$t"
done

# ---- the command line ------------------------------------------------------------------------
db=$tmp/v.db
cd "$data" || exit 1
vrun "import" 0 "$iw" --db "$db" import 2025-01-23.xml.gz --observed-at 2025-01-24T01:44:55Z
vrun "import newer" 0 "$iw" --db "$db" import 2025-02-13.xml.gz --observed-at 2025-02-14T01:46:39Z
vrun "import older (insert)" 0 "$iw" --db "$db" import 2017-03-10.xml.gz --observed-at 2017-03-14T19:45:24Z
vrun "import known" 0 "$iw" --db "$db" import 2017-03-10.xml.gz
vrun "import manifest" 0 "$iw" --db "$tmp/m.db" import --manifest MANIFEST.tsv
vrun "snapshots" 0 "$iw" --db "$db" snapshots --format json
vrun "diff" 1 "$iw" --db "$db" diff 2025-01-23 2025-02-13
vrun "diff json" 1 "$iw" --db "$db" diff latest~2 latest --format json
vrun "history" 0 "$iw" --db "$db" history 3/tcp
vrun "history name" 0 "$iw" --db "$db" history compressnet --format json
vrun "show" 0 "$iw" --db "$db" show 3 --at 2025-01-23
vrun "check" 0 "$iw" --db "$db" check
vrun "check --sample" 0 "$iw" --db "$db" check --sample 2
vrun "export services" 0 "$iw" --db "$db" export --format services
vrun "cat" 0 "$iw" --db "$db" cat 2025-01-23
vrun "report" 0 "$iw" --db "$db" report --out "$tmp/site"
vrun "status" 0 "$iw" --db "$db" status
# error paths free what they took too
vrun "import truncated" 3 "$iw" --db "$db" import bad/truncated.xml
vrun "import entity bomb" 3 "$iw" --db "$db" import bad/entity-bomb.xml
vrun "import encoding mismatch" 3 "$iw" --db "$db" import bad/encoding-mismatch.xml
vrun "import port" 3 "$iw" --db "$db" import bad/port-too-big.xml
vrun "diff unknown snapshot" 4 "$iw" --db "$db" diff 1999-01-01 latest
vrun "history bad port" 2 "$iw" --db "$db" history 70000
vrun "no database" 4 "$iw" --db "$tmp/none.db" snapshots
cp "$db" "$tmp/newer.db"
sqlite3 "$tmp/newer.db" "PRAGMA user_version = 99"
vrun "newer schema" 5 "$iw" --db "$tmp/newer.db" import 2025-01-23.xml.gz
sqlite3 "$db" "UPDATE record SET description = 'x' WHERE id = 1"
vrun "check finds damage" 5 "$iw" --db "$db" check
vrun "fetch, connection refused" 7 "$iw" --db "$db" fetch --url http://127.0.0.1:9/x.xml --attempts 1

say "$runs runs under valgrind memcheck"
[ $fail = 0 ] && say "ok: no memory errors, no leaks"
exit $fail
