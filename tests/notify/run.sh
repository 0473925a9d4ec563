#!/usr/bin/env bash
# run.sh: watch lists and notifications end to end: `fetch --watch --notify` against
# tests/httpd.py (the registry) and receiver.py (webhooks), with a fake sendmail; what each
# target receives, retries on later runs, expiry, secrets kept out of every output, and
# `notify --test`. Everything listens on 127.0.0.1 only.
# usage: run.sh IANAWATCH_BINARY [PYTHON3]
set -u
IW=$1
PY=${2:-python3}
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/iwnotify.XXXXXX")
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT

T0=2026-01-01T00:00:00Z
export IANAWATCH_NOW=$T0 TZ=UTC LC_ALL=C IANAWATCH_RETRY_BASE_MS=20 IANAWATCH_RETRY_MAX_MS=200
# A stalled receiver is given up after one second.
export IANAWATCH_NOTIFY_TIMEOUT_MS=1000
unset IANAWATCH_DB XDG_DATA_HOME XDG_CONFIG_HOME IANAWATCH_CONFIG IANAWATCH_LOCK_WAIT_MS
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export HOME="$work/home"
export SENDMAIL="$here/fake-sendmail.sh" FAKE_SENDMAIL_DIR="$work/mail"
mkdir -p "$HOME" "$work/root" "$work/rec" "$work/mail"
for f in 2017-03-10 2025-01-23 2025-02-13; do
	ln -s "$data/$f.xml.gz" "$work/root/$f.xml.gz"
done

"$PY" "$here/../httpd.py" --root "$work/root" --port-file "$work/port" --lifetime 300 \
	--parent-pid $$ > /dev/null 2> "$work/httpd.log" &
pids="$pids $!"
"$PY" "$here/receiver.py" --dir "$work/rec" --lifetime 300 --parent-pid $$ \
	2> "$work/receiver.log" &
pids="$pids $!"
for _ in $(seq 100); do
	[ -s "$work/port" ] && [ -s "$work/rec/port" ] && break
	sleep 0.1
done
[ -s "$work/port" ] && [ -s "$work/rec/port" ] ||
	{ echo "servers did not start:"; cat "$work/httpd.log" "$work/receiver.log"; exit 1; }
U="http://127.0.0.1:$(cat "$work/port")"
RP=$(cat "$work/rec/port")
R="http://127.0.0.1:$RP"
# Secrets in every part of a URL: none may ever be printed.
S1=userSECRETpw S2=pathSECRETtoken S3=querySECRETkey
HOOK="http://hook:$S1@127.0.0.1:$RP/ok/hook/$S2?token=$S3"

failures=0
current=
fail() { echo "FAIL [$current]: $*"; failures=$((failures + 1)); }
begin() { current=$1; echo "== $1"; }
iw() {
	local db=$1
	shift
	"$IW" --db "$db" "$@" < /dev/null > "$work/out" 2> "$work/err"
	rc=$?
	cat "$work/out" "$work/err" >> "$work/all-output"
}
expect_rc() {
	[ "$rc" = "$1" ] || { fail "exit status $rc, expected $1"; sed 's/^/  stderr: /' "$work/err"; }
}
expect_out() { grep -qF -- "$1" "$work/out" || { fail "stdout lacks: $1"; head -n 5 "$work/out"; }; }
expect_err() { grep -qF -- "$1" "$work/err" || { fail "stderr lacks: $1"; head -n 5 "$work/err"; }; }
count() {
	"$PY" -c 'import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
print(db.execute(sys.argv[2]).fetchone()[0])' "$1" "$2"
}
queued() { count "$1" "SELECT count(*) FROM notification"; }
requests() { ls "$work/rec" | grep -c '^req-' ; } # received so far
# req PATH_PREFIX: the newest recorded request whose path starts so
req() { "$PY" - "$work/rec" "$1" <<'EOF'
import glob, json, sys
hits = [f for f in sorted(glob.glob(sys.argv[1] + "/req-*.json"))
        if json.load(open(f))["path"].startswith(sys.argv[2])]
print(hits[-1] if hits else "")
EOF
}

printf '# the CompressNET ports\n2-3/tcp\n' > "$work/watch"
printf 'nosuchservice\n40000-40010\n' > "$work/watch-none"

# ---- the first snapshot: nothing to compare, nothing sent --------------------------------------
begin "first snapshot: no notification"
db="$work/w.db"
iw "$db" fetch --url "$U/f/2025-01-23.xml" --notify "$HOOK" --watch "$work/watch" --exit-code
# A first snapshot changes no watched item: --exit-code --watch says 0.
expect_rc 0
expect_out "first snapshot stored"
[ "$(requests)" = 0 ] || fail "a notification was sent for the first snapshot"
[ "$(queued "$db")" = 0 ] || fail "a notification was queued for the first snapshot"

