#!/usr/bin/env bash
# fetch_site.sh: `fetch --report-dir` keeps the static site up to date: from a real HTTP server
# (tests/httpd.py) serving the committed snapshots as the registry's successive versions, each
# new snapshot brings its change set page; an unchanged download touches nothing.
# Usage: fetch_site.sh BINARY
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
tests=$(cd "$here/.." && pwd)
command -v python3 >/dev/null || { echo "SKIP: python3 is missing"; exit 77; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/iwfetchsite.XXXXXX")
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
export TZ=UTC LC_ALL=C HOME="$scratch/home" IANAWATCH_RETRY_BASE_MS=10 IANAWATCH_LOCK_WAIT_MS=0
unset IANAWATCH_DB XDG_DATA_HOME http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
fail=0
bad() { echo "FAIL: $*"; fail=1; }

python3 "$tests/httpd.py" --root "$tests/data" --port-file "$scratch/port" --parent-pid $$ \
	--lifetime 120 >/dev/null 2>"$scratch/httpd.log" &
server=$!
for _ in $(seq 100); do [ -s "$scratch/port" ] && break; sleep 0.05; done
[ -s "$scratch/port" ] || { echo "the test server did not start"; cat "$scratch/httpd.log"; exit 1; }
base="http://127.0.0.1:$(cat "$scratch/port")"
db="$scratch/iw.db"
site="$scratch/site"

# fetch_version FILE NOW [OPTION...]: the server now serves FILE; fetch it at time NOW.
fetch_version() {
	local file=$1 now=$2
	shift 2
	python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' \
		"$base/_control/current?file=$file" || { echo "cannot switch the server to $file"; exit 1; }
	IANAWATCH_NOW=$now "$bin" --db "$db" -v fetch --url "$base/current" --report-dir "$site" \
		"$@" >"$scratch/out" 2>"$scratch/err"
}

fetch_version 2025-01-23.xml 2025-01-24T01:44:55Z || bad "first fetch failed: $(cat "$scratch/err")"
[ -f "$site/index.html" ] || bad "no site after the first snapshot"
grep -q "No change set yet" "$site/index.html" || bad "the first site lists change sets"
grep -q "site in $site: 0 change sets, 0 pages and 6423 files written" "$scratch/err" ||
	bad "fetch -v did not say what it wrote: $(cat "$scratch/err")"

fetch_version 2025-02-13.xml 2025-02-14T01:46:39Z || bad "second fetch failed: $(cat "$scratch/err")"
grep -q "compressnet" "$scratch/out" || bad "the change report lacks compressnet"
grep -q "site in $site: 1 change sets, 1 pages and 10 files written" "$scratch/err" ||
	bad "the second site update: $(cat "$scratch/err")"
page=$(ls "$site"/changes/2025-02-13_*.html 2>/dev/null)
[ -n "$page" ] || bad "no page for the CompressNET change set"
grep -q '<th scope="row">2/tcp compressnet</th><td>de-assigned, now Reserved' "$page" ||
	bad "the page lacks the de-assignment"
grep -q "changes/2025-02-13_" "$site/index.html" "$site/feed.atom" || bad "index or feed lack it"
# The same as a report written from scratch.
"$bin" --db "$db" report --out "$scratch/full" >/dev/null
diff -r "$site" "$scratch/full" >/dev/null || bad "the fetched site differs from a full report"

# Unchanged content: no snapshot, no site update.
touch -d '2000-01-01' "$site/index.html"
fetch_version 2025-02-13.xml 2025-02-15T01:00:00Z || bad "third fetch failed: $(cat "$scratch/err")"
[ "$(stat -c %Y "$site/index.html")" = "$(date -d 2000-01-01 +%s)" ] ||
	bad "an unchanged download rewrote the index"

# A site that cannot be written: the snapshot stays stored, the run says so and fails.
rm -rf "$site" && echo "not a folder" >"$site"
fetch_version 2017-03-10.xml 2025-03-01T00:00:00Z --force
st=$?
[ $st = 2 ] || bad "a site that cannot be written should exit 2, got $st"
grep -q "snapshot 3 stored, but the site in $site was not updated" "$scratch/err" ||
	bad "the failure does not say what happened: $(cat "$scratch/err")"
"$bin" --db "$db" snapshots | grep -q 2017-03-10 || bad "the snapshot was not kept"

[ $fail = 0 ] && echo "fetch --report-dir: ok"
exit $fail
