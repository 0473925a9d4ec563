#!/usr/bin/env bash
# run.sh: `ianawatch fetch` and `status` against a real HTTP server on 127.0.0.1 (tests/httpd.py,
# started and stopped here): every misbehaviour must end in its documented exit status with the
# database unchanged but for the log, every success must change it exactly once.
# usage: run.sh IANAWATCH_BINARY [PYTHON3]
set -u
IW=$1
PY=${2:-python3}
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/iwfetch.XXXXXX")
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT

export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C
# Retries after milliseconds, not seconds; Retry-After is honoured up to 5 s.
export IANAWATCH_RETRY_BASE_MS=20 IANAWATCH_RETRY_MAX_MS=5000
unset IANAWATCH_DB XDG_DATA_HOME XDG_CONFIG_HOME IANAWATCH_CONFIG IANAWATCH_LOCK_WAIT_MS
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export HOME="$work/home"

# ---- what the server serves -------------------------------------------------------------
root="$work/root"
mkdir -p "$root" "$HOME"
for f in 2017-03-10 2025-01-23 2025-02-13; do
	ln -s "$data/$f.xml.gz" "$root/$f.xml.gz"
done
ln -s "$data/bad/truncated.xml" "$root/truncated.xml"
# An implausible document: the 2025-02-13 registry, well-formed, with every 4th record cut out.
"$PY" - "$data/2025-02-13.xml.gz" "$root/cut.xml" <<'EOF' || { echo "cannot make cut.xml"; exit 1; }
import gzip, re, sys
text = gzip.open(sys.argv[1]).read().decode("utf-8")
n = [0]
def cut(m):
    n[0] += 1
    return "" if n[0] % 4 == 0 else m.group(0)
out = re.sub(r"<record\b.*?</record>\s*", cut, text, flags=re.S)
open(sys.argv[2], "w", encoding="utf-8").write(out)
EOF

"$PY" "$here/../httpd.py" --root "$root" --port-file "$work/port" --lifetime 300 \
	--parent-pid $$ > /dev/null 2> "$work/httpd.log" &
server_pid=$!
for _ in $(seq 100); do
	[ -s "$work/port" ] && break
	sleep 0.1
done
[ -s "$work/port" ] || { echo "httpd.py did not start:"; cat "$work/httpd.log"; exit 1; }
U="http://127.0.0.1:$(cat "$work/port")"

# ---- helpers ------------------------------------------------------------------------------
failures=0
current=
fail() { echo "FAIL [$current]: $*"; failures=$((failures + 1)); }
t_start=$(date +%s%N)
begin() { current=$1; echo "== $(( ($(date +%s%N) - t_start) / 1000000 )) ms: $1"; }

# iw DB ARGS...: runs ianawatch; $rc, $work/out, $work/err hold what happened.
iw() {
	local db=$1
	shift
	"$IW" --db "$db" "$@" < /dev/null > "$work/out" 2> "$work/err"
	rc=$?
}
expect_rc() {
	[ "$rc" = "$1" ] || { fail "exit status $rc, expected $1"; sed 's/^/  stderr: /' "$work/err"; }
}
expect_no_output() {
	[ -s "$work/out" ] && { fail "expected no output, got:"; head -n 5 "$work/out"; }
	return 0
}
expect_out() { # a fixed string that must be in stdout
	grep -qF -- "$1" "$work/out" || { fail "stdout lacks: $1"; head -n 5 "$work/out"; }
}
expect_err() {
	grep -qF -- "$1" "$work/err" || { fail "stderr lacks: $1"; head -n 5 "$work/err"; }
}
# One line of stderr per error: no trace, no second message.
expect_one_err_line() {
	local n
	n=$(wc -l < "$work/err")
	[ "$n" = 1 ] || { fail "expected one line on stderr, got $n:"; cat "$work/err"; }
}

