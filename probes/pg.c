/* PostgreSQL probe: raw connect, a greeting spoken by hand (SSLRequest,
 * StartupMessage: the only way to learn the SQLSTATE of a refused
 * connection without logging in), then a libpq login and read-only
 * introspection. */
#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "dbloop/util.h"
#include "probes/probes.h"
#include "probes/wire_mysql.h"
#include "probes/wire_pg.h"

#ifdef DBLOOP_WITH_LIBPQ
#include <libpq-fe.h>

#include "dbloop/clientlib.h"
#include <poll.h>

#define PG_APP_NAME "dbloop"

/* The port of the transport: the N of ".s.PGSQL.N" on the socket. */
static int pg_port(const struct dbl_probe_ctx *ctx)
{
	const char *path = ctx->target->socket_path;
	const char *p = path ? strstr(path, ".s.PGSQL.") : NULL;

	if (ctx->transport == DBL_TRANSPORT_UNIX && p) {
		int port = 0;
		if (dbl_parse_port(p + strlen(".s.PGSQL."), &port) == 0)
			return port;
	}
	return ctx->target->port ? ctx->target->port : 5432;
}

/* The user libpq would log in as: the target's, else the OS user. */
static const char *pg_user(const struct dbl_target *t, char *buf, size_t n)
{
	struct passwd pw, *found = NULL;
	char tmp[1024];

	if (t->user)
		return t->user;
	if (getpwuid_r(geteuid(), &pw, tmp, sizeof(tmp), &found) == 0 && found)
		dbl_strlcpy(buf, found->pw_name, n);
	else
		dbl_strlcpy(buf, "postgres", n);
	return buf;
}

/* Names what answered when it was not PostgreSQL; fails the greet. */
static void pg_other_protocol(struct dbl_result *r, const uint8_t *buf,
			      size_t n)
{
	r->protocol = dbl_wire_sniff(buf, n);
	if (r->protocol == DBL_PROTO_MYSQL &&
	    dbl_mysql_parse_greeting(buf, n, &r->mysql, NULL) == 10) {
		dbl_strlcpy(r->version, r->mysql.server_version,
			    sizeof(r->version));
		dbl_strlcpy(r->product,
			    strstr(r->version, "MariaDB") ? "MariaDB" : "MySQL",
			    sizeof(r->product));
	}
	if (r->protocol == DBL_PROTO_CLOSED)
		dbl_strlcpy(r->message,
			    "server closed the connection unexpectedly",
			    sizeof(r->message));
	else
		snprintf(r->message, sizeof(r->message),
			 "expected a PostgreSQL answer, received %s "
			 "(first byte 0x%02x)",
			 r->protocol == DBL_PROTO_POSTGRES
				 ? "a malformed PostgreSQL message"
				 : dbl_protocol_name(r->protocol),
			 n ? buf[0] : 0);
}

/* A read or write that failed at the socket level during greet. */
static void pg_greet_io_failed(struct dbl_result *r, int err,
			       const uint8_t *buf, size_t have)
{
	if (have)
		r->protocol = dbl_wire_sniff(buf, have);
	else if (err == ETIMEDOUT)
		r->protocol = DBL_PROTO_SILENT;
	else if (err == ECONNRESET || err == EPIPE)
		r->protocol = DBL_PROTO_CLOSED;
	dbl_probe_fail_errno(r, err, "greeting from", r->address);
}

/* SSLRequest on TCP: records 'S'/'N'. After 'S' (we do not do TLS by
 * hand) *fd is a fresh plaintext connection to the same address. */
static int pg_ssl_exchange(const struct dbl_probe_ctx *ctx,
			   struct dbl_result *r, int *fd,
			   const struct dbl_net_addr *addr)
{
	uint8_t req[DBL_PG_SSLREQUEST_LEN], buf[512];
	ssize_t n;
	int rc;

	dbl_pg_build_ssl_request(req);
	rc = dbl_net_write_all(*fd, req, sizeof(req), ctx->deadline_ms,
			       ctx->cancel);
	n = rc < 0 ? rc
		   : dbl_net_read_some(*fd, buf, sizeof(buf), ctx->deadline_ms,
				       ctx->cancel);
	if (n < 0) {
		pg_greet_io_failed(r, (int)-n, NULL, 0);
		return -1;
	}
	if (n != 1 || (buf[0] != 'S' && buf[0] != 'N')) {
		pg_other_protocol(r, buf, (size_t)n);
		return -1;
	}
	r->pg.ssl_answer = (char)buf[0];
	r->protocol = DBL_PROTO_POSTGRES;
	if (buf[0] == 'N')
		return 0;
	close(*fd);
	*fd = dbl_probe_reconnect(ctx, addr, r);
	return *fd < 0 ? -1 : 0;
}

