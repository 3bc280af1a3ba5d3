#!/usr/bin/env bash
# README command 2 (and what .ci/run runs): install what is missing, servers
# included, build, and run every test.
#   1. unit tests, normal build
#   2. unit tests under ASan+UBSan
#   3. integration tests against real PostgreSQL and MariaDB (needs root)
# Set DBLOOP_TEST_QUICK=1 to skip the slow slices (compose matrix, fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - start))"; }

step "install"
scripts/install-deps.sh test

step "build"
scripts/build.sh build
scripts/build.sh build-asan -DDBLOOP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug

step "unit tests (ASan+UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ctest --test-dir build-asan -L unit --output-on-failure -j2

step "unit and integration tests"
ctest --test-dir build --output-on-failure

step "done in $(($(date +%s) - start))s"
