#!/usr/bin/env bash
# browser.sh: a real browser renders the site: headless Chromium opens the index and the
# CompressNET change page written from the committed snapshots; the DOM it builds must show the
# de-assignment, and its screenshots (light and dark) must be pictures, not blank pages.
# Then puppeteer-core (npm, web/package-lock.json) drives that Chromium through the site as a
# person would (web/browse.js): search, port 3, its change set and back, no request leaving the
# site's folder, screenshots into OUTDIR.
# Usage: browser.sh BINARY [NODE_DIR OUTDIR]. Exit 77 (skipped) only when no Chromium can be
# found or installed, or npm cannot install puppeteer-core outside CI (web/setup.sh).
set -u
bin=$1
nodedir=${2:-}
outdir=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)

find_chromium() {
	local c
	for c in chromium chromium-browser google-chrome; do
		command -v "$c" && return 0
	done
	return 1
}
chrome=$(find_chromium)
if [ -z "$chrome" ] && command -v apt-get >/dev/null; then
	# Debian's package; needs root (or password-less sudo), as scripts/deps.sh does.
	sudo=
	[ "$(id -u)" = 0 ] || sudo="sudo -n"
	echo "browser.sh: installing chromium" >&2
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null 2>&1 ||
		{ DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null 2>&1; }
	chrome=$(find_chromium)
fi
if [ -z "$chrome" ]; then
	echo "SKIP: no chromium, and it could not be installed (apt-get install chromium)"
	exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: python3 is missing"; exit 77; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/iwbrowser.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export IANAWATCH_NOW=2026-01-01T00:00:00Z TZ=UTC LC_ALL=C HOME="$scratch/home"
unset IANAWATCH_DB XDG_DATA_HOME
fail=0
bad() { echo "FAIL: $*"; fail=1; }

(cd "$data" && "$bin" --db "$scratch/iw.db" import -q --manifest MANIFEST.tsv) || { echo "import failed"; exit 1; }
"$bin" --db "$scratch/iw.db" report --out "$scratch/site" >/dev/null || { echo "report failed"; exit 1; }
page=$(ls "$scratch"/site/changes/2025-02-13_*.html)

# chrome URL OUTPUT-OPTION...: one headless run with its own profile, no network, no updates.
chrome_run() {
	local url=$1; shift
	timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-extensions --user-data-dir="$(mktemp -d "$scratch/profile.XXXXXX")" \
		--hide-scrollbars "$@" "$url" 2>>"$scratch/chrome.log"
}

chrome_run "file://$scratch/site/index.html" --dump-dom > "$scratch/index.dom"
chrome_run "file://$page" --dump-dom > "$scratch/page.dom"
for text in "IANA port registry changes" "Changes per month" "2025-02-13</a>" \
	"<strong>2/tcp compressnet</strong> de-assigned, now Reserved" "<svg"; do
	grep -qF -- "$text" "$scratch/index.dom" || bad "the index as rendered lacks: $text"
done
for text in "De-assigned (4)" \
	'<th scope="row">2/tcp compressnet</th><td>de-assigned, now Reserved (De-assigned on 2025-02-13, previously compressnet by Bernie Volz)</td>' \
	'<th scope="row">3/udp compressnet</th>' \
	'<th scope="row">compressnet (tcp, no port)</th><td>added: Management Utility/Compression Process' \
	"Added (2)"; do
	grep -qF -- "$text" "$scratch/page.dom" || bad "the CompressNET page as rendered lacks: $text"
done

# Screenshots: a phone-sized and a desktop-sized window, light and dark.
chrome_run "file://$page" --window-size=1024,900 --screenshot="$scratch/page.png" >/dev/null
chrome_run "file://$page" --window-size=1024,900 --force-dark-mode \
	--screenshot="$scratch/page-dark.png" >/dev/null
chrome_run "file://$scratch/site/index.html" --window-size=390,1400 \
	--screenshot="$scratch/index-phone.png" >/dev/null
if [ -n "${IW_KEEP_SCREENSHOTS:-}" ]; then
	mkdir -p "$IW_KEEP_SCREENSHOTS" && cp "$scratch"/*.png "$IW_KEEP_SCREENSHOTS"/
fi

# Decodes each PNG (zlib, scanline filters) and checks it is a picture: many colours, none
# covering nearly everything, and the background light or dark as asked.
python3 - "$scratch/page.png" light "$scratch/page-dark.png" dark \
	"$scratch/index-phone.png" light <<'EOF' || bad "screenshots"
import struct, sys, zlib

def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path + ": not a PNG"
    pos, idat, head = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype = head[:4]
    assert depth == 8 and ctype in (2, 6), "%s: colour type %d depth %d" % (path, ctype, depth)
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, rows, i = zlib.decompress(idat), w * bpp, None, [], 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        up = prev or bytearray(stride)
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = up[x], (up[x - bpp] if x >= bpp else 0)
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows

ok = True
args = sys.argv[1:]
for path, scheme in zip(args[::2], args[1::2]):
    w, h, bpp, rows = pixels(path)
    counts = {}
    for line in rows:
        for x in range(0, len(line), bpp):
            px = bytes(line[x:x + 3])
            counts[px] = counts.get(px, 0) + 1
    top = max(counts.values()) / float(w * h)
    bg = rows[2][6:9]
    lum = 0.299 * bg[0] + 0.587 * bg[1] + 0.114 * bg[2]
    print("%s: %dx%d, %d colours, the commonest covers %.1f%%, background luminance %.0f"
          % (path.split("/")[-1], w, h, len(counts), 100 * top, lum))
    if len(counts) < 16 or top > 0.97:
        print("  looks blank"); ok = False
    if (scheme == "dark") != (lum < 80):
        print("  background is not %s" % scheme); ok = False
sys.exit(0 if ok else 1)
EOF

# A person's way through the site, driven by puppeteer-core.
if [ -n "$nodedir" ]; then
	bash "$here/web/setup.sh" "$nodedir"
	rc=$?
	if [ $rc = 0 ]; then
		mkdir -p "$outdir"
		NODE_PATH="$nodedir/node_modules" timeout 300 node "$here/web/browse.js" "$scratch/site" \
			"$outdir" "$chrome" || bad "the walk through the site (web/browse.js)"
		echo "screenshots in $outdir"
	elif [ $rc != 77 ]; then
		bad "web/setup.sh"
	fi
fi

[ $fail = 0 ] && echo "browser: ok"
[ $fail = 0 ] || { echo "--- chromium's log:"; tail -n 20 "$scratch/chrome.log"; }
exit $fail
