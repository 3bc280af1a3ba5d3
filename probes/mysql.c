/* MySQL/MariaDB probe: raw connect, the server's greeting read by hand
 * (the server speaks first; a PostgreSQL server does not, so one that
 * stays silent gets asked in PostgreSQL), then a libmariadb login through
 * the non-blocking API and read-only introspection. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dbloop/util.h"
#include "probes/probes.h"
#include "probes/wire_mysql.h"
#include "probes/wire_pg.h"

#ifdef DBLOOP_WITH_MARIADB
#include <mysql.h>

#include "dbloop/clientlib.h"

static int my_port(const struct dbl_probe_ctx *ctx)
{
	return ctx->target->port ? ctx->target->port : 3306;
}

static void my_set_product(struct dbl_result *r, const char *version)
{
	dbl_strlcpy(r->version, version, sizeof(r->version));
	dbl_strlcpy(r->product,
		    strstr(version, "MariaDB") ? "MariaDB" : "MySQL",
		    sizeof(r->product));
}

/* Nothing arrived in half the time: a PostgreSQL server waits for the
 * client, so ask it in its own protocol ('S'/'N') to tell it from a
 * silent listener. Always fails the greet. */
static int my_ask_postgres(const struct dbl_probe_ctx *ctx,
			   struct dbl_result *r, int fd)
{
	uint8_t req[DBL_PG_SSLREQUEST_LEN], buf[256];
	ssize_t n;

	dbl_pg_build_ssl_request(req);
	n = dbl_net_write_all(fd, req, sizeof(req), ctx->deadline_ms,
			      ctx->cancel);
	if (n == 0)
		n = dbl_net_read_some(fd, buf, sizeof(buf), ctx->deadline_ms,
				      ctx->cancel);
	if (n < 0) {
		if (n == -ETIMEDOUT)
			r->protocol = DBL_PROTO_SILENT;
		else if (n == -ECONNRESET || n == -EPIPE)
			r->protocol = DBL_PROTO_CLOSED;
		dbl_probe_fail_errno(r, (int)-n, "greeting from", r->address);
		return -1;
	}
	r->protocol = dbl_wire_sniff(buf, (size_t)n);
	if (r->protocol == DBL_PROTO_POSTGRES)
		dbl_strlcpy(r->product, "PostgreSQL", sizeof(r->product));
	snprintf(r->message, sizeof(r->message),
		 "no MySQL greeting; %s%s a PostgreSQL SSLRequest",
		 n == 0 ? "the connection closed at" : "answered by ",
		 n == 0 ? "" : dbl_protocol_name(r->protocol));
	return -1;
}

/* What the first bytes were when they are not a greeting we accept. */
static int my_not_greeting(struct dbl_result *r, const uint8_t *buf,
			   size_t have, bool closed)
{
	uint32_t len = 0;
	uint8_t seq;

	r->protocol = dbl_wire_sniff(buf, have);
	if (dbl_mysql_parse_header(buf, have, &len, &seq) == 0 &&
	    r->protocol == DBL_PROTO_MYSQL && len > DBL_MYSQL_GREET_MAX)
		snprintf(r->message, sizeof(r->message),
			 "greeting packet claims %u bytes, refused", len);
	else if (closed)
		snprintf(r->message, sizeof(r->message),
			 "connection closed after %zu bytes of the greeting",
			 have);
	else
		snprintf(r->message, sizeof(r->message),
			 "expected a MySQL greeting, received %s (first byte "
			 "0x%02x)",
			 dbl_protocol_name(r->protocol), have ? buf[0] : 0);
	return -1;
}

/* A complete greeting: handshake (0) or error packet (-1). */
static int my_greeting_parsed(struct dbl_result *r, int kind,
			      const char *sqlstate)
{
	r->protocol = DBL_PROTO_MYSQL;
	if (kind == 10) {
		my_set_product(r, r->mysql.server_version);
		return 0;
	}
	r->server_error = r->mysql.error_code;
	dbl_strlcpy(r->sqlstate, sqlstate, sizeof(r->sqlstate));
	dbl_strlcpy(r->message, r->mysql.error_message, sizeof(r->message));
	return -1;
}

