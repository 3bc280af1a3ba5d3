/* Probe classes and the bold finding of every scenario of
 * spec/scenarios.md, from probe results built the way the real PostgreSQL
 * 15 and MariaDB 10.11 servers leave them (the codes and texts that file
 * quotes). One row per scenario: add a row to add a case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "probe_builder.h"

#define PG DBL_ENGINE_POSTGRES
#define MY DBL_ENGINE_MYSQL
#define C(x) DBL_CLASS_##x

struct scenario {
	const char *name;
	enum dbl_engine engine;
	int port; /* the port the client is told */
	const char *user;
	struct pspec probes[6];
	enum dbl_class want[4]; /* unix, tcp4, tcp6, localhost */
	enum dbl_class finding; /* the bold one */
	const char *fix_names;	/* the setting the fix must name */
	void (*facts)(struct dbl_facts *f);
};

/* ---- discovery facts some rows need ----------------------------------- */

static void hba_v4_only(struct dbl_facts *f)
{
	f->pg.hba_file = dbl_strdup("/etc/postgresql/15/main/pg_hba.conf");
	pb_hba(f, 1, "local", "all", "all", NULL, "scram-sha-256");
	pb_hba(f, 2, "host", "all", "all", "127.0.0.1/32", "scram-sha-256");
}

static void hba_peer(struct dbl_facts *f)
{
	f->pg.hba_file = dbl_strdup("/etc/postgresql/15/main/pg_hba.conf");
	pb_hba(f, 1, "local", "all", "all", NULL, "peer");
	pb_hba(f, 2, "host", "all", "all", "127.0.0.1/32", "scram-sha-256");
	pb_hba(f, 3, "host", "all", "all", "::1/128", "scram-sha-256");
}

static void hba_hostssl(struct dbl_facts *f)
{
	f->pg.hba_file = dbl_strdup("/etc/postgresql/15/main/pg_hba.conf");
	pb_hba(f, 1, "local", "all", "all", NULL, "scram-sha-256");
	pb_hba(f, 2, "hostssl", "all", "all", "127.0.0.1/32", "scram-sha-256");
	pb_hba(f, 3, "hostssl", "all", "all", "::1/128", "scram-sha-256");
}

static void pg_conf(struct dbl_facts *f)
{
	f->pg.conf_file = dbl_strdup("/etc/postgresql/15/main/postgresql.conf");
	f->pg.listen_addresses.value = dbl_strdup("");
	f->pg.listen_addresses.source =
		dbl_strdup("/etc/postgresql/15/main/postgresql.conf line 60");
}

static void pg_listener_15446(struct dbl_facts *f)
{
	pb_listener(f, AF_INET, "127.0.0.1", 15446, NULL, PG);
	pb_listener(f, AF_UNIX, NULL, 0, "/tmp/dbl/.s.PGSQL.15446", PG);
}

static void localhost_v6(struct dbl_facts *f)
{
	dbl_strlist_push(&f->host.localhost_addrs, "::1");
	f->host.ipv6_loopback = true;
}

static void v6_ok(struct dbl_facts *f)
{
	f->host.ipv6_loopback = true;
}

/* ---- the rows ---------------------------------------------------------- */

#define PG_VER "15.18 (Debian 15.18-0+deb12u1)"
#define MY_VER "10.11.6-MariaDB-0+deb12u1"
#define OKP(t, ver)                                                            \
	{                                                                      \
		.transport = (t), .ok = true, .version = (ver)                 \
	}
#define REFUSED(t)                                                             \
	{                                                                      \
		.transport = (t), .err = ECONNREFUSED                          \
	}
#define PG_REF(t, port)                                                        \
	{                                                                      \
		.transport = (t), .err = ECONNREFUSED,                         \
		.message =                                                     \
			"connection to server at \"127.0.0.1\", port " #port   \
			" failed: Connection refused"                          \
	}
#define MY_REF(t)                                                              \
	{                                                                      \
		.transport = (t), .client_error = 2002,                        \
		.message = "Can't connect to server on '127.0.0.1' (115)"      \
	}
#define ALL4(st, ...)                                                          \
	{.transport = P_UNIX, .state = st, __VA_ARGS__},                       \
		{.transport = P_TCP4, .state = st, __VA_ARGS__},               \
		{.transport = P_TCP6, .state = st, __VA_ARGS__},               \
	{                                                                      \
		.transport = P_LH, .state = st, __VA_ARGS__                    \
	}
#define MY4(code, st, msg)                                                     \
	{.transport = P_UNIX,                                                  \
	 .server_error = code,                                                 \
	 .state = st,                                                          \
	 .message = msg},                                                      \
		MY_TCP(code, st, msg)
/* TCP refused on every address; the localhost probe tried 127.0.0.1. */
#define LH_REF(port)                                                           \
	{                                                                      \
		.transport = P_LH, .err = ECONNREFUSED,                        \
		.attempts = "127.0.0.1:" #port "=111"                          \
	}
