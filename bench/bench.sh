#!/bin/bash
# Benchmark of `dbloop diagnose` against the stock tools (issue 3).
#
# Starts its own throwaway PostgreSQL 15 and MariaDB 10.11 in a temporary
# directory on free loopback ports, then times with hyperfine, in one run:
#   dbloop  - `dbloop diagnose` of both engines, all four transports, real login
#   login   - psql -c 'select 1' and mariadb -e 'select 1' over the socket,
#             127.0.0.1 and ::1, one after the other
#   nologin - pg_isready and mysqladmin ping over the same three
# and prints medians and ratios, the peak RSS of dbloop, and the wall time
# of dbloop against a tarpit with --timeout 1s.
#
# usage: bench/bench.sh [path/to/dbloop]   (run as root: servers drop to
#        postgres/mysql). DBLOOP_CMD overrides the measured command line.
# Targets: dbloop <= 0.35 x login, <= 0.7 x nologin, RSS <= 12 MB, tarpit
# run <= 1.1 s.
set -euo pipefail

DBLOOP=${1:-${DBLOOP_BIN:-$(dirname "$0")/../build/dbloop}}
PGBIN=/usr/lib/postgresql/15/bin   # not /usr/bin/psql: a Perl wrapper (+40 ms)
RUNS=${RUNS:-20}
PW=benchpw

die() { echo "bench: $*" >&2; exit 1; }
command -v hyperfine >/dev/null || die "hyperfine not installed"
[ -x "$DBLOOP" ] || die "no dbloop binary at '$DBLOOP'"

TMP=$(mktemp -d /tmp/dbloop-bench.XXXXXX)
chmod 755 "$TMP"
cleanup() {
	[ -f "$TMP/pg/data/postmaster.pid" ] &&
		runuser -u postgres -- "$PGBIN/pg_ctl" -D "$TMP/pg/data" -m immediate stop >/dev/null 2>&1
	[ -f "$TMP/my/pid" ] && kill "$(cat "$TMP/my/pid")" 2>/dev/null
	[ -n "${TARPIT_PID:-}" ] && kill "$TARPIT_PID" 2>/dev/null
	sleep 0.5
	rm -rf "$TMP"
}
trap cleanup EXIT

free_ports() {
	python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET6); s.bind(('::1', 0)); socks.append(s)
print(' '.join(str(s.getsockname()[1]) for s in socks))
PY
}
read -r PGPORT MYPORT TPPORT <<<"$(free_ports 3)"

start_pg() {
	mkdir -p "$TMP/pg/sock"
	echo "$PW" >"$TMP/pg/pw"
	chown -R postgres:postgres "$TMP/pg"
	runuser -u postgres -- "$PGBIN/initdb" -D "$TMP/pg/data" -U postgres \
		--auth=scram-sha-256 --pwfile="$TMP/pg/pw" >/dev/null
	cat >>"$TMP/pg/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1,::1'
port = $PGPORT
unix_socket_directories = '$TMP/pg/sock'
CONF
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$TMP/pg/data" -l "$TMP/pg/log" -w start >/dev/null
	PGPASSWORD=$PW "$PGBIN/psql" -h "$TMP/pg/sock" -p "$PGPORT" -U postgres -qc \
		"CREATE ROLE app LOGIN PASSWORD '$PW'" -c "CREATE DATABASE appdb OWNER app" >/dev/null
}

start_my() {
	mkdir -p "$TMP/my/data" "$TMP/my/run"
	chown -R mysql:mysql "$TMP/my"
	mariadb-install-db --no-defaults --auth-root-authentication-method=normal \
		--datadir="$TMP/my/data" --user=mysql >/dev/null 2>&1
	mariadbd --no-defaults --user=mysql --datadir="$TMP/my/data" --port="$MYPORT" \
		--socket="$TMP/my/run/mysqld.sock" --bind-address='*' \
		--pid-file="$TMP/my/pid" --log-error="$TMP/my/err.log" &
	for _ in $(seq 100); do [ -S "$TMP/my/run/mysqld.sock" ] && break; sleep 0.1; done
	mariadb --no-defaults -S "$TMP/my/run/mysqld.sock" -uroot -e \
		"CREATE USER app@localhost IDENTIFIED BY '$PW'; CREATE USER app@'%' IDENTIFIED BY '$PW';
		 GRANT SELECT ON *.* TO app@localhost; GRANT SELECT ON *.* TO app@'%'"
}

start_pg
start_my
PGS=$TMP/pg/sock
MYS=$TMP/my/run/mysqld.sock
export BENCH_PW=$PW

