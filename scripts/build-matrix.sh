#!/usr/bin/env bash
# The CI build matrix: gcc and clang x Debug, RelWithDebInfo, Release and
# a packager's build (no build type, CFLAGS "-O3 -D_FORTIFY_SOURCE=3"), and
# each engine switched off once. Warnings are errors in every cell. Only
# the program is built (dbloop_core + dbloop, no tests): a cell checks that
# the configuration compiles and links, and runs --version.
#   scripts/build-matrix.sh [CELL...]       (default: every cell)
# A cell is CC:NAME; BUILD dirs are build-matrix/<CC>-<NAME>.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${DBLOOP_MATRIX_DIR:-build-matrix}
mkdir -p "$base"

cell_args() { # NAME -> cmake arguments
	case $1 in
	debug) echo "-DCMAKE_BUILD_TYPE=Debug" ;;
	relwithdebinfo) echo "-DCMAKE_BUILD_TYPE=RelWithDebInfo" ;;
	release) echo "-DCMAKE_BUILD_TYPE=Release" ;;
	o3-fortify3) echo "-DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS=-O3;-D_FORTIFY_SOURCE=3" ;;
	no-libpq) echo "-DCMAKE_BUILD_TYPE=Release -DDBLOOP_WITH_LIBPQ=OFF" ;;
	no-mariadb) echo "-DCMAKE_BUILD_TYPE=Release -DDBLOOP_WITH_MARIADB=OFF" ;;
	*) return 1 ;;
	esac
}

cells=("$@")
if [ ${#cells[@]} -eq 0 ]; then
	for cc in gcc clang; do
		for n in debug relwithdebinfo release o3-fortify3; do
			# gcc RelWithDebInfo is scripts/test.sh's own build/ (with -Werror)
			[ "$cc:$n" = gcc:relwithdebinfo ] && [ -z "${DBLOOP_MATRIX_ALL:-}" ] && continue
			cells+=("$cc:$n")
		done
	done
	cells+=(gcc:no-libpq clang:no-mariadb)
fi

failed=0
printf '%-26s %5s %s\n' cell secs result
for c in "${cells[@]}"; do
	cc=${c%%:*} name=${c#*:}
	args=$(cell_args "$name") || { echo "build-matrix: unknown cell '$c'" >&2; exit 2; }
	dir=$base/$cc-$name
	log=$dir.log
	start=$(date +%s)
	result=ok
	# CFLAGS with a space travel as one -D argument: split on ';' ourselves
	IFS=' ' read -r -a argv <<<"$args"
	for i in "${!argv[@]}"; do argv[$i]=${argv[$i]//;/ }; done
	if ! CC=$cc cmake -S . -B "$dir" -DBUILD_TESTING=OFF -DDBLOOP_WERROR=ON \
		"${argv[@]}" >"$log" 2>&1; then
		result="FAILED (configure), see $log"
	elif ! cmake --build "$dir" -j"$(nproc)" --target dbloop >>"$log" 2>&1; then
		result="FAILED (build), see $log"
		grep -m5 -E 'error|warning:' "$log" >&2 || true
	elif ! "$dir/dbloop" --version >>"$log" 2>&1; then
		result="FAILED (--version), see $log"
	else
		result="ok: $(sed -n 's/^build: //p' "$log" | cut -d, -f1-2)"
	fi
	[ "${result%%:*}" = ok ] || failed=1
	printf '%-26s %5s %s\n' "$c" "$(($(date +%s) - start))" "$result"
done
exit $failed