#define PG_TCP_REF(port) PG_REF(P_TCP4, port), REFUSED(P_TCP6), LH_REF(port)
#define MY_TCP_REF MY_REF(P_TCP4), MY_REF(P_TCP6), MY_REF(P_LH)
#define OK_TCP OKP(P_TCP4, NULL), OKP(P_TCP6, NULL), OKP(P_LH, NULL)
/* The same server error on the three TCP probes. */
#define MY_TCP(code, st, msg)                                                  \
	{.transport = P_TCP4,                                                  \
	 .server_error = code,                                                 \
	 .state = st,                                                          \
	 .message = msg},                                                      \
		{.transport = P_TCP6,                                          \
		 .server_error = code,                                         \
		 .state = st,                                                  \
		 .message = msg},                                              \
	{                                                                      \
		.transport = P_LH, .server_error = code, .state = st,          \
		.message = msg                                                 \
	}
/* The first transport's class, connection_refused on the others. */
#define TCP_REFUSED(c)                                                         \
	{                                                                      \
		C(c), C(CONNECTION_REFUSED), C(CONNECTION_REFUSED),            \
			C(CONNECTION_REFUSED)                                  \
	}
#define SAME4(c)                                                               \
	{                                                                      \
		C(c), C(c), C(c), C(c)                                         \
	}

