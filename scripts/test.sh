#!/usr/bin/env bash
# test.sh: installs what is missing, builds with warnings as errors, and runs every test: the
# plain build, then again under AddressSanitizer and UndefinedBehaviorSanitizer. Then it builds
# twice more, as distributions and other compilers would (the unit tests only): with Debian's
# dpkg-buildflags (-D_FORTIFY_SOURCE=2 -O2 ..., which is how banned.h once broke the build) and
# with clang.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test

jobs=$(nproc 2>/dev/null || echo 2)
run() { # run BUILD_DIR CMAKE_ARGS...
	local dir=$1; shift
	cmake -S . -B "$dir" -DIANAWATCH_WERROR=ON "$@" > "$dir.cmake.log" 2>&1 || { cat "$dir.cmake.log"; exit 1; }
	cmake --build "$dir" -j "$jobs"
	ctest --test-dir "$dir" -j "$jobs" --output-on-failure ${CTEST_ARGS:-}
}
mkdir -p build
echo "== build and test (RelWithDebInfo, -Werror)"
run build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ "${IANAWATCH_SKIP_SANITIZERS:-0}" != 1 ]; then
	echo "== build and test under ASan + UBSan"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		run build/sanitize -DCMAKE_BUILD_TYPE=Debug -DIANAWATCH_SANITIZE=ON
fi
echo "== build with dpkg-buildflags (-Werror), unit tests"
(
	eval "$(dpkg-buildflags --export=sh)"
	# CMake reads CFLAGS and LDFLAGS but not CPPFLAGS, where _FORTIFY_SOURCE is.
	export CFLAGS="$CPPFLAGS $CFLAGS"
	CTEST_ARGS="-L unit" run build/dpkg -DCMAKE_BUILD_TYPE=None
)
echo "== build with clang (-Werror), unit tests"
CC=clang CTEST_ARGS="-L unit" run build/clang -DCMAKE_BUILD_TYPE=RelWithDebInfo
