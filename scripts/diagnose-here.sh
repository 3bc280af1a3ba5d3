#!/usr/bin/env bash
# README command 1: install what is missing, build, and diagnose this machine.
#   scripts/diagnose-here.sh [dbloop diagnose options...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
# Only the program: the tests' own requirements (cmocka, python3, servers)
# come with scripts/test.sh. A build/ that test.sh configured keeps its tests.
testing=OFF
grep -qs '^BUILD_TESTING:BOOL=ON' build/CMakeCache.txt && testing=ON
scripts/build.sh build -DBUILD_TESTING=$testing
exec ./build/dbloop diagnose "$@"