# Everything the database holds except the fetch log: snapshots and validators row by row,
# versions, spans and raw documents by count and checksums (a write is one transaction, so
# any trace of one shows there). Two equal dumps mean an unchanged history.
state() {
	"$PY" - "$1" <<'EOF'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for q in ["SELECT * FROM snapshot ORDER BY id", "SELECT * FROM http_cache ORDER BY url",
          "SELECT count(*), total(id), total(port), total(length(hash)) FROM record",
          "SELECT count(*), total(record_id * first_pos), total(last_pos) FROM record_span",
          "SELECT count(*), total(id), total(length(pid)) FROM person",
          "SELECT count(*), total(person_id * first_pos), total(last_pos) FROM person_span",
          "SELECT count(*), total(ifnull(base_id, 0)), total(length(data)) FROM raw"]:
    print(q.split(" FROM ")[1].split()[0], db.execute(q).fetchall())
# The log, on lines of its own (history() leaves them out).
print("log count", db.execute("SELECT count(*) FROM fetch_log").fetchone()[0])
last = db.execute("SELECT outcome || '|' || ifnull(http_status, '') FROM fetch_log "
                  "ORDER BY id DESC LIMIT 1").fetchone()
print("log last", last[0] if last else "")
EOF
}
history() { grep -v '^log ' "$1"; }
logfield() { sed -n "s/^log $2 //p" "$1"; } # logfield STATE_FILE count|last
count() { # count DB SQL
	"$PY" -c 'import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
print(db.execute(sys.argv[2]).fetchone()[0])' "$1" "$2"
}
snapshots() { count "$1" "SELECT count(*) FROM snapshot"; }
logrows() { count "$1" "SELECT count(*) FROM fetch_log"; }
lastlog() { # outcome|http_status of the newest log row
	count "$1" "SELECT outcome || '|' || ifnull(http_status, '') FROM fetch_log ORDER BY id DESC LIMIT 1"
}
control() { "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' "$U$1"; }

# A failing fetch: exit status, one stderr line, history unchanged, `nlog` attempts logged as
# retries followed by one final row with outcome `outcome`.
# expect_failure DB WANT_RC OUTCOME NLOG STDERR_TEXT FETCH_ARGS...
expect_failure() {
	local db=$1 want=$2 outcome=$3 nlog=$4 text=$5 nb na
	shift 5
	state "$db" > "$work/before"
	iw "$db" fetch "$@"
	expect_rc "$want"
	expect_no_output
	expect_err "$text"
	expect_one_err_line
	state "$db" > "$work/after"
	[ "$(history "$work/before")" = "$(history "$work/after")" ] || fail "the database changed"
	nb=$(logfield "$work/before" count)
	na=$(logfield "$work/after" count)
	[ "$na" = $((nb + nlog)) ] || fail "expected $nlog new log rows, got $((na - nb))"
	case $(logfield "$work/after" last) in
	"$outcome"\|*) ;;
	*) fail "last log row is $(logfield "$work/after" last), expected outcome $outcome" ;;
	esac
}

# A database holding the 2025-01-23 registry, imported from the file (so no validators).
base="$work/base.db"
"$IW" --db "$base" import --observed-at 2025-01-24T01:44:55Z -q "$data/2025-01-23.xml.gz" ||
	{ echo "cannot build the base database"; exit 1; }
fresh() { cp "$base" "$work/$1.db"; echo "$work/$1.db"; }

# ---- the nightly run, end to end ----------------------------------------------------------
begin "nightly: first run stores and says so"
db="$work/nightly.db"
control "/_control/current?file=2025-01-23.xml"
iw "$db" fetch --url "$U/current" --exit-code
expect_rc 1
[ "$(cat "$work/out")" = "first snapshot stored: registry 2025-01-23, 14466 records" ] ||
	fail "unexpected first-run output: $(cat "$work/out")"
[ "$(snapshots "$db")" = 1 ] || fail "expected 1 snapshot"
[ "$(lastlog "$db")" = "changed|200" ] || fail "log: $(lastlog "$db")"
[ -f "$db.lock" ] || fail "no lock file next to the database"

begin "nightly: 304 with ETag stores nothing, prints nothing"
state "$db" > "$work/before"
iw "$db" fetch --url "$U/current" --exit-code
expect_rc 0
expect_no_output
[ -s "$work/err" ] && fail "stderr not empty: $(cat "$work/err")"
state "$db" > "$work/after"
[ "$(history "$work/before")" = "$(history "$work/after")" ] || fail "the database changed on 304"
[ "$(logfield "$work/after" last)" = "not-modified|304" ] || fail "log: $(logfield "$work/after" last)"
iw "$db" -v fetch --url "$U/current"
expect_rc 0
expect_no_output
expect_err "not modified"
expect_err "sending validators: ETag"

