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
           procps docker-compose podman podman-compose debootstrap runc)

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
[ ${#missing[@]} -eq 0 ] && exit 0

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