# ---- a change set, every kind of target ------------------------------------------------------
begin "fetch --watch --notify: every target"
iw "$db" fetch --url "$U/f/2025-02-13.xml" --watch "$work/watch" --exit-code \
	--notify "$HOOK" --notify "slack+$R/ok/slack/T000/B000/XXXX" --notify "ntfy+$R/ok/ntfy" \
	--notify "mailto:ports@example.org" --notify "$R/fail/always?token=$S3" \
	--notify "$R/failn/1/once" --notify "$R/stalln/1/5/slow"
expect_rc 1
expect_out "[high] 2/tcp compressnet de-assigned"
expect_out "[high] 3/tcp compressnet de-assigned"
grep -q "udp" "$work/out" && fail "the watch list names tcp only, yet udp is reported"
expect_err "notification of snapshots 1 -> 2 failed (attempt 1; kept, next try after 2026-01-01T00:05:00Z): http://127.0.0.1:$RP/…: HTTP 500"
expect_err "http://127.0.0.1:$RP/…: timed out after 1 s"
[ "$(queued "$db")" = 3 ] || fail "expected 3 queued (fail, failn, stalln), got $(queued "$db")"

begin "webhook: the diff object plus a summary"
iw "$db" diff 1 2 --watch "$work/watch" --format json
cp "$work/out" "$work/diff.json"
"$PY" - "$(req /ok/hook/)" "$work/diff.json" "$S1" <<'EOF' || fail "webhook body"
import base64, json, sys
r = json.load(open(sys.argv[1]))
body = json.loads(r["body"])
want = json.load(open(sys.argv[2]))
assert r["headers"]["Content-Type"] == "application/json", r["headers"]
assert list(body)[0] == "summary", list(body)
summary = body.pop("summary")
assert summary == "Registry changes 2025-01-23 -> 2025-02-13 (snapshots 1 -> 2): 2 de-assigned", summary
assert body == want, (body, want)
assert all(c["severity"] == "high" for c in body["changes"]) and len(body["changes"]) == 2
# the credentials went where they belong: to the receiver, as HTTP authentication
auth = base64.b64decode(r["headers"]["Authorization"].split()[1]).decode()
assert auth == "hook:" + sys.argv[3], auth
EOF

begin "slack: {\"text\": MARKDOWN}"
iw "$db" diff 1 2 --watch "$work/watch" --format markdown
cp "$work/out" "$work/diff.md"
"$PY" - "$(req /ok/slack/)" "$work/diff.md" <<'EOF' || fail "slack body"
import json, sys
r = json.load(open(sys.argv[1]))
body = json.loads(r["body"])
assert list(body) == ["text"], body
assert body["text"] == open(sys.argv[2]).read(), body["text"]
assert body["text"].startswith("## Registry changes 2025-01-23 -> 2025-02-13")
EOF

begin "ntfy: text, Title and Priority"
iw "$db" diff 1 2 --watch "$work/watch"
cp "$work/out" "$work/diff.txt"
"$PY" - "$(req /ok/ntfy)" "$work/diff.txt" <<'EOF' || fail "ntfy request"
import json, sys
r = json.load(open(sys.argv[1]))
h = r["headers"]
assert h["Title"] == "IANA registry changes 2025-01-23 -> 2025-02-13 (high)", h
assert h["Priority"] == "high", h
assert h["Content-Type"].startswith("text/plain"), h
assert r["body"] == open(sys.argv[2]).read(), r["body"]
EOF

begin "mailto: sendmail -t -oi, headers, MIME, the Markdown report"
[ -s "$work/mail/0.mail" ] || fail "sendmail received nothing"
[ "$(cat "$work/mail/0.args")" = "$(printf -- '-t\n-oi')" ] || fail "sendmail args: $(cat "$work/mail/0.args")"
"$PY" - "$work/mail/0.mail" "$work/diff.md" <<'EOF' || fail "mail"
import email, email.policy, sys
raw = open(sys.argv[1], "rb").read()
m = email.message_from_bytes(raw, policy=email.policy.default)
assert m["To"] == "ports@example.org", m["To"]
assert m["Subject"] == "[ianawatch] IANA registry changes 2025-01-23 -> 2025-02-13 (high)", m["Subject"]
assert m["Date"] == "Thu, 01 Jan 2026 00:00:00 +0000", m["Date"]
assert m["Message-ID"].startswith("<ianawatch.2.") and m["Message-ID"].endswith(">"), m["Message-ID"]
assert m["MIME-Version"] == "1.0"
assert m.get_content_type() == "text/plain" and m.get_content_charset() == "utf-8"
assert m["Content-Transfer-Encoding"] == "quoted-printable"
assert all(len(l) <= 76 for l in raw.split(b"\n")), "a line over 76 characters"
body = m.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")
assert body == open(sys.argv[2]).read(), body
EOF