static const struct scenario scenarios[] = {
	{"pg_ok",
	 PG,
	 15432,
	 "app",
	 {OKP(P_UNIX, PG_VER), OKP(P_TCP4, PG_VER), OKP(P_TCP6, PG_VER),
	  OKP(P_LH, PG_VER), END},
	 SAME4(OK),
	 C(OK),
	 NULL,
	 NULL},
	{"pg_not_running",
	 PG,
	 15433,
	 "app",
	 {{.transport = P_UNIX, .err = ENOENT}, PG_TCP_REF(15433), END},
	 TCP_REFUSED(SOCKET_MISSING),
	 C(SERVER_NOT_RUNNING),
	 "start",
	 NULL},
	{"pg_tcp_disabled",
	 PG,
	 15434,
	 "app",
	 {{.transport = P_UNIX, .ok = true, .settings = "listen_addresses="},
	  PG_TCP_REF(15434),
	  END},
	 TCP_REFUSED(OK),
	 C(TCP_DISABLED),
	 "listen_addresses",
	 pg_conf},
	{"pg_ipv4_only",
	 PG,
	 15435,
	 "app",
	 {OKP(P_UNIX, PG_VER), OKP(P_TCP4, PG_VER), REFUSED(P_TCP6),
	  OKP(P_LH, PG_VER), END},
	 {C(OK), C(OK), C(CONNECTION_REFUSED), C(OK)},
	 C(IPV6_NOT_LISTENING),
	 "listen_addresses",
	 v6_ok},
	{"pg_wrong_socket_path",
	 PG,
	 15436,
	 "app",
	 {{.transport = P_UNIX, .err = ENOENT},
	  {.transport = P_TCP4,
	   .ok = true,
	   .settings = "unix_socket_directories=/tmp/dbl/a"},
	  OKP(P_TCP6, NULL),
	  OKP(P_LH, NULL),
	  END},
	 {C(SOCKET_MISSING), C(OK), C(OK), C(OK)},
	 C(SOCKET_MISSING),
	 "PGHOST=/tmp/dbl/a",
	 NULL},
	{"pg_stale_socket",
	 PG,
	 15437,
	 "app",
	 {{.transport = P_UNIX, .err = ECONNREFUSED},
	  REFUSED(P_TCP4),
	  REFUSED(P_TCP6),
	  {.transport = P_LH,
	   .err = ECONNREFUSED,
	   .attempts = "127.0.0.1:15437=111"},
	  END},
	 TCP_REFUSED(SOCKET_STALE),
	 C(SOCKET_STALE),
	 ".s.PGSQL.15437",
	 NULL},
	{"pg_socket_permission",
	 PG,
	 15438,
	 "app",
	 {{.transport = P_UNIX, .err = EACCES}, OK_TCP, END},
	 {C(SOCKET_PERMISSION), C(OK), C(OK), C(OK)},
	 C(SOCKET_PERMISSION),
	 "namei",
	 NULL},
	{"pg_wrong_password",
	 PG,
	 15439,
	 "app",
	 {ALL4("28P01", .message = "FATAL:  password authentication failed "
				   "for user \"app\""),
	  END},
	 SAME4(ACCESS_DENIED),
	 C(ACCESS_DENIED),
	 "PASSWORD",
	 NULL},
	{"pg_hba_no_ipv6_entry",
	 PG,
	 15440,
	 "app",
	 {OKP(P_UNIX, NULL),
	  OKP(P_TCP4, NULL),
	  {.transport = P_TCP6,
	   .state = "28000",
	   .ssl_answer = 'N',
	   .message = "FATAL:  no pg_hba.conf entry for host \"::1\", user "
		      "\"app\", database \"appdb\", no encryption"},
	  OKP(P_LH, NULL),
	  END},
	 {C(OK), C(OK), C(HOST_NOT_ALLOWED), C(OK)},
	 C(HOST_NOT_ALLOWED),
	 "::1/128",
	 hba_v4_only},
	/* ssl=on (Debian's default) and no ::1 line, pg_hba.conf unreadable:
	 * the 'S' answer alone would say tls_mismatch, but 127.0.0.1 logs in
	 * without TLS, so what ::1 lacks is its pg_hba line. */
	{"pg_ssl_on_hba_no_ipv6_entry",
	 PG,
	 15440,
	 "app",
	 {OKP(P_UNIX, NULL),
	  OKP(P_TCP4, NULL),
	  {.transport = P_TCP6,
	   .state = "28000",
	   .ssl_answer = 'S',
	   .message = "FATAL:  no pg_hba.conf entry for host \"::1\", user "
		      "\"app\", database \"appdb\", no encryption"},
	  OKP(P_LH, NULL),
	  END},
	 {C(OK), C(OK), C(HOST_NOT_ALLOWED), C(OK)},
	 C(HOST_NOT_ALLOWED),
	 "::1/128",
	 NULL},
	{"pg_peer_only_socket",
	 PG,
	 15441,
	 "app",
	 {{.transport = P_UNIX,
	   .state = "28000",
	   .message = "FATAL:  Peer authentication failed for user \"app\""},
	  OK_TCP,
	  END},
	 {C(AUTH_METHOD_MISMATCH), C(OK), C(OK), C(OK)},
	 C(AUTH_METHOD_MISMATCH),
	 "scram-sha-256",
	 hba_peer},
	{"pg_database_missing",
	 PG,
	 15442,
	 "app",
	 {ALL4("3D000",
	       .message = "FATAL:  database \"nosuchdb\" does not exist"),
	  END},
	 SAME4(DATABASE_MISSING),
	 C(DATABASE_MISSING),
	 "CREATE DATABASE",
	 NULL},
	{"pg_ssl_required",
	 PG,
	 15443,
	 "app",
	 {OKP(P_UNIX, NULL),
	  {.transport = P_TCP4,
	   .state = "28000",
	   .ssl_answer = 'S',
	   .message = "FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", "
		      "user \"app\", database \"appdb\", no encryption"},
	  {.transport = P_TCP6,
	   .state = "28000",
	   .ssl_answer = 'S',
	   .message = "FATAL:  no pg_hba.conf entry for host \"::1\", user "
		      "\"app\", database \"appdb\", no encryption"},
	  {.transport = P_LH,
	   .state = "28000",
	   .ssl_answer = 'S',
	   .attempts = "127.0.0.1:15443=0",
	   .message = "FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", "
		      "user \"app\", database \"appdb\", no encryption"},
	  END},
	 {C(OK), C(TLS_MISMATCH), C(TLS_MISMATCH), C(TLS_MISMATCH)},
	 C(TLS_MISMATCH),
	 "sslmode",
	 hba_hostssl},
	{"pg_ssl_required_greet_only",
	 PG,
	 15443,
	 "app",
	 {OKP(P_UNIX, NULL),
	  {.transport = P_TCP4,
	   .state = "28000",
	   .ssl_answer = 'S',
	   .message = "FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", "
		      "user \"app\", database \"appdb\", no encryption"},
	  END},
	 {C(OK), C(TLS_MISMATCH), C(UNKNOWN), C(UNKNOWN)},
	 C(TLS_MISMATCH),
	 "sslmode",
	 NULL},
	{"pg_too_many_connections",
	 PG,
	 15444,
	 "app",
	 {ALL4("53300", .message = "FATAL:  sorry, too many clients already"),
	  END},
	 SAME4(TOO_MANY_CONNECTIONS),
	 C(TOO_MANY_CONNECTIONS),
	 "max_connections",
	 NULL},
	{"pg_wrong_port",
	 PG,
	 15447,
	 "app",
	 {{.transport = P_UNIX, .err = ENOENT}, PG_TCP_REF(15447), END},
	 TCP_REFUSED(SOCKET_MISSING),
	 C(WRONG_PORT),
	 "15446",
	 pg_listener_15446},
	{"pg_localhost_v6_first",
	 PG,
	 15448,
	 "app",
	 {OKP(P_UNIX, NULL),
	  OKP(P_TCP4, NULL),
	  REFUSED(P_TCP6),
	  {.transport = P_LH,
	   .err = ECONNREFUSED,
	   .attempts = "[::1]:15448=111",
	   .message = "connection to server at \"localhost\" (::1), port "
		      "15448 failed: Connection refused"},
	  END},
	 {C(OK), C(OK), C(CONNECTION_REFUSED), C(LOCALHOST_RESOLUTION)},
	 C(LOCALHOST_RESOLUTION),
	 "127.0.0.1",
	 localhost_v6},
	{"pg_server_starting",
	 PG,
	 15449,
	 "app",
	 {ALL4("57P03", .message = "FATAL:  the database system is not "
				   "accepting connections"),
	  END},
	 SAME4(SERVER_STARTING),
	 C(SERVER_STARTING),
	 "dbloop wait",
	 NULL},
	{"pg_protocol_mismatch",
	 PG,
	 15450,
	 "app",
	 {{.transport = P_UNIX,
	   .proto = DBL_PROTO_MYSQL,
	   .message = "expected authentication request from server, but "
		      "received d"},
	  {.transport = P_TCP4,
	   .proto = DBL_PROTO_MYSQL,
	   .message = "received invalid response to SSL negotiation: d"},
	  {.transport = P_TCP6, .proto = DBL_PROTO_MYSQL},
	  {.transport = P_LH, .proto = DBL_PROTO_MYSQL},
	  END},
	 SAME4(PROTOCOL_MISMATCH),
	 C(PROTOCOL_MISMATCH),
	 "ss -ltnp",
	 NULL},
	{"pg_tarpit",
	 PG,
	 15451,
	 "app",
	 {{.transport = P_UNIX,
	   .timed_out = true,
	   .err = ETIMEDOUT,
	   .proto = DBL_PROTO_SILENT},
	  {.transport = P_TCP4, .timed_out = true, .err = ETIMEDOUT},
	  {.transport = P_TCP6, .timed_out = true, .err = ETIMEDOUT},
	  {.transport = P_LH, .timed_out = true, .err = ETIMEDOUT},
	  END},
	 SAME4(TIMEOUT),
	 C(TIMEOUT),
	 "15451",
	 NULL},
	{"my_ok",
	 MY,
	 13306,
	 "app",
	 {OKP(P_UNIX, MY_VER), OKP(P_TCP4, MY_VER), OKP(P_TCP6, MY_VER),
	  OKP(P_LH, MY_VER), END},
	 SAME4(OK),
	 C(OK),
	 NULL,
	 NULL},
	{"my_not_running",
	 MY,
	 13307,
	 "app",
	 {{.transport = P_UNIX,
	   .client_error = 2002,
	   .message = "Can't connect to local server through socket "
		      "'/tmp/dbl/mysqld.sock' (2)"},
	  MY_TCP_REF,
	  END},
	 TCP_REFUSED(SOCKET_MISSING),
	 C(SERVER_NOT_RUNNING),
	 "systemctl start",
	 NULL},
	{"my_skip_networking",
	 MY,
	 0,
	 "app",
	 {{.transport = P_UNIX,
	   .ok = true,
	   .settings = "@@skip_networking=1;@@port=3306"},
	  MY_TCP_REF,
	  END},
	 TCP_REFUSED(OK),
	 C(TCP_DISABLED),
	 "skip-networking",
	 NULL},
	{"my_bind_ipv4_only",
	 MY,
	 13309,
	 "app",
	 {OKP(P_UNIX, NULL),
	  OKP(P_TCP4, NULL),
	  {.transport = P_TCP6, .err = ECONNREFUSED},
	  OKP(P_LH, NULL),
	  END},
	 {C(OK), C(OK), C(CONNECTION_REFUSED), C(OK)},
	 C(IPV6_NOT_LISTENING),
	 "bind-address",
	 v6_ok},
	{"my_wrong_socket_path",
	 MY,
	 13310,
	 "app",
	 {{.transport = P_UNIX, .err = ENOENT},
	  {.transport = P_TCP4,
	   .ok = true,
	   .settings = "@@socket=/tmp/dbl/a/mysqld.sock"},
	  OKP(P_TCP6, NULL),
	  OKP(P_LH, NULL),
	  END},
	 {C(SOCKET_MISSING), C(OK), C(OK), C(OK)},
	 C(SOCKET_MISSING),
	 "socket=/tmp/dbl/a/mysqld.sock",
	 NULL},
	{"my_stale_socket",
	 MY,
	 13311,
	 "app",
	 {{.transport = P_UNIX,
	   .client_error = 2002,
	   .message = "Can't connect to local server through socket "
		      "'/tmp/dbl/mysqld.sock' (111)"},
	  MY_TCP_REF,
	  END},
	 TCP_REFUSED(SOCKET_STALE),
	 C(SOCKET_STALE),
	 "mysqld.sock",
	 NULL},
	{"my_wrong_password",
	 MY,
	 13312,
	 "app",
	 {MY4(1045, "28000",
	      "Access denied for user 'app'@'localhost' "
	      "(using password: YES)"),
	  END},
	 SAME4(ACCESS_DENIED),
	 C(ACCESS_DENIED),
	 "IDENTIFIED BY",
	 NULL},
	{"my_user_localhost_only",
	 MY,
	 13313,
	 "app",
	 {{.transport = P_UNIX,
	   .ok = true,
	   .settings = "current_user=app@localhost;grants=GRANT USAGE ON "
		       "*.* TO `app`@`localhost` IDENTIFIED BY PASSWORD "
		       "'*AB12'\nGRANT ALL PRIVILEGES ON `appdb`.* TO "
		       "`app`@`localhost`"},
	  {.transport = P_TCP4,
	   .greet_error = 1130,
	   .message = "Host '127.0.0.1' is not allowed to connect to this "
		      "MariaDB server"},
	  {.transport = P_TCP6,
	   .client_error = 2002,
	   .wrapped = 1130,
	   .state = "HY000",
	   .message = "Received error packet before completion of TLS "
		      "handshake. 1130 - Host '::1' is not allowed"},
	  {.transport = P_LH,
	   .server_error = 1698,
	   .state = "28000",
	   .message = "Access denied for user 'app'@'127.0.0.1'"},
	  END},
	 {C(OK), C(HOST_NOT_ALLOWED), C(HOST_NOT_ALLOWED), C(HOST_NOT_ALLOWED)},
	 C(HOST_NOT_ALLOWED),
	 "CREATE USER 'app'@'127.0.0.1'",
	 NULL},
	{"my_root_unix_socket",
	 MY,
	 13314,
	 "root",
	 {OKP(P_UNIX, NULL),
	  MY_TCP(1698, "28000", "Access denied for user 'root'@'localhost'"),
	  END},
	 {C(OK), C(AUTH_METHOD_MISMATCH), C(AUTH_METHOD_MISMATCH),
	  C(AUTH_METHOD_MISMATCH)},
	 C(AUTH_METHOD_MISMATCH),
	 "unix_socket",
	 NULL},
	{"my_database_missing",
	 MY,
	 13315,
	 "app",
	 {MY4(1049, "42000", "Unknown database 'nosuchdb'"), END},
	 SAME4(DATABASE_MISSING),
	 C(DATABASE_MISSING),
	 "CREATE DATABASE",
	 NULL},
	{"my_ssl_required",
	 MY,
	 13316,
	 "app",
	 {{.transport = P_UNIX,
	   .ok = true,
	   .settings = "@@require_secure_transport=ON"},
	  MY_TCP(1045, "28000",
		 "Access denied for user 'app'@'localhost' (using "
		 "password: YES)"),
	  END},
	 {C(OK), C(TLS_MISMATCH), C(TLS_MISMATCH), C(TLS_MISMATCH)},
	 C(TLS_MISMATCH),
	 "require_secure_transport",
	 NULL},
	{"my_too_many_connections",
	 MY,
	 13317,
	 "app",
	 {MY4(1040, "08004", "Too many connections"), END},
	 SAME4(TOO_MANY_CONNECTIONS),
	 C(TOO_MANY_CONNECTIONS),
	 "max_connections",
	 NULL},
	{"my_wrong_port",
	 MY,
	 13318,
	 "app",
	 {{.transport = P_UNIX, .ok = true, .settings = "@@port=13317"},
	  MY_TCP_REF,
	  END},
	 TCP_REFUSED(OK),
	 C(WRONG_PORT),
	 "13317",
	 NULL},
	{"my_localhost_v6_first",
	 MY,
	 13319,
	 "app",
	 {OKP(P_UNIX, NULL),
	  OKP(P_TCP4, NULL),
	  REFUSED(P_TCP6),
	  {.transport = P_LH,
	   .err = ECONNREFUSED,
	   .attempts = "[::1]:13319=111"},
	  END},
	 {C(OK), C(OK), C(CONNECTION_REFUSED), C(LOCALHOST_RESOLUTION)},
	 C(LOCALHOST_RESOLUTION),
	 "127.0.0.1",
	 localhost_v6},
	{"my_protocol_mismatch",
	 MY,
	 13320,
	 "app",
	 {{.transport = P_UNIX,
	   .client_error = 2013,
	   .proto = DBL_PROTO_POSTGRES},
	  {.transport = P_TCP4,
	   .client_error = 2013,
	   .proto = DBL_PROTO_POSTGRES},
	  {.transport = P_TCP6,
	   .client_error = 2013,
	   .proto = DBL_PROTO_POSTGRES},
	  {.transport = P_LH,
	   .client_error = 2013,
	   .proto = DBL_PROTO_POSTGRES},
	  END},
	 SAME4(PROTOCOL_MISMATCH),
	 C(PROTOCOL_MISMATCH),
	 "13320",
	 NULL},
	{"my_tarpit",
	 MY,
	 13321,
	 "app",
	 {{.transport = P_UNIX,
	   .timed_out = true,
	   .client_error = 2013,
	   .proto = DBL_PROTO_SILENT},
	  {.transport = P_TCP4, .timed_out = true, .proto = DBL_PROTO_SILENT},
	  {.transport = P_TCP6, .timed_out = true, .proto = DBL_PROTO_SILENT},
	  {.transport = P_LH, .timed_out = true, .proto = DBL_PROTO_SILENT},
	  END},
	 SAME4(TIMEOUT),
	 C(TIMEOUT),
	 "13321",
	 NULL},
	/* Beyond the table: the other examples. */
	{"my_1044_no_privilege",
	 MY,
	 13322,
	 "app",
	 {MY4(1044, "42000",
	      "Access denied for user 'app'@'localhost' to "
	      "database 'nosuchdb'"),
	  END},
	 SAME4(ACCESS_DENIED),
	 C(ACCESS_DENIED),
	 "GRANT",
	 NULL},
	/* A young server whose settings say TCP is on, TCP still refused:
	 * it is still starting. */
	{"my_young_tcp_on",
	 MY,
	 0,
	 "app",
	 {{.transport = P_UNIX,
	   .ok = true,
	   .settings = "uptime=4;@@skip_networking=0;@@port=3306"},
	  MY_TCP_REF,
	  END},
	 {C(OK), C(SERVER_STARTING), C(SERVER_STARTING), C(SERVER_STARTING)},
	 C(SERVER_STARTING),
	 "dbloop wait",
	 NULL},
	/* docker/run-matrix.sh my_skip_networking (MariaDB 10.11 in podman,
	 * mariadbd --skip-networking, read 18 s after it started): the
	 * server's own skip_networking explains TCP, however young it is. */
	{"my_skip_networking_young",
	 MY,
	 0,
	 "app",
	 {{.transport = P_UNIX,
	   .ok = true,
	   .settings = "@@port=0;@@socket=/run/mysqld/mysqld.sock;"
		       "@@bind_address=;@@skip_networking=1;"
		       "@@skip_name_resolve=1;uptime=18"},
	  {.transport = P_TCP4,
	   .err = ECONNREFUSED,
	   .message = "connect to '127.0.0.1:3306' failed: Connection refused"},
	  {.transport = P_TCP6,
	   .err = ECONNREFUSED,
	   .message = "connect to '[::1]:3306' failed: Connection refused"},
	  {.transport = P_LH,
	   .err = ECONNREFUSED,
	   .attempts = "127.0.0.1:3306=111",
	   .message = "connect to '127.0.0.1:3306' failed: Connection refused"},
	  END},
	 TCP_REFUSED(OK),
	 C(TCP_DISABLED),
	 "skip-networking",
	 NULL},
	/* tests/lab my_wrong_port, read 0 s after the server started: a
	 * young server on another port than the one asked for is not
	 * starting, it is elsewhere. */
	{"my_wrong_port_young",
	 MY,
	 35243,
	 "app",
	 {{.transport = P_UNIX,
	   .ok = true,
	   .settings = "@@port=36173;@@bind_address=127.0.0.1,::1;"
		       "@@skip_networking=0;uptime=0"},
	  {.transport = P_TCP4,
	   .err = ECONNREFUSED,
	   .message = "connect to '127.0.0.1:35243' failed: Connection "
		      "refused"},
	  {.transport = P_TCP6,
	   .err = ECONNREFUSED,
	   .message = "connect to '[::1]:35243' failed: Connection refused"},
	  {.transport = P_LH,
	   .err = ECONNREFUSED,
	   .attempts = "127.0.0.1:35243=111",
	   .message = "connect to '127.0.0.1:35243' failed: Connection "
		      "refused"},
	  END},
	 TCP_REFUSED(OK),
	 C(WRONG_PORT),
	 "36173",
	 NULL},
	{"my_server_shutdown_1053",
	 MY,
	 13323,
	 "app",
	 {MY4(1053, "08S01", "Server shutdown in progress"), END},
	 SAME4(SERVER_STARTING),
	 C(SERVER_STARTING),
	 "dbloop wait",
	 NULL},
	{"pg_ipv6_disabled",
	 PG,
	 15452,
	 "app",
	 {OKP(P_UNIX, NULL),
	  OKP(P_TCP4, NULL),
	  {.transport = P_TCP6, .err = EADDRNOTAVAIL},
	  END},
	 {C(OK), C(OK), C(IPV6_NOT_LISTENING), C(UNKNOWN)},
	 C(IPV6_NOT_LISTENING),
	 "disable_ipv6",
	 NULL},
	{"pg_endpoint_mismatch",
	 PG,
	 5432,
	 "app",
	 {OKP(P_UNIX, PG_VER), OKP(P_TCP4, PG_VER),
	  OKP(P_TCP6, "16.4 (Debian 16.4-1.pgdg120+1)"), END},
	 {C(OK), C(OK), C(OK), C(UNKNOWN)},
	 C(ENDPOINT_MISMATCH),
	 "ss -ltnpx", /* no container here: no docker ps (issue 14) */
	 NULL},
};

