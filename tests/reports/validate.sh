#!/usr/bin/env bash
# validate.sh: every page of the site written from the committed snapshots (index, change
# sets, search, each port's page) is valid HTML5 for a real validator, html-validate from npm
# (web/package-lock.json), with its recommended rules; void elements self-close, as the pages
# are also well-formed XML. Usage: validate.sh BINARY NODE_DIR. Exit 77 (skipped) only when
# npm cannot install the validator outside CI (web/setup.sh).
set -u
bin=$1
nodedir=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
bash "$here/web/setup.sh" "$nodedir" || exit $?
command -v node >/dev/null || { echo "SKIP: node is missing"; exit 77; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/iwvalidate.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C HOME="$scratch/home"
unset IANAWATCH_DB XDG_DATA_HOME
(cd "$data" && "$bin" --db "$scratch/iw.db" import -q --manifest MANIFEST.tsv) || { echo "import failed"; exit 1; }
"$bin" --db "$scratch/iw.db" report --out "$scratch/site" >/dev/null || { echo "report failed"; exit 1; }

n=$(find "$scratch/site" -name '*.html' | wc -l)
[ "$n" -gt 6000 ] || { echo "FAIL: only $n pages (expected the index, search, change sets and every port's)"; exit 1; }
# Two validators at a time, 800 pages each.
find "$scratch/site" -name '*.html' -print0 |
	xargs -0 -n 800 -P 2 "$nodedir/node_modules/.bin/html-validate" \
		--config "$here/web/.htmlvalidate.json" --formatter text > "$scratch/errors" 2>&1
rc=$?
if [ $rc != 0 ] || [ -s "$scratch/errors" ]; then
	echo "FAIL: html-validate found errors:"
	head -n 40 "$scratch/errors"
	exit 1
fi
echo "validate: $n pages are valid HTML5"