/* Reads the first packet; 0 for a handshake, -1 otherwise (recorded). */
static int my_read_greeting(const struct dbl_probe_ctx *ctx,
			    struct dbl_result *r, int fd)
{
	uint8_t buf[DBL_MYSQL_HEADER_LEN + DBL_MYSQL_GREET_MAX];
	char sqlstate[6] = "";
	size_t have = 0;
	/* Half of what is left: a login tried first may have used some. */
	double half = dbl_now_ms() + dbl_ms_left(ctx->deadline_ms) / 2.0;

	for (;;) {
		ssize_t n = dbl_net_read_some(
			fd, buf + have, sizeof(buf) - have,
			have ? ctx->deadline_ms : half, ctx->cancel);
		if (n == -ETIMEDOUT && have == 0 &&
		    dbl_ms_left(ctx->deadline_ms))
			return my_ask_postgres(ctx, r, fd);
		if (n < 0) {
			if (have)
				r->protocol = dbl_wire_sniff(buf, have);
			else if (n == -ETIMEDOUT)
				r->protocol = DBL_PROTO_SILENT;
			else if (n == -ECONNRESET)
				r->protocol = DBL_PROTO_CLOSED;
			dbl_probe_fail_errno(r, (int)-n, "greeting from",
					     r->address);
			return -1;
		}
		if (n == 0)
			return my_not_greeting(r, buf, have, true);
		have += (size_t)n;
		int kind = dbl_mysql_parse_greeting(buf, have, &r->mysql,
						    sqlstate);
		if (kind < 0)
			return my_not_greeting(r, buf, have, false);
		if (kind > 0)
			return my_greeting_parsed(r, kind, sqlstate);
	}
}

static int my_greet(const struct dbl_probe_ctx *ctx, struct dbl_result *r,
		    int fd)
{
	double t0;
	int rc;

	dbl_probe_stage_begin(r, DBL_STAGE_GREET, &t0);
	rc = my_read_greeting(ctx, r, fd);
	close(fd);
	dbl_probe_stage_end(r, t0);
	return rc;
}

/* Waits for what libmariadb asked for (MYSQL_WAIT_*), in slices, under
 * our deadline. The ready mask to hand back, or -errno. */
static int my_wait(const struct dbl_probe_ctx *ctx, MYSQL *m, int status)
{
	struct pollfd p = {.fd = mysql_get_socket(m)};
	double lib_deadline = ctx->deadline_ms;

	if (status & MYSQL_WAIT_READ)
		p.events |= POLLIN;
	if (status & MYSQL_WAIT_WRITE)
		p.events |= POLLOUT;
	if (status & MYSQL_WAIT_EXCEPT)
		p.events |= POLLPRI;
	if (status & MYSQL_WAIT_TIMEOUT)
		lib_deadline = dbl_now_ms() + mysql_get_timeout_value_ms(m);
	for (;;) {
		if (dbl_net_canceled(ctx->cancel))
			return -ECANCELED;
		int left = dbl_ms_left(ctx->deadline_ms);
		if (left <= 0)
			return -ETIMEDOUT;
		int lib_left = dbl_ms_left(lib_deadline);
		if ((status & MYSQL_WAIT_TIMEOUT) && lib_left <= 0)
			return MYSQL_WAIT_TIMEOUT;
		if (lib_left < left)
			left = lib_left;
		p.revents = 0;
		int n = poll(&p, 1,
			     left < DBL_NET_SLICE_MS ? left : DBL_NET_SLICE_MS);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0)
			return ((p.revents & (POLLIN | POLLHUP | POLLERR))
					? MYSQL_WAIT_READ
					: 0) |
			       ((p.revents & (POLLOUT | POLLHUP | POLLERR))
					? MYSQL_WAIT_WRITE
					: 0) |
			       ((p.revents & POLLPRI) ? MYSQL_WAIT_EXCEPT : 0);
	}
}

/* Runs one non-blocking libmariadb call to completion: start, then cont
 * while it wants to wait. *status < 0 when our deadline or a cancel cut
 * it short. */
#define MY_ASYNC(ctx, m, status, start_call, cont_call)                        \
	do {                                                                   \
		status = (start_call);                                         \
		while (status > 0) {                                           \
			status = my_wait(ctx, m, status);                      \
			if (status < 0)                                        \
				break;                                         \
			status = (cont_call);                                  \
		}                                                              \
	} while (0)

