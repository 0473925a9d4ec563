#!/usr/bin/env bash
# bench/site.sh: issue 16's targets for the static site, side by side with the site of the
# previous main (no port pages, no search): for every snapshot of the corpus, the whole site
# under 40 MB and written in under 10 s; after one new snapshot, an incremental `report`
# rewriting only what changed in under 300 ms; the search index under 1.5 MB gzipped and a
# query answered in the browser in under 50 ms.
#
# Usage: bench/site.sh            (see bench/README.md for the corpus, binary and BENCH_DATA)
#   BENCH_OLD_BIN=PATH     the previous site's binary (default: /work/wt/baseline's release build)
#   BENCH_RUNS=5           timed runs of each full build
#   BENCH_INC_RUNS=10      timed runs of each incremental update
#
# Databases (kept in $BENCH_DATA): site-all.db, every snapshot, and site-prev.db, all but the
# newest, imported once by this build (the old binary reads the same schema, or the script
# says it cannot). The browser part needs node, npm and Chromium (tests/reports/web); without
# them it is skipped and said so.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_need hyperfine python3 gzip du find
bench_build
bench_manifest
bench_data_dir

OLD=${BENCH_OLD_BIN:-/work/wt/baseline/build/release/cli/ianawatch}
RUNS=${BENCH_RUNS:-5}
INC_RUNS=${BENCH_INC_RUNS:-10}
T="$BENCH_DATA/tmp/site"
IW=$IANAWATCH
RESULTS="$BENCH_WORK/site-results.txt"
q() { printf '%q' "$1"; }
mkdir -p "$T"
[[ -x "$OLD" ]] || bench_die "no previous binary at $OLD (set BENCH_OLD_BIN)"

count_snapshots() {
	"$IW" --db "$1" snapshots 2>/dev/null | grep -c . || true
}
ALL="$BENCH_DATA/site-all.db"
PREV="$BENCH_DATA/site-prev.db"
if [[ "$(count_snapshots "$ALL")" != "$NSNAP" ]]; then
	bench_say "importing $NSNAP snapshots into $ALL (about a minute)"
	bench_rm_db "$ALL"
	"$IW" --db "$ALL" import -q --manifest "$MANIFEST" || bench_die "the import failed"
fi
if [[ "$(count_snapshots "$PREV")" != "$((NSNAP - 1))" ]]; then
	bench_say "importing the first $((NSNAP - 1)) snapshots into $PREV (about a minute)"
	head -n "$((NSNAP - 1))" "$MANIFEST" >"$T/prev-manifest.tsv"
	bench_rm_db "$PREV"
	"$IW" --db "$PREV" import -q --manifest "$T/prev-manifest.tsv" || bench_die "the import failed"
fi
"$OLD" --db "$ALL" snapshots >/dev/null 2>&1 || bench_die "$OLD cannot read $ALL (another schema)"

# ---- (a) the whole site, both binaries -----------------------------------------------------------
bench_say "(a) the whole site of $NSNAP snapshots, $RUNS runs each, new and old"
for who in new old; do
	bin=$IW
	[[ $who == old ]] && bin=$OLD
	rm -rf "$T/full-$who"
	"$bin" --db "$ALL" report --out "$T/full-$who" >/dev/null
done
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-csv "$T/full.csv" \
	-n full-new --prepare "rm -rf $(q "$T/site-new")" "$(q "$IW") --db $(q "$ALL") report --out $(q "$T/site-new")" \
	-n full-old --prepare "rm -rf $(q "$T/site-old")" "$(q "$OLD") --db $(q "$ALL") report --out $(q "$T/site-old")" >&2

# ---- (b) incremental after one new snapshot -----------------------------------------------------
bench_say "(b) incremental update after one new snapshot, $INC_RUNS runs each"
for who in new old; do
	bin=$IW
	[[ $who == old ]] && bin=$OLD
	rm -rf "$T/prev-$who"
	"$bin" --db "$PREV" report --out "$T/prev-$who" >/dev/null
	rm -rf "$T/inc-$who"
	cp -a "$T/prev-$who" "$T/inc-$who"
	"$bin" --db "$ALL" report --incremental --out "$T/inc-$who" >"$T/inc-$who.out"
	# The incremental site is the full one, byte for byte.
	diff -r "$T/inc-$who" "$T/full-$who" >/dev/null || bench_die "$who: the incremental site differs from a full one"
