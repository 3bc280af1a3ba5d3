#!/usr/bin/env bash
# README command 2 (and what .ci/run runs): install what is missing, servers
# included, build, and run every test.
#   1. unit tests, normal build
#   2. unit tests under ASan+UBSan
#   3. integration tests against real PostgreSQL and MariaDB (needs root),
#      the compose matrix's CI subset included
#   4. the integration scenarios again under ASan+UBSan
#   5. a bounded slice of fuzzing (3 targets rotating by commit) and of valgrind
# and, after the build: the build matrix, the .deb, and README command 1 and
# the package on a bare debootstrap'd Debian 12 root (scripts/bare-root.sh)
# The long runs have their own commands: scripts/fuzz.sh 3600,
# scripts/valgrind.sh, docker/run-matrix.sh --subset all.
# DBLOOP_TEST_QUICK=1 skips steps 4 and 5.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
ctest_log=$(mktemp)
trap 'rm -f "$ctest_log"' EXIT
step() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - start))"; }

step "install"
scripts/install-deps.sh test

step "layers"
python3 scripts/check-layers.py >/dev/null

step "build"
scripts/build.sh build -DDBLOOP_WERROR=ON
scripts/build.sh build-asan -DDBLOOP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DDBLOOP_WERROR=ON

step "build matrix"
scripts/build-matrix.sh

step "install check"
prefix=$(mktemp -d)
cmake --install build --prefix "$prefix" >/dev/null
for f in bin/dbloop share/man/man1/dbloop.1 share/bash-completion/completions/dbloop \
	share/zsh/vendor-completions/_dbloop; do
	[ -e "$prefix/$f" ] || { echo "test.sh: cmake --install did not install $f" >&2; exit 1; }
done
"$prefix/bin/dbloop" --version
rm -rf "$prefix"

step "package"
rm -f build/dbloop_*.deb
(cd build && cpack -G DEB >/dev/null)
deb=$(ls build/dbloop_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libpq5 libmariadb3 libcjson1; do
	grep -qw "$lib" <<<"$depends" || { echo "test.sh: $deb does not depend on $lib: $depends" >&2; exit 1; }
done
! grep -q -- '-dev' <<<"$depends" || { echo "test.sh: $deb depends on a -dev package: $depends" >&2; exit 1; }
echo "$deb: $(stat -c %s "$deb") bytes; Depends: $depends"

step "bare Debian 12 root: README command 1, then the package"
scripts/bare-root.sh all "$deb"

step "unit tests (ASan+UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ctest --test-dir build-asan -L unit --output-on-failure -j2 | tee -a "$ctest_log"

step "unit and integration tests"
ctest --test-dir build --output-on-failure | tee -a "$ctest_log"

if [ "${DBLOOP_TEST_QUICK:-0}" != 1 ]; then
	# An ASan report must not pass for dbloop's own exit 1 ("problems found").
	step "integration scenarios (ASan+UBSan)"
	ASAN_OPTIONS=detect_leaks=1:exitcode=86 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ctest --test-dir build-asan --output-on-failure \
		-R 'integration\.test_(smoke|scenarios_pg|scenarios_my|hostile|signals)$' | tee -a "$ctest_log"

	# Every target replays its seeds and regressions; the slice fuzzes 3
	# targets chosen from the commit hash, all at once on the two cores.
	step "fuzzing slice (3 targets, ${DBLOOP_FUZZ_SECONDS:-180} s each, rotating by commit)"
	DBLOOP_FUZZ_JOBS=3 scripts/fuzz.sh --rotate 3 "${DBLOOP_FUZZ_SECONDS:-180}"

	step "valgrind slice"
	scripts/valgrind.sh build pg_ok my_not_running
fi

step "done in $(($(date +%s) - start))s"
# One closing line over every ctest run above (each failure stops the script
# earlier, so what reaches here passed).
awk '/tests passed, [0-9]+ tests failed out of/ { t += $NF; f += $(NF-5) }
     END { printf "ctest: %d passed, %d failed\n", t - f, f }' "$ctest_log"
