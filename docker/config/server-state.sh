#!/bin/sh
# server-state.sh VARIANT
# The healthcheck of every server in the compose matrix, run inside the
# server's container with the stock clients (psql, mariadb/mysql): exits 0
# once the real server (PID 1, not the entrypoint's temporary init server)
# is up AND in the state the variant is meant to show, so the dbloop
# service that depends on it diagnoses the intended fault and nothing else.
# Prints what did not match. The password is the matrix's test password.
variant=$1
pw=app-secret

case "$(cat /proc/1/comm)" in
postgres | mariadbd | mysqld) ;;
*) echo "$variant: initialisation not finished (PID 1 is $(cat /proc/1/comm))"; exit 1 ;;
esac

fail() { echo "$variant: $*"; exit 1; }

# pg HOST [CONNINFO...]: SELECT 1 as app; prints the client's output.
pg() {
	host=$1
	shift
	PGPASSWORD=$pw psql "host=$host port=5432 user=app dbname=appdb connect_timeout=3 $*" \
		-XAtqc 'SELECT 1' 2>&1
}
pg_ok() { out=$(pg "$@") && [ "$out" = 1 ] || fail "psql to $1 failed: $out"; }
# pg_refused HOST PATTERN [CONNINFO...]
pg_refused() {
	host=$1 pattern=$2
	shift 2
	out=$(pg "$host" "$@") && fail "psql to $host worked, expected '$pattern'"
	echo "$out" | grep -Eq "$pattern" || fail "psql to $host: '$out', expected '$pattern'"
}

client=$(command -v mariadb || command -v mysql)
# my TRANSPORT [OPTIONS...]: SELECT 1 as app over socket|127.0.0.1|::1.
my() {
	where=$1
	shift
	case "$where" in
	socket) set -- --protocol=socket --socket=/run/mysqld/mysqld.sock "$@" ;;
	*) set -- --protocol=tcp --host="$where" --port=3306 "$@" ;;
	esac
	MYSQL_PWD=$pw "$client" --no-defaults --connect-timeout=3 -uapp "$@" \
		-NBe 'SELECT 1' appdb 2>&1
}
my_ok() { out=$(my "$@") && [ "$out" = 1 ] || fail "client to $1 failed: $out"; }
# my_refused TRANSPORT PATTERN [OPTIONS...]
my_refused() {
	where=$1 pattern=$2
	shift 2
	out=$(my "$where" "$@") && fail "client to $where worked, expected '$pattern'"
	echo "$out" | grep -Eq "$pattern" || fail "client to $where: '$out', expected '$pattern'"
}

refused='Connection refused|Can.t connect'
case "$variant" in
pg_ok*)
	pg_ok /var/run/postgresql && pg_ok 127.0.0.1 && pg_ok ::1 ;;
pg_tcp_disabled)
	pg_ok /var/run/postgresql
	pg_refused 127.0.0.1 "$refused" && pg_refused ::1 "$refused" ;;
pg_ipv4_only)
	pg_ok /var/run/postgresql && pg_ok 127.0.0.1 && pg_refused ::1 "$refused" ;;
pg_hba_no_ipv6_entry)
	pg_ok /var/run/postgresql && pg_ok 127.0.0.1
	pg_refused ::1 'no pg_hba.conf entry for host "::1"' ;;
pg_ssl_required)
	pg_ok /var/run/postgresql && pg_ok 127.0.0.1 sslmode=require
	pg_refused 127.0.0.1 'no pg_hba.conf entry.*no encryption' sslmode=disable ;;
pg_too_many_connections)
	pg_refused /var/run/postgresql 'too many clients' ;;
my_ok*)
	my_ok socket && my_ok 127.0.0.1 && my_ok ::1 ;;
my_skip_networking)
	my_ok socket && my_refused 127.0.0.1 "$refused" && my_refused ::1 "$refused" ;;
my_bind_ipv4_only)
	my_ok socket && my_ok 127.0.0.1 && my_refused ::1 "$refused" ;;
my_user_localhost_only)
	my_ok socket && my_refused 127.0.0.1 '1130|is not allowed to connect' ;;
my_ssl_required)
	my_ok socket && my_ok 127.0.0.1 --ssl --skip-ssl-verify-server-cert
	my_refused 127.0.0.1 '1045|3159|insecure transport' --skip-ssl ;;
my_too_many_connections)
	my_refused socket '1040|Too many connections' ;;
*) fail "unknown variant" ;;
esac
