#!/usr/bin/env bash
# hostile.sh: every kind of hostile or broken document given to `ianawatch import` is refused
# with one clear line on stderr and the right exit status, and leaves the database exactly as
# it was (same bytes, `check` passes) or, when there was none, creates none.
# Usage: hostile.sh IANAWATCH_BINARY
set -u
iw=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iwhostile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C
fail=0
say() { printf '%s\n' "$*"; }
bad() { say "FAIL: $*"; fail=1; }

# ---- the hostile documents, made here so that nothing big is committed ----------------------
h=$tmp/in
mkdir -p "$h"
head_xml='<?xml version="1.0" encoding="UTF-8"?>
<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
<updated>2025-02-13</updated>'
: > "$h/empty.xml"
gzip -dc "$data/2025-02-13.xml.gz" > "$tmp/real.xml"
size=$(stat -c %s "$tmp/real.xml")
for cut in 1 100 4096 $((size / 3)) $((size / 2)) $((size - 500)) $((size - 13)); do
	head -c "$cut" "$tmp/real.xml" > "$h/truncated-$cut.xml"
done
printf '%s\n<record><name>a</name>\n' "$head_xml" > "$h/truncated-record.xml"
printf '<?xml version="1.0"?>\n<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers"><updated>2025-01-01</updated>' > "$h/unclosed-root.xml"
cp "$data/bad/error-page.html" "$h/html-page.html"
printf '<html><body><h1>502 Bad Gateway</h1></body></html>\n' > "$h/html-bare.html"
cp "$data/bad/wrong-root.xml" "$h/wrong-id.xml"
printf '<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>\n' > "$h/wrong-root.xml"
printf '<registry xmlns="urn:example" id="service-names-port-numbers"><updated>2025-01-01</updated></registry>\n' > "$h/wrong-namespace.xml"
printf '<registry id="service-names-port-numbers"><updated>2025-01-01</updated></registry>\n' > "$h/no-namespace.xml"
cp "$data/bad/entity-bomb.xml" "$h/entity-bomb.xml"
printf '<?xml version="1.0"?>\n<!DOCTYPE registry [\n<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n]>\n<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers"><updated>2025-01-01</updated><record><name>&d;&d;&d;&d;</name></record></registry>\n' > "$h/entity-bomb-deep.xml"
cp "$data/bad/xxe.xml" "$h/xxe.xml"
printf '%s\n<record><name>&xxe;</name></record></registry>\n' "$head_xml" > "$h/undeclared-entity.xml"
printf '%s\n<record><name>caf\xe9 \xff\xfe</name></record></registry>\n' "$head_xml" > "$h/invalid-utf8.xml"
printf '<?xml version="1.0" encoding="EUC-JP"?>\n<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers"><updated>2025-02-13</updated><record><name>\xd4ian</name></record></registry>\n' > "$h/encoding-mismatch.xml"
printf '%s\n<record><name>x</name><protocol>tcp</protocol><number>65536</number></record></registry>\n' "$head_xml" > "$h/port-too-big.xml"
printf '%s\n<record><name>x</name><protocol>tcp</protocol><number>99999999999999999999</number></record></registry>\n' "$head_xml" > "$h/port-huge.xml"
printf '%s\n<record><protocol>tcp</protocol><description>Unassigned</description><number>200-100</number></record></registry>\n' "$head_xml" > "$h/reversed-range.xml"
{ printf '%s\n<record><name>long</name><description>' "$head_xml"; head -c 200000 /dev/zero | tr '\0' 'x'; printf '</description></record></registry>\n'; } > "$h/long-field.xml"
{ printf '%s\n<record><name>long</name><xref type="uri" data="' "$head_xml"; head -c 5000 /dev/zero | tr '\0' 'y'; printf '"/></record></registry>\n'; } > "$h/long-attribute.xml"
# Over libxml2's 10,000,000-byte lookup limit ("internal error: Huge input lookup" until named).
{ printf '%s\n<record><name>long</name><xref type="uri" data="' "$head_xml"; head -c 10485760 /dev/zero | tr '\0' 'y'; printf '"/></record></registry>\n'; } > "$h/huge-attribute.xml"
truncate -s $((64 * 1024 * 1024 + 1)) "$h/over-size-cap.xml"
truncate -s $((1024 * 1024 * 1024)) "$h/far-over-size-cap.xml"
head -c $((65 * 1024 * 1024)) /dev/zero | gzip -1 > "$h/gzip-bomb.xml.gz"
head -c $(( $(stat -c %s "$data/2025-01-23.xml.gz") / 2 )) "$data/2025-01-23.xml.gz" > "$h/truncated-gzip.xml.gz"
printf 'not a registry\n' | gzip > "$h/gzip-of-text.xml.gz"
printf '\x1f\x8b\x08\x00garbage' > "$h/gzip-garbage.xml.gz"