/* An operation abandoned at the deadline: shut the socket so that
 * closing the handle cannot block on it. */
static void my_abandon(MYSQL *m, struct dbl_result *r, int err)
{
	int fd = (int)mysql_get_socket(m);

	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
	dbl_probe_fail_errno(r, err, "login to", r->address);
}

static void my_set_tls(const struct dbl_target *t, MYSQL *m)
{
	my_bool on = 1;

	if (t->ssl_mode == DBL_SSL_DISABLE)
		return; /* no TLS option at all: like --skip-ssl */
	mysql_ssl_set(m, t->ssl_key, t->ssl_cert, t->ssl_ca, NULL, NULL);
	if (t->ssl_mode >= DBL_SSL_REQUIRE)
		mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &on);
	if (t->ssl_mode >= DBL_SSL_VERIFY_CA)
		mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
	else {
		my_bool off = 0;
		mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &off);
	}
}

static void my_set_options(const struct dbl_probe_ctx *ctx, MYSQL *m)
{
	unsigned int proto = ctx->transport == DBL_TRANSPORT_UNIX
				     ? MYSQL_PROTOCOL_SOCKET
				     : MYSQL_PROTOCOL_TCP;
	unsigned int secs =
		(unsigned int)(ctx->target->timeout_ms + 999) / 1000;

	mysql_options(m, MYSQL_OPT_NONBLOCK, 0);
	mysql_options(m, MYSQL_OPT_PROTOCOL, &proto);
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &secs);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &secs);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &secs);
	my_set_tls(ctx->target, m);
}

/* Copies what libmariadb said about a failure, before the handle goes. */
static void my_copy_error(MYSQL *m, struct dbl_result *r)
{
	unsigned int code = mysql_errno(m);
	const char *state = mysql_sqlstate(m);

	dbl_strlcpy(r->message, mysql_error(m), sizeof(r->message));
	if (state && strcmp(state, "00000") != 0)
		dbl_strlcpy(r->sqlstate, state, sizeof(r->sqlstate));
	if (code >= 2000) {
		r->client_error = (int)code;
		r->wrapped_error = dbl_mysql_wrapped_error(r->message);
		if (!r->sys_errno && (code == 2002 || code == 2003))
			r->sys_errno = dbl_mysql_trailing_errno(r->message);
	} else {
		r->server_error = (int)code;
	}
}

/* Auth stage: a real login. 0 with *out connected, -1 (recorded), or
 * -DBL_ENOMEM. */
static int my_auth(const struct dbl_probe_ctx *ctx, struct dbl_result *r,
		   const struct dbl_net_addr *addr, MYSQL **out)
{
	const struct dbl_target *t = ctx->target;
	bool on_socket = ctx->transport == DBL_TRANSPORT_UNIX;
	MYSQL *m = mysql_init(NULL), *ret = NULL;
	double t0;
	int status;

	*out = m;
	if (!m)
		return -DBL_ENOMEM;
	dbl_probe_stage_begin(r, DBL_STAGE_AUTH, &t0);
	my_set_options(ctx, m);
	MY_ASYNC(ctx, m, status,
		 mysql_real_connect_start(
			 &ret, m, on_socket ? "localhost" : addr->ip, t->user,
			 t->password, t->database, (unsigned int)my_port(ctx),
			 on_socket ? t->socket_path : NULL,
			 CLIENT_MULTI_STATEMENTS),
		 mysql_real_connect_cont(&ret, m, status));
	if (status < 0)
		my_abandon(m, r, -status);
	else if (!ret)
		my_copy_error(m, r);
	else {
		r->tls_used = mysql_get_ssl_cipher(m) != NULL;
		my_set_product(r, mysql_get_server_info(m));
	}
	dbl_probe_stage_end(r, t0);
	return status == 0 && ret ? 0 : -1;
}

/* Runs one statement and stores its rows. 0 with *res (caller frees), a
 * server error number (> 0) when the statement was refused, -1 when the
 * connection failed or time ran out (recorded in r). */
static int my_exec(const struct dbl_probe_ctx *ctx, MYSQL *m, const char *sql,
		   struct dbl_result *r, MYSQL_RES **res)
{
	int status, err = 0;