static void pg_set_auth_method(struct dbl_result *r, bool on_socket)
{
	const char *m = "";

	switch (r->pg.auth_request) {
	case DBL_PG_AUTH_OK:
		m = on_socket ? "" : "trust"; /* peer and trust look alike */
		break;
	case DBL_PG_AUTH_CLEARTEXT:
		m = "password";
		break;
	case DBL_PG_AUTH_MD5:
		m = "md5";
		break;
	case DBL_PG_AUTH_GSS:
		m = "gss";
		break;
	case DBL_PG_AUTH_SSPI:
		m = "sspi";
		break;
	case DBL_PG_AUTH_SASL:
		m = strstr(r->pg.sasl_mechanisms, "SCRAM-SHA-256")
			    ? "scram-sha-256"
			    : "sasl";
		break;
	default:
		break;
	}
	dbl_strlcpy(r->auth_method, m, sizeof(r->auth_method));
}

/* The server's own words name the method that failed. */
static void pg_auth_method_from_message(struct dbl_result *r, const char *msg)
{
	static const char *const names[][2] = {
		{"Peer authentication failed", "peer"},
		{"Ident authentication failed", "ident"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strstr(msg, names[i][0]))
			dbl_strlcpy(r->auth_method, names[i][1],
				    sizeof(r->auth_method));
}

/* An ErrorResponse at greet. Returns -1 (greet failed), or 0 for the one
 * rejection a TLS login may not meet: 28000 over plaintext on a server
 * that accepted SSL ("hostssl" lines only), when the client will use TLS. */
static int pg_greet_error(const struct dbl_probe_ctx *ctx, struct dbl_result *r)
{
	pg_auth_method_from_message(r, r->pg.message);
	if (strcmp(r->pg.sqlstate, "28000") == 0 && r->pg.ssl_answer == 'S' &&
	    ctx->target->ssl_mode != DBL_SSL_DISABLE)
		return 0;
	dbl_strlcpy(r->sqlstate, r->pg.sqlstate, sizeof(r->sqlstate));
	/* As libpq shows it: "FATAL:  message". */
	size_t n = dbl_strlcpy(r->message,
			       r->pg.severity[0] ? r->pg.severity : "FATAL",
			       sizeof(r->message));
	if (n < sizeof(r->message)) {
		dbl_strlcpy(r->message + n, ":  ", sizeof(r->message) - n);
		n += 3;
	}
	if (n < sizeof(r->message))
		dbl_strlcpy(r->message + n, r->pg.message,
			    sizeof(r->message) - n);
	return -1;
}

/* A SCRAM client-first that proves nothing, for the server-first's salt
 * and iteration count (what tells one server's role from another's).
 * Whatever goes wrong leaves them empty; the probe's outcome is not
 * touched. The connection is then dropped mid-exchange. */
static void pg_scram_first(const struct dbl_probe_ctx *ctx,
			   struct dbl_result *r, int fd)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				    "qrstuvwxyz0123456789";
	unsigned char raw[24];
	char nonce[sizeof(raw) + 1];
	uint8_t buf[512];
	size_t have = 0;

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return;
	for (size_t i = 0; i < sizeof(raw); i++)
		nonce[i] = alnum[raw[i] % (sizeof(alnum) - 1)];
	nonce[sizeof(raw)] = '\0';
	int len = dbl_pg_build_sasl_initial(buf, sizeof(buf), nonce);
	if (len < 0 || dbl_net_write_all(fd, buf, (size_t)len, ctx->deadline_ms,
					 ctx->cancel) < 0)
		return;
	if (dbl_net_read_until(fd, buf, &have, 5, ctx->deadline_ms,
			       ctx->cancel) != 0)
		return;
	char type = 0;
	long body = dbl_pg_parse_header(buf, have, &type, sizeof(buf) - 5);
	if (body < 0 || type != 'R' ||
	    dbl_net_read_until(fd, buf, &have, 5 + (size_t)body,
			       ctx->deadline_ms, ctx->cancel) != 0)
		return;
	dbl_pg_parse_sasl_continue(buf + 5, (size_t)body, &r->pg);
}

/* StartupMessage, then one AuthenticationRequest or ErrorResponse. */
static int pg_startup_exchange(const struct dbl_probe_ctx *ctx,
			       struct dbl_result *r, int fd)
{
	uint8_t buf[DBL_PG_GREET_MAX + 5];
	char user_buf[128];
	size_t have = 0;
	int len = dbl_pg_build_startup(
		buf, sizeof(buf),
		pg_user(ctx->target, user_buf, sizeof(user_buf)),
		ctx->target->database, PG_APP_NAME);
	int rc = len < 0 ? len
			 : dbl_net_write_all(fd, buf, (size_t)len,
					     ctx->deadline_ms, ctx->cancel);

