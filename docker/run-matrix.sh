#!/usr/bin/env bash
# Runs the compose matrix for real, offline, with podman and podman-compose:
# prepares a debian:bookworm base image if there is none (debootstrap from
# the machine's Debian mirror), builds the server images and dbloop's,
# brings the servers up, waits until each is healthy (in its variant's
# state), runs one dbloop service per variant, collects the JSON and JUnit
# reports, asserts them (check-reports.py), and removes every container,
# volume and the network it made, also on failure or Ctrl-C.
#
#   docker/run-matrix.sh                  every variant in expected.txt
#   docker/run-matrix.sh --subset ci      the CI subset
#   docker/run-matrix.sh --variant pg_ipv4_only [--variant ...]
# Options: --reports DIR (default: a new /tmp/dbloop-matrix.*/reports),
#          --keep (leave everything up for a look; clean up with --down),
#          --down (only remove what an earlier run left),
#          --no-build (use the images an earlier run built).
# Runs as root (rootful podman, debootstrap). Exit 0 when every variant's
# report matched, 1 otherwise, 2 on usage errors.
set -Eeuo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
project=dbloop_matrix
network=dbloop_matrix_lab     # compose.yaml: networks.lab.name
subnet=10.213.77.0/24         # compose.yaml: networks.lab.ipam
base_image=docker.io/library/debian:bookworm
pg_image=localhost/dbloop-matrix/postgres:15
my_image=localhost/dbloop-matrix/mariadb:10.11
dbloop_image=localhost/dbloop-matrix/dbloop:latest
limits=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
health_timeout=${DBLOOP_MATRIX_HEALTH_TIMEOUT:-300}
run_timeout=${DBLOOP_MATRIX_RUN_TIMEOUT:-300}

subset=all
variants=()
reports=""
keep=0
down_only=0
build=1
started=$SECONDS

usage() { sed -n '2,20s/^# \{0,1\}//p' "$0"; }
say() { printf 'run-matrix: %s\n' "$*"; }
die() { printf 'run-matrix: %s\n' "$1" >&2; exit "${2:-1}"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--subset) subset=${2:?--subset needs ci or all}; shift ;;
	--variant) variants+=("${2:?--variant needs a name}"); shift ;;
	--reports) reports=${2:?--reports needs a directory}; shift ;;
	--keep) keep=1 ;;
	--down) down_only=1 ;;
	--no-build) build=0 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
case "$subset" in ci | all) ;; *) die "--subset takes ci or all" 2 ;; esac
[ "$(id -u)" -eq 0 ] || die "run as root: rootful podman and debootstrap need it" 2

work=$(mktemp -d /tmp/dbloop-matrix.XXXXXX)
logs=$work/logs
reports=${reports:-$work/reports}
mkdir -p "$logs" "$reports"

# ---- the tools and podman's settings ----

ensure_tools() {
	local missing=() p
	for p in podman podman-compose debootstrap runc; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >"$logs/apt.log" 2>&1 ||
		die "apt-get install ${missing[*]} failed, see $logs/apt.log"
}

# Our own containers.conf (the machine's is left alone): lowered limits
# (else "error setting rlimit type 6/7") and runc (crun 1.8 refuses hosts
# with cgroups in hybrid mode).
podman_settings() {
	cat >"$work/containers.conf" <<-'CONF'
		[containers]
		default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
		[engine]
		runtime = "runc"
		events_logger = "file"
	CONF
	export CONTAINERS_CONF=$work/containers.conf
}

debian_mirror() {
	local uri
	uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$uri" ] || uri=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
	echo "${uri:-http://deb.debian.org/debian}"
}

ensure_base_image() {
	podman image exists "$base_image" && return 0
	local mirror root=$work/rootfs
	mirror=$(debian_mirror)
	say "no $base_image: debootstrap --variant=minbase bookworm from $mirror"
	debootstrap --variant=minbase bookworm "$root" "$mirror" >"$logs/debootstrap.log" 2>&1 ||
		die "debootstrap failed, see $logs/debootstrap.log"
	tar -C "$root" -c . | podman import - "$base_image" >"$logs/import.log" 2>&1 ||
		die "podman import failed, see $logs/import.log"
	rm -rf "$root"
}

build_images() {
	local t=$SECONDS pids=() names=(postgres mariadb dbloop) i failed=0
	podman build "${limits[@]}" -t "$pg_image" "$here/servers/postgres" >"$logs/build-postgres.log" 2>&1 &
	pids+=($!)
	podman build "${limits[@]}" -t "$my_image" "$here/servers/mariadb" >"$logs/build-mariadb.log" 2>&1 &
	pids+=($!)
	podman build "${limits[@]}" -t "$dbloop_image" -f "$here/Dockerfile" "$repo" >"$logs/build-dbloop.log" 2>&1 &
	pids+=($!)
	for i in 0 1 2; do
		if ! wait "${pids[$i]}"; then
			failed=1
			say "building the ${names[$i]} image failed:"
			tail -n 15 "$logs/build-${names[$i]}.log" | sed 's/^/    /'
		fi
	done
	[ $failed -eq 0 ] || exit 1
	say "images built in $((SECONDS - t)) s"
}

# ---- the matrix ----