/* DBL_TEST_DUMP=1 prints what each scenario yields, for reading. */
static void dump(const struct scenario *sc, const struct dbl_target_report *tr)
{
	if (!getenv("DBL_TEST_DUMP"))
		return;
	printf("== %s\n", sc->name);
	for (size_t i = 0; i < tr->n_findings; i++) {
		const struct dbl_finding *fd = &tr->findings[i];
		printf("  [%s] %s: %s\n    fix: %s\n",
		       dbl_severity_name(fd->severity), dbl_class_name(fd->cls),
		       fd->summary, fd->fix);
		for (size_t j = 0; j < fd->evidence.n; j++)
			printf("    evidence: %s\n", fd->evidence.items[j]);
		for (size_t j = 0; j < fd->commands.n; j++)
			printf("    $ %s\n", fd->commands.items[j]);
	}
}

/* ---- the check --------------------------------------------------------- */

static void check_probe_classes(const struct scenario *sc,
				const struct dbl_target_report *tr)
{
	for (size_t i = 0; i < tr->n_probes; i++) {
		enum dbl_transport t = tr->probes[i].r.transport;
		if (tr->probes[i].cls != sc->want[t])
			fail_msg("%s: %s is %s, want %s", sc->name,
				 dbl_transport_name(t),
				 dbl_class_name(tr->probes[i].cls),
				 dbl_class_name(sc->want[t]));
	}
}