	if (len < 0) {
		dbl_strlcpy(r->message, "user or database name too long",
			    sizeof(r->message));
		return -1;
	}
	while (rc >= 0) {
		rc = dbl_pg_parse_message(buf, have, &r->pg);
		if (rc != 0)
			break;
		ssize_t n =
			dbl_net_read_some(fd, buf + have, sizeof(buf) - have,
					  ctx->deadline_ms, ctx->cancel);
		if (n <= 0) {
			if (n == 0) {
				pg_other_protocol(r, buf, have);
				return -1;
			}
			rc = (int)n;
			break;
		}
		have += (size_t)n;
	}
	if (rc == DBL_PG_MSG_AUTH || rc == DBL_PG_MSG_ERROR) {
		r->protocol = DBL_PROTO_POSTGRES;
		dbl_strlcpy(r->product, "PostgreSQL", sizeof(r->product));
	}
	if (rc == DBL_PG_MSG_AUTH) {
		pg_set_auth_method(r, ctx->transport == DBL_TRANSPORT_UNIX);
		if (r->pg.auth_request == DBL_PG_AUTH_SASL &&
		    strstr(r->pg.sasl_mechanisms, "SCRAM-SHA-256"))
			pg_scram_first(ctx, r, fd);
		if (r->pg.auth_request == DBL_PG_AUTH_OK) /* Terminate */
			dbl_net_write_all(fd, "X\0\0\0\4", 5, ctx->deadline_ms,
					  ctx->cancel);
		return 0;
	}
	if (rc == DBL_PG_MSG_ERROR)
		return pg_greet_error(ctx, r);
	if (dbl_is_os_error(rc)) /* the socket's */
		pg_greet_io_failed(r, -rc, buf, have);
	else /* -DBL_EINVAL: the parser's, not PostgreSQL's protocol */
		pg_other_protocol(r, buf, have);
	return -1;
}

/* Greet stage on a connected socket; closes it (the login is libpq's). */
static int pg_greet(const struct dbl_probe_ctx *ctx, struct dbl_result *r,
		    int fd, const struct dbl_net_addr *addr)
{
	double t0;
	int rc = 0;

	dbl_probe_stage_begin(r, DBL_STAGE_GREET, &t0);
	if (ctx->transport != DBL_TRANSPORT_UNIX)
		rc = pg_ssl_exchange(ctx, r, &fd, addr);
	if (rc == 0)
		rc = pg_startup_exchange(ctx, r, fd);
	if (fd >= 0)
		close(fd);
	dbl_probe_stage_end(r, t0);
	return rc;
}

/* Takes the SQLSTATE out of a verbose libpq message ("FATAL:  28P01: ...")
 * and leaves the message as a terse one reads, without LOCATION lines. */
static void pg_copy_error(struct dbl_result *r, const char *msg)
{
	static const char *const levels[] = {
		"FATAL:  ", "ERROR:  ", "PANIC:  "};
	struct dbl_buf out = {0};

	for (const char *line = msg; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (strncmp(line, "LOCATION:  ", 11) != 0) {
			dbl_buf_append(&out, line, len);
			dbl_buf_puts(&out, "\n");
		}
		line += end ? len + 1 : len;
	}
	for (size_t i = 0; out.data && i < 3; i++) {
		char *p = strstr(out.data, levels[i]);
		char *code = p ? p + strlen(levels[i]) : NULL;
		if (!code ||
		    strspn(code, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 5 ||
		    strncmp(code + 5, ": ", 2) != 0)
			continue;
		dbl_strlcpy(r->sqlstate, code, 6);
		memmove(code, code + 7, strlen(code + 7) + 1);
		break;
	}
	while (out.len && out.data && out.data[out.len - 1] == '\n')
		out.data[--out.len] = '\0';
	dbl_strlcpy(r->message, out.data ? out.data : msg, sizeof(r->message));
	pg_auth_method_from_message(r, r->message);
	dbl_buf_release(&out);
}

struct pg_params {
	const char *keys[16];
	const char *values[16];
	int n;
	char port[16];
};

static void pg_param(struct pg_params *p, const char *key, const char *value)
{
	if (value && p->n < 15) {
		p->keys[p->n] = key;
		p->values[p->n++] = value;
	}
	p->keys[p->n] = p->values[p->n] = NULL;
}

/* libpq keyword/value arrays for the transport: the socket directory and
 * port, or the address the connect stage reached. */
static void pg_params_fill(const struct dbl_probe_ctx *ctx,
			   const struct dbl_net_addr *addr, char *dir,
			   size_t dir_size, struct pg_params *p)
{
	const struct dbl_target *t = ctx->target;

	p->n = 0;
	snprintf(p->port, sizeof(p->port), "%d", pg_port(ctx));
	if (ctx->transport == DBL_TRANSPORT_UNIX) {
		dbl_strlcpy(dir, t->socket_path, dir_size);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir)
			*slash = '\0';
		pg_param(p, "host", dir);
	} else {
		pg_param(p, "host",
			 ctx->transport == DBL_TRANSPORT_TCP4 ||
					 ctx->transport == DBL_TRANSPORT_TCP6
				 ? addr->ip
				 : (ctx->transport == DBL_TRANSPORT_LOCALHOST
					    ? "localhost"
					    : t->host));
		pg_param(p, "hostaddr", addr->ip);
	}
	pg_param(p, "port", p->port);
	pg_param(p, "user", t->user);
	pg_param(p, "dbname", t->database);
	pg_param(p, "password", t->password);
	pg_param(p, "sslmode", dbl_ssl_mode_name(t->ssl_mode));
	pg_param(p, "sslrootcert", t->ssl_ca);
	pg_param(p, "sslcert", t->ssl_cert);
	pg_param(p, "sslkey", t->ssl_key);
	pg_param(p, "gssencmode", "disable");
	pg_param(p, "application_name", PG_APP_NAME);
}