begin "status shows what waits, without secrets"
iw "$db" status
expect_rc 0
expect_out "notifications: 3 waiting"
expect_out "  http://127.0.0.1:$RP/…, snapshots 1 -> 2, queued 2026-01-01T00:00:00Z, 1 failed attempt, next try 2026-01-01T00:05:00Z: http://127.0.0.1:$RP/…: HTTP 500"
iw "$db" status --format json
"$PY" -c 'import json, sys
s = json.load(open(sys.argv[1]))
q = s["notifications"]
assert len(q) == 3 and all(n["attempts"] == 1 for n in q), q
assert q[0]["target"].endswith("/\u2026") and q[0]["from"] == 1 and q[0]["to"] == 2, q[0]' \
	"$work/out" || fail "status --format json"

# ---- later runs ---------------------------------------------------------------------------
begin "a run before the backoff ends retries nothing"
n=$(requests)
IANAWATCH_NOW=2026-01-01T00:01:00Z iw "$db" fetch --url "$U/f/2025-02-13.xml"
expect_rc 0
[ "$(requests)" = "$n" ] || fail "a notification was retried before its time"
[ "$(queued "$db")" = 3 ] || fail "the queue changed"

begin "the next run retries: the failed and stalled once are delivered, the other fails again"
IANAWATCH_NOW=2026-01-01T01:00:00Z iw "$db" fetch --url "$U/f/2025-02-13.xml" -v
expect_rc 0
expect_err "notification to http://127.0.0.1:$RP/… of snapshots 1 -> 2 delivered"
expect_err "failed (attempt 2; kept, next try after 2026-01-01T01:10:00Z)"
[ "$(queued "$db")" = 1 ] || fail "expected 1 queued, got $(queued "$db")"
[ "$(grep -c 'of snapshots 1 -> 2 delivered' "$work/err")" = 2 ] || fail "expected 2 deliveries"
"$PY" -c 'import json, sys; r = json.load(open(sys.argv[1]))
assert r["status"] == 200 and json.loads(r["body"])["changes"][0]["port"] == 2' \
	"$(req /stalln/1/5/slow)" || fail "the body delivered after a stall"
"$PY" -c 'import json, sys; r = json.load(open(sys.argv[1]))
assert r["status"] == 200 and json.loads(r["body"])["summary"].endswith("2 de-assigned")' \
	"$(req /failn/1/once)" || fail "the retried body"

begin "too old: dropped, and said so"
IANAWATCH_NOW=2026-01-08T00:00:01Z iw "$db" fetch --url "$U/f/2025-02-13.xml"
expect_rc 0
expect_err "notification to http://127.0.0.1:$RP/… of snapshots 1 -> 2 dropped: queued since 2026-01-01T00:00:00Z, 2 failed attempts (last: http://127.0.0.1:$RP/…: HTTP 500)"
[ "$(queued "$db")" = 0 ] || fail "expired notifications are still queued"
iw "$db" status
grep -q "notifications:" "$work/out" && fail "status still lists notifications"

# ---- sendmail failing, then working; --notify-max-age ----------------------------------------
begin "sendmail exit status: kept, then delivered"
db="$work/m.db"
iw "$db" fetch --url "$U/f/2025-01-23.xml"
rm -f "$work/mail/"*
FAKE_SENDMAIL_EXIT=75 iw "$db" fetch --url "$U/f/2025-02-13.xml" --notify mailto:a@example.org \
	--min-severity high
expect_rc 0
expect_out "[high] 2/udp compressnet de-assigned"
expect_err "mailto:a@example.org: $SENDMAIL exited with status 75"
[ "$(queued "$db")" = 1 ] || fail "the mail is not queued"
IANAWATCH_NOW=2026-01-01T00:06:00Z iw "$db" fetch --url "$U/f/2025-02-13.xml"
expect_rc 0
[ "$(queued "$db")" = 0 ] || fail "the mail is still queued"
cmp -s "$work/mail/0.mail" "$work/mail/1.mail" || fail "the retry sent other bytes"

begin "a sendmail that hangs is given up after the timeout"
FAKE_SENDMAIL_SLEEP=5 iw "$work/t.db" notify --test mailto:c@example.org
expect_rc 7
expect_err "ianawatch notify: mailto:c@example.org: $SENDMAIL timed out after 1 s"

