#!/bin/sh
# hold-connections.sh postgres|mysql COUNT
# The *_too_many_connections variants: once the real server answers on
# 127.0.0.1 (the entrypoint's temporary server has no TCP), open COUNT
# sessions as app that sleep, so the server's connection slots are full
# when dbloop arrives. Runs in the server's network namespace.
engine=$1 count=$2
pw=app-secret
case "$engine" in
postgres)
	session() {
		PGPASSWORD=$pw psql "host=127.0.0.1 user=app dbname=appdb connect_timeout=3" \
			-XAtqc "SELECT ${1:-1}"
	}
	sleeper='pg_sleep(86400)' ;;
mysql)
	client=$(command -v mariadb || command -v mysql)
	session() {
		MYSQL_PWD=$pw "$client" --no-defaults --protocol=tcp -h127.0.0.1 -uapp \
			--connect-timeout=3 -NBe "SELECT ${1:-1}" appdb
	}
	sleeper='SLEEP(86400)' ;;
*) echo "usage: hold-connections.sh postgres|mysql COUNT" >&2; exit 2 ;;
esac

tries=0
until session >/dev/null 2>&1; do
	tries=$((tries + 1))
	[ "$tries" -lt 600 ] || { echo "server never answered on 127.0.0.1" >&2; exit 1; }
	sleep 0.2
done
i=0
while [ "$i" -lt "$count" ]; do
	session "$sleeper" >/dev/null &
	i=$((i + 1))
done
echo "holding $count sessions"
wait