/* Drives PQconnectPoll with our deadline. 0 when logged in. */
static int pg_poll_login(const struct dbl_probe_ctx *ctx, PGconn *conn,
			 struct dbl_result *r)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;

	if (PQstatus(conn) == CONNECTION_BAD)
		st = PGRES_POLLING_FAILED;
	while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		int rc = dbl_net_wait(PQsocket(conn),
				      st == PGRES_POLLING_READING ? POLLIN
								  : POLLOUT,
				      ctx->deadline_ms, ctx->cancel);
		if (rc < 0) {
			dbl_probe_fail_errno(r, -rc, "login to", r->address);
			return -1;
		}
		st = PQconnectPoll(conn);
	}
	if (st == PGRES_POLLING_OK)
		return 0;
	pg_copy_error(r, PQerrorMessage(conn));
	return -1;
}

/* libpq's trace of a login, in memory (pg_trace_start, pg_trace_end). */
struct pg_trace {
	FILE *f;
	char *data;
	size_t len;
};

static void pg_trace_start(struct pg_trace *tr, PGconn *conn)
{
	tr->data = NULL;
	tr->len = 0;
	tr->f = open_memstream(&tr->data, &tr->len);
	if (tr->f) {
		PQtrace(conn, tr->f);
		PQsetTraceFlags(conn, PQTRACE_SUPPRESS_TIMESTAMPS);
	}
}

/* Stops the trace; the request it proves (dbl_pg_auth_from_trace), or
 * DBL_PG_AUTH_NONE. The buffer is wiped: another libpq may trace more
 * of the password messages than their lengths. */
static int pg_trace_end(struct pg_trace *tr, PGconn *conn, long pw_len)
{
	int auth = DBL_PG_AUTH_NONE;

	if (!tr->f)
		return auth;
	PQuntrace(conn);
	if (fclose(tr->f) == 0 && tr->data)
		auth = dbl_pg_auth_from_trace(tr->data, tr->len, pw_len);
	if (tr->data)
		dbl_secure_zero(tr->data, tr->len);
	free(tr->data);
	tr->f = NULL;
	return auth;
}

/* Auth stage: a real login with libpq. *out is the connection or NULL.
 * traced, when not NULL, gets what the login's own messages prove of the
 * server's authentication request (pg_trace_end), which libpq 15 has no
 * call for. */
static int pg_auth(const struct dbl_probe_ctx *ctx, struct dbl_result *r,
		   const struct dbl_net_addr *addr, PGconn **out, int *traced)
{
	struct pg_params p;
	struct pg_trace tr = {0};
	char dir[DBL_ADDR_MAX];
	const char *pw = ctx->target->password;
	double t0;
	int rc;

	dbl_probe_stage_begin(r, DBL_STAGE_AUTH, &t0);
	pg_params_fill(ctx, addr, dir, sizeof(dir), &p);
	*out = PQconnectStartParams(p.keys, p.values, 0);
	if (!*out) {
		dbl_probe_stage_end(r, t0);
		return -DBL_ENOMEM;
	}
	PQsetErrorVerbosity(*out, PQERRORS_VERBOSE);
	if (traced)
		pg_trace_start(&tr, *out);
	rc = pg_poll_login(ctx, *out, r);
	if (traced)
		*traced = pg_trace_end(&tr, *out,
				       pw && pw[0] ? (long)strlen(pw) : -1);
	if (rc == 0) {
		r->tls_used = PQsslInUse(*out) != 0;
		dbl_strlcpy(r->product, "PostgreSQL", sizeof(r->product));
		const char *v = PQparameterStatus(*out, "server_version");
		dbl_strlcpy(r->version, v ? v : "", sizeof(r->version));
	}
	dbl_probe_stage_end(r, t0);
	return rc < 0 ? -1 : 0;
}

