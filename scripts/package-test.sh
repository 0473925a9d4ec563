#!/usr/bin/env bash
# package-test.sh: builds the Debian package as a distribution would (dpkg-buildpackage with
# hardening=+all), checks it with lintian (errors fail, warnings are listed), installs it with
# dpkg -i and uses the installed tool as an unprivileged user: --version, import of the committed
# snapshots, history 3/tcp, man -w, the systemd units (systemd-analyze verify, then the fetch
# service started once where systemd runs, else its ExecStart line run by hand against
# tests/httpd.py on 127.0.0.1); then dpkg -r and checks that nothing is left but the state
# directory. Needs root (CI runs as root); installs what it needs. About a minute and a half.
# IANAWATCH_PACKAGE_CHECK=1 also runs the test suite inside the package build (dh_auto_test).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
say() { echo "== package-test: $*"; }
fail() { echo "package-test: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root: it installs and removes the package"

scripts/deps.sh build
want=(debhelper dpkg-dev fakeroot lintian man-db systemd python3 util-linux git)
[ "${IANAWATCH_PACKAGE_CHECK:-0}" = 1 ] && want+=(libcmocka-dev libxml2-utils sqlite3 git zstd)
missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

tmp=$(mktemp -d)
httpd_pid=
cleanup() {
	[ -z "$httpd_pid" ] || kill "$httpd_pid" 2> /dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"

# Build from a copy of the tracked tree, so that the build leaves nothing in the work tree and
# the .deb lands in $tmp (dpkg-buildpackage writes to the parent folder).
say "dpkg-buildpackage -us -uc -b"
mkdir "$tmp/src"
git ls-files -z --cached --others --exclude-standard | grep -zv '^build/' |
	tar --null -cf - -T - | tar -xf - -C "$tmp/src"
opts="parallel=$(nproc 2>/dev/null || echo 2)"
[ "${IANAWATCH_PACKAGE_CHECK:-0}" = 1 ] || opts="$opts nocheck"
(cd "$tmp/src" && DEB_BUILD_OPTIONS="$opts" dpkg-buildpackage -us -uc -b) > "$tmp/build.log" 2>&1 ||
	{ tail -60 "$tmp/build.log"; fail "dpkg-buildpackage (log above)"; }
deb=$(ls "$tmp"/ianawatch_*.deb)
# The hardening flags reached every compile line.
grep -q -- '-fstack-protector-strong.*-D_FORTIFY_SOURCE=2' "$tmp/build.log" ||
	fail "the package build did not use dpkg-buildflags' hardening flags"

say "lintian"
lint=0
lintian --fail-on error --tag-display-limit 0 "$tmp"/ianawatch_*.changes > "$tmp/lintian.log" 2>&1 || lint=$?
grep -v '^running with root privileges' "$tmp/lintian.log" || true
[ "$lint" -eq 0 ] || fail "lintian found errors (exit $lint)"
echo "lintian: $(grep -c '^E:' "$tmp/lintian.log" || true) errors, $(grep -c '^W:' "$tmp/lintian.log" || true) warnings"

say "dpkg -i $(basename "$deb")"
dpkg -i "$deb" > /dev/null
files=$(dpkg -L ianawatch)
[ "$(command -v ianawatch)" = /usr/bin/ianawatch ] || fail "ianawatch is not /usr/bin/ianawatch on PATH"
for f in /usr/libexec/ianawatch/ianawatch-ingest /usr/libexec/ianawatch/ianawatch-net \
         /lib/systemd/system/ianawatch-fetch.service /lib/systemd/system/ianawatch-fetch.timer \
         /usr/share/bash-completion/completions/ianawatch /usr/share/zsh/vendor-completions/_ianawatch; do
	grep -qx "$f" <<<"$files" || fail "the package does not install $f"
done

# Everything below runs as nobody, with a HOME of its own: the default database is then
# $HOME/.local/share/ianawatch/ianawatch.db.
home=$tmp/home
mkdir -p "$home"
cp -r tests/data "$tmp/data"
chmod -R a+rX "$tmp/data"
chown nobody "$home"
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --init-groups --reset-env \
		env HOME="$home" PATH=/usr/bin:/bin "$@"
}

say "ianawatch --version (as nobody)"
as_nobody ianawatch --version | tee "$tmp/version"
grep -q "^ianawatch $(dpkg-query -W -f='${Version}' ianawatch)" "$tmp/version" ||
	fail "--version does not print the package's version"

say "import the committed snapshots, history 3/tcp (as nobody)"
as_nobody ianawatch import --manifest "$tmp/data/MANIFEST.tsv"
as_nobody ianawatch history 3/tcp | tee "$tmp/history"
grep -q 'assigned    compressnet' "$tmp/history" && grep -q 'De-assigned on 2025-02-13' "$tmp/history" ||
	fail "history 3/tcp is not CompressNET's"
[ -s "$home/.local/share/ianawatch/ianawatch.db" ] || fail "no database in \$HOME/.local/share/ianawatch"

say "man -w ianawatch"
man -w ianawatch | tee "$tmp/man"
grep -qx /usr/share/man/man1/ianawatch.1.gz "$tmp/man" || fail "man page not where man looks"

say "systemd-analyze verify"
units=(/lib/systemd/system/ianawatch-fetch.service /lib/systemd/system/ianawatch-fetch.timer
       /lib/systemd/system/ianawatch-status.service /lib/systemd/system/ianawatch-status.timer)
# verify also loads the units these depend on (network-online.target...): only lines naming
# ours count, and so does its exit status.
SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "${units[@]}" > "$tmp/verify" 2>&1 ||
	{ cat "$tmp/verify"; fail "systemd-analyze verify"; }
cat "$tmp/verify"
if grep -i 'ianawatch' "$tmp/verify"; then fail "systemd-analyze verify complains about our units"; fi
echo "clean"
systemd-analyze security --offline=true "${units[0]}" 2>&1 | tail -1 || true
# The units start nothing by themselves.
if [ -d /run/systemd/system ] && systemctl is-enabled --quiet ianawatch-fetch.timer; then
	fail "the package enabled ianawatch-fetch.timer"
fi

say "the fetch service, once, against tests/httpd.py"
python3 tests/httpd.py --root "$tmp/data" --port-file "$tmp/port" --lifetime 120 --parent-pid $$ \
	> /dev/null 2> "$tmp/httpd.log" &
httpd_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || { cat "$tmp/httpd.log"; fail "tests/httpd.py did not start"; }
url="http://127.0.0.1:$(cat "$tmp/port")/f/2025-02-13.xml"
unit=/lib/systemd/system/ianawatch-fetch.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
db=$(sed -n 's/^Environment=IANAWATCH_DB=//p' "$unit")
[ "$db" = /var/lib/ianawatch/ianawatch.db ] || fail "the unit's database is $db"
if [ -d /run/systemd/system ]; then
	# systemd runs: start the real unit, with the URL pointed at the local server.
	mkdir -p /run/systemd/system/ianawatch-fetch.service.d
	printf '[Service]\nExecStart=\nExecStart=%s --url %s\n' "$exec_start" "$url" \
		> /run/systemd/system/ianawatch-fetch.service.d/test.conf
	systemctl daemon-reload
	systemctl start ianawatch-fetch.service || { journalctl -u ianawatch-fetch --no-pager | tail; fail "systemctl start"; }
	rm -rf /run/systemd/system/ianawatch-fetch.service.d
	systemctl daemon-reload
	ianawatch --db "$db" snapshots | tee "$tmp/snapshots"
else
	# No systemd here (a container): the ExecStart line by hand, as an unprivileged user with
	# the environment the unit sets and a state folder standing in for /var/lib/ianawatch.
	state=$tmp/state
	mkdir -m 700 "$state" && chown nobody:nogroup "$state"
	echo "(no systemd as PID 1) $exec_start --url $url  [IANAWATCH_DB=$state/ianawatch.db]"
	# shellcheck disable=SC2086 # the unit's command line, split as systemd splits it
	as_nobody env IANAWATCH_DB="$state/ianawatch.db" $exec_start --url "$url" ||
		fail "the service's ExecStart failed"
	as_nobody env IANAWATCH_DB="$state/ianawatch.db" ianawatch snapshots | tee "$tmp/snapshots"
fi
grep -q 2025-02-13 "$tmp/snapshots" || fail "the service stored no snapshot"

say "dpkg -r ianawatch"
dpkg -r ianawatch > /dev/null
left=()
while read -r f; do
	[ -e "$f" ] || continue
	# Shared folders (/usr/bin, /lib/systemd/system...) stay; ours must go.
	if [ -d "$f" ] && ! [[ "$f" == */ianawatch ]]; then continue; fi
	left+=("$f")
done <<<"$files"
[ ${#left[@]} -eq 0 ] || fail "left after dpkg -r: ${left[*]}"
if command -v ianawatch > /dev/null; then fail "ianawatch still on PATH after dpkg -r"; fi
for d in /var/lib/ianawatch /var/lib/private/ianawatch; do
	[ -e "$d" ] && echo "left, as intended: the state directory $d"
done
dpkg -P ianawatch > /dev/null
echo "package-test: every check passed"
