#!/bin/bash
# Benchmark of `dbloop diagnose` against the stock tools (issue 3).
#
# Starts its own throwaway PostgreSQL 15 and MariaDB 10.11 in a temporary
# directory on free loopback ports (both sockets in one directory, so one
# -S reaches both), checks that dbloop logs in on all 8 probes, then times
# with hyperfine, in one run (repeated ROUNDS times, so that the load of a
# shared machine falls on every command alike):
#   dbloop  - `dbloop diagnose` of both engines, all four transports, real login
#   login   - psql -c 'select 1' and mariadb -e 'select 1' over the socket,
#             127.0.0.1 and ::1, one after the other
#   nologin - pg_isready and mysqladmin ping over the same three
#   dbloop-connect - the same dbloop run stopped at --stage connect: start-up
#             and discovery, the part of dbloop no probe change can shrink
#   explain - `dbloop explain` of one message: the start-up of a command
#             that never connects (no client library is loaded)
#   true    - /bin/true: the cost of starting any program here (machines
#             of one kind differ by 2x in it), the floor under explain
#   dbloop-md5, dbloop-trust - the dbloop run with the PostgreSQL target's
#             role changed to one with an md5 secret (md5 lines in
#             pg_hba.conf: the same run without SCRAM-SHA-256's PBKDF2 and
#             extra round trip) and to one the server trusts (no password
#             exchange, so no look at the greeting either): what SCRAM
#             costs dbloop, as a figure, next to what no change to dbloop
#             can take away
# and prints medians and ratios, the peak RSS of dbloop (and of explain),
# the wall time of dbloop against a tarpit with --timeout 1s, and the load
# average.
#
# usage: bench/bench.sh [path/to/dbloop]   (run as root: servers drop to
#        postgres/mysql). DBLOOP_CMD overrides the measured command line.
#        BENCH_SERVE=1 starts the servers, prints how to reach them and
#        waits (Ctrl-C stops and removes them): for profiling by hand.
# Targets (issue 16): dbloop <= 0.4 x login, <= 0.7 x nologin, explain
# <= 2 ms, RSS <= 12 MB, tarpit run <= 1.1 s.
set -euo pipefail

DBLOOP=${1:-${DBLOOP_BIN:-$(dirname "$0")/../build/dbloop}}
PGBIN=/usr/lib/postgresql/15/bin   # not /usr/bin/psql: a Perl wrapper (+40 ms)
RUNS=${RUNS:-10}
ROUNDS=${ROUNDS:-6}
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

# Both servers put their socket in one directory, so that one -S reaches
# both (a postgres:// URL with host=DIR would probe the socket only).
SOCK=$TMP/sock
mkdir -p "$SOCK"
chmod 1777 "$SOCK"

start_pg() {
	mkdir -p "$TMP/pg"
	echo "$PW" >"$TMP/pg/pw"
	chown -R postgres:postgres "$TMP/pg"
	runuser -u postgres -- "$PGBIN/initdb" -D "$TMP/pg/data" -U postgres \
		--auth=scram-sha-256 --pwfile="$TMP/pg/pw" >/dev/null
	# appmd5 and apptrust (the SCRAM share, above) before initdb's lines
	local hba=$TMP/pg/data/pg_hba.conf
	{
		for m in trust md5; do
			echo "local all app$m $m"
			echo "host all app$m 127.0.0.1/32 $m"
			echo "host all app$m ::1/128 $m"
		done
		cat "$hba"
	} >"$hba.new" && mv "$hba.new" "$hba" && chown postgres:postgres "$hba"
	cat >>"$TMP/pg/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1,::1'
port = $PGPORT
unix_socket_directories = '$SOCK'
CONF
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$TMP/pg/data" -l "$TMP/pg/log" -w start >/dev/null
	PGPASSWORD=$PW "$PGBIN/psql" -h "$SOCK" -p "$PGPORT" -U postgres -qc \
		"CREATE ROLE app LOGIN PASSWORD '$PW'" -c "CREATE DATABASE appdb OWNER app" \
		-c "SET password_encryption = 'md5'" -c "CREATE ROLE appmd5 LOGIN PASSWORD '$PW'" \
		-c "CREATE ROLE apptrust LOGIN" >/dev/null
}