/* Sends sql (one or more statements) and collects their results, with
 * our deadline, into out[0..max). The count (caller clears them), or -1
 * when the connection failed or time ran out (recorded in r). */
static int pg_exec_all(const struct dbl_probe_ctx *ctx, PGconn *conn,
		       const char *sql, struct dbl_result *r, PGresult **out,
		       int max)
{
	PGresult *res;
	int rc = 0, n = 0;

	if (!PQsendQuery(conn, sql))
		goto lost;
	for (;;) {
		while (PQisBusy(conn)) {
			rc = dbl_net_wait(PQsocket(conn), POLLIN,
					  ctx->deadline_ms, ctx->cancel);
			if (rc < 0)
				goto out;
			if (!PQconsumeInput(conn))
				goto lost;
		}
		res = PQgetResult(conn);
		if (!res)
			return n;
		if (n < max)
			out[n++] = res;
		else
			PQclear(res);
	}
lost:
	pg_copy_error(r, PQerrorMessage(conn));
out:
	if (rc < 0)
		dbl_probe_fail_errno(r, -rc, "query on", r->address);
	while (n > 0)
		PQclear(out[--n]);
	return -1;
}

/* One statement: its last result (caller clears), or NULL as above. */
static PGresult *pg_exec(const struct dbl_probe_ctx *ctx, PGconn *conn,
			 const char *sql, struct dbl_result *r)
{
	PGresult *res = NULL;

	return pg_exec_all(ctx, conn, sql, r, &res, 1) == 1 ? res : NULL;
}

/* Stores column col of row 0 as setting name. */
static void pg_store(struct dbl_result *r, PGresult *res, int col,
		     const char *name)
{
	bool ok = res && PQresultStatus(res) == PGRES_TUPLES_OK &&
		  PQntuples(res) > 0 && col < PQnfields(res);

	dbl_result_add_setting(r, name, ok ? PQgetvalue(res, 0, col) : "", !ok);
}

#define PG_SETTINGS_SQL                                                        \
	"SELECT name, setting FROM pg_settings WHERE name IN "                 \
	"('listen_addresses', 'port', 'unix_socket_directories', 'ssl', "      \
	"'password_encryption', 'data_directory', 'config_file', 'hba_file')"
/* The same eight, without building every row of pg_settings (about 1 ms
 * of server CPU per backend on PostgreSQL 15): current_setting() of each,
 * NULL where pg_settings would hide it (the superuser-only ones, for an
 * account without the privileges of pg_read_all_settings: pg_has_role
 * USAGE is the test the server applies). Should a server refuse it (no
 * pg_read_all_settings before PostgreSQL 10, a setting restricted in
 * another version), the batch's third statement fails and
 * pg_query_rest asks pg_settings itself. */
#define PG_SETTINGS_FAST_SQL                                                   \
	"SELECT n, CASE WHEN n IN ('listen_addresses', 'port', 'ssl', "        \
	"'password_encryption') OR pg_has_role('pg_read_all_settings', "       \
	"'USAGE') THEN current_setting(n) END FROM unnest(ARRAY["              \
	"'listen_addresses', 'port', 'unix_socket_directories', 'ssl', "       \
	"'password_encryption', 'data_directory', 'config_file', "             \
	"'hba_file']) AS n"
#define PG_IDENTITY_SQL                                                        \
	"SELECT version(), current_user, inet_server_addr(), "                 \
	"pg_postmaster_start_time()"

/* Server settings from PG_SETTINGS_FAST_SQL or pg_settings, which leave
 * out (NULL, or no row) what an account without pg_read_all_settings may
 * not read: those are denied. */
static void pg_store_settings(struct dbl_result *r, PGresult *res)
{
	static const char *const names[] = {"listen_addresses",
					    "port",
					    "unix_socket_directories",
					    "ssl",
					    "password_encryption",
					    "data_directory",
					    "config_file",
					    "hba_file"};
	bool ok = res && PQresultStatus(res) == PGRES_TUPLES_OK;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *value = NULL;
		for (int row = 0; ok && row < PQntuples(res); row++)
			if (strcmp(PQgetvalue(res, row, 0), names[i]) == 0 &&
			    !PQgetisnull(res, row, 1))
				value = PQgetvalue(res, row, 1);
		dbl_result_add_setting(r, names[i], value ? value : "",
				       value == NULL);
	}
}

