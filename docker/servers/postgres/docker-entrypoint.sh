#!/bin/bash
# A small subset of the official postgres image's entrypoint: initialise
# $PGDATA once, run /docker-entrypoint-initdb.d/* against a temporary
# server that listens on the socket only, stop it, then exec the real
# server as PID 1 (the healthchecks rely on that to tell the two apart).
set -Eeuo pipefail

run_initdb_scripts() {
	local f
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
		*.sh) if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
		*.sql) psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc \
			--username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -f "$f" ;;
		*) ;;
		esac
	done
}

init_cluster() {
	: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
	initdb --username="$POSTGRES_USER" \
		--pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") >/dev/null
	printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
	export PGPASSWORD="$POSTGRES_PASSWORD"
	local opts=""
	[ $# -eq 0 ] || opts=$(printf '%q ' "$@")
	pg_ctl -D "$PGDATA" -w -o "$opts -c listen_addresses=''" start
	if [ "$POSTGRES_DB" != postgres ]; then
		psql -v ON_ERROR_STOP=1 --no-password --username "$POSTGRES_USER" \
			--dbname postgres -c "CREATE DATABASE \"$POSTGRES_DB\""
	fi
	run_initdb_scripts
	pg_ctl -D "$PGDATA" -m fast -w stop
	unset PGPASSWORD
}

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi
# Started as root (as the official image is): make the socket directory,
# often a fresh volume, usable, then continue as postgres.
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chown postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 700 "$PGDATA"
	chmod 3777 /var/run/postgresql
	exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
	export POSTGRES_USER="${POSTGRES_USER:-postgres}"
	export POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
	init_cluster "${@:2}"
fi
exec "$@"