start_my() {
	mkdir -p "$TMP/my/data"
	chown -R mysql:mysql "$TMP/my"
	mariadb-install-db --no-defaults --auth-root-authentication-method=normal \
		--datadir="$TMP/my/data" --user=mysql >/dev/null 2>&1
	mariadbd --no-defaults --user=mysql --datadir="$TMP/my/data" --port="$MYPORT" \
		--socket="$SOCK/mysqld.sock" --bind-address='*' \
		--pid-file="$TMP/my/pid" --log-error="$TMP/my/err.log" &
	for _ in $(seq 100); do [ -S "$SOCK/mysqld.sock" ] && break; sleep 0.1; done
	mariadb --no-defaults -S "$SOCK/mysqld.sock" -uroot -e \
		"CREATE USER app@localhost IDENTIFIED BY '$PW'; CREATE USER app@'%' IDENTIFIED BY '$PW';
		 GRANT SELECT ON *.* TO app@localhost; GRANT SELECT ON *.* TO app@'%'"
}

start_pg
start_my
PGS=$SOCK
MYS=$SOCK/mysqld.sock
export BENCH_PW=$PW

if [ -n "${BENCH_SERVE:-}" ]; then
	echo "PGPORT=$PGPORT PGS=$PGS MYPORT=$MYPORT MYS=$MYS BENCH_PW=$PW TMP=$TMP"
	echo "servers up; Ctrl-C (or kill $$) stops them"
	sleep infinity &
	wait $! || true
	exit 0
fi