# file -> expected exit status and a piece of the message
expect() {
	case $1 in
	empty.xml) echo "3|empty document" ;;
	truncated-*.xml|truncated-record.xml|unclosed-root.xml) echo "3|truncated or malformed XML" ;;
	html-*.html) echo "3|an HTML page" ;;
	wrong-id.xml) echo "3|registry id is 'protocol-numbers'" ;;
	wrong-root.xml) echo "3|root element is <rss>" ;;
	wrong-namespace.xml|no-namespace.xml) echo "3|is not in the http://www.iana.org/assignments namespace" ;;
	entity-bomb*.xml|xxe.xml) echo "3|a DOCTYPE is not allowed" ;;
	undeclared-entity.xml) echo "3|Entity 'xxe' not defined" ;;
	invalid-utf8.xml) echo "3|Input is not proper UTF-8" ;;
	encoding-mismatch.xml) echo "3|input conversion failed" ;;
	port-too-big.xml|port-huge.xml) echo "3|is not 0-65535" ;;
	reversed-range.xml) echo "3|port range '200-100' is reversed" ;;
	long-field.xml) echo "3|text longer than 65536 bytes" ;;
	long-attribute.xml) echo "3|attribute data is longer than" ;;
	over-size-cap.xml) echo "3|document of 67108865 bytes exceeds the cap of 67108864 bytes" ;;
	far-over-size-cap.xml) echo "3|document too large: $h/far-over-size-cap.xml: larger than the cap of 67108864 bytes" ;;
	gzip-bomb.xml.gz) echo "3|decompressed size exceeds the cap of 67108864 bytes" ;;
	huge-attribute.xml) echo "3|huge-attribute.xml:4: tag or attribute value too large (over libxml2's limit of 10000000 bytes)" ;;
	truncated-gzip.xml.gz|gzip-garbage.xml.gz) echo "3|corrupt or truncated gzip data" ;;
	gzip-of-text.xml.gz) echo "3|not XML" ;;
	*) echo "?|?" ;;
	esac
}

# A database holding two real snapshots, closed cleanly (no -wal left).
db0=$tmp/base.db
(cd "$data" && "$iw" --db "$db0" import -q 2025-01-23.xml.gz --observed-at 2025-01-24T01:44:55Z &&
	"$iw" --db "$db0" import -q 2025-02-13.xml.gz --observed-at 2025-02-14T01:46:39Z) ||
	{ say "cannot build the base database"; exit 1; }
sum0=$(sha256sum < "$db0")

n=0
for f in "$h"/*; do
	name=$(basename "$f")
	IFS='|' read -r want_rc want_msg <<< "$(expect "$name")"
	n=$((n + 1))
	for with_db in yes no; do
		db=$tmp/case.db
		rm -f "$db" "$db-wal" "$db-shm"
		[ $with_db = yes ] && cp "$db0" "$db"
		"$iw" --db "$db" import "$f" > "$tmp/out" 2> "$tmp/err"
		rc=$?
		lines=$(wc -l < "$tmp/err")
		if [ "$rc" != "$want_rc" ]; then
			bad "$name (db: $with_db): exit $rc, expected $want_rc: $(head -c 300 "$tmp/err")"
		elif ! grep -qF -- "$want_msg" "$tmp/err"; then
			bad "$name (db: $with_db): message lacks '$want_msg': $(head -c 300 "$tmp/err")"
		elif [ "$lines" != 1 ] || ! grep -q "^ianawatch import: .*$name" "$tmp/err"; then
			bad "$name (db: $with_db): not one line naming the file: $(head -c 300 "$tmp/err")"
		elif [ -s "$tmp/out" ]; then
			bad "$name (db: $with_db): printed on stdout: $(head -c 200 "$tmp/out")"
		fi
		if [ $with_db = yes ]; then
			[ "$(sha256sum < "$db")" = "$sum0" ] || bad "$name: the database changed"
			[ ! -s "$db-wal" ] || bad "$name: the database has a non-empty -wal"
		else
			[ ! -e "$db" ] || bad "$name: a database was created for a refused document"
		fi
	done
done
# Nothing the hostile documents did may show: the last database checks out whole.
cp "$db0" "$tmp/final.db"
"$iw" --db "$tmp/final.db" check > "$tmp/check" 2>&1 || bad "check of the database: $(cat "$tmp/check")"
[ "$("$iw" --db "$tmp/final.db" snapshots --format json | grep -c '"id"')" = 2 ] ||
	bad "the database does not hold exactly its 2 snapshots"
[ $fail = 0 ] && say "ok: $n hostile documents refused, the database untouched"
exit $fail