/* Every non-ok probe is explained by a finding naming its transport. */
static void check_coverage(const struct scenario *sc,
			   const struct dbl_target_report *tr)
{
	for (size_t i = 0; i < tr->n_probes; i++) {
		unsigned bit = DBL_TRANSPORT_BIT(tr->probes[i].r.transport);
		bool covered = tr->probes[i].cls == DBL_CLASS_OK;
		for (size_t j = 0; !covered && j < tr->n_findings; j++)
			covered = tr->findings[j].transports & bit;
		if (!covered)
			fail_msg("%s: %s not covered by any finding", sc->name,
				 dbl_transport_name(tr->probes[i].r.transport));
	}
}

static void check_finding(const struct scenario *sc,
			  const struct dbl_target_report *tr)
{
	if (sc->finding == DBL_CLASS_OK) {
		assert_true(tr->ok);
		for (size_t j = 0; j < tr->n_findings; j++)
			assert_int_not_equal(tr->findings[j].severity,
					     DBL_SEV_ERROR);
		return;
	}
	const struct dbl_finding *fd = pb_finding(tr, sc->finding);
	if (!fd)
		fail_msg("%s: no %s finding (first is %s)", sc->name,
			 dbl_class_name(sc->finding),
			 tr->n_findings ? dbl_class_name(tr->findings[0].cls)
					: "none");
	assert_non_null(fd->summary);
	assert_true(fd->evidence.n > 0);
	char *fix = pb_fix_text(fd);
	assert_non_null(fix);
	if (!strstr(fix, sc->fix_names))
		fail_msg("%s: the fix does not name '%s':\n%s", sc->name,
			 sc->fix_names, fix);
	free(fix);
}

