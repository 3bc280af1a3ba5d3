#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and fuzzes them.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     every target (or those named), SECONDS each
#   scripts/fuzz.sh 3600                      the long run, by hand
#   scripts/fuzz.sh --rotate 3 180            CI: 3 targets chosen from the commit hash
#   scripts/fuzz.sh --update 600 pghba        also copy new coverage into tests/fuzz/corpus/
#   scripts/fuzz.sh --minimize                rewrite each committed corpus as its -merge=1 set
# Targets run in parallel, DBLOOP_FUZZ_JOBS at a time (default: nproc).
# Seeds come from tests/fuzz/corpus/<target>/ and every past crash in
# tests/fuzz/regressions/<target>/; the growing corpus lives in the build
# dir. After each run the inputs that raise coverage over the committed
# corpus (libFuzzer -merge=1) are kept in $BUILD/fuzz-new/<target>/:
# commit them to tests/fuzz/corpus/<target>/ (--update does the copy).
# A crash, leak, timeout (-timeout=5: one input over 5 s is a finding, an
# endless parse included) or OOM exits non-zero and keeps the input in
# $BUILD/fuzz-crashes/<target>/ — add it to tests/fuzz/regressions/<target>/
# once fixed. The summary ($BUILD/fuzz-summary.txt) gives per target the
# executions and the coverage (libFuzzer's cov: edges, ft: features) the
# committed corpus reached and the run reached.
# Env: DBLOOP_FUZZ_BUILD (default build-fuzz), CC (default clang).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
rotate=0 update=0 minimize=0
while [ $# -gt 0 ]; do
	case $1 in
	--rotate) rotate=${2:-}; shift 2 ;;
	--update) update=1; shift ;;
	--minimize) minimize=1; shift ;;
	*) break ;;
	esac
done
secs=${1:-30}
shift || true
case $secs in '' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a number, got '$secs'" >&2; exit 2 ;; esac
case $rotate in '' | *[!0-9]*) echo "fuzz.sh: --rotate needs a number, got '$rotate'" >&2; exit 2 ;; esac
build=${DBLOOP_FUZZ_BUILD:-build-fuzz}
jobs=${DBLOOP_FUZZ_JOBS:-$(nproc)}
cc=${CC:-}
if [ -z "$cc" ]; then
	for c in clang clang-16 clang-15 clang-14; do
		if command -v "$c" >/dev/null; then cc=$c; break; fi
	done
fi
[ -n "$cc" ] || { echo "fuzz.sh: clang not found: apt-get install clang libclang-rt-dev" >&2; exit 2; }

CC=$cc cmake -S . -B "$build" -DDBLOOP_FUZZ=ON -DBUILD_TESTING=OFF \
	-DDBLOOP_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" 2>&1 | grep -E 'error|warning: ' || true

