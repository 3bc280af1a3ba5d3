#!/bin/bash
# A small subset of the official mariadb image's entrypoint: initialise the
# datadir once, create the users and database through a temporary server
# that has no TCP (--skip-networking), run /docker-entrypoint-initdb.d/*,
# stop it, then exec the real server as PID 1 (the healthchecks rely on
# that to tell the two apart).
set -Eeuo pipefail
socket=/run/mysqld/mysqld.sock

sql() { mariadb --no-defaults --protocol=socket --socket="$socket" -uroot "$@"; }

wait_for_temp_server() {
	local i
	for i in $(seq 300); do
		sql -e 'SELECT 1' >/dev/null 2>&1 && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

create_accounts() {
	local root_host="${MYSQL_ROOT_HOST:-%}"
	{
		echo "SET @@SESSION.SQL_LOG_BIN=0;"
		# install-db's passwordless root@127.0.0.1, ::1 and @hostname go,
		# as in the official image.
		echo "DROP USER IF EXISTS root@'127.0.0.1', root@'::1';"
		echo "EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname, '\'');"
		echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$MYSQL_ROOT_PASSWORD';"
		if [ "$root_host" != localhost ]; then
			echo "CREATE USER 'root'@'$root_host' IDENTIFIED BY '$MYSQL_ROOT_PASSWORD';"
			echo "GRANT ALL ON *.* TO 'root'@'$root_host' WITH GRANT OPTION;"
		fi
		[ -z "$MYSQL_DATABASE" ] || echo "CREATE DATABASE \`$MYSQL_DATABASE\`;"
		if [ -n "$MYSQL_USER" ]; then
			echo "CREATE USER '$MYSQL_USER'@'%' IDENTIFIED BY '$MYSQL_PASSWORD';"
			[ -z "$MYSQL_DATABASE" ] ||
				echo "GRANT ALL ON \`$MYSQL_DATABASE\`.* TO '$MYSQL_USER'@'%';"
		fi
	} | sql
}

run_initdb_scripts() {
	local f
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
		*.sh) if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
		*.sql) sql --password="$MYSQL_ROOT_PASSWORD" ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} <"$f" ;;
		*) ;;
		esac
	done
}

init_datadir() {
	: "${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD (or MARIADB_ROOT_PASSWORD) must be set}"
	mariadb-install-db --datadir=/var/lib/mysql --skip-test-db \
		--auth-root-authentication-method=normal --skip-name-resolve >/dev/null
	"$@" --skip-networking --socket="$socket" &
	local pid=$!
	wait_for_temp_server "$pid" || { echo "temporary server did not start" >&2; exit 1; }
	create_accounts
	run_initdb_scripts
	mariadb-admin --no-defaults --socket="$socket" -uroot \
		--password="$MYSQL_ROOT_PASSWORD" shutdown
	wait "$pid"
}

if [ "${1:0:1}" = '-' ]; then
	set -- mariadbd "$@"
fi
if [ "$1" = mariadbd ] || [ "$1" = mysqld ]; then
	set -- mariadbd "${@:2}"
	# Started as root (as the official image is): make the socket
	# directory, often a fresh volume, usable, then continue as mysql.
	if [ "$(id -u)" = 0 ]; then
		mkdir -p /var/lib/mysql /run/mysqld
		chown mysql:mysql /var/lib/mysql /run/mysqld
		chmod 777 /run/mysqld
		exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
	fi
	for v in ROOT_PASSWORD ROOT_HOST USER PASSWORD DATABASE; do
		m="MARIADB_$v" y="MYSQL_$v"
		export "$y=${!y:-${!m:-}}"
	done
	[ -d /var/lib/mysql/mysql ] || init_datadir "$@"
fi
exec "$@"
