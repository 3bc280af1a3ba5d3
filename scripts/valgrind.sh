#!/usr/bin/env bash
# Memcheck of `dbloop diagnose` on healthy and broken real-server scenarios
# of the lab (tests/lab, needs root), then `dbloop show` on the report one
# of them wrote. Passes only with 0 errors and 0 bytes definitely lost in
# every run.
#   scripts/valgrind.sh [BUILD_DIR] [SCENARIO...]
# Default build dir: build (built first if needed); default scenarios: a
# healthy and a broken one per engine plus a tarpit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build}
shift || true
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(pg_ok my_ok pg_wrong_password my_not_running pg_tarpit)
command -v valgrind >/dev/null || { echo "valgrind.sh: apt-get install valgrind" >&2; exit 2; }
[ -x "$build/dbloop" ] || scripts/build.sh "$build"
bin=$(readlink -f "$build/dbloop")

work=$(mktemp -d /tmp/dbloop-valgrind-XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
# The lab runs DBLOOP_BIN (in the scenario's namespace): make it valgrind.
cat >"$work/dbloop" <<WRAP
#!/bin/sh
exec valgrind --quiet --error-exitcode=99 --leak-check=full \\
	--show-leak-kinds=definite --errors-for-leak-kinds=definite \\
	--track-fds=no --log-file="$work/vg.%p.log" "$bin" "\$@"
WRAP
chmod 755 "$work/dbloop"

failed=0
check_logs() { # $1: what ran, $2: its exit status
	local errs=0 seen=0
	for log in "$work"/vg.*.log; do
		[ -e "$log" ] || continue
		seen=1
		if [ -s "$log" ]; then errs=1; cat "$log" >&2; fi
		rm -f "$log"
	done
	if [ $seen = 0 ]; then
		echo "valgrind: $1: FAILED: valgrind did not run"; failed=1
	elif [ "$2" = 99 ] || [ $errs = 1 ]; then
		echo "valgrind: $1: FAILED (exit $2)"; failed=1
	else
		echo "valgrind: $1: 0 errors, 0 definitely lost (exit $2)"
	fi
}

for s in "${scenarios[@]}"; do
	start=$(date +%s)
	set +e
	(cd tests && DBLOOP_BIN="$work/dbloop" /usr/bin/python3 -m lab run "$s" -t 20s -o "$work/$s.json" -f json) \
		>"$work/$s.out" 2>&1
	set -e
	status=$(sed -n 's/^exit status //p' "$work/$s.out" | tail -1)
	[ -n "$status" ] || { cat "$work/$s.out" >&2; echo "valgrind: $s: the lab did not run" >&2; failed=1; continue; }
	check_logs "diagnose $s ($(($(date +%s) - start))s)" "$status"
done

# the report reader and writers on a report written above
for s in "${scenarios[@]}"; do
	[ -s "$work/$s.json" ] || continue
	for fmt in text markdown json; do
		set +e
		"$work/dbloop" show -f "$fmt" "$work/$s.json" >/dev/null 2>&1
		st=$?
		set -e
		check_logs "show -f $fmt $s.json" "$st"
	done
	break
done
exit $failed
