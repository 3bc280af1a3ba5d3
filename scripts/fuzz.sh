#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default 30 s each, every target)
#   scripts/fuzz.sh 30                        CI's bounded slice
#   scripts/fuzz.sh 3600 mysql_wire           one target, longer, by hand
# Seeds come from tests/fuzz/corpus/<target>/ and every past crash in
# tests/fuzz/regressions/<target>/; the growing corpus lives in the build
# dir. A crash, leak, timeout or OOM exits non-zero and keeps the input in
# $BUILD/fuzz-crashes/<target>/ — copy it to tests/fuzz/regressions/<target>/
# once fixed. Env: DBLOOP_FUZZ_BUILD (default build-fuzz), CC (default clang).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
secs=${1:-30}
shift || true
case $secs in '' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a number, got '$secs'" >&2; exit 2 ;; esac
build=${DBLOOP_FUZZ_BUILD:-build-fuzz}
cc=${CC:-}
if [ -z "$cc" ]; then
	for c in clang clang-16 clang-15 clang-14; do
		if command -v "$c" >/dev/null; then cc=$c; break; fi
	done
fi
[ -n "$cc" ] || { echo "fuzz.sh: clang not found: apt-get install clang libclang-rt-dev" >&2; exit 2; }

CC=$cc cmake -S . -B "$build" -DDBLOOP_FUZZ=ON -DBUILD_TESTING=OFF \
	-DDBLOOP_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 2>&1 | grep -E 'error|warning: ' || true

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		t=${f##*/fuzz_}
		targets+=("${t%.c}")
	done
fi

summary=$build/fuzz-summary.txt
printf '%-16s %6s %12s %10s %s\n' target secs execs exec/s result | tee "$summary"
failed=0
for t in "${targets[@]}"; do
	exe=$build/tests/fuzz/fuzz_$t
	[ -x "$exe" ] || { echo "fuzz.sh: no target '$t' ($exe)" >&2; failed=1; continue; }
	work=$build/fuzz-corpus/$t
	crashes=$build/fuzz-crashes/$t
	scratch=$build/fuzz-tmp
	rm -rf "$scratch"
	mkdir -p "$work" "$crashes" "$scratch"
	seeds=()
	for d in "$root/tests/fuzz/corpus/$t" "$root/tests/fuzz/regressions/$t"; do
		[ -d "$d" ] && seeds+=("$d")
	done
	log=$build/fuzz-$t.log
	start=$(date +%s)
	set +e
	# -timeout: one input may not take more than 10 s (a hang is a finding);
	# -rss_limit_mb: a parser that believes a length field runs out here
	TMPDIR=$(readlink -f "$scratch") "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-malloc_limit_mb=512 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "$work" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	set -e
	ran=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		result="ok: no finding in ${ran}s"
	else
		failed=1
		result="FAILED (exit $rc): $(ls "$crashes" | head -3 | tr '\n' ' ')see $log"
		grep -m3 -E 'ERROR: |runtime error|SUMMARY' "$log" >&2 || true
	fi
	printf '%-16s %6s %12s %10s %s\n' "$t" "$ran" "${execs:-?}" "${rate:-?}" "$result" | tee -a "$summary"
done
exit $failed
