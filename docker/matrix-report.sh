#!/bin/sh
# dbloop-matrix-report VARIANT [DIAGNOSE-OPTIONS...]
# Runs `dbloop diagnose` once for the JSON report and once for the JUnit
# one, into $REPORTS_DIR (default /reports), and keeps the exit status and
# stderr next to them for check-reports.py. Exits with diagnose's status.
set -u
variant=$1
shift
out="${REPORTS_DIR:-/reports}/$variant"
dbloop diagnose --format json --output "$out.json" "$@" 2>"$out.stderr"
status=$?
echo "$status" >"$out.exit"
dbloop diagnose --format junit --output "$out.xml" "$@" 2>>"$out.stderr"
exit "$status"
