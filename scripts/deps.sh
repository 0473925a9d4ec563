#!/usr/bin/env bash
# deps.sh: installs the Debian 12 packages ianawatch needs to build, test and benchmark, when
# missing. Needs root (or sudo) only when something is missing.
set -euo pipefail

build=(build-essential cmake pkg-config libcurl4-openssl-dev libxml2-dev libsqlite3-dev
       libzstd-dev zlib1g-dev libssl-dev libgit2-dev)
test=(libcmocka-dev python3 libxml2-utils sqlite3 git zstd zsh chromium clang dpkg-dev nodejs npm)
extra=()
case "${1:-build}" in
	build) want=("${build[@]}") ;;
	test) want=("${build[@]}" "${test[@]}") ;;
	all) want=("${build[@]}" "${test[@]}" hyperfine time valgrind clang chromium) ;;
	*) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac
want+=("${extra[@]}")

missing=()
for p in "${want[@]}"; do
	# A Node.js that is not Debian's (NodeSource's nodejs bundles npm and conflicts with
	# Debian's npm package) serves as well: the tests need the commands, not the packages.
	case "$p" in
	nodejs) command -v node >/dev/null && continue ;;
	npm) command -v npm >/dev/null && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps.sh: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