static void pg_store_identity(struct dbl_result *r, PGresult *res)
{
	static const char *const names[] = {"version", "current_user",
					    "inet_server_addr",
					    "pg_postmaster_start_time"};

	for (int i = 0; i < 4; i++)
		pg_store(r, res, i, names[i]);
}

/* SELECT 1 failed: what the server said. */
static void pg_query_failed(struct dbl_result *r, PGresult *res)
{
	if (!res)
		return;
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	dbl_strlcpy(r->sqlstate, st ? st : "", sizeof(r->sqlstate));
	dbl_strlcpy(r->message, PQresultErrorMessage(res), sizeof(r->message));
}

/* The statements after SELECT 1 that the batch did not run (one failed,
 * which ends a multi-statement query), each on its own. */
static void pg_query_rest(const struct dbl_probe_ctx *ctx, PGconn *conn,
			  struct dbl_result *r, PGresult **res, int n)
{
	PGresult *one = NULL;

	if (n < 2) {
		one = pg_exec(ctx, conn, PG_IDENTITY_SQL, r);
		pg_store_identity(r, one);
		PQclear(one);
	} else {
		pg_store_identity(r, res[1]);
	}
	if (n == 3 && PQresultStatus(res[2]) == PGRES_TUPLES_OK) {
		pg_store_settings(r, res[2]);
		return;
	}
	one = pg_exec(ctx, conn, PG_SETTINGS_SQL, r);
	pg_store_settings(r, one);
	PQclear(one);
}

/* Query stage: SELECT 1, then what explains the other transports, all in
 * one round trip. */
static int pg_query(const struct dbl_probe_ctx *ctx, PGconn *conn,
		    struct dbl_result *r)
{
	PGresult *res[3] = {NULL, NULL, NULL};
	double t0;
	int n;

	dbl_probe_stage_begin(r, DBL_STAGE_QUERY, &t0);
	n = pg_exec_all(ctx, conn,
			"SELECT 1; " PG_IDENTITY_SQL "; " PG_SETTINGS_FAST_SQL,
			r, res, 3);
	if (n < 1 || PQresultStatus(res[0]) != PGRES_TUPLES_OK) {
		pg_query_failed(r, n > 0 ? res[0] : NULL);
		for (int i = 0; i < n; i++)
			PQclear(res[i]);
		dbl_probe_stage_end(r, t0);
		return -1;
	}
	pg_query_rest(ctx, conn, r, res, n);
	for (int i = 0; i < n; i++)
		PQclear(res[i]);
	const char *port = dbl_result_setting(r, "port");
	const char *started = dbl_result_setting(r, "pg_postmaster_start_time");
	snprintf(r->instance, sizeof(r->instance), "port=%s started=%s",
		 port ? port : "?", started ? started : "?");
	dbl_probe_stage_end(r, t0);
	return r->timed_out || r->sys_errno ? -1 : 0;
}

/* What a login proves about the stages it skipped: the server speaks
 * PostgreSQL, and what it asked for (no password: trust or peer). */
static void pg_login_proved(const struct dbl_probe_ctx *ctx, PGconn *conn,
			    struct dbl_result *r, const struct dbl_net_addr *a)
{
	dbl_probe_login_proved(r, a);
	r->protocol = DBL_PROTO_POSTGRES;
	if (ctx->transport != DBL_TRANSPORT_UNIX && r->tls_used)
		r->pg.ssl_answer = 'S';
	if (!PQconnectionUsedPassword(conn)) {
		r->pg.auth_request = DBL_PG_AUTH_OK;
		pg_set_auth_method(r, ctx->transport == DBL_TRANSPORT_UNIX);
	}
}

/* A login with a password leaves the greeting unseen (libpq 15 has no
 * call that says which method it met; its trace of the login's own
 * messages tells the method, pg_trace_end, not the salt). The look: one
 * more StartupMessage on the same address, by hand, records the
 * authentication request and, for SCRAM, the salt and iteration count,
 * so the transports can be compared. Only those fields are kept; a
 * refusal here (hostssl lines met in plaintext) changes nothing. Where
 * the trace told the method, the look waits for pg_revisit (after every
 * probe, only when another transport failed: a healthy run starts no
 * backend for it); where it did not (another libpq's trace), it runs at
 * once in a thread of its own while the query stage runs on the login's
 * connection (pg_peek_start, pg_peek_finish). */
struct pg_peek {
	pthread_t tid;
	bool started;
	const struct dbl_probe_ctx *ctx;
	struct dbl_net_addr addr;
	struct dbl_result tmp;
	bool greeted; /* the server's answer was an authentication request */
};