DBLOOP_CMD=${DBLOOP_CMD:-"$DBLOOP diagnose -q --password-env BENCH_PW -S $SOCK \
postgres://app@localhost:$PGPORT/appdb mysql://app@localhost:$MYPORT/"}
MD5_CMD=${DBLOOP_CMD/postgres:\/\/app@/postgres://appmd5@}
TRUST_CMD=${DBLOOP_CMD/postgres:\/\/app@/postgres://apptrust@}

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

# A run that does not reach the query stage everywhere measures nothing.
for cmd in "$DBLOOP_CMD" "$MD5_CMD" "$TRUST_CMD"; do
	$cmd -f json 2>/dev/null | python3 -c '
import json, sys
probes = [p for t in json.load(sys.stdin)["targets"] for p in t["probes"]]
bad = [p["transport"] + ": " + str(p["message"]) for p in probes if not p["ok"]]
if len(probes) != 8 or bad:
    sys.exit("bench: dbloop did not log in everywhere (%d probes): %s" % (len(probes), bad))
' || exit 1
done

EXPLAIN_CMD="$DBLOOP explain 'connection to server on socket \"/tmp/.s.PGSQL.5432\" failed: No such file or directory'"

# One hyperfine run times the seven commands; ROUNDS runs of it, under
# whatever else loads the machine, and the medians over the rounds count.
# dbloop's exit status is not the point here (a finding of severity
# warning on this host must not abort the run), so -i.
for round in $(seq "$ROUNDS"); do
	hyperfine -i --warmup 3 --runs "$RUNS" --export-json "$TMP/h$round.json" \
		-n dbloop "$DBLOOP_CMD" -n login "$LOGIN" -n nologin "$NOLOGIN" \
		-n dbloop-connect "$DBLOOP_CMD --stage connect" \
		-n dbloop-md5 "$MD5_CMD" -n dbloop-trust "$TRUST_CMD" \
		-n explain "$EXPLAIN_CMD" -n true /bin/true >/dev/null
done

# Peak RSS (getrusage of the child, via GNU time), median of 5 runs.
RSS_KB=$(for _ in 1 2 3 4 5; do
	/usr/bin/time -f '%M' -o /dev/stdout $DBLOOP_CMD 2>/dev/null | tail -1
done | sort -n | sed -n 3p)
EXPLAIN_RSS_KB=$(for _ in 1 2 3 4 5; do
	/usr/bin/time -f '%M' -o /dev/stdout $DBLOOP explain 'Connection refused' 2>/dev/null | tail -1
done | sort -n | sed -n 3p)

# A tarpit: accepts on both engines' sockets, 127.0.0.1 and ::1, never
# says a word.
TPDIR=$TMP/tarpit
mkdir -p "$TPDIR"
python3 - "$TPPORT" "$TPDIR" <<'PY' &
import socket, sys, select
port, tpdir = int(sys.argv[1]), sys.argv[2]
ls = []
for fam, addr in ((socket.AF_INET, ('127.0.0.1', port)), (socket.AF_INET6, ('::1', port))):
    s = socket.socket(fam); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr); s.listen(128); ls.append(s)
for name in ('.s.PGSQL.%d' % port, 'mysqld.sock'):
    u = socket.socket(socket.AF_UNIX); u.bind(tpdir + '/' + name); u.listen(128)
    ls.append(u)
held = []
while True:
    r, _, _ = select.select(ls, [], [])
    for s in r:
        held.append(s.accept()[0])
PY
TARPIT_PID=$!
for _ in $(seq 50); do [ -S "$TPDIR/mysqld.sock" ] && break; sleep 0.1; done
# Wall time against the tarpit, median of 3 runs.
TARPIT_MS=$(for _ in 1 2 3; do
	T0=$(date +%s%N)
	$DBLOOP diagnose -q --timeout 1s --password-env BENCH_PW -S "$TPDIR" \
		"postgres://app@localhost:$TPPORT/appdb" \
		"mysql://app@localhost:$TPPORT/" >/dev/null 2>&1 || true
	echo $((($(date +%s%N) - T0) / 1000000))
done | sort -n | sed -n 2p)

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
python3 - "$RSS_KB" "$TARPIT_MS" "$EXPLAIN_RSS_KB" "$TMP"/h[0-9]*.json <<'PY'
import json, statistics, sys
rss, tarpit, explain_rss = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rounds = []
for f in sys.argv[4:]:
    rounds.append({r['command']: r['median'] * 1000 for r in json.load(open(f))['results']})
med = lambda k: statistics.median(r[k] for r in rounds)
ratio = lambda k: statistics.median(r['dbloop'] / r[k] for r in rounds)
ratio_of = lambda a, b: statistics.median(r[a] / r[b] for r in rounds)
print(f"{len(rounds)} rounds; per command the median over rounds of each round's median")
print(f"{'command':<10}{'median ms':>11}{'dbloop ratio':>14}   per round")
print(f"{'dbloop':<10}{med('dbloop'):>11.1f}{'':>14}   " +
      ' '.join(f"{r['dbloop']:.1f}" for r in rounds))
for k, target in (('login', 0.40), ('nologin', 0.70)):
    print(f"{k:<10}{med(k):>11.1f}{ratio(k):>13.2f}x   " +
          ' '.join(f"{r['dbloop'] / r[k]:.2f}x" for r in rounds) +
          f"  (target <= {target:.2f}x)")
print(f"{'dbloop-connect':<10}{med('dbloop-connect'):>11.1f}   (--stage connect: start-up and "
      "discovery, the floor under dbloop)")
for k, what in (('dbloop-md5', 'PostgreSQL role with an md5 secret: no SCRAM'),
                ('dbloop-trust', 'PostgreSQL role trusted: no password, no greeting look')):
    if all(k in r for r in rounds):
        share = statistics.median(r['dbloop'] - r[k] for r in rounds)
        print(f"{k:<10}{med(k):>11.1f}{ratio_of(k, 'nologin'):>13.2f}x   ({what}; "
              f"dbloop - this = {share:.1f} ms; x = this / nologin)")
print(f"{'explain':<10}{med('explain'):>11.1f}   (start-up of a command that does not connect; "
      "target <= 2 ms)")
print(f"{'true':<10}{med('true'):>11.1f}   (/bin/true: what starting any program costs on this "
      "machine; explain - this = " + f"{statistics.median(r['explain'] - r['true'] for r in rounds):.1f} ms)")
print(f"dbloop peak RSS: {rss / 1024:.1f} MB, explain {explain_rss / 1024:.1f} MB, "
      "median of 5 (target <= 12 MB)")
print(f"tarpit with --timeout 1s: {tarpit} ms wall, median of 3 (target <= 1100 ms)")
PY
