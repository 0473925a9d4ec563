#!/usr/bin/env bash
# site_files.sh: `ianawatch report` on the committed real snapshots, checked with the tools people
# use: xmllint on every page and the feed, Python's JSON parser on changes.json, and the per-set
# Markdown and JSON against `ianawatch diff`. Usage: site_files.sh BINARY
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)

for tool in xmllint python3; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing (scripts/deps.sh test)"; exit 77; }
done
scratch=$(mktemp -d "${TMPDIR:-/tmp}/iwsite.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C HOME="$scratch/home"
unset IANAWATCH_DB XDG_DATA_HOME
db="$scratch/data/iw.db"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

(cd "$data" && "$bin" --db "$db" import -q --manifest MANIFEST.tsv) || { echo "import failed"; exit 1; }

# The default folder is reports/ next to the database.
got=$("$bin" --db "$db" report 2>&1)
want="$scratch/data/reports/index.html: 2 change sets in 3 snapshots; 2 pages and 6428 files written"
[ "$got" = "$want" ] || bad "report printed '$got', expected '$want'"
site="$scratch/data/reports"

# Every page and the feed are well-formed XML (the pages are polyglot XHTML).
shopt -s nullglob
pages=("$site"/index.html "$site"/changes/*.html)
[ ${#pages[@]} = 3 ] || bad "expected 3 pages, found ${#pages[@]}"
xmllint --noout --nonet "${pages[@]}" "$site/feed.atom" || bad "xmllint found errors"
# libxml2's HTML parser reads them with no complaint but about HTML5 element names it predates.
for p in "${pages[@]}"; do
	errs=$(xmllint --html --noout --nonet "$p" 2>&1 | grep 'HTML parser error' |
		grep -vc 'HTML parser error : Tag [a-z]* invalid$')
	[ "$errs" = 0 ] || { bad "$p: HTML parser errors"; xmllint --html --noout "$p" 2>&1 | head -5; }
done

# changes.json parses; each element is what `diff FROM TO --format json` prints, and each
# Markdown file is what `diff FROM TO --format markdown` prints.
"$bin" --db "$db" diff 1 2 --format json > "$scratch/d12.json"
"$bin" --db "$db" diff 2 3 --format json > "$scratch/d23.json"
python3 - "$site/changes.json" "$scratch/d12.json" "$scratch/d23.json" <<'EOF' || bad "changes.json"
import json, sys
sets = json.load(open(sys.argv[1]))
want = [json.load(open(p)) for p in sys.argv[2:]]
assert isinstance(sets, list) and len(sets) == 2, "two change sets"
assert sets == want, "changes.json elements differ from `diff --format json`"
assert [s["to"]["registry_updated"] for s in sets] == ["2025-01-23", "2025-02-13"]
gone = [c for c in sets[1]["changes"] if c["kind"] == "deassigned"]
assert [(c["name"], c["port"], c["protocol"]) for c in gone] == \
    [("compressnet", 2, "tcp"), ("compressnet", 2, "udp"), ("compressnet", 3, "tcp"),
     ("compressnet", 3, "udp")], gone
EOF
md=("$site"/changes/2025-02-13_*.md)
"$bin" --db "$db" diff 2 3 --format markdown | cmp -s - "${md[0]}" || bad "Markdown differs from diff's"

# The feed has RFC 4287's required elements.
e() { printf "*[local-name()='%s']" "$1"; }
for x in "/$(e feed)/$(e id)" "/$(e feed)/$(e title)" "/$(e feed)/$(e updated)" \
	"/$(e feed)/$(e author)/$(e name)" "/$(e feed)/$(e entry)[2]/$(e id)" \
	"/$(e feed)/$(e entry)[2]/$(e title)" "/$(e feed)/$(e entry)[2]/$(e updated)" \
	"/$(e feed)/$(e entry)[1]/$(e content)[@type='html']"; do
	xmllint --nonet --xpath "boolean($x)" "$site/feed.atom" 2>/dev/null | grep -q true ||
		bad "feed.atom lacks $x"
done

# Port pages: one per port some non-Unassigned record ever covered, well-formed, linked both
# ways with the change sets; change sets link the older and the newer set.
n=$(ls "$site"/ports/*.html | wc -l)
[ "$n" = 6415 ] || bad "expected 6415 port pages, found $n"
xmllint --noout --nonet "$site"/ports/[0-9].html "$site"/ports/80.html "$site"/ports/6000.html \
	"$site/search.html" || bad "xmllint found errors in port pages"
p3="$site/ports/3.html"
grep -q '<a href="../changes/2025-02-13_[0-9a-f]*.html"><time datetime="2025-02-13">2025-02-13</time></a> to now: <strong>reserved</strong> <span class="ev">(de-assigned, now reserved)</span>' "$p3" ||
	bad "port 3 lacks its de-assignment on 2025-02-13"
grep -q '<time datetime="2017-03-10">2017-03-10</time> to <time datetime="2025-01-23">2025-01-23</time>: <strong>assigned</strong>' "$p3" ||
	bad "port 3 lacks its assignment up to 2025-01-23"
grep -q '<a href="2.html" rel="prev">' "$p3" && grep -q '<a href="5.html" rel="next">' "$p3" ||
	bad "port 3 does not link ports 2 and 5"
grep -q '<a href="../search.html?q=Bernie_Volz">Bernie Volz</a>' "$p3" || bad "port 3 does not link Bernie Volz"
grep -q 'href="https://www.rfc-editor.org/rfc/rfc' "$site/ports/80.html" || bad "port 80 links no RFC"
grep -q '<li><a href="../ports/3.html">3</a></li>' "${md[0]%.md}.html" || bad "the change set does not link port 3"
old_set=("$site"/changes/2025-01-23_*.html)
grep -q 'rel="next">Newer change set (2025-02-13)</a>' "${old_set[0]}" || bad "the older set does not link the newer"
grep -q 'rel="prev">Older change set (2025-01-23)</a>' "${md[0]%.md}.html" || bad "the newer set does not link the older"
grep -q '^\[3,"compressnet","Reserved","compression process","Bernie_Volz"\],$' "$site/search-index.js" ||
	bad "search-index.js lacks port 3"
# Links may lead out (RFCs); nothing is loaded from outside (src=, stylesheets, url()).
grep -rlE '(src="[a-z]*:?//|<link[^>]*href="[a-z]*:?//|url\((https?:)?//)' "$site" --include='*.html' \
	--include='*.css' --include='*.js' && bad "a page loads something from outside the site"

# The charts: 2017-03-10 -> 2025-01-23 has no snapshot between; its changes are a band over
# the gap, not January 2025's bar, and no line crosses it.
grep -q '<title>No snapshot between 2017-03-10 and 2025-01-23: 757 changes, no snapshot between</title>' \
	"$site/index.html" || bad "the changes chart does not draw the gap"
grep -q '<title>No snapshot between 2017-03-10 and 2025-01-23</title>' "$site/index.html" ||
	bad "the ports chart does not draw the gap"
grep -q '<title>2025-01: ' "$site/index.html" && bad "the gap's changes are piled into 2025-01"
grep -q '2017-03-10 to 2025-01-23 (no snapshot between)</a></th>' "$site/index.html" ||
	bad "the changes table does not name the gap"

# Again, incrementally: nothing new, so no file is touched.
got=$("$bin" --db "$db" report --incremental --out "$site" 2>&1)
want="$site/index.html: 2 change sets in 3 snapshots; 0 pages and 0 files written"
[ "$got" = "$want" ] || bad "incremental report printed '$got'"
"$bin" --db "$db" report --since 2025-13-01 >/dev/null 2>&1
[ $? = 2 ] || bad "a bad --since must exit 2"
[ -z "$(find "$site" -name '*.tmp.*')" ] || bad "temporary files left behind"

[ $fail = 0 ] && echo "site files: ok"
exit $fail
