#!/usr/bin/env bash
# import_git.sh: `import-git` end to end on a mirror built from the committed real snapshots
# (make_mirror.sh): snapshots, observed times, sources, a second run that imports nothing,
# a version that is no registry, and `cat` giving back each version byte for byte.
# Usage: import_git.sh IANAWATCH_BINARY
set -u
iw=$1
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iwgit.XXXXXX")
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

bash "$here/make_mirror.sh" "$data" "$tmp/mirror" || { echo "cannot build the mirror"; exit 1; }
cd "$tmp"
c1=$(git -C mirror rev-parse main~4)   # 2017-03-10
c3=$(git -C mirror rev-parse main~2)   # 2025-01-23
c5=$(git -C mirror rev-parse main)     # 2025-02-13, after the rename
c6=$(git -C mirror rev-parse broken~1) # the truncated file
f=service-names-port-numbers.xml

out=$("$iw" --db db import-git mirror 2>&1); rc=$?
check "first run stores the three versions" "$rc: $out" \
	"0: mirror: 3 new snapshots, 0 already stored, 0 failed (3 versions in 5 commits)"

got=$("$iw" --db db snapshots --format json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    print(s["id"], s["registry_updated"], s["observed_at"], s["record_count"], s["source"])')
check "snapshots, observed at their commit times, named by commit and path" "$got" \
"1 2017-03-10 2017-03-14T19:45:24Z 13955 git:mirror@$c1:$f
2 2025-01-23 2025-01-24T01:44:55Z 14466 git:mirror@$c3:$f
3 2025-02-13 2025-02-14T01:46:39Z 14468 git:mirror@$c5:iana-etc/$f"

out=$("$iw" --db db import-git mirror 2>&1); rc=$?
check "a second run imports nothing" "$rc: $out" \
	"0: mirror: 0 new snapshots, 3 already stored, 0 failed (3 versions in 5 commits)"
n=$("$iw" --db db snapshots --format json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
check "still three snapshots" "$n" "3"

# The same versions from the mirror's other name for the file are not imported twice either,
# nor those already stored by `import` from files.
"$iw" --db db2 import -q --observed-at 2025-01-24T01:44:55Z "$data/2025-01-23.xml.gz"
out=$("$iw" --db db2 import-git --path "iana-etc/$f" --path "$f" mirror 2>&1); rc=$?
check "contents stored from a file are recognised" "$rc: $out" \
	"0: mirror: 2 new snapshots, 1 already stored, 0 failed (3 versions in 5 commits)"

# (The parser's own words after the line number are its business.)
out=$("$iw" --db db import-git -q --ref broken mirror 2>&1); rc=$?
check "a version that is no registry: one line naming commit and path, exit 3" \
	"$rc: $(echo "$out" | wc -l) ${out%%:3368:*}" "3: 1 ianawatch import-git: git:mirror@$c6:iana-etc/$f"

out=$("$iw" --db db3 import-git --ref "$c3" --path "$f" mirror 2>&1); rc=$?
check "--ref bounds the history" "$rc: $out" \
	"0: mirror: 2 new snapshots, 0 already stored, 0 failed (2 versions in 3 commits)"

out=$("$iw" --db db4 import-git --path nothing.xml mirror 2>&1); rc=$?
check "no commit has the path: exit 4" "$rc: $out" "4: ianawatch import-git: mirror: no commit of 'HEAD' has nothing.xml"
[ -e db4 ] && { echo "FAIL a failed import-git created a database"; fail=1; }
mkdir nowhere
out=$("$iw" --db db4 import-git nowhere 2>&1); rc=$?
check "not a repository: exit 4" "$rc: $out" "4: ianawatch import-git: nowhere: not a git repository"

# cat: the original bytes, whose SHA-256 is the snapshot's.
for id in 1 2 3; do
	want=$("$iw" --db db snapshots --format json | python3 -c "
import json, sys
print([s['sha256'] for s in json.load(sys.stdin) if s['id'] == $id][0])")
	got=$("$iw" --db db cat "$id" | sha256sum | cut -d' ' -f1)
	check "cat $id gives the original document" "$got" "$want"
done
got=$("$iw" --db db cat 2025-02-13 | cmp - <(gzip -dc "$data/2025-02-13.xml.gz") && echo same)
check "cat DATE gives the committed file" "$got" "same"
exit $fail
