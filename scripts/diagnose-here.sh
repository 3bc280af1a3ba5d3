#!/usr/bin/env bash
# README command 1: install what is missing, build, and diagnose this machine.
#   scripts/diagnose-here.sh [dbloop diagnose options...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
scripts/build.sh build
exec ./build/dbloop diagnose "$@"