begin "nightly: 2025-02-13 prints the CompressNET de-assignment"
control "/_control/current?file=2025-02-13.xml"
iw "$db" -v fetch --url "$U/current" --exit-code
expect_rc 1
expect_err "stored snapshot 2 (registry 2025-02-13, 14468 records)"
grep -q "beside the import failed" "$work/err" && fail "the previous snapshot was not loaded beside the import: $(cat "$work/err")"
expect_out "Registry changes 2025-01-23 -> 2025-02-13 (snapshots 1 -> 2): 4 de-assigned, 2 added"
expect_out "2/tcp compressnet de-assigned, now Reserved"
expect_out "3/udp compressnet de-assigned, now Reserved"
[ "$(grep -c 'compressnet de-assigned' "$work/out")" = 4 ] || fail "expected 4 de-assignment lines"
[ "$(snapshots "$db")" = 2 ] || fail "expected 2 snapshots"
cp "$work/out" "$work/report.txt"

begin "nightly: 2025-02-13 again prints nothing"
state "$db" > "$work/before"
iw "$db" fetch --url "$U/current" --exit-code
expect_rc 0
expect_no_output
state "$db" > "$work/after"
[ "$(history "$work/before")" = "$(history "$work/after")" ] || fail "the database changed"
[ "$(logfield "$work/after" last)" = "not-modified|304" ] || fail "log: $(logfield "$work/after" last)"
# The same report as `diff` prints: one renderer for both.
iw "$db" diff 1 2
cmp -s "$work/out" "$work/report.txt" || fail "fetch's report differs from diff's"

begin "same content under a new ETag stores nothing"
before=$(snapshots "$db")
iw "$db" fetch --url "$U/f/2025-02-13.xml?etag=0&lm=0" --exit-code
expect_rc 0
expect_no_output
[ "$(snapshots "$db")" = "$before" ] || fail "a snapshot was added"
[ "$(lastlog "$db")" = "unchanged|200" ] || fail "log: $(lastlog "$db")"

begin "JSON and Markdown reports"
db=$(fresh json)
iw "$db" fetch --url "$U/f/2025-02-13.xml" --format json
expect_rc 0
"$PY" - "$work/out" <<'EOF' || fail "JSON report is not the change object"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["from"]["registry_updated"] == "2025-01-23", d["from"]
assert d["to"]["registry_updated"] == "2025-02-13", d["to"]
kinds = [(c["kind"], c["name"], c["protocol"], c["port"]) for c in d["changes"]]
assert ("deassigned", "compressnet", "tcp", 2) in kinds, kinds
assert len([k for k in kinds if k[0] == "deassigned"]) == 4, kinds
EOF
db="$work/first-json.db"
iw "$db" fetch --url "$U/f/2025-01-23.xml" --format json
expect_rc 0
"$PY" - "$work/out" <<'EOF' || fail "first-run JSON should be the change object with from null"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["from"] is None and d["to"]["registry_updated"] == "2025-01-23", d
assert d["changes"] == [] and d["people"] == [], d
EOF
db=$(fresh markdown)
iw "$db" fetch --url "$U/f/2025-02-13.xml" --format markdown
expect_rc 0
expect_out "compressnet"
grep -q '^#' "$work/out" || fail "markdown report has no heading"

# ---- the server misbehaves ----------------------------------------------------------------
begin "500 then 200: stored once, both attempts logged"
db=$(fresh retry500)
iw "$db" fetch --url "$U/f/2025-02-13.xml?fail=1" --exit-code
expect_rc 1
expect_out "compressnet de-assigned"
[ "$(snapshots "$db")" = 2 ] || fail "expected exactly one new snapshot"
[ "$(count "$db" "SELECT group_concat(x, ',') FROM (SELECT outcome || ':' || http_status AS x FROM fetch_log ORDER BY id)")" = "retry:500,changed:200" ] ||
	fail "log: $(count "$db" "SELECT group_concat(x, ',') FROM (SELECT outcome || ':' || http_status AS x FROM fetch_log ORDER BY id)")"

begin "429 with Retry-After is waited for"
db=$(fresh retry429)
t0=$(date +%s%N)
iw "$db" fetch --url "$U/f/2025-02-13.xml?fail=1&code=429&retry_after=1" --exit-code
t1=$(date +%s%N)
expect_rc 1
[ "$(snapshots "$db")" = 2 ] || fail "expected exactly one new snapshot"
[ $(( (t1 - t0) / 1000000 )) -ge 900 ] || fail "Retry-After: 1 was not honoured ($(( (t1 - t0) / 1000000 )) ms)"

