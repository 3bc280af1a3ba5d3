/* dbloop explain on a table of real messages (tests/fixtures/explain/
 * messages.txt: the lab's stock-client texts and messages from public
 * issue threads, each with its source). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/explain.h"
#include "explain_score.h"

struct record {
	char expect[96]; /* "a" or "a|b" */
	char engine[16];
	char transport[16]; /* "" when the record does not say */
	char source[256];
	char also[160];	  /* classes that must be listed, space-separated */
	char settle[160]; /* options the first settle command must carry */
	struct dbl_buf msg;
};

/* The classes of "also:" that the explanation does not list, or NULL. */
static const char *missing_also(const struct record *rec,
				const struct dbl_explanation *e)
{
	static char buf[160];
	dbl_strlcpy(buf, rec->also, sizeof(buf));
	for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		if (!listed(e, tok))
			return tok;
	return NULL;
}

/* The options of "settle:" the first alternative's command lacks. */
static bool settle_ok(const struct record *rec, const struct dbl_explanation *e)
{
	if (!rec->settle[0])
		return true;
	if (e->n_alts == 0)
		return false;
	char buf[160];
	dbl_strlcpy(buf, rec->settle, sizeof(buf));
	const char *cmd = e->alts[0].settle;
	for (char *save = NULL, *opt = strtok_r(buf, " ", &save); opt;
	     opt = strtok_r(NULL, " ", &save)) {
		char *val = strtok_r(NULL, " ", &save);
		char want[96];
		snprintf(want, sizeof(want), "%s %s", opt, val ? val : "");
		if (!strstr(cmd, want))
			return false;
	}
	return true;
}

static bool engine_ok(const struct record *rec, const struct dbl_explanation *e)
{
	return strcmp(rec->engine, "-") == 0 ||
	       (e->engine >= 0 &&
		strcmp(dbl_engine_name(e->engine), rec->engine) == 0);
}

static bool transport_ok(const struct record *rec,
			 const struct dbl_explanation *e)
{
	return !rec->transport[0] ||
	       (e->transport >= 0 &&
		strcmp(dbl_transport_name(e->transport), rec->transport) == 0);
}

/* Prints what went wrong with one record; 1 on a miss. */
static int report_miss(const struct record *rec,
		       const struct dbl_explanation *e)
{
	const char *gap = missing_also(rec, e);
	const char *what = !class_accepted(rec->expect, e->cls) ? "class"
			   : !engine_ok(rec, e)			? "engine"
			   : !transport_ok(rec, e)		? "transport"
			   : gap				? "also"
			   : !settle_ok(rec, e)			? "settle"
								: NULL;
	if (!what)
		return 0;
	printf("MISS %s: want %s %s %s%s%s got %s %s %s (%.2f) [%s]\n", what,
	       rec->expect, rec->engine, rec->transport, gap ? " also " : "",
	       gap ? gap : "", dbl_class_name(e->cls),
	       e->engine < 0 ? "?" : dbl_engine_name(e->engine),
	       e->transport < 0 ? "?" : dbl_transport_name(e->transport),
	       e->confidence, rec->source);
	if (strcmp(what, "settle") == 0)
		printf("     settle: %s\n",
		       e->n_alts ? e->alts[0].settle : "(none)");
	return 1;
}

/* Checks one record; prints what went wrong and returns 1 on a miss. */
static int check_record(struct record *rec)
{
	struct dbl_explanation e;
	const char *msg = rec->msg.data ? rec->msg.data : "";
	size_t len = strlen(msg);
	while (len > 0 && msg[len - 1] == '\n')
		len--;
	assert_int_equal(dbl_explain(msg, len, &e), 0);
	int miss = report_miss(rec, &e);
	if (e.cls != DBL_CLASS_UNKNOWN) {
		assert_non_null(e.cause);
		assert_non_null(e.fix);
		assert_true(e.confidence > 0 && e.confidence <= 1);
	}
	for (size_t i = 0; i < e.n_alts; i++) {
		assert_int_not_equal(e.alts[i].cls, e.cls);
		assert_non_null(strstr(e.alts[i].settle, "dbloop diagnose"));
	}
	dbl_explanation_release(&e);
	return miss;
}

/* "key: value" into out, newline cut; false when line is not that key. */
static bool read_field(const char *line, const char *key, char *out, size_t cap)
{
	size_t n = strlen(key);
	if (strncmp(line, key, n) != 0)
		return false;
	dbl_strlcpy(out, line + n, cap);
	out[strcspn(out, "\n")] = '\0';
	return true;
}

static void test_fixture_messages(void **state)
{
	(void)state;
	FILE *f = fopen(DBL_FIXTURES "/explain/messages.txt", "r");
	assert_non_null(f);
	char line[4096];
	struct record rec;
	bool open = false, want_source = false;
	int n = 0, misses = 0;
	memset(&rec, 0, sizeof(rec));
	while (fgets(line, sizeof(line), f)) {
		if (!open && line[0] == '#')
			continue;
		if (strncmp(line, "=== ", 4) == 0) {
			if (open) {
				misses += check_record(&rec);
				n++;
			}
			dbl_buf_release(&rec.msg);
			memset(&rec, 0, sizeof(rec));
			assert_true(sscanf(line + 4, "%95s %15s %15s",
					   rec.expect, rec.engine,
					   rec.transport) >= 2);
			open = want_source = true;
			continue;
		}
		if (want_source) {
			assert_int_equal(strncmp(line, "source: ", 8), 0);
			dbl_strlcpy(rec.source, line + 8, sizeof(rec.source));
			rec.source[strcspn(rec.source, "\n")] = '\0';
			want_source = false;
			continue;
		}
		if (open && !rec.msg.len &&
		    (read_field(line, "also: ", rec.also, sizeof(rec.also)) ||
		     read_field(line, "settle: ", rec.settle,
				sizeof(rec.settle))))
			continue;
		if (open)
			dbl_buf_puts(&rec.msg, line);
	}
	if (open) {
		misses += check_record(&rec);
		n++;
	}
	dbl_buf_release(&rec.msg);
	fclose(f);
	printf("explain: %d of %d messages placed as expected\n", n - misses,
	       n);
	assert_true(n >= 60);
	assert_int_equal(misses, 0);
}