done
hyperfine --style basic --warmup 2 --runs "$INC_RUNS" --export-csv "$T/inc.csv" \
	-n inc-new --prepare "rm -rf $(q "$T/inc-new") && cp -a $(q "$T/prev-new") $(q "$T/inc-new")" \
	"$(q "$IW") --db $(q "$ALL") report --incremental --out $(q "$T/inc-new")" \
	-n inc-old --prepare "rm -rf $(q "$T/inc-old") && cp -a $(q "$T/prev-old") $(q "$T/inc-old")" \
	"$(q "$OLD") --db $(q "$ALL") report --incremental --out $(q "$T/inc-old")" >&2

# ---- (c) sizes -----------------------------------------------------------------------------------
size() { du -s --apparent-size --block-size=1 "$1" | cut -f1; }
disk() { du -s --block-size=1 "$1" | cut -f1; }
files() { find "$1" -type f | wc -l; }
IDX_RAW=$(wc -c <"$T/full-new/search-index.js")
IDX_GZ=$(gzip -9 -c "$T/full-new/search-index.js" | wc -c)

# ---- (d) a query in the browser ------------------------------------------------------------------
QUERIES="skipped (no node/npm/Chromium)"
chrome=$(command -v chromium || command -v chromium-browser || true)
if [[ -n "$chrome" ]] && command -v node >/dev/null &&
	bash "$REPO_ROOT/tests/reports/web/setup.sh" "$BENCH_DATA/node" >/dev/null; then
	bench_say "(d) queries in Chromium on the whole site"
	QUERIES=$(NODE_PATH="$BENCH_DATA/node/node_modules" node - "$T/full-new" "$chrome" <<'JS'
const path = require("path"), puppeteer = require("puppeteer-core");
const [site, chrome] = process.argv.slice(2);
(async () => {
	const b = await puppeteer.launch({executablePath: chrome, headless: true, args: ["--no-sandbox"]});
	const p = await b.newPage();
	const out = [];
	for (const q of ["3", "compress", "CompressNET", "Bernie Volz", "dynamic", "http"]) {
		await p.goto("file://" + path.resolve(site) + "/search.html?q=" + encodeURIComponent(q));
		await p.waitForFunction(() => / ms\)$/.test(document.getElementById("status").textContent));
		out.push(q + ": " + await p.$eval("#status", (e) => e.textContent));
	}
	await b.close();
	console.log(out.join("\n"));
})();
JS
)
fi

ms() { python3 - "$1" "$2" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["command"] == sys.argv[2]:
        print("%.0f ms (median %.0f ms, min %.0f ms)" % (float(r["mean"]) * 1000, float(r["median"]) * 1000, float(r["min"]) * 1000))
PY
}
mb() { python3 -c "print('%.1f MB' % ($1 / 1e6))"; }
{
	echo "bench/site.sh, commit $BENCH_COMMIT, $(date -u +%Y-%m-%dT%H:%MZ), $NSNAP snapshots, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "                          new site                        old site (previous main)"
	printf '  whole site, written    %-32s %s\n' "$(ms "$T/full.csv" full-new)" "$(ms "$T/full.csv" full-old)"
	printf '  size (bytes / on disk) %-32s %s\n' "$(mb "$(size "$T/full-new")") / $(mb "$(disk "$T/full-new")")" \
		"$(mb "$(size "$T/full-old")") / $(mb "$(disk "$T/full-old")")"
	printf '  files                  %-32s %s\n' "$(files "$T/full-new")" "$(files "$T/full-old")"
	printf '  incremental, +1 snap   %-32s %s\n' "$(ms "$T/inc.csv" inc-new)" "$(ms "$T/inc.csv" inc-old)"
	printf '  what it rewrote        %s\n' "$(sed 's/.*; //' "$T/inc-new.out")"
	printf '                         old: %s\n' "$(sed 's/.*; //' "$T/inc-old.out")"
	printf '  search index           %s raw, %s gzipped\n' "$(mb "$IDX_RAW")" "$(mb "$IDX_GZ")"
	echo "  queries in Chromium (the search page's own timing):"
	printf '%s\n' "$QUERIES" | sed 's/^/    /'
} | tee "$RESULTS"