static void run_scenario(const struct scenario *sc)
{
	struct dbl_target_report tr;
	struct dbl_facts *f = dbl_facts_new();
	struct dbl_target *t = dbl_target_new(sc->engine);
	assert_non_null(f);
	assert_non_null(t);
	t->port = sc->port;
	t->user = dbl_strdup(sc->user);
	t->database = dbl_strdup("appdb");
	t->host = dbl_strdup("localhost");
	if (sc->facts)
		sc->facts(f);
	pb_build(&tr, sc->engine, sc->probes, sc->port ? sc->port : 3306);
	unsigned probed = 0;
	for (size_t i = 0; i < tr.n_probes; i++)
		probed |= DBL_TRANSPORT_BIT(tr.probes[i].r.transport);
	assert_int_equal(dbl_classify_target(&tr, t, f, probed), 0);
	dump(sc, &tr);
	check_probe_classes(sc, &tr);
	check_coverage(sc, &tr);
	check_finding(sc, &tr);
	if (sc->finding != DBL_CLASS_OK && sc->finding != C(ENDPOINT_MISMATCH))
		assert_false(tr.ok);
	pb_release(&tr);
	dbl_target_free(t);
	dbl_facts_free(f);
}

static void test_scenarios(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		run_scenario(&scenarios[i]);
}