static void *pg_peek_run(void *arg)
{
	struct pg_peek *k = arg;
	int fd = dbl_net_connect(&k->addr, k->ctx->deadline_ms, k->ctx->cancel);

	if (fd >= 0) {
		k->greeted = pg_startup_exchange(k->ctx, &k->tmp, fd) == 0;
		close(fd);
	}
	return NULL;
}

/* A greeting is a few hundred bytes of stack; libpq is not called. */
#define PG_PEEK_STACK_SIZE (256 * 1024)

/* Starts the look (in this thread when no thread can be had); NULL when
 * out of memory (then there is no look). */
static struct pg_peek *pg_peek_start(const struct dbl_probe_ctx *ctx,
				     const struct dbl_result *r,
				     const struct dbl_net_addr *a)
{
	struct pg_peek *k = calloc(1, sizeof(*k));
	pthread_attr_t attr;

	if (!k)
		return NULL;
	k->ctx = ctx;
	k->addr = *a;
	dbl_result_init(&k->tmp, r->engine, r->transport, r->max_stage);
	if (pthread_attr_init(&attr) == 0) {
		pthread_attr_setstacksize(&attr, PG_PEEK_STACK_SIZE);
		k->started =
			pthread_create(&k->tid, &attr, pg_peek_run, k) == 0;
		pthread_attr_destroy(&attr);
	}
	if (!k->started)
		pg_peek_run(k);
	return k;
}

/* Keeps what the look saw in r. */
static void pg_peek_keep(const struct pg_peek *k, struct dbl_result *r)
{
	if (k->greeted && k->tmp.pg.auth_request > DBL_PG_AUTH_OK) {
		r->pg.auth_request = k->tmp.pg.auth_request;
		dbl_strlcpy(r->pg.sasl_mechanisms, k->tmp.pg.sasl_mechanisms,
			    sizeof(r->pg.sasl_mechanisms));
		dbl_strlcpy(r->pg.scram_salt, k->tmp.pg.scram_salt,
			    sizeof(r->pg.scram_salt));
		r->pg.scram_iterations = k->tmp.pg.scram_iterations;
		pg_set_auth_method(r, false);
	}
}

/* Waits for the look and keeps what it saw in r; frees it. */
static void pg_peek_finish(struct pg_peek *k, struct dbl_result *r)
{
	if (!k)
		return;
	if (k->started)
		pthread_join(k->tid, NULL);
	pg_peek_keep(k, r);
	free(k);
}

/* Not in plaintext to another host, nor where the client asked for TLS:
 * the look sends the user name in the clear. */
static bool pg_may_look(const struct dbl_probe_ctx *ctx)
{
	return ctx->transport != DBL_TRANSPORT_HOST &&
	       ctx->target->ssl_mode < DBL_SSL_REQUIRE;
}

/* The request the login's trace proved. SASL is SCRAM-SHA-256: the only
 * mechanism family libpq logs in with; which of them the server offered
 * (sasl_mechanisms) the trace does not say. */
static void pg_set_traced_method(struct dbl_result *r, int traced)
{
	r->pg.auth_request = traced;
	if (traced == DBL_PG_AUTH_SASL)
		dbl_strlcpy(r->auth_method, "scram-sha-256",
			    sizeof(r->auth_method));
	else
		pg_set_auth_method(r, false);
}

/* After every probe: a transport that logged in with SCRAM, while
 * another of the same target did not, gets the look at its greeting
 * after all (the salt and iteration count the comparison of the two
 * needs, which the login did not show). On the probe's own deadline. */
static int pg_revisit(const struct dbl_probe_ctx *ctx, struct dbl_result *r)
{
	struct dbl_net_addr addrs[DBL_NET_MAX_ADDRS];
	struct pg_peek k = {.ctx = ctx};
	int n = 0;

	if (!r->ok || r->reused || r->pg.auth_request != DBL_PG_AUTH_SASL ||
	    r->pg.scram_salt[0] || !pg_may_look(ctx))
		return 0;
	/* the look's own result takes the resolve stage's record */
	dbl_result_init(&k.tmp, r->engine, r->transport, r->max_stage);
	if (dbl_probe_resolve(ctx, pg_port(ctx), &k.tmp, addrs, &n) < 0 ||
	    n < 1)
		return 0;
	k.addr = addrs[0];
	dbl_result_init(&k.tmp, r->engine, r->transport, r->max_stage);
	pg_peek_run(&k);
	pg_peek_keep(&k, r);
	return 0;
}

/* The SSL answer a plaintext login did not ask for: the server's ssl. */
static void pg_ssl_answer_from_settings(const struct dbl_probe_ctx *ctx,
					struct dbl_result *r)
{
	const char *ssl = dbl_result_setting(r, "ssl");