DBLOOP_CMD=${DBLOOP_CMD:-"$DBLOOP diagnose -q --password-env BENCH_PW \
postgres://app@localhost:$PGPORT/appdb?host=$PGS \
mysql://app@localhost:$MYPORT/?socket=$MYS"}

LOGIN="PGPASSWORD=$PW $PGBIN/psql -X -h $PGS -p $PGPORT -U app -d appdb -qAtc 'select 1' >/dev/null &&
PGPASSWORD=$PW $PGBIN/psql -X -h 127.0.0.1 -p $PGPORT -U app -d appdb -qAtc 'select 1' >/dev/null &&
PGPASSWORD=$PW $PGBIN/psql -X -h ::1 -p $PGPORT -U app -d appdb -qAtc 'select 1' >/dev/null &&
mariadb --no-defaults -S $MYS -uapp -p$PW -e 'select 1' >/dev/null &&
mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P $MYPORT -uapp -p$PW -e 'select 1' >/dev/null &&
mariadb --no-defaults --protocol=TCP -h ::1 -P $MYPORT -uapp -p$PW -e 'select 1' >/dev/null"

# pg_isready without PGPASSWORD: with it set it does a full SCRAM login.
NOLOGIN="env -u PGPASSWORD $PGBIN/pg_isready -q -h $PGS -p $PGPORT -U app &&
env -u PGPASSWORD $PGBIN/pg_isready -q -h 127.0.0.1 -p $PGPORT -U app &&
env -u PGPASSWORD $PGBIN/pg_isready -q -h ::1 -p $PGPORT -U app &&
mysqladmin --no-defaults -S $MYS -uapp -p$PW ping >/dev/null &&
mysqladmin --no-defaults --protocol=TCP -h 127.0.0.1 -P $MYPORT -uapp -p$PW ping >/dev/null &&
mysqladmin --no-defaults --protocol=TCP -h ::1 -P $MYPORT -uapp -p$PW ping >/dev/null"

# dbloop's exit status is not the point here (a finding of severity
# warning on this host must not abort the run), so -i.
hyperfine -N -i --warmup 3 --runs "$RUNS" --export-json "$TMP/h.json" \
	-n dbloop "$DBLOOP_CMD" >/dev/null
hyperfine --warmup 3 --runs "$RUNS" --export-json "$TMP/h2.json" \
	-n login "$LOGIN" -n nologin "$NOLOGIN" >/dev/null

RSS_KB=$( (/usr/bin/time -f '%M' sh -c "$DBLOOP_CMD >/dev/null 2>&1") 2>&1 | tail -1)

# A tarpit: accepts on the socket, 127.0.0.1 and ::1, never says a word.
python3 - "$TPPORT" "$TMP/tarpit.sock" <<'PY' &
import socket, sys, select
port, path = int(sys.argv[1]), sys.argv[2]
ls = []
for fam, addr in ((socket.AF_INET, ('127.0.0.1', port)), (socket.AF_INET6, ('::1', port))):
    s = socket.socket(fam); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr); s.listen(128); ls.append(s)
u = socket.socket(socket.AF_UNIX); u.bind(path); u.listen(128); ls.append(u)
held = []
while True:
    r, _, _ = select.select(ls, [], [])
    for s in r:
        held.append(s.accept()[0])
PY
TARPIT_PID=$!
for _ in $(seq 50); do [ -S "$TMP/tarpit.sock" ] && break; sleep 0.1; done
T0=$(date +%s%N)
$DBLOOP diagnose -q --timeout 1s --password-env BENCH_PW \
	"postgres://app@localhost:$TPPORT/appdb?host=$TMP" \
	"mysql://app@localhost:$TPPORT/?socket=$TMP/tarpit.sock" >/dev/null 2>&1 || true
T1=$(date +%s%N)

python3 - "$TMP/h.json" "$TMP/h2.json" "$RSS_KB" "$(( (T1 - T0) / 1000000 ))" <<'PY'
import json, sys
med = {}
for f in sys.argv[1:3]:
    for r in json.load(open(f))['results']:
        med[r['command']] = r['median'] * 1000
rss, tarpit = int(sys.argv[3]), int(sys.argv[4])
d, a, b = med['dbloop'], med['login'], med['nologin']
print(f"{'command':<10}{'median ms':>11}{'dbloop ratio':>14}")
print(f"{'dbloop':<10}{d:>11.1f}{'':>14}")
print(f"{'login':<10}{a:>11.1f}{d / a:>13.2f}x  (target <= 0.35x)")
print(f"{'nologin':<10}{b:>11.1f}{d / b:>13.2f}x  (target <= 0.70x)")
print(f"dbloop peak RSS: {rss / 1024:.1f} MB (target <= 12 MB)")
print(f"tarpit with --timeout 1s: {tarpit} ms wall (target <= 1100 ms)")
PY
