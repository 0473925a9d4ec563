#!/usr/bin/env bash
# export_real.sh: `export` on the committed real snapshots, read back by standard readers:
# compressnet 2/tcp is in the services file on 2025-01-23 and gone on 2025-02-13; the CSV
# parses with Python's csv module, with one row per record, the same (name, port, protocol)
# rows as the XML read independently by ElementTree; the JSON parses and counts right.
# Usage: export_real.sh IANAWATCH_BINARY
set -u
iw=$1
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iwexport.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC LC_ALL=C IANAWATCH_NOW=2026-01-01T00:00:00Z
unset IANAWATCH_DB XDG_DATA_HOME
fail=0
check() { # check WHAT GOT WANT
	if [ "$2" != "$3" ]; then
		printf 'FAIL %s\n--- got:\n%s\n--- want:\n%s\n' "$1" "$2" "$3"
		fail=1
	else
		echo "ok   $1"
	fi
}
db=$tmp/db
"$iw" --db "$db" import -q --observed-at 2025-01-24T01:44:55Z "$data/2025-01-23.xml.gz" &&
"$iw" --db "$db" import -q --observed-at 2025-02-14T01:46:39Z "$data/2025-02-13.xml.gz" ||
	{ echo "cannot import"; exit 1; }

for at in 2025-01-23 2025-02-13; do
	"$iw" --db "$db" export --at "$at" --format services > "$tmp/services.$at" || fail=1
	"$iw" --db "$db" export --at "$at" --format csv > "$tmp/csv.$at" || fail=1
	"$iw" --db "$db" export --at "$at" --format json > "$tmp/json.$at" || fail=1
	gzip -dc "$data/$at.xml.gz" > "$tmp/$at.xml"
done
check "compressnet 2/tcp on 2025-01-23" "$(grep -cE '^compressnet +2/tcp ' "$tmp/services.2025-01-23")" 1
check "no compressnet 2/tcp on 2025-02-13" "$(grep -cE '^compressnet +2/tcp ' "$tmp/services.2025-02-13")" 0
check "services lines are name port/protocol [# comment]" \
	"$(grep -v '^#' "$tmp/services.2025-02-13" | grep -cvE '^[A-Za-z0-9][^ #]* +[0-9]+/[a-z]+( +# .*)?$')" 0
# getservbyname/getservbyport read such a file: the services(5) syntax as Python splits it.
check "services against the XML" "$(python3 - "$tmp/services.2025-02-13" "$tmp/2025-02-13.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = '{http://www.iana.org/assignments}'
got = set()
for line in open(sys.argv[1], encoding='utf-8'):
    line = line.split('#')[0].split()
    if line:
        port, proto = line[1].split('/')
        got.add((line[0], int(port), proto))
want = set()
for r in ET.parse(sys.argv[2]).getroot().iter(ns + 'record'):
    name, num, proto = (r.findtext(ns + t) for t in ('name', 'number', 'protocol'))
    if not name or not num:
        continue
    lo, _, hi = num.strip().partition('-')
    for p in range(int(lo), int(hi or lo) + 1):
        for pr in ([proto.strip()] if proto else ['tcp', 'udp']):
            # The registry's name as it is; one a line cannot hold, its first word.
            want.add((name.strip().split('#')[0].split()[0], p, pr.lower()))
print(len(got), 'lines', 'match' if got == want else 'differ: %s / %s' % (
    sorted(got - want)[:5], sorted(want - got)[:5]))
PY
)" "12214 lines match"

csvcheck() { # csvcheck CSV XML
python3 - "$1" "$2" <<'PY'
import collections, csv, sys, xml.etree.ElementTree as ET
ns = '{http://www.iana.org/assignments}'
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f, strict=True))
head, rows = rows[0], rows[1:]
assert head == ['Service Name', 'Port Number', 'Transport Protocol', 'Description', 'Assignee',
                'Contact', 'Registration Date', 'Modification Date', 'Reference', 'Service Code',
                'Unauthorized Use Reported', 'Assignment Notes'], head
assert all(len(r) == 12 for r in rows)
got = collections.Counter((r[0], r[1], r[2]) for r in rows)
want = collections.Counter()
for r in ET.parse(sys.argv[2]).getroot().iter(ns + 'record'):
    t = lambda tag: ' '.join((r.findtext(ns + tag) or '').split())
    lo, _, hi = t('number').partition('-')
    want[(t('name'), lo if hi == lo else t('number'), t('protocol'))] += 1  # "N-N" is port N
print(len(rows), 'rows', 'match' if got == want else 'differ')
PY
}
check "CSV on 2025-01-23: one row per record" "$(csvcheck "$tmp/csv.2025-01-23" "$tmp/2025-01-23.xml")" "14466 rows match"
check "CSV on 2025-02-13: one row per record" "$(csvcheck "$tmp/csv.2025-02-13" "$tmp/2025-02-13.xml")" "14468 rows match"
check "CSV lines end with CRLF" "$(grep -vc $'\r$' "$tmp/csv.2025-02-13")" 0

check "JSON parses, with every record and person" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["snapshot"]["registry_updated"], len(d["records"]), len(d["people"]))' "$tmp/json.2025-02-13")" \
	"2025-02-13 14468 5570"
exit $fail