begin "5xx on every attempt: EXIT_NET, each attempt logged"
db=$(fresh fail503)
expect_failure "$db" 7 error 3 "HTTP 503 after 3 attempts" --url "$U/status/503" --attempts 3

begin "stall mid-body: EXIT_NET within the stall timeout"
db=$(fresh stall)
expect_failure "$db" 7 error 1 "stalled: no data for 1 s" \
	--url "$U/f/2025-02-13.xml?stall=2000&gzip=0" --stall-timeout 1 --attempts 1

begin "total timeout on a trickling server"
db=$(fresh timeout)
expect_failure "$db" 7 error 2 "$U/f/2025-02-13.xml?trickle=20&gzip=0" \
	--url "$U/f/2025-02-13.xml?trickle=20&gzip=0" --timeout 0.5 --attempts 2

begin "truncated body: EXIT_NET"
db=$(fresh truncate)
expect_failure "$db" 7 error 2 "body truncated" \
	--url "$U/f/2025-02-13.xml?truncate=5000" --attempts 2

begin "truncated XML served whole: EXIT_DATA naming the URL"
db=$(fresh truncxml)
expect_failure "$db" 3 error 1 "$U/f/truncated.xml:6907: truncated or malformed XML" \
	--url "$U/f/truncated.xml"

begin "HTML page with 200: EXIT_DATA"
db=$(fresh html)
expect_failure "$db" 3 error 1 "$U/html: an HTML page, not the registry's XML" --url "$U/html"

begin "redirect loop: EXIT_NET"
db=$(fresh loop)
expect_failure "$db" 7 error 1 "too many redirects" --url "$U/loop"

begin "a good redirect is followed"
db=$(fresh redirect)
iw "$db" fetch --url "$U/redirect?to=/f/2025-02-13.xml"
expect_rc 0
expect_out "compressnet de-assigned"
[ "$(count "$db" "SELECT source FROM snapshot WHERE id = 2")" = "$U/redirect?to=/f/2025-02-13.xml" ] ||
	fail "source is not the URL asked for"

begin "gzip: decoded transparently, stored byte for byte"
db=$(fresh gzip)
iw "$db" fetch --url "$U/f/2025-02-13.xml?gzip=force"
expect_rc 0
want=$(gzip -dc "$data/2025-02-13.xml.gz" | sha256sum | cut -d' ' -f1)
[ "$(count "$db" "SELECT sha256 FROM snapshot WHERE id = 2")" = "$want" ] || fail "stored SHA-256 differs"
expect_failure "$db" 7 error 1 "bad content encoding" --url "$U/badgzip"

begin "gzip bomb: EXIT_DATA at the cap, as import over the cap"
db=$(fresh bomb)
expect_failure "$db" 3 error 1 "exceeds 64 MiB cap" --url "$U/bomb?mib=80"

begin "HTTP 404: EXIT_NET at once"
db=$(fresh notfound)
expect_failure "$db" 7 error 1 "HTTP 404" --url "$U/status/404"

begin "unreachable server: EXIT_NET"
db=$(fresh refused)
expect_failure "$db" 7 error 2 "http://127.0.0.1:1/x" --url "http://127.0.0.1:1/x" --attempts 2

begin "bad URL scheme: usage error before the lock or the database is touched (issue 13)"
db=$(fresh scheme)
sum=$(sha256sum < "$db")
iw "$db" fetch --url "ftp://127.0.0.1/x"
expect_rc 2
expect_no_output
expect_err "only http:// and https://"
expect_one_err_line
[ "$(sha256sum < "$db")" = "$sum" ] || fail "the database changed"
[ ! -e "$db.lock" ] || fail "a lock file was created"

# ---- plausibility ---------------------------------------------------------------------------
begin "far fewer records: refused without --force"
db=$(fresh cut)
expect_failure "$db" 8 refused 1 "refusing a document with" --url "$U/f/cut.xml" --exit-code
expect_err "--force"
begin "far fewer records: stored with --force"
iw "$db" fetch --url "$U/f/cut.xml" --force --exit-code
expect_rc 1
[ "$(snapshots "$db")" = 2 ] || fail "expected exactly one new snapshot"
[ "$(lastlog "$db")" = "changed|200" ] || fail "log: $(lastlog "$db")"

begin "older registry date: refused without --force"
db=$(fresh older)
expect_failure "$db" 8 refused 1 "refusing a registry dated 2017-03-10" --url "$U/f/2017-03-10.xml"