	*res = NULL;
	MY_ASYNC(ctx, m, status,
		 mysql_real_query_start(&err, m, sql, strlen(sql)),
		 mysql_real_query_cont(&err, m, status));
	if (status == 0 && !err)
		MY_ASYNC(ctx, m, status, mysql_store_result_start(res, m),
			 mysql_store_result_cont(res, m, status));
	if (status < 0) {
		my_abandon(m, r, -status);
		return -1;
	}
	if (!err && *res)
		return 0;
	if (mysql_errno(m) >= 2000 || mysql_errno(m) == 0) {
		my_copy_error(m, r);
		return -1;
	}
	return (int)mysql_errno(m);
}

/* Row 0, column col as text ("" for NULL). */
static const char *my_cell(MYSQL_RES *res, unsigned int col)
{
	MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;

	if (!row || col >= mysql_num_fields(res))
		return NULL;
	return row[col] ? row[col] : "";
}

/* One introspection value: recorded, denied when refused, left out when
 * the server does not know the variable (1193). -1 when the connection
 * is gone. */
static int my_read_one(const struct dbl_probe_ctx *ctx, MYSQL *m,
		       struct dbl_result *r, const char *name, const char *sql,
		       unsigned int col)
{
	MYSQL_RES *res = NULL;
	int rc = my_exec(ctx, m, sql, r, &res);

	if (rc == 0) {
		const char *v = my_cell(res, col);
		dbl_result_add_setting(r, name, v ? v : "", v == NULL);
	} else if (rc > 0 && rc != 1193) {
		dbl_result_add_setting(r, name, "", true);
	}
	mysql_free_result(res);
	return rc < 0 ? -1 : 0;
}

/* Appends a grant line without its IDENTIFIED clause: the hash there
 * logs in as well as the password does. */
static void my_append_grant(struct dbl_buf *b, const char *line)
{
	const char *cut = strstr(line, " IDENTIFIED ");
	const char *resume = cut ? strstr(cut, " WITH ") : NULL;

	if (!cut) {
		dbl_buf_puts(b, line);
		return;
	}
	dbl_buf_append(b, line, (size_t)(cut - line));
	if (resume)
		dbl_buf_puts(b, resume);
}

/* SHOW GRANTS rows, the first lines joined by "; " (to mirror an
 * account); denied when refused (refused != 0). */
static void my_store_grants(struct dbl_result *r, MYSQL_RES *res, bool refused)
{
	struct dbl_buf b = {0};
	MYSQL_ROW row;

	for (int i = 0; !refused && i < 4 && (row = mysql_fetch_row(res));
	     i++) {
		if (i)
			dbl_buf_puts(&b, "; ");
		my_append_grant(&b, row[0] ? row[0] : "");
	}
	dbl_result_add_setting(r, "grants", b.data ? b.data : "", refused);
	dbl_buf_release(&b);
}

static int my_read_grants(const struct dbl_probe_ctx *ctx, MYSQL *m,
			  struct dbl_result *r)
{
	MYSQL_RES *res = NULL;
	int rc = my_exec(ctx, m, "SHOW GRANTS", r, &res);

	if (rc >= 0)
		my_store_grants(r, res, rc != 0);
	mysql_free_result(res);
	return rc < 0 ? -1 : 0;
}

/* The variables that explain the other transports, in the column order of
 * MY_VARS_SQL. */
static const char *const my_vars[] = {
	"@@version",
	"@@version_comment",
	"@@port",
	"@@socket",
	"@@bind_address",
	"@@skip_networking",
	"@@skip_name_resolve",
	"@@require_secure_transport",
	"@@have_ssl",
	"user",
	"current_user",
	"@@datadir",
};
#define MY_VARS_SQL                                                            \
	"SELECT @@version, @@version_comment, @@port, @@socket, "              \
	"@@bind_address, @@skip_networking, @@skip_name_resolve, "             \
	"@@require_secure_transport, @@have_ssl, USER(), CURRENT_USER(), "     \
	"@@datadir"
#define MY_UPTIME_SQL "SHOW GLOBAL STATUS LIKE 'Uptime'"
/* The accounts of this user name and the anonymous ones, with their
 * plugins ("app@localhost unix_socket, app@% mysql_native_password"),
 * where the account may read mysql.user: which one a client host gets. */