/* The probe classifier alone: codes decide before text. */
static void test_codes_before_text(void **state)
{
	(void)state;
	struct dbl_result r;
	dbl_result_init(&r, MY, DBL_TRANSPORT_TCP4, DBL_STAGE_QUERY);
	r.server_error = 1049;
	dbl_strlcpy(r.message, "Too many connections", sizeof(r.message));
	assert_int_equal(dbl_classify_probe(&r, &r, 1, NULL),
			 C(DATABASE_MISSING));
	dbl_result_init(&r, PG, DBL_TRANSPORT_TCP4, DBL_STAGE_QUERY);
	dbl_strlcpy(r.sqlstate, "53300", sizeof(r.sqlstate));
	dbl_strlcpy(r.message, "FATAL:  too many connections for role \"app\"",
		    sizeof(r.message));
	assert_int_equal(dbl_classify_probe(&r, &r, 1, NULL),
			 C(ACCOUNT_UNUSABLE));
	/* A localised server message still splits by its code. */
	dbl_result_init(&r, PG, DBL_TRANSPORT_TCP4, DBL_STAGE_QUERY);
	dbl_strlcpy(r.sqlstate, "28P01", sizeof(r.sqlstate));
	dbl_strlcpy(r.message,
		    "FATAL:  Passwort-Authentifizierung für "
		    "Benutzer »app« fehlgeschlagen",
		    sizeof(r.message));
	assert_int_equal(dbl_classify_probe(&r, &r, 1, NULL), C(ACCESS_DENIED));
	/* Greet-stage ErrorResponse: 57P03 copied to pg.sqlstate. */
	dbl_result_init(&r, PG, DBL_TRANSPORT_UNIX, DBL_STAGE_GREET);
	dbl_strlcpy(r.pg.sqlstate, "57P03", sizeof(r.pg.sqlstate));
	assert_int_equal(dbl_classify_probe(&r, &r, 1, NULL),
			 C(SERVER_STARTING));
	/* MySQL greeting error packet 1129. */
	dbl_result_init(&r, MY, DBL_TRANSPORT_TCP4, DBL_STAGE_GREET);
	r.mysql.error_code = 1129;
	assert_int_equal(dbl_classify_probe(&r, &r, 1, NULL), C(HOST_BLOCKED));
	/* MySQL 2059: a plugin the client lacks. */
	dbl_result_init(&r, MY, DBL_TRANSPORT_TCP4, DBL_STAGE_AUTH);
	r.client_error = 2059;
	assert_int_equal(dbl_classify_probe(&r, &r, 1, NULL),
			 C(AUTH_METHOD_MISMATCH));
	/* No name for localhost at all. */
	dbl_result_init(&r, PG, DBL_TRANSPORT_LOCALHOST, DBL_STAGE_RESOLVE);
	r.eai_error = -2;
	assert_int_equal(dbl_classify_probe(&r, &r, 1, NULL),
			 C(LOCALHOST_RESOLUTION));
}

