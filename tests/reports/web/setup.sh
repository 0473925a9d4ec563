#!/usr/bin/env bash
# setup.sh DEST: installs this folder's npm packages (package-lock.json: html-validate, and
# puppeteer-core, which drives the system's Chromium and downloads no browser) into DEST,
# once per lock file. Exit 77 (skip) only when npm is missing or its registry unreachable and
# $CI is unset: CI has npm, so there it is a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dest=$1
mkdir -p "$dest"
if [ -d "$dest/node_modules" ] && cmp -s "$here/package-lock.json" "$dest/package-lock.json"; then
	exit 0
fi
skip() {
	if [ -n "${CI:-}" ]; then
		echo "FAIL: $* (CI must run this test: scripts/deps.sh test installs nodejs and npm)"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
command -v npm >/dev/null || skip "npm is missing (apt-get install nodejs npm)"
cp "$here/package.json" "$here/package-lock.json" "$dest/"
rm -rf "$dest/node_modules"
(cd "$dest" && PUPPETEER_SKIP_DOWNLOAD=1 timeout 300 npm ci --no-audit --no-fund --loglevel=error \
	>"$dest/npm.log" 2>&1) ||
	{ tail -n 5 "$dest/npm.log"; rm -f "$dest/package-lock.json"; skip "npm could not install html-validate and puppeteer-core (registry unreachable?)"; }
exit 0