#define MY_ACCOUNTS_SQL                                                        \
	"SELECT GROUP_CONCAT(CONCAT(User, '@', Host, ' ', plugin) ORDER BY "   \
	"Host SEPARATOR ', ') FROM mysql.user WHERE User IN "                  \
	"(SUBSTRING_INDEX(USER(), '@', 1), '')"
/* SELECT 1, then everything above, in one round trip. */
#define MY_BATCH_SQL                                                           \
	"SELECT 1; " MY_VARS_SQL "; " MY_UPTIME_SQL                            \
	"; SHOW GRANTS; " MY_ACCOUNTS_SQL
#define MY_BATCH_N 5

static void my_store_vars(struct dbl_result *r, MYSQL_RES *res)
{
	MYSQL_ROW row = mysql_fetch_row(res);
	unsigned int n = mysql_num_fields(res);

	for (unsigned int i = 0; i < sizeof(my_vars) / sizeof(my_vars[0]);
	     i++) {
		const char *v = row && i < n ? (row[i] ? row[i] : "") : NULL;
		dbl_result_add_setting(r, my_vars[i], v ? v : "", v == NULL);
	}
}

/* Stores the result of statement i of MY_BATCH_SQL. */
static void my_store_batch(struct dbl_result *r, int i, MYSQL_RES *res)
{
	const char *v;

	if (i == 1)
		my_store_vars(r, res);
	if (i == 2) {
		v = my_cell(res, 1);
		dbl_result_add_setting(r, "uptime", v ? v : "", v == NULL);
	}
	if (i == 3)
		my_store_grants(r, res, false);
	if (i == 4) {
		v = my_cell(res, 0);
		dbl_result_add_setting(r, "accounts", v ? v : "", v == NULL);
	}
}

/* Waits for the next result of a multi-statement query. 0 when there is
 * one, 1 when there is none or a statement failed (*failed), <0 as
 * MY_ASYNC. */
static int my_next(const struct dbl_probe_ctx *ctx, MYSQL *m, bool *failed)
{
	int status, more = 0;

	MY_ASYNC(ctx, m, status, mysql_next_result_start(&more, m),
		 mysql_next_result_cont(&more, m, status));
	if (status < 0)
		return status;
	*failed = more > 0;
	return more == 0 ? 0 : 1;
}

/* Runs MY_BATCH_SQL, storing each result. The number of statements that
 * ran and succeeded (a server refusal stops a batch), or -1 when the
 * connection failed or time ran out (recorded in r). */
static int my_run_batch(const struct dbl_probe_ctx *ctx, MYSQL *m,
			struct dbl_result *r)
{
	int status, qerr = 0, done = 0;
	bool failed = false;

	MY_ASYNC(ctx, m, status,
		 mysql_real_query_start(&qerr, m, MY_BATCH_SQL,
					strlen(MY_BATCH_SQL)),
		 mysql_real_query_cont(&qerr, m, status));
	failed = status == 0 && qerr;
	while (status == 0 && !failed && done < MY_BATCH_N) {
		MYSQL_RES *res = NULL;
		MY_ASYNC(ctx, m, status, mysql_store_result_start(&res, m),
			 mysql_store_result_cont(&res, m, status));
		if (status != 0 || !res) {
			failed = status == 0;
			break;
		}
		my_store_batch(r, done++, res);
		mysql_free_result(res);
		status = my_next(ctx, m, &failed);
	}
	if (status < 0) {
		my_abandon(m, r, -status);
		return -1;
	}
	if (failed && (mysql_errno(m) >= 2000 || mysql_errno(m) == 0)) {
		my_copy_error(m, r);
		return -1;
	}
	return done;
}

/* What the batch did not read (a statement of it was refused), one
 * statement at a time, so an unknown variable (older servers) or a
 * refused one costs only itself. */
static int my_read_rest(const struct dbl_probe_ctx *ctx, MYSQL *m,
			struct dbl_result *r, int done)
{
	char sql[64];