begin "future registry date: refused without --force, nothing stored (issue 17)"
db=$(fresh future)
expect_failure "$db" 8 refused 1 "refusing a registry dated 2099-01-01: that is in the future" \
	--url "$U/f/future.xml" --exit-code
expect_err "--force stores it anyway"
begin "future registry date: stored with --force"
iw "$db" fetch --url "$U/f/future.xml" --force --exit-code
expect_rc 1
[ "$(snapshots "$db")" = 2 ] || fail "expected exactly one new snapshot"
[ "$(count "$db" "SELECT max(registry_updated) FROM snapshot")" = 2099-01-01 ] ||
	fail "the stored snapshot is not the future-dated one"
[ "$(lastlog "$db")" = "changed|200" ] || fail "log: $(lastlog "$db")"

begin "every record ten times: refused without --force, nothing stored (issue 17)"
db=$(fresh duplicated)
expect_failure "$db" 8 refused 1 "refusing a document with" --url "$U/f/duplicated.xml" \
	--exit-code
expect_err "--force stores it anyway"
# (Storing its 139,590 records with --force takes 10-25 s here, and longer under the
# sanitizers; --force through fetch is the future-dated case's, and test_store stores
# repeated records with force.)

begin "validators are not trusted when their content is not stored"
db=$(fresh novalid)
iw "$db" fetch --url "$U/f/2025-02-13.xml"
expect_rc 0
"$PY" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE http_cache SET sha256 = ?", ("0" * 64,))
db.commit()' "$db"
iw "$db" -v fetch --url "$U/f/2025-02-13.xml"
expect_rc 0
expect_err "validators of $U/f/2025-02-13.xml ignored"
[ "$(lastlog "$db")" = "unchanged|200" ] || fail "log: $(lastlog "$db")"

# ---- two runs at once -------------------------------------------------------------------------
begin "concurrency: a second run exits EXIT_BUSY without writing"
# The first run holds the lock while its download stalls, for --stall-timeout seconds. What
# the second run did is judged only while the first still holds the lock: flock(1) tells,
# after the checks. When it no longer does (a loaded machine took longer than the stall), the
# round proves nothing and runs again with a longer stall; no check is skipped or loosened.
# wait_for_fetching: until the first run, which logs it once it holds the lock, says so.
wait_for_fetching() {
	local i
	for i in $(seq 600); do
		grep -q "ianawatch fetch: fetching" "$work/a.err" 2>/dev/null && return 0
		kill -0 "$a_pid" 2>/dev/null || break
		sleep 0.05
	done
	grep -q "ianawatch fetch: fetching" "$work/a.err"
}
held=0
for stall in 4 15 60; do
	db=$(fresh "busy$stall")
	"$IW" --db "$db" -v fetch --url "$U/f/2025-02-13.xml?stall=1000&gzip=0" \
		--stall-timeout "$stall" --attempts 1 > "$work/a.out" 2> "$work/a.err" &
	a_pid=$!
	wait_for_fetching || { fail "the first run never started fetching"; cat "$work/a.err"; }
	before=$(state "$db")
	logs_before=$(logrows "$db")
	IANAWATCH_LOCK_WAIT_MS=300 iw "$db" fetch --url "$U/f/2025-02-13.xml"
	after=$(state "$db")
	logs_after=$(logrows "$db")
	# Still held by the first run: everything above happened while it held the lock.
	if ! flock -n "$db.lock" true; then
		held=1
		break
	fi
	wait "$a_pid"
	echo "   the first run ended before the checks (a loaded machine): again, stalling longer"
done
[ "$held" = 1 ] || fail "the first run never held the lock through the checks, even stalling 60 s"
expect_rc 6
expect_no_output
expect_err "another ianawatch run holds $db.lock"
expect_one_err_line
[ "$after" = "$before" ] || fail "the second run changed the database"
[ "$logs_after" = "$logs_before" ] || fail "the second run wrote the log"
wait "$a_pid"
a_rc=$?
[ "$a_rc" = 7 ] || fail "the stalled run exited $a_rc, expected 7"
[ "$(logrows "$db")" = $((logs_before + 1)) ] || fail "expected only the first run's log row"

begin "concurrency: a run waits for a short one, then does its job"
db=$(fresh wait)
"$IW" --db "$db" -v fetch --url "$U/f/2025-02-13.xml?stall=1000&gzip=0" --stall-timeout 1 \
	--attempts 1 > "$work/a.out" 2> "$work/a.err" &
