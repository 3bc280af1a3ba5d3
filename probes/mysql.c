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
#include "probes.h"
#include "wire_mysql.h"
#include "wire_pg.h"

#ifdef DBLOOP_WITH_MARIADB
#include <mysql.h>

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
	double half = ctx->deadline_ms - ctx->target->timeout_ms / 2.0;

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

/* "... verified: 1130 - Host '127.0.0.1' is not allowed ...": the
 * server's error inside a client error. */
static int my_wrapped_error(const char *msg)
{
	for (const char *p = msg; (p = strstr(p, " - ")) != NULL; p++) {
		const char *d = p;
		while (d > msg && d[-1] >= '0' && d[-1] <= '9')
			d--;
		if (p - d == 4 && (d == msg || d[-1] == ' '))
			return atoi(d);
	}
	return 0;
}

/* "(111)" at the end of a client message: the errno the library saw. */
static int my_trailing_errno(const char *msg)
{
	const char *open = strrchr(msg, '(');
	char *end = NULL;
	long v = open ? strtol(open + 1, &end, 10) : 0;

	return end && *end == ')' && end[1] == '\0' && v > 0 && v < 4096
		       ? (int)v
		       : 0;
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
		r->wrapped_error = my_wrapped_error(r->message);
		if (!r->sys_errno && (code == 2002 || code == 2003))
			r->sys_errno = my_trailing_errno(r->message);
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
			 on_socket ? t->socket_path : NULL, 0),
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

/* SHOW GRANTS, the first lines joined by "; " (to mirror an account). */
static int my_read_grants(const struct dbl_probe_ctx *ctx, MYSQL *m,
			  struct dbl_result *r)
{
	MYSQL_RES *res = NULL;
	struct dbl_buf b = {0};
	MYSQL_ROW row;
	int rc = my_exec(ctx, m, "SHOW GRANTS", r, &res);

	for (int i = 0; rc == 0 && i < 4 && (row = mysql_fetch_row(res)); i++) {
		if (i)
			dbl_buf_puts(&b, "; ");
		my_append_grant(&b, row[0] ? row[0] : "");
	}
	if (rc >= 0)
		dbl_result_add_setting(r, "grants", b.data ? b.data : "",
				       rc != 0);
	dbl_buf_release(&b);
	mysql_free_result(res);
	return rc < 0 ? -1 : 0;
}

/* The variables that explain the other transports, each on its own so an
 * unknown one (older servers) costs only itself. */
static int my_read_settings(const struct dbl_probe_ctx *ctx, MYSQL *m,
			    struct dbl_result *r)
{
	static const char *const vars[][2] = {
		{"@@version", "SELECT @@version"},
		{"@@version_comment", "SELECT @@version_comment"},
		{"@@port", "SELECT @@port"},
		{"@@socket", "SELECT @@socket"},
		{"@@bind_address", "SELECT @@bind_address"},
		{"@@skip_networking", "SELECT @@skip_networking"},
		{"@@skip_name_resolve", "SELECT @@skip_name_resolve"},
		{"@@require_secure_transport",
		 "SELECT @@require_secure_transport"},
		{"@@have_ssl", "SELECT @@have_ssl"},
		{"user", "SELECT USER()"},
		{"current_user", "SELECT CURRENT_USER()"},
		{"@@datadir", "SELECT @@datadir"},
	};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (my_read_one(ctx, m, r, vars[i][0], vars[i][1], 0) < 0)
			return -1;
	if (my_read_one(ctx, m, r, "uptime", "SHOW GLOBAL STATUS LIKE 'Uptime'",
			1) < 0)
		return -1;
	return my_read_grants(ctx, m, r);
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
	}
	snprintf(r->instance, sizeof(r->instance),
		 "port=%s started=%s datadir=%s", port ? port : "?", started,
		 datadir ? datadir : "?");
}

static int my_query(const struct dbl_probe_ctx *ctx, MYSQL *m,
		    struct dbl_result *r)
{
	MYSQL_RES *res = NULL;
	double t0;
	int rc;

	dbl_probe_stage_begin(r, DBL_STAGE_QUERY, &t0);
	rc = my_exec(ctx, m, "SELECT 1", r, &res);
	mysql_free_result(res);
	if (rc > 0)
		my_copy_error(m, r);
	if (rc == 0)
		rc = my_read_settings(ctx, m, r);
	if (rc == 0)
		my_set_instance(r);
	dbl_probe_stage_end(r, t0);
	return rc == 0 ? 0 : -1;
}

static int my_run(const struct dbl_probe_ctx *ctx, struct dbl_result *r)
{
	struct dbl_net_addr addr;
	MYSQL *m = NULL;
	int fd, rc = -1;

	mysql_thread_init();
	fd = dbl_probe_connect(ctx, my_port(ctx), r, &addr);
	if (fd < 0)
		goto out;
	if (r->max_stage == DBL_STAGE_CONNECT) {
		close(fd);
		rc = 0;
		goto out;
	}
	rc = my_greet(ctx, r, fd);
	if (rc < 0 || r->max_stage == DBL_STAGE_GREET)
		goto out;
	rc = my_auth(ctx, r, &addr, &m);
	if (rc == 0 && r->max_stage > DBL_STAGE_AUTH)
		rc = my_query(ctx, m, r);
out:
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

static const char *my_client_version(void)
{
	return mysql_get_client_info();
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
