#!/usr/bin/env bash
# Configures and builds dbloop into build/ (or $1), quietly when up to date.
#   scripts/build.sh [BUILD_DIR] [extra cmake -D options...]
# Tests are on unless an option says -DBUILD_TESTING=OFF (the last -D wins).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DBUILD_TESTING=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)" 2>&1 | grep -vE '^\[ *[0-9]+%\]|^Consolidate|^-- ' || true
test -x "$dir/dbloop"