a_pid=$!
wait_for_fetching || fail "the first run never started fetching"
IANAWATCH_LOCK_WAIT_MS=8000 iw "$db" fetch --url "$U/f/2025-02-13.xml" --exit-code
expect_rc 1
wait "$a_pid"
[ "$(snapshots "$db")" = 2 ] || fail "expected exactly one new snapshot"
[ "$(count "$db" "SELECT group_concat(outcome, ',') FROM (SELECT outcome FROM fetch_log ORDER BY id)")" = "error,changed" ] ||
	fail "log: $(count "$db" "SELECT group_concat(outcome, ',') FROM (SELECT outcome FROM fetch_log ORDER BY id)")"

# ---- status -----------------------------------------------------------------------------------
begin "status: never checked"
iw "$work/none.db" status --max-age 1
expect_rc 9
expect_out "last success:  never"
expect_err "no successful check ever"
expect_one_err_line
[ -e "$work/none.db" ] && fail "status created a database"

begin "status: last success, change and failure"
db="$work/nightly.db"
IANAWATCH_NOW=2026-01-02T00:00:00Z iw "$db" fetch --url "$U/html"
expect_rc 3
IANAWATCH_NOW=2026-01-02T06:00:00Z iw "$db" status
expect_rc 0
expect_out "last success:  2026-01-01T00:00:00Z (30 h ago), unchanged (HTTP 200), $U/f/2025-02-13.xml?etag=0&lm=0"
expect_out "last change:   2026-01-01T00:00:00Z (30 h ago), snapshot 2 (registry 2025-02-13)"
expect_out "last failure:  2026-01-02T00:00:00Z (6 h ago), error: $U/html: an HTML page"
expect_out "snapshots:     2"
IANAWATCH_NOW=2026-01-02T06:00:00Z iw "$db" status --format json --max-age 2
expect_rc 0
"$PY" - "$work/out" "$U" <<'EOF' || fail "status JSON"
import json, sys
d = json.load(open(sys.argv[1]))
u = sys.argv[2]
assert d["last_check"]["outcome"] == "unchanged" and d["last_check"]["http_status"] == 200, d
assert d["last_change"]["snapshot"]["id"] == 2, d
assert d["last_change"]["snapshot"]["registry_updated"] == "2025-02-13", d
assert d["last_failure"]["url"] == u + "/html" and d["last_failure"]["outcome"] == "error", d
assert d["last_failure"]["at"] == "2026-01-02T00:00:00Z", d
assert d["snapshots"] == 2 and d["max_age_days"] == 2 and d["stale"] is False, d
EOF

begin "status --max-age: stale after the given days"
IANAWATCH_NOW=2026-01-04T00:00:00Z iw "$db" status --max-age 2 -q
expect_rc 9
expect_no_output
expect_err "no successful check for 3.0 days"
expect_one_err_line
IANAWATCH_NOW=2026-01-04T00:00:00Z iw "$db" status --max-age 3.5 -q
expect_rc 0
expect_no_output
iw "$db" status --max-age soon
expect_rc 2

begin "status: refusals count as failures"
db=$(fresh cut)
iw "$db" fetch --url "$U/f/cut.xml"
iw "$db" status --format json
"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["last_failure"]["outcome"] == "refused" and d["last_check"] is None, d' "$work/out" ||
	fail "status after a refusal: $(cat "$work/out")"

# ---- issue 17: the nightly job must finish and must not lie --------------------------------
begin "rollback: content stored before but older than the newest snapshot is refused"
db=$(fresh rollback)
iw "$db" fetch --url "$U/f/2025-02-13.xml"
expect_rc 0
[ "$(snapshots "$db")" = 2 ] || fail "expected 2 snapshots"
# The byte-identical 2025-01-23 document, snapshot 1, served again.
expect_failure "$db" 8 refused 1 "rollback: the document served is snapshot 1 (registry 2025-01-23), older than the newest snapshot 2 (registry 2025-02-13)" --url "$U/f/2025-01-23.xml"
# The same at one URL, night after night: the server goes back to an older version.
db=$(fresh rollback-current)
control "/_control/current?file=2025-02-13.xml"
iw "$db" fetch --url "$U/current"
expect_rc 0
control "/_control/current?file=rolled-back.xml"
expect_failure "$db" 8 refused 1 "rollback: the document served is snapshot 1" --url "$U/current"
iw "$db" status --format json
"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["last_failure"]["outcome"] == "refused", d' "$work/out" ||
	fail "status after a rollback: $(cat "$work/out")"
