#!/usr/bin/env bash
# make_mirror.sh: builds DIR, a git repository shaped like the public mirrors of the registry,
# from the committed real snapshots: make_mirror.sh DATA_DIR DIR
#
#   1  2017-03-14T19:45:24Z  service-names-port-numbers.xml = 2017-03-10
#   2  2018-01-01T00:00:00Z  README added, the registry unchanged
#   3  2025-01-24T01:44:55Z  service-names-port-numbers.xml = 2025-01-23
#   4  2025-02-01T00:00:00Z  renamed to iana-etc/service-names-port-numbers.xml (AOSC-Dev style)
#   5  2025-02-14T01:46:39Z  iana-etc/service-names-port-numbers.xml = 2025-02-13
# and a branch `broken` on top of 5:
#   6  2025-03-01T00:00:00Z  iana-etc/service-names-port-numbers.xml cut short (no registry)
#   7  2025-03-02T00:00:00Z  back to 2025-02-13
#
# Fixed names, dates and an empty configuration make the commit ids the same on every run.
set -eu
data=$1
dir=$2
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=/nonexistent
export GIT_AUTHOR_NAME=mirror GIT_AUTHOR_EMAIL=mirror@example.org
export GIT_COMMITTER_NAME=mirror GIT_COMMITTER_EMAIL=mirror@example.org
file=service-names-port-numbers.xml

commit() { # commit DATE MESSAGE
	GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 git -C "$dir" commit -q -m "$2"
}

git init -q -b main "$dir"
gzip -dc "$data/2017-03-10.xml.gz" > "$dir/$file"
git -C "$dir" add -A && commit 2017-03-14T19:45:24Z "registry 2017-03-10"
echo "A mirror of IANA's service names and port numbers." > "$dir/README"
git -C "$dir" add -A && commit 2018-01-01T00:00:00Z "add a README"
gzip -dc "$data/2025-01-23.xml.gz" > "$dir/$file"
git -C "$dir" add -A && commit 2025-01-24T01:44:55Z "registry 2025-01-23"
mkdir "$dir/iana-etc"
git -C "$dir" mv "$file" "iana-etc/$file" && commit 2025-02-01T00:00:00Z "move into iana-etc/"
gzip -dc "$data/2025-02-13.xml.gz" > "$dir/iana-etc/$file"
git -C "$dir" add -A && commit 2025-02-14T01:46:39Z "registry 2025-02-13"

git -C "$dir" checkout -q -b broken
head -c 100000 "$dir/iana-etc/$file" > "$dir/iana-etc/$file.part"
mv "$dir/iana-etc/$file.part" "$dir/iana-etc/$file"
git -C "$dir" add -A && commit 2025-03-01T00:00:00Z "a truncated download"
gzip -dc "$data/2025-02-13.xml.gz" > "$dir/iana-etc/$file"
git -C "$dir" add -A && commit 2025-03-02T00:00:00Z "registry 2025-02-13 again"
git -C "$dir" checkout -q main