# The interpreter podman-compose itself runs with (its module lives there).
compose_python() {
	local shebang
	shebang=$(head -n 1 "$(command -v podman-compose)")
	set -- ${shebang#\#!}
	[ "${1##*/}" != env ] || shift
	echo "${1:-python3}"
}

compose() {
	"$compose_python" "$here/podman-compose-shim.py" -p "$project" \
		-f "$here/compose.yaml" -f "$here/compose.offline.yaml" "$@"
}

container_of() { echo "${project}_$1_1"; }

# What `compose down -v` does, for every container, volume and the network
# of the project at once (down stops them one by one).
teardown() {
	local ids vols
	ids=$(podman ps -aq --filter "label=io.podman.compose.project=$project")
	[ -z "$ids" ] || podman rm -f -t 0 $ids >>"$logs/down.log" 2>&1 || true
	vols=$(podman volume ls -q --filter "label=io.podman.compose.project=$project")
	[ -z "$vols" ] || podman volume rm -f $vols >>"$logs/down.log" 2>&1 || true
	! podman network exists "$network" || podman network rm -f "$network" >>"$logs/down.log" 2>&1 || true
}

on_exit() {
	local status=$?
	trap - EXIT INT TERM
	if [ "$keep" -eq 1 ] && [ "$down_only" -eq 0 ]; then
		say "--keep: left running; remove with: $0 --down"
	else
		teardown
	fi
	exit "$status"
}

# Fills the arrays variants and servers from expected.txt.
select_variants() {
	local want=" ${variants[*]} " v sub srv
	variants=()
	servers=()
	while read -r v _ _ sub srv _; do
		case "$v" in '' | '#'*) continue ;; esac
		if [ "$want" != "  " ]; then
			[[ "$want" == *" $v "* ]] || continue
		elif [ "$subset" = ci ] && [ "$sub" != ci ]; then
			continue
		fi
		variants+=("$v")
		servers+=(${srv//,/ })
	done <"$here/expected.txt"
	[ ${#variants[@]} -gt 0 ] || die "no variant selected" 2
	mapfile -t servers < <(printf '%s\n' "${servers[@]}" | sort -u)
}

start_servers() {
	podman network exists "$network" ||
		podman network create --internal --subnet "$subnet" \
			--label "io.podman.compose.project=$project" "$network" >/dev/null
	compose up -d --no-build "${servers[@]}" >"$logs/up-servers.log" 2>&1 ||
		die "podman-compose up failed, see $logs/up-servers.log"
}

# healthy SERVICE: 0 when its healthcheck (config/server-state.sh) passes.
healthy() {
	podman healthcheck run "$(container_of "$1")" >/dev/null 2>&1
}

running() {
	[ "$(podman inspect -f '{{.State.Running}}' "$(container_of "$1")" 2>/dev/null)" = true ]
}

# Waits until every server with a healthcheck passes it; the ones that do
# not are listed in the array unhealthy.
wait_for_servers() {
	local t=$SECONDS pending=() s left
	unhealthy=()
	for s in "${servers[@]}"; do
		[[ "$s" == *_holder ]] || pending+=("$s")
	done
	while [ ${#pending[@]} -gt 0 ] && [ $((SECONDS - t)) -lt "$health_timeout" ]; do
		left=()
		for s in "${pending[@]}"; do
			if healthy "$s"; then
				say "  $s healthy after $((SECONDS - t)) s"
			elif running "$s"; then
				left+=("$s")
			else
				say "  $s exited"
				unhealthy+=("$s")
			fi
		done
		pending=("${left[@]}")
		[ ${#pending[@]} -eq 0 ] || sleep 1
	done
	unhealthy+=("${pending[@]}")
	for s in "${unhealthy[@]}"; do
		say "  $s not healthy: $(podman exec "$(container_of "$s")" \
			sh /etc/dbloop/server-state.sh "$s" 2>&1 | tail -n 1)"
		podman logs "$(container_of "$s")" >"$logs/$s.log" 2>&1 || true
	done
}

# Runs the dbloop service of every variant whose servers are healthy.
run_dbloop() {
	local v row_servers s ok services=() names=()
	for v in "${variants[@]}"; do
		row_servers=$(awk -v v="$v" '$1 == v { print $5 }' "$here/expected.txt")
		ok=1
		for s in ${row_servers//,/ }; do
			[[ " ${unhealthy[*]} " == *" $s "* ]] && ok=0
		done
		if [ $ok -eq 1 ]; then
			services+=("dbloop_$v")
			names+=("$(container_of "dbloop_$v")")
		else
			echo "server not healthy" >"$reports/$v.stderr"
		fi
	done
	[ ${#services[@]} -gt 0 ] || return 0
	compose up -d --no-build "${services[@]}" >"$logs/up-dbloop.log" 2>&1 || true
	timeout "$run_timeout" podman wait "${names[@]}" >"$logs/wait.log" 2>&1 ||
		say "podman wait: $(tail -n 1 "$logs/wait.log")"
	for v in "${names[@]}"; do
		podman logs "$v" >"$logs/$v.log" 2>&1 || true
	done
}

collect_reports() {
	local mount
	mount=$(podman volume inspect -f '{{.Mountpoint}}' "${project}_reports" 2>/dev/null) || return 0
	cp -a "$mount/." "$reports/"
}

main() {
	ensure_tools
	podman_settings
	compose_python=$(compose_python)
	if [ "$down_only" -eq 1 ]; then
		teardown
		say "removed what project $project had left"
		exit 0
	fi
	trap on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	teardown
	select_variants
	say "${#variants[@]} variants, servers: ${servers[*]}"
	if [ "$build" -eq 1 ]; then
		ensure_base_image
		build_images
	fi
	local t=$SECONDS status=0
	start_servers
	wait_for_servers
	run_dbloop
	collect_reports
	say "matrix ran in $((SECONDS - t)) s; reports in $reports, logs in $logs"
	local args=()
	for v in "${variants[@]}"; do args+=(--variant "$v"); done
	python3 "$here/check-reports.py" "${args[@]}" "$reports" || status=$?
	say "total $((SECONDS - started)) s"
	return "$status"
}

main