begin "--notify-max-age"
FAKE_SENDMAIL_EXIT=1 iw "$work/m2.db" fetch --url "$U/f/2025-01-23.xml"
FAKE_SENDMAIL_EXIT=1 iw "$work/m2.db" fetch --url "$U/f/2025-02-13.xml" --notify mailto:b@example.org
[ "$(queued "$work/m2.db")" = 1 ] || fail "the mail is not queued"
IANAWATCH_NOW=2026-01-02T00:00:01Z iw "$work/m2.db" fetch --url "$U/f/2025-02-13.xml" --notify-max-age 1
expect_err "notification to mailto:b@example.org of snapshots 1 -> 2 dropped"
[ "$(queued "$work/m2.db")" = 0 ] || fail "still queued"

# ---- watch lists and the exit status --------------------------------------------------------
begin "--exit-code --watch: 0 when no watched item changed"
db="$work/n.db"
iw "$db" fetch --url "$U/f/2025-01-23.xml"
n=$(requests)
iw "$db" fetch --url "$U/f/2025-02-13.xml" --watch "$work/watch-none" --exit-code --notify "$R/ok/none"
expect_rc 0
[ -s "$work/out" ] && fail "a report of nothing watched: $(head -n 3 "$work/out")"
[ "$(requests)" = "$n" ] || fail "a notification of nothing watched was sent"
[ "$(count "$db" "SELECT count(*) FROM snapshot")" = 2 ] || fail "the snapshot was not stored"

# ---- the config file --------------------------------------------------------------------------
begin "config file: notify and watch lines"
mkdir -p "$HOME/.config/ianawatch"
printf '# test\nnotify = %s\nwatch = watchlist\n' "$R/ok/config/$S2" > "$HOME/.config/ianawatch/config"
cp "$work/watch" "$HOME/.config/ianawatch/watchlist"
db="$work/c.db"
iw "$db" fetch --url "$U/f/2025-01-23.xml"
iw "$db" fetch --url "$U/f/2025-02-13.xml" --exit-code
expect_rc 1
expect_out "[high] 3/tcp compressnet"
[ -n "$(req /ok/config/)" ] || fail "the config file's target got nothing"
rm -rf "$HOME/.config"

begin "config file: errors name the file and line"
printf 'notify = ftp://x/\n' > "$work/bad.conf"
iw "$work/c2.db" fetch --url "$U/f/2025-01-23.xml" --config "$work/bad.conf"
expect_rc 2
expect_err "$work/bad.conf:1: unknown notification target"
[ -e "$work/c2.db" ] && fail "a bad config file created the database"
IANAWATCH_CONFIG="$work/missing.conf" iw "$work/c2.db" fetch --url "$U/f/2025-01-23.xml"
[ "$rc" = 0 ] && fail "a missing explicit config file was ignored"
expect_err "missing.conf"

begin "bad targets and severities are refused before anything is touched"
iw "$work/b.db" fetch --url "$U/f/2025-01-23.xml" --notify "gopher://$S2@x/"
expect_rc 2
iw "$work/b.db" fetch --url "$U/f/2025-01-23.xml" --min-severity urgent
expect_rc 2
expect_err "unknown severity"
iw "$work/b.db" fetch --url "$U/f/2025-01-23.xml" --watch "$work/nowhere"
expect_rc 2
[ -e "$work/b.db" ] && fail "a bad command line created the database"

# ---- notify --test --------------------------------------------------------------------------
begin "notify --test"
iw "$work/t.db" notify --test "$HOOK" --test "slack+$R/ok/testslack/$S2"
expect_rc 0
expect_out "http://127.0.0.1:$RP/…: sample delivered"
"$PY" -c 'import json, sys; r = json.load(open(sys.argv[1])); b = json.loads(r["body"])
assert b["test"] is True and b["changes"] == [] and "summary" in b, b' "$(req /ok/hook/)" ||
	fail "the sample"
[ -e "$work/t.db" ] && fail "notify --test created a database"
iw "$work/t.db" notify --test "$R/fail/x?token=$S3"
expect_rc 7
expect_err "ianawatch notify: http://127.0.0.1:$RP/…: HTTP 500"
iw "$work/t.db" notify --test "http://127.0.0.1:1/refused/$S2"
expect_rc 7
iw "$work/t.db" notify
expect_rc 2

begin "secrets never appear in any output, status or log"
for s in "$S1" "$S2" "$S3"; do
	grep -qF "$s" "$work/all-output" && fail "$s was printed"
	for d in "$work"/*.db; do
		"$PY" -c 'import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
rows = db.execute("SELECT url || ifnull(message, \"\") FROM fetch_log").fetchall()
rows += db.execute("SELECT shown || ifnull(last_error, \"\") FROM notification").fetchall()
sys.exit(1 if any(sys.argv[2] in r[0] for r in rows) else 0)' "$d" "$s" ||
			fail "$s is in the log of $d"
	done
done

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "all notification tests passed"