static void test_unknown_text(void **state)
{
	(void)state;
	struct dbl_explanation e;
	const char *t = "the quick brown fox jumps over the lazy dog";
	assert_int_equal(dbl_explain(t, strlen(t), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_UNKNOWN);
	assert_int_equal(e.n_alts, 0);
	dbl_explanation_release(&e);
}

/* Bytes from anywhere: NULs, no terminator, huge input. */
static void test_hostile_input(void **state)
{
	(void)state;
	struct dbl_explanation e;
	char nul[] = {'E', 'R', 'R', 'O', 'R', ' ', '1', '0', '4',
		      '5', 0,	'(', '2', '8', '0', '0', '0', ')'};
	assert_int_equal(dbl_explain(nul, sizeof(nul), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_ACCESS_DENIED);
	dbl_explanation_release(&e);
	size_t big = 3u * 1024 * 1024;
	char *junk = malloc(big);
	assert_non_null(junk);
	memset(junk, 'x', big);
	memcpy(junk, "FATAL:  sorry, too many clients already", 39);
	assert_int_equal(dbl_explain(junk, big, &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_TOO_MANY_CONNECTIONS);
	dbl_explanation_release(&e);
	free(junk);
	assert_int_equal(dbl_explain("", 0, &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_UNKNOWN);
	dbl_explanation_release(&e);
}

/* A localised message still carries its codes. */
static void test_localised(void **state)
{
	(void)state;
	struct dbl_explanation e;
	const char *de =
		"psql: Fehler: Verbindung zum Server auf Socket "
		"\"/var/run/postgresql/.s.PGSQL.5432\" fehlgeschlagen: "
		"Datei oder Verzeichnis nicht gefunden";
	assert_int_equal(dbl_explain(de, strlen(de), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_SOCKET_MISSING);
	assert_int_equal(e.engine, DBL_ENGINE_POSTGRES);
	assert_int_equal(e.transport, DBL_TRANSPORT_UNIX);
	dbl_explanation_release(&e);
	const char *fr = "FATAL:  authentification par mot de passe échouée "
			 "pour l'utilisateur « app » (SQLSTATE 28P01)";
	assert_int_equal(dbl_explain(fr, strlen(fr), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_ACCESS_DENIED);
	dbl_explanation_release(&e);
}

/* The alternatives say how to tell them apart and how to settle. */
static void test_alternatives(void **state)
{
	(void)state;
	struct dbl_explanation e;
	const char *t = "Error: connect ECONNREFUSED ::1:5432";
	assert_int_equal(dbl_explain(t, strlen(t), &e), 0);
	/* ::1 refused proves a refusal; the IPv6 causes come first */
	assert_int_equal(e.cls, DBL_CLASS_CONNECTION_REFUSED);
	assert_true(e.alts[0].cls == DBL_CLASS_IPV6_NOT_LISTENING ||
		    e.alts[0].cls == DBL_CLASS_LOCALHOST_RESOLUTION);
	assert_int_equal(e.transport, DBL_TRANSPORT_TCP6);
	assert_true(e.n_alts >= 2 && e.n_alts <= DBL_EXPLAIN_MAX_ALT);
	assert_non_null(strstr(e.alts[0].settle, "-P 5432"));
	dbl_explanation_release(&e);
}

static bool has_alt(const struct dbl_explanation *e, enum dbl_class c)
{
	for (size_t i = 0; i < e->n_alts; i++)
		if (e->alts[i].cls == c)
			return true;
	return false;
}

/* A text, the class it must place, a cause it must list among the
 * alternatives (DBL_CLASS_UNKNOWN: none asked) and how many at least. */
struct placed_case {
	const char *text;
	enum dbl_class cls, alt;
	size_t min_alts;
};

static void check_placed(const struct placed_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct dbl_explanation e;
		assert_int_equal(
			dbl_explain(cases[i].text, strlen(cases[i].text), &e),
			0);
		if (e.cls != cases[i].cls ||
		    (cases[i].alt != DBL_CLASS_UNKNOWN &&
		     !has_alt(&e, cases[i].alt)) ||
		    e.n_alts < cases[i].min_alts)
			fail_msg("%s: class %s, %zu alternatives",
				 cases[i].text, dbl_class_name(e.cls),
				 e.n_alts);
		dbl_explanation_release(&e);
	}
}

/* Classes that listed fewer than four alternatives for the engine the
 * text names (issue 19: "three alternatives or fewer, where the spec
 * allows four"): each is known to arise from the causes asserted here. */
static void test_alternatives_filled(void **state)
{
	(void)state;
	static const struct placed_case cases[] = {
		{"FATAL:  no pg_hba.conf entry for host \"::1\", user \"app\", "
		 "database \"app\", no encryption",
		 DBL_CLASS_HOST_NOT_ALLOWED, DBL_CLASS_LOCALHOST_RESOLUTION, 4},
		{"ERROR 1130 (HY000): Host '172.18.0.1' is not allowed to "
		 "connect to this MariaDB server",
		 DBL_CLASS_HOST_NOT_ALLOWED, DBL_CLASS_LOCALHOST_RESOLUTION, 4},
		{"ERROR 1129 (HY000): Host '10.0.0.7' is blocked because of "
		 "many connection errors; unblock with 'mysqladmin "
		 "flush-hosts'",
		 DBL_CLASS_HOST_BLOCKED, DBL_CLASS_DNS_FAILURE, 2},
		{"FATAL:  sorry, too many clients already",
		 DBL_CLASS_TOO_MANY_CONNECTIONS, DBL_CLASS_ENDPOINT_MISMATCH,
		 2},
		{"FATAL:  role \"app\" is not permitted to log in",
		 DBL_CLASS_ACCOUNT_UNUSABLE, DBL_CLASS_ENDPOINT_MISMATCH, 3},
		{"ERROR 3159 (HY000): Connections using insecure transport are "
		 "prohibited while --require_secure_transport=ON.",
		 DBL_CLASS_TLS_MISMATCH, DBL_CLASS_WRONG_PORT, 4},
		{"psql: error: connection to server on socket "
		 "\"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  Peer "
		 "authentication failed for user \"app\"",
		 DBL_CLASS_AUTH_METHOD_MISMATCH, DBL_CLASS_WRONG_PORT, 3},
	};
	check_placed(cases, sizeof(cases) / sizeof(cases[0]));
}

/* MySQL 2002/2003 say only "could not connect": beside an errno of the
 * client's own side (threads8's and threads11's development halves) no
 * server refused, and the text proves no class; beside ECONNREFUSED it
 * stays a refusal. */
static void test_never_connected(void **state)
{
	(void)state;
	static const struct placed_case cases[] = {
		{"(2003, \"Can't connect to MySQL server on '127.0.0.1' "
		 "([Errno 22] Invalid argument)\")",
		 DBL_CLASS_UNKNOWN, DBL_CLASS_UNKNOWN, 0},
		{"ERROR 2003 (HY000): Can't connect to MySQL server on "
		 "'db:3306' (98)",
		 DBL_CLASS_UNKNOWN, DBL_CLASS_UNKNOWN, 0},
		{"SQLSTATE[HY000] [2002] Only one usage of each socket address "
		 "(protocol/network address/port) is normally permitted.",
		 DBL_CLASS_UNKNOWN, DBL_CLASS_UNKNOWN, 0},
		{"SQLSTATE[HY000] [2002]  (trying to connect via (null))",
		 DBL_CLASS_UNKNOWN, DBL_CLASS_UNKNOWN, 0},
		{"ERROR 2003 (HY000): Can't connect to MySQL server on "
		 "'db:3306' (111)",
		 DBL_CLASS_CONNECTION_REFUSED, DBL_CLASS_UNKNOWN, 0},
		{"SQLSTATE[HY000] [2002] Connection refused",
		 DBL_CLASS_CONNECTION_REFUSED, DBL_CLASS_UNKNOWN, 0},
	};
	check_placed(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Words known to come from several causes, none of which they prove:
 * the class stays unknown (exit 1) and the causes are listed. */
static void test_unknown_lists_causes(void **state)
{
	(void)state;
	const char *text =
		"PG::ConnectionBad: ERROR:  pgbouncer cannot connect to server";
	struct dbl_explanation e;
	assert_int_equal(dbl_explain(text, strlen(text), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_UNKNOWN);
	assert_int_equal(e.engine, DBL_ENGINE_POSTGRES);
	assert_int_equal(e.n_alts, 4);
	assert_int_equal(e.alts[0].cls, DBL_CLASS_SERVER_NOT_RUNNING);
	assert_int_equal(e.alts[1].cls, DBL_CLASS_WRONG_PORT);
	/* every listed cause is worded, not only named */
	for (size_t i = 0; i < e.n_alts; i++)
		assert_string_not_equal(e.alts[i].why,
					dbl_class_name(e.alts[i].cls));
	assert_non_null(e.cause);
	dbl_explanation_release(&e);
}

/* A word counts where it starts a word, an errno in MySQL's place only
 * as one connect() returns, a service name as a service's. */
static void test_words_in_place(void **state)
{
	(void)state;
	static const struct placed_case cases[] = {
		/* Python's FileNotFoundError holds Node's "enotfound" */
		{"FileNotFoundError: [Errno 2] No such file or directory",
		 DBL_CLASS_SOCKET_MISSING, DBL_CLASS_UNKNOWN, 0},
		{"django.db.utils.OperationalError: failed to resolve host "
		 "'postgres'",
		 DBL_CLASS_DNS_FAILURE, DBL_CLASS_UNKNOWN, 0},
		{"connection to server at \"10.0.0.4\", port 5432 failed: "
		 "FATAL:  PAM authentication failed for user \"app\"",
		 DBL_CLASS_ACCESS_DENIED, DBL_CLASS_UNKNOWN, 0},
		{"FATAL:  GSSAPI authentication failed for user \"app\"",
		 DBL_CLASS_AUTH_METHOD_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		/* Solaris' ENOTSOCK: not a missing socket */
		{"ERROR 2002 (HY000): Can't connect to local MySQL server "
		 "through socket '/tmp/mysql.sock' (95)",
		 DBL_CLASS_UNKNOWN, DBL_CLASS_UNKNOWN, 0},
		/* macOS' EINPROGRESS, as Linux's 115: a refused connect */
		{"Can't connect to server on '127.0.0.1' (36). (Error #2002).",
		 DBL_CLASS_CONNECTION_REFUSED, DBL_CLASS_UNKNOWN, 0},
		{"[MySQL server host 'localhost'(11001)]",
		 DBL_CLASS_DNS_FAILURE, DBL_CLASS_UNKNOWN, 0},
		/* a compose service's name: not up yet is a cause */
		{"ERROR 2002 (HY000): Can't connect to MySQL server on 'db' "
		 "(115)",
		 DBL_CLASS_CONNECTION_REFUSED, DBL_CLASS_SERVER_STARTING, 0},
		{"connection to server at \"db.example.com\" (10.0.0.4), "
		 "port 5432 failed: SSL connection has been closed "
		 "unexpectedly",
		 DBL_CLASS_UNKNOWN, DBL_CLASS_HOST_NOT_ALLOWED, 0},
		{"SSL error: Remote host terminated the handshake",
		 DBL_CLASS_TLS_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		/* certificate checks in each TLS library's words */
		{"pq: x509: certificate signed by unknown authority",
		 DBL_CLASS_TLS_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not "
		 "match certificate's altnames: Host: db. is not in the cert's "
		 "altnames: DNS:db.internal",
		 DBL_CLASS_TLS_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"error: SSL error: certificate verification failed: invalid "
		 "peer certificate: UnknownIssuer",
		 DBL_CLASS_TLS_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"could not open certificate file "
		 "\"/home/app/.postgresql/postgresql.crt\": Permission denied",
		 DBL_CLASS_TLS_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"Unknown SSL error 0x80090308", DBL_CLASS_TLS_MISMATCH,
		 DBL_CLASS_UNKNOWN, 0},
		{"failed to connect to tcp://postgresql:5432 :dial tcp: "
		 "lookup postgresql on 127.0.0.11:53: read udp "
		 "127.0.0.1:33849->127.0.0.11:53: read: connection refused",
		 DBL_CLASS_DNS_FAILURE, DBL_CLASS_UNKNOWN, 0},
		{"** Reason: {init,{error,nxdomain}}", DBL_CLASS_DNS_FAILURE,
		 DBL_CLASS_UNKNOWN, 0},
		{"nodejs.SequelizeAccessDeniedError: Access denied for user "
		 "'app'@'localhost' (using password: YES)",
		 DBL_CLASS_ACCESS_DENIED, DBL_CLASS_UNKNOWN, 0},
		{"Message: Ghost was able to start, but errored during boot "
		 "with: Access denied for user 'app'@'localhost' (using "
		 "password: YES)\nHelp: Unknown database error",
		 DBL_CLASS_ACCESS_DENIED, DBL_CLASS_UNKNOWN, 0},
		{"User `app` was denied access on the database `app.public`",
		 DBL_CLASS_ACCESS_DENIED, DBL_CLASS_UNKNOWN, 0},
		{"FATAL error: Failed to connect to pgsql at \"db\" (port "
		 "5432) as user \"app\": 10 fell through ECASE expression. "
		 "Wanted one of (0 2 3 4 5 6 7 8).",
		 DBL_CLASS_AUTH_METHOD_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"java.sql.SQLTimeoutException: Timeout after 1004ms of "
		 "waiting for a connection.",
		 DBL_CLASS_TIMEOUT, DBL_CLASS_UNKNOWN, 0},
		{"FATAL:  password authentication failed for user "
		 "\"postgres\"\nDETAIL:  User \"postgres\" has no password "
		 "assigned.",
		 DBL_CLASS_ACCESS_DENIED, DBL_CLASS_UNKNOWN, 0},
		{"Can't connect to MySQL server on 'mysql20.example.com.br'",
		 DBL_CLASS_CONNECTION_REFUSED, DBL_CLASS_UNKNOWN, 0},
		{"+ pg_isready -h postgres -p 5432\npostgres:5432 - no "
		 "response",
		 DBL_CLASS_CONNECTION_REFUSED, DBL_CLASS_UNKNOWN, 0},
		{"\tIs the server running locally and accepting\n\t"
		 "connections on Unix domain socket "
		 "\"/var/run/postgresql/.s.PGSQL.5432\"?",
		 DBL_CLASS_SOCKET_MISSING, DBL_CLASS_UNKNOWN, 0},
		{"Error: nanodbc/nanodbc.cpp:950: 08S01: "
		 "[unixODBC][MySQL][ODBC 8.0(a) Driver]Can't connect to local "
		 "MySQL server through socket '/var/run/mysqld/mysqld.sock' "
		 "(2)",
		 DBL_CLASS_SOCKET_MISSING, DBL_CLASS_SERVER_NOT_RUNNING, 0},
		{"FATAL: banco de dados \"tst\" não existe",
		 DBL_CLASS_DATABASE_MISSING, DBL_CLASS_UNKNOWN, 0},
		{"Npgsql.NpgsqlException (0x80004005): Unknown message code: "
		 "91",
		 DBL_CLASS_PROTOCOL_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"Npgsql.PostgresException (0x80004005): 28000: \xef\xbf\xbd "
		 "pg_hba.conf \xef\xbf\xbd\xef\xbf\xbd \"10.0.0.117\", "
		 "\xef\xbf\xbd \"postgres\", SSL \xef\xbf\xbd.",
		 DBL_CLASS_HOST_NOT_ALLOWED, DBL_CLASS_UNKNOWN, 0},
		/* libpq's catalogue: another protocol on the port, an old
		 * method, GSSAPI encryption, the client's key */
		{"received invalid response to SSL negotiation; unexpected "
		 "response from server; first received character was \"J\"",
		 DBL_CLASS_PROTOCOL_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"Kerberos 5 authentication not supported",
		 DBL_CLASS_AUTH_METHOD_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"server doesn't support GSSAPI encryption, but it was "
		 "required",
		 DBL_CLASS_TLS_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"certificate present, but not private key file "
		 "\"/root/.postgresql/postgresql.key\"",
		 DBL_CLASS_TLS_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"connection to server at \"localhost\" (::1), port 5432 "
		 "failed: could not create socket: Address family not "
		 "supported by protocol",
		 DBL_CLASS_IPV6_NOT_LISTENING, DBL_CLASS_UNKNOWN, 0},
		/* the server's catalogue: a reject line, the login's own
		 * timeout, a walsender without REPLICATION */
		{"FATAL:  authentication failed for user \"app\": host "
		 "rejected",
		 DBL_CLASS_HOST_NOT_ALLOWED, DBL_CLASS_UNKNOWN, 0},
		{"FATAL:  canceling authentication due to timeout",
		 DBL_CLASS_TIMEOUT, DBL_CLASS_UNKNOWN, 0},
		{"FATAL:  must be superuser or replication role to start "
		 "walsender",
		 DBL_CLASS_ACCOUNT_UNUSABLE, DBL_CLASS_UNKNOWN, 0},
		/* libpq's hint alone: a TCP connect failed, no more */
		{"\tIs the server running on host \"127.0.0.1\" and "
		 "accepting\n\tTCP/IP connections on port 5432?",
		 DBL_CLASS_CONNECTION_REFUSED, DBL_CLASS_SERVER_NOT_RUNNING, 0},
		{"psql: could not connect to server: Host is unreachable",
		 DBL_CLASS_TIMEOUT, DBL_CLASS_UNKNOWN, 0},
		{"SSL connection error: error:0A00010B:SSL "
		 "routines::wrong version number",
		 DBL_CLASS_TLS_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"FATAL:  unsupported frontend protocol 1234.5679: server "
		 "supports 3.0 to 3.0",
		 DBL_CLASS_PROTOCOL_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"A connection attempt failed because the connected party did "
		 "not properly respond after a period of time, or established "
		 "connection failed because connected host has failed to "
		 "respond.",
		 DBL_CLASS_TIMEOUT, DBL_CLASS_UNKNOWN, 0},
		{"failed to receive message (unknown authentication type: 7)",
		 DBL_CLASS_AUTH_METHOD_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"Retrieval of the RSA public key is not enabled for insecure "
		 "connections.",
		 DBL_CLASS_AUTH_METHOD_MISMATCH, DBL_CLASS_UNKNOWN, 0},
		{"[08001] Could not create connection to database server. "
		 "Attempted reconnect 3 times. Giving up.",
		 DBL_CLASS_UNKNOWN, DBL_CLASS_AUTH_METHOD_MISMATCH, 0},
		/* both loopbacks refused: not an IPv6 matter, so the port is
		 * among the four */
		{"could not connect to server: Connection refused\n\tIs the "
		 "server running on host \"localhost\" (127.0.0.1) and "
		 "accepting\n\tTCP/IP connections on port 32434?\ncould not "
		 "connect to server: Cannot assign requested address\n\tIs "
		 "the server running on host \"localhost\" (::1) and "
		 "accepting\n\tTCP/IP connections on port 32434?",
		 DBL_CLASS_CONNECTION_REFUSED, DBL_CLASS_WRONG_PORT, 0},
	};
	check_placed(cases, sizeof(cases) / sizeof(cases[0]));
}

/* The corpus of issue 19 (tests/fixtures/explain/corpus.txt): real
 * messages never tuned on before its split. Scored per half: the class
 * right first, and the confirmed cause (or, when the thread confirmed
 * none, the class the text proves) among the class and alternatives.
 * Only the dev half's misses are printed; the held half is only scored
 * and guarded by a floor (what was reached, minus a small margin). */
/* held 98.4 % / 95.2 % at the split's first tuning, 100 % / 96.8 % after
 * issue 19 point 3 (floors raised from 0.95 / 0.92) */
#define HELD_CLASS_FLOOR 0.97
#define HELD_CAUSE_FLOOR 0.94

struct half {
	int n, cls_ok, cause_ok;
};

static void score_corpus_record(const struct record *rec, const char *cause,
				const char *split, struct half *dev,
				struct half *held)
{
	struct half *h = strcmp(split, "held") == 0  ? held
			 : strcmp(split, "dev") == 0 ? dev
						     : NULL;
	assert_non_null(h);
	struct dbl_explanation e;
	const char *msg = rec->msg.data ? rec->msg.data : "";
	size_t len = strlen(msg);
	while (len > 0 && msg[len - 1] == '\n')
		len--;
	assert_int_equal(dbl_explain(msg, len, &e), 0);
	bool c1 = class_accepted(rec->expect, e.cls);
	bool c2 = cause_or_class_listed(&e, rec->expect, cause);
	h->n++;
	h->cls_ok += c1;
	h->cause_ok += c2;
	if (h == dev && (!c1 || !c2))
		printf("DEV %s%s: want %s cause %s got %s [%s]\n",
		       c1 ? "" : "class", c2 ? "" : " cause", rec->expect,
		       cause, dbl_class_name(e.cls), rec->source);
	dbl_explanation_release(&e);
}

static void test_corpus(void **state)
{
	(void)state;
	FILE *f = fopen(DBL_FIXTURES "/explain/corpus.txt", "r");
	assert_non_null(f);
	char line[4096], cause[64] = "", split[16] = "";
	struct record rec;
	struct half dev = {0}, held = {0};
	bool open = false;
	int fields = 0;
	memset(&rec, 0, sizeof(rec));
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);
		if (eof || strncmp(line, "=== ", 4) == 0) {
			if (open)
				score_corpus_record(&rec, cause, split, &dev,
						    &held);
			dbl_buf_release(&rec.msg);
			memset(&rec, 0, sizeof(rec));
			if (eof)
				break;
			assert_true(sscanf(line + 4, "%95s %15s", rec.expect,
					   rec.engine) == 2);
			open = true;
			fields = 0;
			continue;
		}
		if (!open)
			continue;
		if (fields < 4) {
			static const char *const keys[] = {
				"source: ", "thread: ", "cause: ", "split: "};
			char *outs[] = {rec.source, NULL, cause, split};
			size_t caps[] = {sizeof(rec.source), 0, sizeof(cause),
					 sizeof(split)};
			char skip[256];
			assert_true(read_field(
				line, keys[fields],
				outs[fields] ? outs[fields] : skip,
				caps[fields] ? caps[fields] : sizeof(skip)));
			fields++;
			continue;
		}
		dbl_buf_puts(&rec.msg, line);
	}
	fclose(f);
	double hc = held.n ? (double)held.cls_ok / held.n : 0;
	double hk = held.n ? (double)held.cause_ok / held.n : 0;
	printf("explain corpus dev:  class %d/%d (%.1f %%), cause %d/%d "
	       "(%.1f %%)\n",
	       dev.cls_ok, dev.n, 100.0 * dev.cls_ok / (dev.n ? dev.n : 1),
	       dev.cause_ok, dev.n, 100.0 * dev.cause_ok / (dev.n ? dev.n : 1));
	printf("explain corpus held: class %d/%d (%.1f %%), cause %d/%d "
	       "(%.1f %%)\n",
	       held.cls_ok, held.n, 100 * hc, held.cause_ok, held.n, 100 * hk);
	assert_true(dev.n >= 50 && held.n >= 50);
	assert_true(hc >= HELD_CLASS_FLOOR);
	assert_true(hk >= HELD_CAUSE_FLOOR);
}

/* A number is a MySQL error only where the syntax makes it one; a
 * privilege is not a socket's permission; a refusal is connection_refused
 * with the causes as alternatives (issue 19). */
static void expect_class(const char *t, enum dbl_class want)
{
	struct dbl_explanation e;
	assert_int_equal(dbl_explain(t, strlen(t), &e), 0);
	if (e.cls != want)
		printf("got %s for: %s\n", dbl_class_name(e.cls), t);
	assert_int_equal(e.cls, want);
	dbl_explanation_release(&e);
}

/* Driver wordings from threads2.txt's development half (issue 19): an
 * endpoint a connect failed to, PgJDBC's refusal whatever follows it, a
 * pool timeout, Prisma's P1000 text without its code, Go's resolver, and a
 * translated message whose accented letters a console dropped. */
static void test_driver_forms(void **state)
{
	(void)state;
	expect_class("Npgsql.NpgsqlException (0x80004005): Failed to connect "
		     "to 10.0.0.7:5432",
		     DBL_CLASS_CONNECTION_REFUSED);
	expect_class("Failed to connect to [::1]:5432 ---> "
		     "System.Net.Sockets.SocketException (10060): timed out",
		     DBL_CLASS_TIMEOUT);
	expect_class("failed to connect to database", DBL_CLASS_UNKNOWN);
	expect_class("Connection to db:5433 refused, see the log",
		     DBL_CLASS_CONNECTION_REFUSED);
	expect_class("TimeoutError: Knex: Timeout acquiring a connection. The "
		     "pool is probably full.",
		     DBL_CLASS_TIMEOUT);
	expect_class("Authentication failed against database server at "
		     "`db`, the provided database credentials for `app` are "
		     "not valid.",
		     DBL_CLASS_ACCESS_DENIED);
	expect_class("dial tcp: lookup pg on 127.0.0.11:53: server misbehaving",
		     DBL_CLASS_DNS_FAILURE);
	expect_class("FATAL:  la autentificacin password fall para el usuario "
		     "app",
		     DBL_CLASS_ACCESS_DENIED);
	expect_class("FATAL:  la autentificacin peer fall para el usuario app",
		     DBL_CLASS_AUTH_METHOD_MISMATCH);
	/* PgJDBC with no password to send (its own source's words) */
	expect_class("org.postgresql.util.PSQLException: The server requested "
		     "SCRAM-based authentication, but the password is an "
		     "empty string.",
		     DBL_CLASS_ACCESS_DENIED);
	expect_class("The server requested password-based authentication, but "
		     "no password was provided.",
		     DBL_CLASS_ACCESS_DENIED);
	/* EADDRNOTAVAIL: ::1 on a loopback without IPv6, also where the
	 * name localhost went there; not a refusal */
	expect_class("pymysql.err.OperationalError: (2003, \"Can't connect to "
		     "MySQL server on 'localhost' ([Errno 99] Cannot assign "
		     "requested address)\")",
		     DBL_CLASS_IPV6_NOT_LISTENING);
	/* the server log's DETAIL under the generic FATAL decides */
	expect_class("FATAL:  password authentication failed for user \"app\"\n"
		     "DETAIL:  User \"app\" has an expired password.",
		     DBL_CLASS_ACCOUNT_UNUSABLE);
	expect_class(
		"FATAL:  password authentication failed for user \"app\"\n"
		"DETAIL:  User \"app\" does not have a valid SCRAM secret.",
		DBL_CLASS_AUTH_METHOD_MISMATCH);
}

/* Wordings from threads11.txt's development half (issue 19): EPERM on a
 * MySQL socket (a sandboxed desktop client), libmysqlclient's 2007 when
 * what answered is not a MySQL server, OpenSSL's handshake alerts. */
static void test_local_dev_forms(void **state)
{
	(void)state;
	expect_class("ERROR 2002 (HY000): Can't connect to local MySQL server "
		     "through socket '/tmp/mysql.sock' (1)",
		     DBL_CLASS_SOCKET_PERMISSION);
	struct dbl_explanation e;
	const char *tcp = "ERROR 2003 (HY000): Can't connect to MySQL server "
			  "on '10.0.0.5' (1)";
	assert_int_equal(dbl_explain(tcp, strlen(tcp), &e), 0);
	assert_int_not_equal(e.cls, DBL_CLASS_SOCKET_PERMISSION);
	dbl_explanation_release(&e);
	expect_class("ERROR 2007 (HY000): Protocol mismatch; server version = "
		     "11, client version = 10",
		     DBL_CLASS_PROTOCOL_MISMATCH);
	expect_class("Error: write EPROTO 80:error:0A000410:SSL "
		     "routines:ssl3_read_bytes:sslv3 alert handshake failure:"
		     "ssl/record/rec_layer_s3.c:1586:SSL alert number 40",
		     DBL_CLASS_TLS_MISMATCH);
	expect_class("psql: error: connection to server at \"db\" "
		     "(10.0.0.5), port 5432 failed: SSL error: tlsv1 alert "
		     "protocol version",
		     DBL_CLASS_TLS_MISMATCH);
}

static void test_tokens(void **state)
{
	(void)state;
	expect_class("postgres[1049]: FATAL:  password authentication "
		     "failed for user \"app\"",
		     DBL_CLASS_ACCESS_DENIED);
	expect_class("psql: error: connection to server at \"127.0.0.1\", "
		     "port 1045 failed: Connection refused",
		     DBL_CLASS_CONNECTION_REFUSED);
	expect_class("FATAL:  permission denied for database \"appdb\"",
		     DBL_CLASS_ACCESS_DENIED);
	expect_class("Error: MySqlError { ERROR 1698 (28000): Access denied "
		     "for user 'root'@'localhost' }",
		     DBL_CLASS_AUTH_METHOD_MISMATCH);
	/* a PID in brackets is no MySQL code; DBeaver's "[1045] [28000]" is */
	expect_class("2024-08-16 23:51:07.547 UTC [1044] LOG:  checkpoint "
		     "starting: time",
		     DBL_CLASS_UNKNOWN);
	expect_class("2024-08-16 23:51:07.547 UTC [1049] LOG:  connection "
		     "received: host=[local]",
		     DBL_CLASS_UNKNOWN);
	expect_class("SQL Error [1049] [42000]: Unknown database 'shop'",
		     DBL_CLASS_DATABASE_MISSING);
	expect_class("mysqli_real_connect(): (HY000/1698): Access denied for "
		     "user 'root'@'localhost'",
		     DBL_CLASS_AUTH_METHOD_MISMATCH);
	/* a count or a date beside the words is no code: Java's elided
	 * frames, a traceback's line, a log's date after "ERROR" */
	expect_class("error: 'Access denied for user 'root'@'localhost' "
		     "(using password: NO)'\n\t... 1698 more",
		     DBL_CLASS_ACCESS_DENIED);
	expect_class("File \"/app/db.py\", line 1698, in connect\n"
		     "Access denied for user 'root'@'localhost'",
		     DBL_CLASS_ACCESS_DENIED);
	expect_class("Communications link failure\n\nThe last packet "
		     "successfully received from the server was 10,005 "
		     "milliseconds ago. ERROR\n2003/04/12 10:20:13 retrying",
		     DBL_CLASS_TIMEOUT);
	/* errno positions of .NET, Rust and io::Error, in any language */
	expect_class("System.Net.Sockets.SocketException (10061): No se puede "
		     "establecer una conexión ya que el equipo de destino "
		     "denegó expresamente dicha conexión.",
		     DBL_CLASS_CONNECTION_REFUSED);
	expect_class("SocketException (10060): Se produjo un error durante el "
		     "intento de conexión",
		     DBL_CLASS_TIMEOUT);
	expect_class("error returned from database: (os error 111)",
		     DBL_CLASS_CONNECTION_REFUSED);
	expect_class("Error: Os { code: 111, kind: ConnectionRefused }",
		     DBL_CLASS_CONNECTION_REFUSED);
	expect_class("mysqlslap: Error when connecting to server: 1226 User "
		     "'root' has exceeded the 'max_user_connections' resource "
		     "(current value: 2)",
		     DBL_CLASS_ACCOUNT_UNUSABLE);
	expect_class("com.mysql.cj.jdbc.exceptions.CommunicationsException: "
		     "Communications link failure",
		     DBL_CLASS_CONNECTION_REFUSED);
	expect_class("(2003, \"Can't connect to MySQL server on 'db' (111)\")",
		     DBL_CLASS_CONNECTION_REFUSED);
	/* EINTR: libmysqlclient's connect_timeout cut the connect short */
	expect_class("Can't connect to MySQL server on '192.168.1.250' (4)",
		     DBL_CLASS_TIMEOUT);
	expect_class("Error 1045: Access denied for user 'app'@'10.0.0.2'",
		     DBL_CLASS_ACCESS_DENIED);
	struct dbl_explanation e;
	const char *t = "Error: connect ECONNREFUSED 127.0.0.1:5432";
	assert_int_equal(dbl_explain(t, strlen(t), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_CONNECTION_REFUSED);
	assert_int_equal(e.n_alts, 4);
	assert_int_equal(e.alts[0].cls, DBL_CLASS_SERVER_NOT_RUNNING);
	dbl_explanation_release(&e);
	/* localhost named without an address: it may have resolved to ::1 */
	t = "Error: connect ECONNREFUSED localhost:5432";
	assert_int_equal(dbl_explain(t, strlen(t), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_CONNECTION_REFUSED);
	assert_int_equal(e.alts[0].cls, DBL_CLASS_LOCALHOST_RESOLUTION);
	dbl_explanation_release(&e);
	/* localhost (127.0.0.1) refused: IPv4 was tried and refused, the
	 * IPv6 causes do not apply */
	t = "could not connect to server: Connection refused\n\tIs the server "
	    "running on host \"localhost\" (127.0.0.1) and accepting";
	assert_int_equal(dbl_explain(t, strlen(t), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_CONNECTION_REFUSED);
	for (size_t i = 0; i < e.n_alts; i++)
		assert_int_not_equal(e.alts[i].cls,
				     DBL_CLASS_IPV6_NOT_LISTENING);
	assert_int_equal(e.alts[0].cls, DBL_CLASS_SERVER_NOT_RUNNING);
	dbl_explanation_release(&e);
	/* the tokens that decided, typed; a phrase alone is less sure */
	t = "MySqlError { ERROR 1698 (28000): Access denied for user "
	    "'root'@'localhost' }";
	assert_int_equal(dbl_explain(t, strlen(t), &e), 0);
	assert_true(e.by_code);
	assert_true(e.n_tokens >= 2);
	assert_int_equal(e.tokens[0].kind, DBL_XTOK_MYSQL_ERROR);
	assert_int_equal(e.tokens[0].value, 1698);
	double coded = e.confidence;
	dbl_explanation_release(&e);
	t = "Communications link failure";
	assert_int_equal(dbl_explain(t, strlen(t), &e), 0);
	assert_false(e.by_code);
	assert_int_equal(e.tokens[0].kind, DBL_XTOK_PHRASE);
	assert_true(e.confidence <= 0.55 && e.confidence < coded);
	dbl_explanation_release(&e);
}

/* One message as it reaches explain through a terminal, a tracker, a log
 * or a word processor, with the class each must keep. */
static const struct {
	const char *text;
	enum dbl_class cls;
} paste_forms[] = {
	/* wrapped, the continuation indented: the phrase spans the break;
	 * the line numbers stay the paste's */
	{"\npsql: error: connection to server on socket\n"
	 "    \"/var/run/postgresql/.s.PGSQL.5432\" failed: No such file or\n"
	 "    directory\n",
	 DBL_CLASS_SOCKET_MISSING},
	/* a log's column padding, a non-breaking space */
	{"FATAL:   password   authentication\xc2\xa0"
	 "failed   for user \"app\"",
	 DBL_CLASS_ACCESS_DENIED},
	/* a translated message logged as JSON (json.dumps): every non-ASCII
	 * letter a \u escape, a surrogate pair kept as one character */
	{"{\"msg\": \"psql: \\u81f4\\u547d\\u9519\\u8bef:  \\u7528\\u6237 "
	 "\\\"postgres\\\" Password \\u8ba4\\u8bc1\\u5931\\u8d25 "
	 "\\ud83d\\ude00\"}",
	 DBL_CLASS_ACCESS_DENIED},
	/* curly quotes and a web page's invisible characters */
	{"mysqli_real_connect(): (HY000/1698): Access denied for user "
	 "\xe2\x80\x98root\xe2\x80\x99@\xe2\x80\x98localhost\xe2\x80\x99"
	 "\xe2\x80\x8b",
	 DBL_CLASS_AUTH_METHOD_MISMATCH},
	/* UTF-8 read as Windows-1252 and written out again (a Windows
	 * console's log): "Peer-Authentifizierung fÃ¼r Benutzer Â»appÂ«" */
	{"psql: FATAL:  Peer-Authentifizierung f\xc3\x83\xc2\xbcr Benutzer "
	 "\xc3\x82\xc2\xbb"
	 "app\xc3\x82\xc2\xab fehlgeschlagen \xc3\x83",
	 DBL_CLASS_AUTH_METHOD_MISMATCH},
	/* an Apache error log's (or a Python bytes repr's) "\xhh" for
	 * every byte of a non-ASCII letter */
	{"PHP Warning:  pg_connect(): FATAL:  la autentificaci\\xc3\\xb3n "
	 "password fall\\xc3\\xb3 para el usuario \\xc2\\xabapp\\xc2\\xbb",
	 DBL_CLASS_ACCESS_DENIED},
	/* broken escapes and a lone surrogate stay harmless */
	{"\\ud800\\u0041\\uzzzz \\u00", DBL_CLASS_UNKNOWN},
	{"\\xc3\\x41 \\xe2\\x80 C:\\xampp\\htdocs \\x", DBL_CLASS_UNKNOWN},
};

/* Messy input: a pasted compose log names the line it was placed from;
 * JSON-escaped and HTML-escaped text reads as the message it carries. */
static void test_messy(void **state)
{
	(void)state;
	struct dbl_explanation e;
	const char *log =
		"web_1  | Starting app\r\n"
		"web_1  | Traceback (most recent call last):\r\n"
		"web_1  | psycopg2.OperationalError: connection to server at "
		"\"db\" (172.18.0.2), port 5432 failed: Connection refused\r\n"
		"db_1   | LOG:  database system is ready to accept "
		"connections\r\n";
	assert_int_equal(dbl_explain(log, strlen(log), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_CONNECTION_REFUSED);
	assert_int_equal(e.line, 3);
	assert_non_null(strstr(e.line_text, "port 5432 failed"));
	dbl_explanation_release(&e);
	const char *json = "{\"level\":\"error\",\"msg\":\"pq: password "
			   "authentication failed for user \\\"app\\\"\\n\"}";
	assert_int_equal(dbl_explain(json, strlen(json), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_ACCESS_DENIED);
	dbl_explanation_release(&e);
	const char *html = "<pre>FATAL:  database &quot;shop&quot; does not "
			   "exist</pre>";
	assert_int_equal(dbl_explain(html, strlen(html), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_DATABASE_MISSING);
	dbl_explanation_release(&e);
	const char *one = "SQLSTATE[HY000] [2002] Connection refused";
	assert_int_equal(dbl_explain(one, strlen(one), &e), 0);
	assert_int_equal(e.line, 0);
	assert_int_equal(e.n_lines, 0);
	dbl_explanation_release(&e);
	/* a lead byte's escape without its continuation is left as it
	 * was written: the path keeps its backslash */
	const char *path = "starting\nERROR 2002 (HY000): Can't connect to "
			   "local server through socket "
			   "'C:\\xc3\\x41pp\\mysql.sock' (2)";
	assert_int_equal(dbl_explain(path, strlen(path), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_SOCKET_MISSING);
	assert_non_null(strstr(e.line_text, "C:\\xc3\\x41pp"));
	dbl_explanation_release(&e);
	for (size_t i = 0; i < sizeof(paste_forms) / sizeof(paste_forms[0]);
	     i++) {
		const char *t = paste_forms[i].text;
		assert_int_equal(dbl_explain(t, strlen(t), &e), 0);
		if (e.cls != paste_forms[i].cls)
			fail_msg("paste form %zu: %s", i,
				 dbl_class_name(e.cls));
		dbl_explanation_release(&e);
	}
}

/* A log with several connection errors names each line that places
 * alone; a hint line ("Is the server running ...") is not one, and a
 * long log keeps the first DBL_EXPLAIN_MAX_LINES and counts the rest. */
static void test_error_lines(void **state)
{
	(void)state;
	struct dbl_explanation e;
	const char *log =
		"db-1  | LOG:  database system is ready to accept connections\n"
		"db-1  | FATAL:  password authentication failed for user "
		"\"root\"\n"
		"db-1  | DETAIL:  Connection matched pg_hba.conf line 13\n"
		"db-1  | FATAL:  database \"todo\" does not exist\n"
		"app-1 | psql: error: connection to server at \"db\" "
		"(172.18.0.2), port 5432 failed: Connection refused\n"
		"app-1 | \tIs the server running on that host and accepting "
		"TCP/IP connections?\n";
	assert_int_equal(dbl_explain(log, strlen(log), &e), 0);
	assert_int_equal(e.n_lines, 3);
	assert_int_equal(e.lines[0].number, 2);
	assert_int_equal(e.lines[0].cls, DBL_CLASS_ACCESS_DENIED);
	assert_int_equal(e.lines[1].number, 4);
	assert_int_equal(e.lines[1].cls, DBL_CLASS_DATABASE_MISSING);
	assert_int_equal(e.lines[2].number, 5);
	assert_int_equal(e.lines[2].cls, DBL_CLASS_CONNECTION_REFUSED);
	assert_non_null(strstr(e.lines[1].text, "\"todo\""));
	assert_int_equal(e.n_lines_more, 0);
	dbl_explanation_release(&e);
	struct dbl_buf b = {0};
	for (int i = 0; i < DBL_EXPLAIN_MAX_LINES + 4; i++)
		dbl_buf_printf(&b,
			       "ERROR 1045 (28000): Access denied for user "
			       "'app%d'@'localhost' (using password: YES)\n",
			       i);
	assert_int_equal(dbl_explain(b.data, b.len, &e), 0);
	assert_int_equal(e.n_lines, DBL_EXPLAIN_MAX_LINES);
	assert_int_equal(e.n_lines_more, 4);
	dbl_explanation_release(&e);
	dbl_buf_release(&b);
}

/* A log longer than the scanner keeps (256 KiB) with its one error in
 * the middle: the error lines are kept, not the head and the tail alone,
 * and the line number is the log's own. Its noise holds loose numbers
 * ("job 1044") that name no MySQL error. */
static void test_long_log(void **state)
{
	(void)state;
	struct dbl_buf b = {0};
	const size_t n_lines = 5000, at = 2500;
	for (size_t i = 0; i < n_lines; i++) {
		if (i == at)
			dbl_buf_puts(&b, "psql: error: connection to server on "
					 "socket \"/var/run/postgresql/"
					 ".s.PGSQL.5432\" failed: No such "
					 "file or directory\n");
		else
			dbl_buf_printf(&b,
				       "2026-12-03 10:00:%02zu INFO "
				       "app.worker[%zu] processed job %zu in "
				       "12ms status=ok user=alice\n",
				       i % 60, i, i);
	}
	assert_false(b.oom);
	assert_true(b.len > 256 * 1024); /* beyond what the scanner keeps */
	struct dbl_explanation e;
	assert_int_equal(dbl_explain(b.data, b.len, &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_SOCKET_MISSING);
	assert_int_equal(e.line, at + 1);
	dbl_explanation_release(&e);
	const char *noise = "2026-12-03 10:00:24 INFO app.worker[1044] "
			    "processed job 1044 in 12ms status=ok user=alice";
	assert_int_equal(dbl_explain(noise, strlen(noise), &e), 0);
	assert_int_equal(e.cls, DBL_CLASS_UNKNOWN);
	dbl_explanation_release(&e);
	dbl_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_messages),
		cmocka_unit_test(test_unknown_text),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_localised),
		cmocka_unit_test(test_alternatives),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_driver_forms),
		cmocka_unit_test(test_local_dev_forms),
		cmocka_unit_test(test_alternatives_filled),
		cmocka_unit_test(test_never_connected),
		cmocka_unit_test(test_unknown_lists_causes),
		cmocka_unit_test(test_words_in_place),
		cmocka_unit_test(test_messy),
		cmocka_unit_test(test_error_lines),
		cmocka_unit_test(test_long_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