iw "$db" fetch --url "$U/f/2025-01-23.xml" --force
expect_rc 0
[ "$(lastlog "$db")" = "unchanged|200" ] || fail "--force: log $(lastlog "$db")"

begin "trickle: dropped under the speed floor"
db=$(fresh trickle)
t0=$(date +%s)
IANAWATCH_LOW_SPEED_LIMIT=1024 IANAWATCH_LOW_SPEED_MS=1500 \
	expect_failure "$db" 7 error 1 "too slow: under 1024 bytes/s for 1.5 s" \
	--url "$U/f/2025-02-13.xml?gzip=0&trickle=1000&piece=1" --attempts 1
# Without the floor the trickle would run into the 600 s budget: 20 s proves the floor acted
# and leaves a loaded machine (the checks above start several processes) room.
[ $(( $(date +%s) - t0 )) -lt 20 ] || fail "took $(( $(date +%s) - t0 )) s"

begin "budget: all attempts and waits end within IANAWATCH_FETCH_BUDGET_MS"
db=$(fresh budget)
t0=$(date +%s)
IANAWATCH_FETCH_BUDGET_MS=2000 \
	expect_failure "$db" 7 error 1 "fetch budget of 2 s spent" \
	--url "$U/f/2025-02-13.xml?gzip=0&stall=100" --attempts 4 --stall-timeout 60
# Without the budget the first stall alone would last 60 s.
[ $(( $(date +%s) - t0 )) -lt 20 ] || fail "took $(( $(date +%s) - t0 )) s"

begin "a huge response header is named, not 'Out of memory'"
db=$(fresh bighead)
expect_failure "$db" 7 error 1 "response header line exceeds libcurl's 100 KiB limit" --url "$U/bighead?kib=1024"

begin "stale site: a site the last run could not write is caught up by the next"
db=$(fresh stale)
: > "$work/blocked"
iw "$db" fetch --url "$U/f/2025-02-13.xml" --report-dir "$work/blocked/site"
expect_rc 2
expect_err "snapshot 2 stored, but the site in $work/blocked/site was not updated"
expect_out "4 de-assigned"
[ "$(snapshots "$db")" = 2 ] || fail "expected 2 snapshots"
[ "$(lastlog "$db")" = "changed|200" ] || fail "log: $(lastlog "$db")"
rm "$work/blocked"
iw "$db" fetch --url "$U/f/2025-02-13.xml" --report-dir "$work/blocked/site"
expect_rc 0
expect_no_output
[ "$(lastlog "$db")" = "not-modified|304" ] || fail "log: $(lastlog "$db")"
ls "$work/blocked/site/changes/"2025-02-13_*.html > /dev/null 2>&1 ||
	fail "the missing change set was not written"
iw "$db" -v fetch --url "$U/f/2025-02-13.xml" --report-dir "$work/blocked/site"
expect_rc 0
expect_err "site in $work/blocked/site: up to date"

begin "SIGPIPE: the check is recorded before the report is written"
db=$(fresh sigpipe)
# Nobody reads the pipe: the first write gets SIGPIPE (or EPIPE where it is ignored).
"$PY" -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "--db", sys.argv[2], "fetch", "--url", sys.argv[3]],
                   stdout=w, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
sys.exit(0 if p.returncode != 0 else 1)' "$IW" "$db" "$U/f/2025-02-13.xml" ||
	fail "fetch into a closed pipe exited 0"
[ "$(snapshots "$db")" = 2 ] || fail "expected 2 snapshots"
[ "$(lastlog "$db")" = "changed|200" ] || fail "log: $(lastlog "$db")"
[ "$(count "$db" "SELECT count(*) FROM http_cache")" = 1 ] || fail "no validators recorded"
iw "$db" fetch --url "$U/f/2025-02-13.xml" --report-dir "$work/sigpipe-site"
expect_rc 0
[ "$(lastlog "$db")" = "not-modified|304" ] || fail "log: $(lastlog "$db")"
ls "$work/sigpipe-site/changes/"2025-02-13_*.html > /dev/null 2>&1 ||
	fail "the change set was not written"

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "all fetch command-line tests passed"