	if (ctx->transport != DBL_TRANSPORT_UNIX && !r->pg.ssl_answer && ssl)
		r->pg.ssl_answer = strcmp(ssl, "on") == 0 ? 'S' : 'N';
}

/* Login first (probes.h): 0 logged in (*conn; *peek, when not NULL, is
 * the look at the greeting, for pg_peek_finish), 1 when the login failed
 * and is set aside in *failed, -1 when the name did not resolve
 * (recorded), -DBL_ENOMEM. */
static int pg_login_first(const struct dbl_probe_ctx *ctx, struct dbl_result *r,
			  PGconn **conn, struct dbl_result **failed,
			  struct pg_peek **peek)
{
	struct dbl_net_addr addrs[DBL_NET_MAX_ADDRS];
	struct dbl_probe_ctx budget = dbl_probe_login_budget(ctx);
	int n = 0, rc, traced = DBL_PG_AUTH_NONE;

	if (dbl_probe_resolve(ctx, pg_port(ctx), r, addrs, &n) < 0)
		return -1;
	rc = pg_auth(&budget, r, &addrs[0], conn, &traced);
	if (rc == 0) {
		pg_login_proved(ctx, *conn, r, &addrs[0]);
		if (!PQconnectionUsedPassword(*conn))
			return 0;
		if (traced != DBL_PG_AUTH_NONE) {
			pg_set_traced_method(r, traced);
			return 0; /* the salt, when needed: pg_revisit */
		}
		if (pg_may_look(ctx))
			*peek = pg_peek_start(ctx, r, &addrs[0]);
		return 0;
	}
	PQfinish(*conn);
	*conn = NULL;
	if (rc == -DBL_ENOMEM)
		return rc;
	dbl_probe_login_set_aside(r, &addrs[0], failed);
	return 1;
}

/* Every stage by hand, adopting the login set aside when it applies. */
static int pg_walk(const struct dbl_probe_ctx *ctx, struct dbl_result *r,
		   const struct dbl_result *failed, PGconn **conn)
{
	struct dbl_net_addr addr;
	int fd, rc;

	fd = dbl_probe_connect(ctx, pg_port(ctx), r, &addr);
	if (fd < 0)
		return -1;
	if (r->max_stage == DBL_STAGE_CONNECT) {
		close(fd);
		return 0;
	}
	rc = pg_greet(ctx, r, fd, &addr);
	if (rc < 0 || r->max_stage == DBL_STAGE_GREET)
		return rc;
	if (dbl_probe_adopt_login(r, failed, &addr)) {
		pg_auth_method_from_message(r, r->message);
		return -1;
	}
	return pg_auth(ctx, r, &addr, conn, NULL);
}

static int pg_run(const struct dbl_probe_ctx *ctx, struct dbl_result *r)
{
	struct dbl_result *failed = NULL;
	struct pg_peek *peek = NULL;
	PGconn *conn = NULL;
	int rc = 1;

	if (dbl_libpq_load(r->message, sizeof(r->message)) < 0)
		return 0; /* the probe failed at its first stage: no libpq */
	if (r->max_stage >= DBL_STAGE_AUTH)
		rc = pg_login_first(ctx, r, &conn, &failed, &peek);
	if (rc == 1)
		rc = pg_walk(ctx, r, failed, &conn);
	free(failed);
	if (rc == -DBL_ENOMEM) {
		pg_peek_finish(peek, r);
		PQfinish(conn);
		return rc;
	}
	if (rc == 0 && r->max_stage > DBL_STAGE_AUTH)
		rc = pg_query(ctx, conn, r);
	pg_peek_finish(peek, r);
	if (rc == 0)
		pg_ssl_answer_from_settings(ctx, r);
	PQfinish(conn);
	r->ok = rc == 0 && r->stage == r->max_stage;
	return 0;
}

/* The headers' version: --version does not load the library. */
static const char *pg_client_version(void)
{
	return dbl_libpq_built_version();
}

static int pg_global_init(void)
{
	dbl_libpq_load(NULL, 0); /* a failure shows in each probe */
	return 0;
}

static const struct dbl_probe_ops pg_ops = {
	.run = pg_run,
	.global_init = pg_global_init,
	.client_version = pg_client_version,
	.revisit = pg_revisit,
};
#endif /* DBLOOP_WITH_LIBPQ */

const struct dbl_probe dbl_probe_postgres = {
	.name = "postgres",
	.engine = DBL_ENGINE_POSTGRES,
	.transports =
		DBL_TRANSPORTS_LOCAL | DBL_TRANSPORT_BIT(DBL_TRANSPORT_HOST),
	.default_port = 5432,
#ifdef DBLOOP_WITH_LIBPQ
	.ops = &pg_ops,
#else
	.ops = NULL,
#endif
};