	for (size_t i = 0; done < 2 && i < sizeof(my_vars) / sizeof(my_vars[0]);
	     i++) {
		snprintf(sql, sizeof(sql), "SELECT %s",
			 strcmp(my_vars[i], "user") == 0 ? "USER()"
			 : strcmp(my_vars[i], "current_user") == 0
				 ? "CURRENT_USER()"
				 : my_vars[i]);
		if (my_read_one(ctx, m, r, my_vars[i], sql, 0) < 0)
			return -1;
	}
	if (done < 3 && my_read_one(ctx, m, r, "uptime", MY_UPTIME_SQL, 1) < 0)
		return -1;
	if (done < 4 && my_read_grants(ctx, m, r) < 0)
		return -1;
	if (done == 4) { /* the batch's last statement was the one refused */
		dbl_result_add_setting(r, "accounts", "", true);
		return 0;
	}
	return done < 4 ? my_read_one(ctx, m, r, "accounts", MY_ACCOUNTS_SQL, 0)
			: 0;
}

/* "port=3306 started=2026-11-22 01:31:10 datadir=/var/lib/mysql/". */
static void my_set_instance(struct dbl_result *r)
{
	const char *port = dbl_result_setting(r, "@@port");
	const char *uptime = dbl_result_setting(r, "uptime");
	const char *datadir = dbl_result_setting(r, "@@datadir");
	char started[32] = "?";

	if (uptime) {
		time_t at = time(NULL) - (time_t)strtoll(uptime, NULL, 10);
		struct tm tm;
		if (gmtime_r(&at, &tm))
			strftime(started, sizeof(started), "%Y-%m-%d %H:%M:%S",
				 &tm);
		r->started_at = (long long)at;
	}
	snprintf(r->instance, sizeof(r->instance),
		 "port=%s started=%s datadir=%s", port ? port : "?", started,
		 datadir ? datadir : "?");
	snprintf(r->instance_key, sizeof(r->instance_key), "port=%s datadir=%s",
		 port ? port : "?", datadir ? datadir : "?");
}

static int my_query(const struct dbl_probe_ctx *ctx, MYSQL *m,
		    struct dbl_result *r)
{
	double t0;
	int done, rc;

	dbl_probe_stage_begin(r, DBL_STAGE_QUERY, &t0);
	done = my_run_batch(ctx, m, r);
	if (done == 0) /* SELECT 1 refused */
		my_copy_error(m, r);
	rc = done > 0 ? my_read_rest(ctx, m, r, done) : -1;
	if (rc == 0)
		my_set_instance(r);
	dbl_probe_stage_end(r, t0);
	return rc == 0 ? 0 : -1;
}

/* What a login proves about the greeting it read (libmariadb keeps all of
 * it but the auth plugin name). */
static void my_login_proved(MYSQL *m, struct dbl_result *r,
			    const struct dbl_net_addr *a)
{
	unsigned int proto = 0;
	unsigned long caps = 0;

	dbl_probe_login_proved(r, a);
	r->protocol = DBL_PROTO_MYSQL;
	mariadb_get_infov(m, MARIADB_CONNECTION_PROTOCOL_VERSION_ID, &proto);
	mariadb_get_infov(m, MARIADB_CONNECTION_SERVER_CAPABILITIES, &caps);
	r->mysql.seen = true;
	r->mysql.protocol_version = (int)proto;
	dbl_strlcpy(r->mysql.server_version, mysql_get_server_info(m),
		    sizeof(r->mysql.server_version));
	r->mysql.connection_id = (uint32_t)mysql_thread_id(m);
	r->mysql.capabilities = (uint32_t)caps;
	r->mysql.tls_offered = (caps & DBL_MYSQL_CLIENT_SSL) != 0;
}

/* Login first (probes.h): 0 logged in (*m), 1 when the login failed and
 * is set aside in *failed, -1 when the name did not resolve (recorded),
 * -DBL_ENOMEM. */
