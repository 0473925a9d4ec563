#!/usr/bin/env bash
# install.sh BUILD_DIR SOURCE_DIR: installs the build into a temporary prefix, moves the tree,
# and runs the moved `ianawatch` (by path, from $PATH, through a symbolic link, and with an
# argv[0] that leads nowhere, which leaves /proc/self/exe) on the committed real snapshots;
# then the same for a DESTDIR staged install. Fails on the first wrong answer.
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset IANAWATCH_EXEC_PATH IANAWATCH_DB
fail() { echo "install.sh: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/first" > "$tmp/install.log" || { cat "$tmp/install.log"; exit 1; }
for f in bin/ianawatch libexec/ianawatch/ianawatch-ingest libexec/ianawatch/ianawatch-net \
         share/man/man1/ianawatch.1 share/bash-completion/completions/ianawatch \
         share/zsh/vendor-completions/_ianawatch; do
	[ -e "$tmp/first/$f" ] || fail "cmake --install did not install $f"
done
mv "$tmp/first" "$tmp/moved"
root=$tmp/moved

# --version: one line for each program, each naming its libraries (the helpers run from the
# moved tree, or ianawatch says it cannot run them and fails).
"$root/bin/ianawatch" --version > "$tmp/version" || { cat "$tmp/version"; fail "--version failed"; }
grep -q '^ianawatch [0-9.]*: SQLite [0-9.]*, zstd [0-9.]*$' "$tmp/version" &&
	grep -q '^ianawatch-ingest [0-9.]*: libxml2 [0-9.]*, SQLite' "$tmp/version" &&
	grep -q '^ianawatch-net [0-9.]*: libcurl [0-9.]* (.*), libgit2 [0-9.]*, libxml2' "$tmp/version" &&
	[ "$(wc -l < "$tmp/version")" -eq 3 ] || { cat "$tmp/version"; fail "--version printed the above"; }
echo "ok: --version"

# check LABEL IW...: import the snapshots into a fresh database and ask for 3/tcp's history.
check() {
	local label=$1; shift
	local db=$tmp/$label.db out
	rm -f "$db"*
	"$@" --db "$db" import "$src/tests/data/2025-01-23.xml.gz" "$src/tests/data/2025-02-13.xml.gz" \
		> "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "$label: import failed"; }
	out=$("$@" --db "$db" history 3/tcp) || fail "$label: history failed"
	grep -q '^  2025-01-23 .. 2025-01-23  assigned    compressnet' <<<"$out" &&
		grep -q 'De-assigned on 2025-02-13' <<<"$out" || fail "$label: history 3/tcp gave: $out"
	echo "ok: $label"
}
check by-path "$root/bin/ianawatch"
check from-PATH env PATH="$root/bin:$PATH" ianawatch
mkdir "$tmp/links" && ln -s "$root/bin/ianawatch" "$tmp/links/ianawatch"
check symlink "$tmp/links/ianawatch"
# bash's exec -a sets argv[0]: a name on no $PATH leaves only /proc/self/exe (Linux).
if [ -e /proc/self/exe ]; then
	check proc-self-exe bash -c 'exec -a no-such-program "$0" "$@"' "$root/bin/ianawatch"
fi

# Without its helpers the moved tree must say so, not run some other installation's, unless
# the configured libexec folder holds one (then that is the documented fallback).
mv "$root/libexec" "$tmp/libexec.away"
configured=$(tr '\0' '\n' < "$root/bin/ianawatch" | grep -ax '/.*/libexec/ianawatch' | head -1 || true)
if [ -n "$configured" ] && [ ! -e "$configured/ianawatch-ingest" ]; then
	if "$root/bin/ianawatch" --db "$tmp/none.db" import "$src/tests/data/2025-01-23.xml.gz" 2> "$tmp/err"; then
		fail "import ran without its helper"
	fi
	grep -q "cannot run .*ianawatch-ingest" "$tmp/err" || fail "unexpected error: $(cat "$tmp/err")"
	echo "ok: missing helper reported"
fi
mv "$tmp/libexec.away" "$root/libexec"

# $IANAWATCH_EXEC_PATH comes first: pointed at an empty folder, the moved helpers still run
# (it is only a preference); pointed at the helpers, they run from there.
mkdir "$tmp/exec"
cp "$root/libexec/ianawatch/"* "$tmp/exec/"
mv "$root/libexec" "$tmp/libexec.away"
IANAWATCH_EXEC_PATH=$tmp/exec check exec-path "$root/bin/ianawatch"
mv "$tmp/libexec.away" "$root/libexec"

# A staged install (DESTDIR), as packagers do, then moved out of its staging folder.
DESTDIR=$tmp/stage cmake --install "$build" --prefix /opt/ianawatch > "$tmp/install.log" ||
	{ cat "$tmp/install.log"; exit 1; }
mv "$tmp/stage/opt/ianawatch" "$tmp/opt"
check destdir "$tmp/opt/bin/ianawatch"
echo "install.sh: every check passed"