/* Whether classifying the MySQL unix and tcp4 probes below, ok on one
 * server, finds endpoint_mismatch. */
static bool endpoint_found(long long started_tcp4, const char *key_tcp4)
{
	static const struct pspec both[] = {OKP(P_UNIX, MY_VER),
					    OKP(P_TCP4, MY_VER), END};
	struct dbl_target_report tr;
	struct dbl_facts *f = dbl_facts_new();
	struct dbl_target *t = dbl_target_new(MY);
	assert_non_null(f);
	assert_non_null(t);
	pb_build(&tr, MY, both, 3306);
	for (size_t i = 0; i < tr.n_probes; i++) {
		struct dbl_result *r = &tr.probes[i].r;
		bool tcp4 = r->transport == DBL_TRANSPORT_TCP4;
		snprintf(r->instance, sizeof(r->instance),
			 "port=3306 started=%lld datadir=/var/lib/mysql/",
			 tcp4 ? started_tcp4 : 1700000000LL);
		dbl_strlcpy(r->instance_key,
			    tcp4 ? key_tcp4
				 : "port=3306 datadir=/var/lib/mysql/",
			    sizeof(r->instance_key));
		r->started_at = tcp4 ? started_tcp4 : 1700000000LL;
	}
	assert_int_equal(dbl_classify_target(&tr, t, f, 0), 0);
	bool found = false;
	for (size_t i = 0; i < tr.n_findings; i++)
		found |= tr.findings[i].cls == C(ENDPOINT_MISMATCH);
	pb_release(&tr);
	dbl_target_free(t);
	dbl_facts_free(f);
	return found;
}

/* MySQL's start time is now minus its uptime, read by each probe at its
 * own moment: a second apart is one server (seen: a flaky
 * my_localhost_v6_first in test_report_formats), an hour or another
 * datadir is another. */
static void test_derived_start_time(void **state)
{
	(void)state;
	const char *key = "port=3306 datadir=/var/lib/mysql/";
	assert_false(endpoint_found(1700000000LL, key));
	assert_false(endpoint_found(1700000001LL, key));
	assert_true(endpoint_found(1700003600LL, key));
	assert_true(endpoint_found(1700000000LL, "port=3306 datadir=/srv/my/"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_derived_start_time),
		cmocka_unit_test(test_codes_before_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
