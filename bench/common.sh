# bench/common.sh: what the bench scripts share: tool checks, the release build, the corpus and
# its manifest, and a few formatting helpers. Source it; it defines functions and variables only.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables set here are for the scripts that source this file
#
# Environment (all optional):
#   IANAWATCH_CORPUS   an unpacked corpus folder (*.xml, with or without MANIFEST.tsv)
#   IANAWATCH_BIN      a built ianawatch to measure instead of building build/bench
#   BENCH_DATA         where databases and the git repository are kept
#                      (default /work/bench-data when /work is writable, else bench/work/data)

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
BENCH_WORK="$BENCH_DIR/work"
SHARED_HISTORY="$REPO_ROOT/../shared/iana-history"
if [[ -z "${BENCH_DATA:-}" ]]; then
	if [[ -d /work && -w /work ]]; then
		BENCH_DATA=/work/bench-data
	else
		BENCH_DATA="$BENCH_WORK/data"
	fi
fi

bench_say() { printf '%s\n' "bench: $*" >&2; }
bench_die() { printf '%s\n' "bench: error: $*" >&2; exit 1; }

# bench_need TOOL... : every tool must be on PATH (or an absolute path that runs); names what
# is missing and the Debian package that has it, then exits.
bench_need() {
	local t missing=() pkg
	for t in "$@"; do
		if [[ "$t" == /* ]]; then
			[[ -x "$t" ]] && continue
		elif command -v "$t" >/dev/null 2>&1; then
			continue
		fi
		case "$t" in
			xmllint) pkg=libxml2-utils ;;
			/usr/bin/time) pkg="time" ;;
			sqlite3) pkg=sqlite3 ;;
			perf) pkg=linux-perf ;;
			callgrind_annotate|valgrind) pkg=valgrind ;;
			xz|tar) pkg=xz-utils ;;
			*) pkg=$t ;;
		esac
		missing+=("$t (Debian package: $pkg)")
	done
	if ((${#missing[@]})); then
		printf 'bench: missing tools:\n' >&2
		printf '  %s\n' "${missing[@]}" >&2
		exit 1
	fi
}

# bench_build: a Release build in build/bench (or $IANAWATCH_BIN); sets IANAWATCH.
bench_build() {
	if [[ -n "${IANAWATCH_BIN:-}" ]]; then
		[[ -x "$IANAWATCH_BIN" ]] || bench_die "IANAWATCH_BIN=$IANAWATCH_BIN is not executable"
		IANAWATCH=$IANAWATCH_BIN
		BENCH_COMMIT="unknown ($IANAWATCH_BIN)"
		return
	fi
	bench_need cmake
	bench_cmake_build "$REPO_ROOT/build/bench"
	IANAWATCH="$REPO_ROOT/build/bench/cli/ianawatch"
}

# bench_cmake_build DIR [CMAKE ARGS...]: a Release build of the ianawatch target; the compiler's
# output goes to bench/work/build.log and is shown only when the build fails. Sets BENCH_COMMIT
# to the commit the binary was built from.
bench_cmake_build() {
	local b=$1 log="$BENCH_WORK/build.log"
	shift
	mkdir -p "$BENCH_WORK"
	BENCH_COMMIT=$(git -C "$REPO_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
	bench_say "building a Release binary in $b (commit $BENCH_COMMIT)"
	if ! { cmake -S "$REPO_ROOT" -B "$b" -DCMAKE_BUILD_TYPE=Release -DIANAWATCH_TESTS=OFF "$@" &&
		cmake --build "$b" -j2 --target ianawatch; } >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		bench_die "the build failed (whole log: $log)"
	fi
	[[ -x "$b/cli/ianawatch" ]] || bench_die "no binary at $b/cli/ianawatch after the build"
}

# bench_corpus: sets CORPUS to a folder of unpacked registry versions: $IANAWATCH_CORPUS, else
# /work/corpus, else bench/work/corpus, unpacked from ../shared/iana-history/corpus.tar.xz once.
bench_corpus() {
	local tarball="$SHARED_HISTORY/corpus.tar.xz" tmp
	if [[ -n "${IANAWATCH_CORPUS:-}" ]]; then
		CORPUS=$(cd "$IANAWATCH_CORPUS" 2>/dev/null && pwd) ||
			bench_die "IANAWATCH_CORPUS=$IANAWATCH_CORPUS is not a folder"
	elif compgen -G "/work/corpus/*.xml" >/dev/null; then
		CORPUS=/work/corpus
	elif [[ -f "$BENCH_WORK/corpus/.unpacked" ]]; then
		CORPUS="$BENCH_WORK/corpus"
	elif [[ -f "$tarball" ]]; then
		bench_need tar xz
		bench_say "unpacking $tarball into $BENCH_WORK/corpus"
		mkdir -p "$BENCH_WORK"
		# Unpack beside, then rename: an interrupted unpack is never mistaken for a corpus.
		tmp=$(mktemp -d "$BENCH_WORK/corpus.tmp.XXXXXX")
		tar -xJf "$tarball" -C "$tmp" || { rm -rf "$tmp"; bench_die "cannot unpack $tarball"; }
		touch "$tmp/.unpacked"
		rm -rf "$BENCH_WORK/corpus"
		mv "$tmp" "$BENCH_WORK/corpus"
		CORPUS="$BENCH_WORK/corpus"
	else
		bench_die "no corpus: set IANAWATCH_CORPUS, or put corpus.tar.xz in $SHARED_HISTORY"
	fi
	compgen -G "$CORPUS/*.xml" >/dev/null || bench_die "$CORPUS holds no *.xml"
}

# bench_manifest: writes bench/work/manifest.tsv (absolute path<TAB>observed_at, the format of
# `import --manifest`) from the corpus's MANIFEST.tsv (file, registry_updated, observed_at; the
# first and last columns are used) or the shared one. Sets MANIFEST, NSNAP and the arrays
# SNAP_FILE[] and SNAP_TIME[] in manifest (= observed) order.
bench_manifest() {
	local src line file when n=0
	bench_corpus
	if [[ -f "$CORPUS/MANIFEST.tsv" ]]; then
		src="$CORPUS/MANIFEST.tsv"
	elif [[ -f "$SHARED_HISTORY/MANIFEST.tsv" ]]; then
		src="$SHARED_HISTORY/MANIFEST.tsv"
	else
		bench_die "no MANIFEST.tsv in $CORPUS or $SHARED_HISTORY"
	fi
	mkdir -p "$BENCH_WORK"
	MANIFEST="$BENCH_WORK/manifest.tsv"
	SNAP_FILE=()
	SNAP_TIME=()
	while IFS= read -r line || [[ -n "$line" ]]; do
		line=${line%$'\r'}
		[[ -z "$line" || "$line" == \#* ]] && continue
		n=$((n + 1))
		file=${line%%$'\t'*}
		when=${line##*$'\t'}
		if [[ ! "$when" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z$ ]]; then
			((n == 1)) && continue # a header line
			bench_die "$src:$n: expected path<TAB>...<TAB>observed_at (UTC, ...Z)"
		fi
		[[ "$file" == /* ]] || file="$CORPUS/${file##*/}"
		[[ -f "$file" ]] || bench_die "$src lists $file, which is not in the corpus"
		SNAP_FILE+=("$file")
		SNAP_TIME+=("$when")
	done <"$src"
	NSNAP=${#SNAP_FILE[@]}
	((NSNAP >= 2)) || bench_die "$src lists fewer than two snapshots"
	paste <(printf '%s\n' "${SNAP_FILE[@]}") <(printf '%s\n' "${SNAP_TIME[@]}") >"$MANIFEST"
	printf '%s\n' "${SNAP_FILE[@]}" >"$BENCH_WORK/files.txt"
}

# bench_data_dir: creates BENCH_DATA and its scratch folder.
bench_data_dir() {
	mkdir -p "$BENCH_DATA/tmp" || bench_die "cannot create $BENCH_DATA"
}

# bench_git_repo: $BENCH_DATA/git-repo holds the manifest's versions of the registry file, one
# commit each in manifest order at its observed time, packed by `git gc --aggressive` (as a
# mirror would be). Built once and kept while the manifest is unchanged (BENCH_REBUILD_GIT=1
# rebuilds it). Sets BENCH_GIT and BENCH_GIT_GC_SECS (how long the gc took when it was built).
bench_git_repo() {
	local git="$BENCH_DATA/git-repo" stamp i f msg start
	bench_need git stat date sha256sum
	stamp=$(sha256sum <"$MANIFEST" | cut -d' ' -f1)
	BENCH_GIT=$git
	if [[ "${BENCH_REBUILD_GIT:-0}" != 1 && -f "$git/.git/bench-stamp" &&
		"$(cat "$git/.git/bench-stamp")" == "$stamp" ]]; then
		bench_say "reusing the git repository in $git"
	else
		bench_say "building a git repository of $NSNAP versions in $git (one commit each)"
		rm -rf "$git"
		git init -q -b main "$git"
		# fast-import writes the commits in one process; gc --aggressive then packs them.
		for ((i = 0; i < NSNAP; i++)); do
			f=${SNAP_FILE[i]}
			msg="registry $(basename "$f") observed ${SNAP_TIME[i]}"
			printf 'commit refs/heads/main\ncommitter bench <bench@example.invalid> %s +0000\ndata %d\n%s\n' \
				"$(date -u -d "${SNAP_TIME[i]}" +%s)" "${#msg}" "$msg"
			printf 'M 100644 inline service-names-port-numbers.xml\ndata %d\n' "$(stat -c %s "$f")"
			cat "$f"
			printf '\n'
		done | git -C "$git" fast-import --quiet || bench_die "git fast-import failed"
		start=$(date +%s.%N)
		git -C "$git" gc --aggressive --prune=now --quiet || bench_die "git gc failed"
		awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' \
			>"$git/.git/bench-gc-seconds"
		git -C "$git" checkout -q main
		echo "$stamp" >"$git/.git/bench-stamp"
	fi
	[[ "$(git -C "$git" rev-list --count main)" == "$NSNAP" ]] ||
		bench_die "$git does not hold $NSNAP commits (BENCH_REBUILD_GIT=1 rebuilds it)"
	BENCH_GIT_GC_SECS=$(cat "$git/.git/bench-gc-seconds" 2>/dev/null || echo "?")
}

# bench_rm_db PATH: a database and its WAL companions.
bench_rm_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

# bench_csv_field CSV NAME COLUMN: a column (mean, stddev, median, user, system, min, max) of
# the row of command NAME in a hyperfine --export-csv file, in seconds.
bench_csv_field() {
	awk -F, -v n="$2" -v c="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ name = $1; gsub(/"/, "", name); if (name == n) { print $(col[c]); exit } }' "$1"
}

# bench_size FILE...: total bytes.
bench_size() {
	local t=0 f
	for f in "$@"; do
		[[ -f "$f" ]] && t=$((t + $(stat -c %s "$f")))
	done
	echo "$t"
}

bench_mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }
bench_ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }
bench_secs() { awk -v s="$1" 'BEGIN { printf "%.2f s", s }'; }
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
# bench_le A B: exit status 0 when A <= B (numbers, possibly fractional).
bench_le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
bench_pass() { if bench_le "$1" "$2"; then echo PASS; else echo FAIL; fi; }