static int my_login_first(const struct dbl_probe_ctx *ctx, struct dbl_result *r,
			  MYSQL **m, struct dbl_result **failed)
{
	struct dbl_net_addr addrs[DBL_NET_MAX_ADDRS];
	struct dbl_probe_ctx budget = dbl_probe_login_budget(ctx);
	int n = 0, rc;

	if (dbl_probe_resolve(ctx, my_port(ctx), r, addrs, &n) < 0)
		return -1;
	/* libmariadb 3.3 closes the socket of a failed non-blocking connect
	 * twice (strace: close(5) = 0; close(5) = 0), and in between another
	 * probe thread may have been given the same number. So libmariadb only
	 * connects where a plain connect() has just succeeded; anything else
	 * is walked stage by stage on dbloop's own sockets. */
	int fd = dbl_net_connect(&addrs[0], budget.deadline_ms, ctx->cancel);
	if (fd < 0) {
		dbl_probe_reset(r);
		return 1;
	}
	close(fd);
	rc = my_auth(&budget, r, &addrs[0], m);
	if (rc == 0) {
		my_login_proved(*m, r, &addrs[0]);
		return 0;
	}
	if (*m)
		mysql_close(*m);
	*m = NULL;
	if (rc == -DBL_ENOMEM)
		return rc;
	dbl_probe_login_set_aside(r, &addrs[0], failed);
	return 1;
}

/* Every stage by hand, adopting the login set aside when it applies. */
static int my_walk(const struct dbl_probe_ctx *ctx, struct dbl_result *r,
		   const struct dbl_result *failed, MYSQL **m)
{
	struct dbl_net_addr addr;
	int fd, rc;

	fd = dbl_probe_connect(ctx, my_port(ctx), r, &addr);
	if (fd < 0)
		return -1;
	if (r->max_stage == DBL_STAGE_CONNECT) {
		close(fd);
		return 0;
	}
	rc = my_greet(ctx, r, fd);
	if (rc < 0 || r->max_stage == DBL_STAGE_GREET)
		return rc;
	if (dbl_probe_adopt_login(r, failed, &addr))
		return -1;
	return my_auth(ctx, r, &addr, m);
}

static int my_run(const struct dbl_probe_ctx *ctx, struct dbl_result *r)
{
	struct dbl_result *failed = NULL;
	MYSQL *m = NULL;
	int rc = 1;

	if (dbl_libmariadb_load(r->message, sizeof(r->message)) < 0)
		return 0; /* the probe failed at its first stage */
	mysql_thread_init();
	if (r->max_stage >= DBL_STAGE_AUTH)
		rc = my_login_first(ctx, r, &m, &failed);
	if (rc == 1)
		rc = my_walk(ctx, r, failed, &m);
	free(failed);
	if (rc == 0 && r->max_stage > DBL_STAGE_AUTH)
		rc = my_query(ctx, m, r);
	if (m)
		mysql_close(m);
	mysql_thread_end();
	r->ok = rc == 0 && r->stage == r->max_stage;
	return rc == -DBL_ENOMEM ? rc : 0;
}

static pthread_mutex_t my_init_lock = PTHREAD_MUTEX_INITIALIZER;
static int my_init_count;

/* mysql_library_init is not thread-safe: once, before the threads. */
static int my_global_init(void)
{
	int rc = 0;

	if (dbl_libmariadb_load(NULL, 0) < 0)
		return 0; /* a failure shows in each probe */
	pthread_mutex_lock(&my_init_lock);
	if (my_init_count == 0 && mysql_library_init(0, NULL, NULL) != 0)
		rc = -DBL_ENOMEM;
	if (rc == 0)
		my_init_count++;
	pthread_mutex_unlock(&my_init_lock);
	return rc;
}

static void my_global_cleanup(void)
{
	pthread_mutex_lock(&my_init_lock);
	if (my_init_count > 0 && --my_init_count == 0)
		mysql_library_end();
	pthread_mutex_unlock(&my_init_lock);
}

/* The headers' version: --version does not load the library. */
static const char *my_client_version(void)
{
	return dbl_libmariadb_built_version();
}

static const struct dbl_probe_ops my_ops = {
	.run = my_run,
	.global_init = my_global_init,
	.global_cleanup = my_global_cleanup,
	.client_version = my_client_version,
};
#endif /* DBLOOP_WITH_MARIADB */

const struct dbl_probe dbl_probe_mysql = {
	.name = "mysql",
	.engine = DBL_ENGINE_MYSQL,
	.transports =
		DBL_TRANSPORTS_LOCAL | DBL_TRANSPORT_BIT(DBL_TRANSPORT_HOST),
	.default_port = 3306,
#ifdef DBLOOP_WITH_MARIADB
	.ops = &my_ops,
#else
	.ops = NULL,
#endif
};