all=()
for f in tests/fuzz/fuzz_*.c; do
	t=${f##*/fuzz_}
	all+=("${t%.c}")
done
targets=("$@")
if [ ${#targets[@]} -eq 0 ] && [ "$rotate" -gt 0 ]; then
	# A different slice each commit: start at the commit hash modulo the
	# number of targets, take the next ones round the list.
	hash=$(git rev-parse --short=8 HEAD 2>/dev/null || echo 0)
	start=$((16#$hash % ${#all[@]}))
	for ((i = 0; i < rotate && i < ${#all[@]}; i++)); do
		targets+=("${all[$(((start + i) % ${#all[@]}))]}")
	done
	echo "fuzz.sh: commit $hash fuzzes ${targets[*]} (${secs}s each, $jobs at a time)"
fi
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

# Copies dir's files into out named by libFuzzer's sha1 of their content
# being kept: a minimized set keeps the names the seeds were committed with.
keep_named() { # SRC_DIR MERGED_DIR OUT_DIR
	local f sum
	declare -A byhash=()
	for f in "$1"/*; do
		[ -f "$f" ] || continue
		sum=$(sha1sum <"$f" | cut -c1-40)
		byhash[$sum]=${f##*/}
	done
	mkdir -p "$3"
	for f in "$2"/*; do
		[ -f "$f" ] || continue
		sum=${f##*/}
		cp "$f" "$3/${byhash[$sum]:-$sum}"
	done
}

if [ $minimize -eq 1 ]; then
	for t in "${targets[@]}"; do
		exe=$build/tests/fuzz/fuzz_$t dir=$root/tests/fuzz/corpus/$t
		[ -d "$dir" ] || continue
		tmp=$(mktemp -d)
		mkdir -p "$tmp/merged" "$tmp/scratch"
		TMPDIR=$tmp/scratch "$exe" -merge=1 -timeout=5 "$tmp/merged" "$dir" \
			>"$build/fuzz-minimize-$t.log" 2>&1 ||
			{ echo "fuzz.sh: minimizing $t failed, see $build/fuzz-minimize-$t.log" >&2; exit 1; }
		before=$(ls "$dir" | wc -l)
		keep_named "$dir" "$tmp/merged" "$tmp/out"
		rm -rf "$dir" && mv "$tmp/out" "$dir"
		printf '%-12s %4d -> %4d files\n' "$t" "$before" "$(ls "$dir" | wc -l)"
		rm -rf "$tmp"
	done
	exit 0
fi

# The last "cov: N ft: M" of a libFuzzer log line with WHAT (INITED, DONE).
cov_of() { sed -n "s/^#[0-9]*[[:space:]]*$2 .*cov: \([0-9]*\) ft: \([0-9]*\).*/\1\/\2/p" "$1" | tail -1; }

run_one() { # TARGET -> writes $build/fuzz-$t.row
	local t=$1 exe=$build/tests/fuzz/fuzz_$1
	local work=$build/fuzz-corpus/$t crashes=$build/fuzz-crashes/$t
	local scratch=$build/fuzz-tmp/$t new=$build/fuzz-new/$t log=$build/fuzz-$t.log
	rm -rf "$scratch" "$new"
	mkdir -p "$work" "$crashes" "$scratch"
	local seeds=() d
	for d in "$root/tests/fuzz/corpus/$t" "$root/tests/fuzz/regressions/$t"; do
		[ -d "$d" ] && seeds+=("$d")
	done
	local start rc ran execs rate result
	start=$(date +%s)
	set +e
	# -timeout=5: an input taking 5 s is a finding (an endless parse too);
	# -rss_limit_mb: a parser that believes a length field runs out here
	TMPDIR=$(readlink -f "$scratch") "$exe" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 \
		-malloc_limit_mb=512 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "$work" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	set -e
	ran=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	local cov0 cov1 added=0
	cov0=$(cov_of "$log" INITED)
	cov1=$(cov_of "$log" DONE)
	if [ $rc -eq 0 ]; then
		result="ok"
		# What the run found beyond the committed corpus: -merge=1 into a
		# copy of it adds only the work inputs with features it lacks.
		local min=$scratch/min committed=$root/tests/fuzz/corpus/$t
		mkdir -p "$min"
		[ -d "$committed" ] && cp "$committed"/* "$min"/ 2>/dev/null || true
		ls "$min" >"$scratch/known"
		if TMPDIR=$(readlink -f "$scratch") "$exe" -merge=1 -timeout=5 "$min" "$work" \
			>"$build/fuzz-merge-$t.log" 2>&1; then
			mkdir -p "$new"
			for f in "$min"/*; do
				[ -f "$f" ] || continue
				grep -qxF "${f##*/}" "$scratch/known" || { cp "$f" "$new/"; added=$((added + 1)); }
			done
			# --update adds; only --minimize drops committed seeds (the
			# named real captures stay unless asked)
			if [ $update -eq 1 ] && [ $added -gt 0 ]; then
				mkdir -p "$committed"
				cp "$new"/* "$committed"/
			fi
		fi
	else
		result="FAILED (exit $rc): $(ls "$crashes" | head -3 | tr '\n' ' ')see $log"
		grep -m3 -E 'ERROR: |runtime error|SUMMARY' "$log" >&2 || true
	fi
	printf '%-12s %5s %10s %7s %9s %9s %4s %s\n' "$t" "$ran" "${execs:-?}" "${rate:-?}" \
		"${cov0:-?}" "${cov1:-?}" "$added" "$result" >"$build/fuzz-$t.row"
	[ $rc -eq 0 ]
}

if [ "$rotate" -gt 0 ]; then
	# Every target replays its seeds and past crashes each run, fuzzed or not.
	for t in "${all[@]}"; do
		dirs=()
		for d in "$root/tests/fuzz/corpus/$t" "$root/tests/fuzz/regressions/$t"; do
			[ -d "$d" ] && dirs+=("$d")
		done
		[ ${#dirs[@]} -gt 0 ] || continue
		scratch=$build/fuzz-tmp/replay-$t
		mkdir -p "$scratch"
		TMPDIR=$(readlink -f "$scratch") "$build/tests/fuzz/fuzz_$t" -runs=0 -timeout=5 "${dirs[@]}" \
			>"$build/fuzz-replay-$t.log" 2>&1 ||
			{ echo "fuzz.sh: replaying the corpus of $t failed, see $build/fuzz-replay-$t.log" >&2; exit 1; }
	done
	echo "fuzz.sh: every target replayed its corpus and regressions"
fi

summary=$build/fuzz-summary.txt
printf '%-12s %5s %10s %7s %9s %9s %4s %s\n' target secs execs exec/s 'cov/ft@0' 'cov/ft' new result | tee "$summary"
failed=0
pids=() names=()
for t in "${targets[@]}"; do
	if [ ! -x "$build/tests/fuzz/fuzz_$t" ]; then
		echo "fuzz.sh: no target '$t' ($build/tests/fuzz/fuzz_$t)" >&2
		failed=1
		continue
	fi
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
	rm -f "$build/fuzz-$t.row"
	run_one "$t" &
	pids+=($!) names+=("$t")
done
for i in "${!pids[@]}"; do
	wait "${pids[$i]}" || failed=1
	cat "$build/fuzz-${names[$i]}.row" 2>/dev/null | tee -a "$summary" ||
		{ echo "${names[$i]}: no result" | tee -a "$summary"; failed=1; }
done
new=0
for t in "${targets[@]}"; do
	new=$((new + $(find "$build/fuzz-new/$t" -type f 2>/dev/null | wc -l)))
done
if [ "$new" -gt 0 ] && [ $update -eq 0 ]; then
	echo "fuzz.sh: $new inputs raise coverage over the committed corpora: $build/fuzz-new/<target>/ (commit them, or rerun with --update)"
fi
exit $failed
