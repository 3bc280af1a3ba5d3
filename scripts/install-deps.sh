#!/usr/bin/env bash
# Installs what dbloop needs from Debian's packages, and only what is missing.
#   scripts/install-deps.sh build   compiler, cmake, the client libraries (no tests)
#   scripts/install-deps.sh test    the above plus the servers and test tools
# Servers are installed without starting their system services: the tests
# start their own throwaway instances and must never meet a system server.
set -euo pipefail
profile=${1:-build}

build_pkgs=(build-essential cmake pkg-config libpq-dev libmariadb-dev
            libcjson-dev)
test_pkgs=(libcmocka-dev postgresql-15 mariadb-server mariadb-client python3
           python3-jsonschema libxml2-utils clang libclang-rt-14-dev
           clang-format iproute2 util-linux openssl valgrind hyperfine
           procps docker-compose podman podman-compose debootstrap runc
           # the real drivers of tests/integration/test_clients.py
           php-cli php-mysql php-pgsql python3-pymysql python3-mysqldb
           python3-psycopg2 libmariadb-java libpostgresql-jdbc-java
           default-jdk-headless golang-go ruby ruby-mysql2 ruby-pg
           golang-github-go-sql-driver-mysql-dev golang-github-lib-pq-dev
           golang-github-jackc-pgx-v4-dev nodejs)

case "$profile" in
build) want=("${build_pkgs[@]}") ;;
test) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
*) echo "install-deps: unknown profile '$profile' (build|test)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
# node-mysql2 and node-pg from the npm registry, pinned by the lock file
node_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/clients/node"
install_node_drivers() {
	[ "$profile" = test ] || return 0
	[ -d "$node_dir/node_modules/mysql2" ] && [ -d "$node_dir/node_modules/pg" ] && return 0
	# Debian's npm only where no npm came with the machine's Node.js (a
	# NodeSource nodejs ships its own, and Debian's npm would conflict).
	if ! command -v npm >/dev/null; then
		local sudo_=""
		[ "$(id -u)" -eq 0 ] || sudo_=sudo
		DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y --no-install-recommends npm >&2
	fi
	(cd "$node_dir" && npm ci --no-audit --no-fund >&2)
}
if [ ${#missing[@]} -eq 0 ]; then
	install_node_drivers
	exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "install-deps: installing ${missing[*]}" >&2
# policy-rc.d 101 keeps the packages' postinst from starting system servers.
policy=/usr/sbin/policy-rc.d
had_policy=0
[ -e "$policy" ] && had_policy=1
if [ $had_policy -eq 0 ]; then
	printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
	$sudo chmod 755 "$policy"
	trap '$sudo rm -f "$policy"' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
# An old package list fails the install; refresh it once when needed.
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
	$sudo apt-get update
	$sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
install_node_drivers
