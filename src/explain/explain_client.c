/* dbloop explain and the app's own driver. Which row of the driver table
 * (include/dbloop/clients.h) the text names — an exception class, a PHP
 * function, a stack frame, a log prefix — or --client names, and what that
 * driver makes of the host in the message, planned as diagnose --client
 * plans it: PHP's mysqli/PDO `localhost` is the Unix socket php.ini names,
 * JDBC's, mysql2's and PyMySQL's is TCP, libpq's is TCP unless the host is
 * empty or a directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explain/explain_int.h"

/* A marker of one driver, lower case, as its messages print it. Earlier
 * rows win: the PHP function before PDO's SQLSTATE form, Ruby's mysql2
 * before Node's. */
struct marker {
	const char *needle;
	const char *client; /* the table row */
	const char *named;  /* the driver named, when not the row */
	int engine;	    /* -1: any (the row says) */
	const char *driver; /* its name, when not the row's */
};

static const struct marker markers[] = {
	{"mysqli_real_connect(", "php-mysqli", NULL, -1, NULL},
	{"mysqli_connect(", "php-mysqli", NULL, -1, NULL},
	{"mysqli::__construct", "php-mysqli", NULL, -1, NULL},
	{"mysqli::real_connect", "php-mysqli", NULL, -1, NULL},
	{"mysqli::connect", "php-mysqli", NULL, -1, NULL},
	{"mysqli_sql_exception", "php-mysqli", NULL, -1, NULL},
	{"pdo_pgsql", "php-pdo-pgsql", NULL, -1, NULL},
	{"pdo_mysql", "php-pdo-mysql", NULL, -1, NULL},
	{"org.mariadb.jdbc", "jdbc-mariadb", NULL, -1, NULL},
	/* MySQL Connector/J is not packaged in Debian 12, so not verified:
	 * the nearest verified row, a JDBC driver for the same servers */
	{"com.mysql.cj", "jdbc-mariadb", "jdbc-mysql", -1, "MySQL Connector/J"},
	{"com.mysql.jdbc", "jdbc-mariadb", "jdbc-mysql", -1,
	 "MySQL Connector/J"},
	{"org.postgresql.", "jdbc-postgresql", NULL, -1, NULL},
	{"psqlexception", "jdbc-postgresql", NULL, -1, NULL},
	{"mysql2::error", "ruby-mysql2", NULL, -1, NULL},
	{"(mysql2::", "ruby-mysql2", NULL, -1, NULL},
	{"pg::connectionbad", "ruby-pg", NULL, -1, NULL},
	{"(pg::", "ruby-pg", NULL, -1, NULL},
	{"node_modules/mysql2/", "node-mysql2", NULL, -1, NULL},
	/* Windows paths: the cleaned copy reads the "\n" of "\node_modules" as
	 * a line break, so the folder after it */
	{"\\mysql2\\lib\\", "node-mysql2", NULL, -1, NULL},
	{"node_modules/pg/", "node-pg", NULL, -1, NULL},
	{"node_modules/pg-pool/", "node-pg", NULL, -1, NULL},
	{"\\pg\\lib\\", "node-pg", NULL, -1, NULL},
	{"\\pg-pool\\", "node-pg", NULL, -1, NULL},
	{"pymysql", "python-pymysql", NULL, -1, NULL},
	/* not a bare "mysqldb": that is a common host name */
	{"mysqldb._exceptions", "python-mysqlclient", NULL, -1, NULL},
	{"mysqldb.error", "python-mysqlclient", NULL, -1, NULL},
	{"mysqldb.operationalerror", "python-mysqlclient", NULL, -1, NULL},
	{"mysqldb/connections.py", "python-mysqlclient", NULL, -1, NULL},
	{"_mysql_exceptions", "python-mysqlclient", NULL, -1, NULL},
	{"psycopg", "python-psycopg", NULL, -1, NULL},
	{"go-sql-driver/mysql", "go-mysql", NULL, -1, NULL},
	{"[mysql] 20", "go-mysql", NULL, -1,
	 NULL}, /* its logger: "[mysql] 2024/" */
	{"jackc/pgx", "go-pgx", NULL, -1, NULL},
	/* pgx wraps the dial error: "failed to connect to `host=...`" */
	{"failed to connect to `host=", "go-pgx", NULL, -1, NULL},
	{"failed to connect to `user=", "go-pgx", NULL, -1, NULL},
	{"lib/pq", "go-pq", NULL, -1, NULL},
	{"pq: ", "go-pq", NULL, -1, NULL},
	/* Go's own dial error, bare: lib/pq, go-sql-driver/mysql */
	{"dial tcp ", "go-mysql", NULL, DBL_ENGINE_MYSQL, NULL},
	{"dial unix ", "go-mysql", NULL, DBL_ENGINE_MYSQL, NULL},
	{"dial tcp ", "go-pq", NULL, DBL_ENGINE_POSTGRES, NULL},
	{"dial unix ", "go-pq", NULL, DBL_ENGINE_POSTGRES, NULL},
};

static int engine_of(const struct dbl_xscan *s)
{
	if (s->pg == 0 && s->my == 0)
		return -1;
	return s->pg >= s->my ? DBL_ENGINE_POSTGRES : DBL_ENGINE_MYSQL;
}

/* PDO's own form: "SQLSTATE[HY000] [2002] ...", or its exception. */
static bool pdo_text(const struct dbl_xscan *s)
{
	if (dbl_xhas(s, "pdoexception") || dbl_xhas(s, "\\pdo\\") ||
	    dbl_xhas(s, "pdo\\exception"))
		return true;
	const char *p = strstr(s->low, "sqlstate[");
	return p && (p = strchr(p, ']')) && strncmp(p, "] [", 3) == 0;
}

/* needle in the text, not inside a longer word ("libpq: " is not
 * lib/pq's "pq: "). */
static const char *has_word(const struct dbl_xscan *s, const char *needle)
{
	bool alnum = (needle[0] >= 'a' && needle[0] <= 'z') ||
		     (needle[0] >= '0' && needle[0] <= '9');
	for (const char *p = strstr(s->low, needle); p;
	     p = strstr(p + 1, needle)) {
		char b = p > s->low ? p[-1] : ' ';
		if (!alnum ||
		    !((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')))
			return p;
	}
	return NULL;
}

static void found(struct dbl_explain_client *out, const struct dbl_client *c,
		  const char *named, const char *driver, const char *by)
{
	out->found = true;
	dbl_strlcpy(out->named, named ? named : c->name, sizeof(out->named));
	dbl_strlcpy(out->driver, driver ? driver : c->driver,
		    sizeof(out->driver));
	dbl_strlcpy(out->by, by, sizeof(out->by));
}

/* The row the text names, NULL when none: markers first, then PDO. */
static const struct dbl_client *from_text(const struct dbl_xscan *s,
					  struct dbl_explain_client *out)
{
	int engine = engine_of(s);
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
		const struct marker *m = &markers[i];
		const char *at = m->engine >= 0 && m->engine != engine
					 ? NULL
					 : has_word(s, m->needle);
		if (!at)
			continue;
		const struct dbl_client *c = dbl_client_find(m->client);
		if (c) {
			char by[64];
			int n = snprintf(by, sizeof(by), "the message: %.*s",
					 (int)strlen(m->needle),
					 s->raw + (at - s->low));
			while (n > 0 && (size_t)n < sizeof(by) &&
			       by[n - 1] == ' ')
				by[--n] = '\0';
			if (n > 0 && (size_t)n + 1 < sizeof(by) &&
			    by[n - 1] == '(')
				memcpy(by + n, ")", 2);
			found(out, c, m->named, m->driver, by);
		}
		return c;
	}
	if (!pdo_text(s))
		return NULL;
	const struct dbl_client *c = dbl_client_find(
		engine == DBL_ENGINE_POSTGRES ? "php-pdo-pgsql"
					      : "php-pdo-mysql");
	if (c)
		found(out, c, NULL, NULL,
		      dbl_xhas(s, "pdoexception")
			      ? "the message: PDOException"
			      : "the message: PDO's SQLSTATE[...] [n] form");
	return c;
}

void dbl_xscan_client(struct dbl_xscan *s, const struct dbl_explain_in *in,
		      struct dbl_explain_client *out)
{
	const struct dbl_client *c = NULL;
	if (in && in->client && (c = dbl_client_find(in->client)))
		found(out, c, NULL, NULL, "--client");
	else
		c = from_text(s, out);
	s->client = c;
	if (!c)
		return;
	/* the driver is the surest word on the engine */
	if (c->engine == DBL_ENGINE_MYSQL)
		s->my += 6;
	else
		s->pg += 6;
	char ev[96];
	snprintf(ev, sizeof(ev), "client %s", out->named);
	dbl_xevidence(s, ev);
}

static bool is_localhost(const char *h)
{
	return strcasecmp(h, "localhost") == 0;
}

/* The socket directory of a libpq socket path (".../.s.PGSQL.5432"). */
static void pg_dir_of(const char *sock, char *dir, size_t cap)
{
	dbl_strlcpy(dir, sock, cap);
	char *slash = strrchr(dir, '/');
	if (slash && strstr(slash, ".s.PGSQL."))
		*(slash == dir ? slash + 1 : slash) = '\0';
}

/* Plans the row for the host, port and socket the text names. */
static int plan(struct dbl_xscan *s, const struct dbl_explain_in *in,
		struct dbl_explain_client *out)
{
	const struct dbl_client *c = s->client;
	bool my = c->engine == DBL_ENGINE_MYSQL;
	char dir[sizeof(s->sock)];
	struct dbl_client_in ci = {0};
	out->host_in_text = s->host[0] != '\0';
	ci.host = out->host_in_text ? s->host : NULL;
	ci.port = s->port ? s->port : my ? 3306 : 5432;
	ci.port_given = s->port != 0;
	if (s->sock[0] && my) {
		ci.socket = s->sock;
	} else if (s->sock[0] && (!ci.host || is_localhost(ci.host))) {
		pg_dir_of(s->sock, dir, sizeof(dir));
		ci.host = dir; /* a socket directory is a host to libpq */
	}
	ci.pgx_dir = dbl_pgx_socket_dirs[0];
	char *ini_value = NULL, *ini_source = NULL;
	if (c->ini_key && in && in->php_ini) {
		int rc = in->php_ini(in->ctx, c->ini_key, &ini_value,
				     &ini_source);
		if (rc < 0)
			return rc;
		ci.default_socket = ini_value ? ini_value : c->default_socket;
		ci.default_source = ini_source;
		if (!ini_source)
			ci.default_socket = NULL;
	}
	int rc = dbl_client_plan(c, &ci, &out->path);
	free(ini_value);
	free(ini_source);
	if (rc == 0 && ci.socket && out->path.socket &&
	    strcmp(out->path.socket, s->sock) == 0)
		rc = dbl_set_str(&out->path.socket_source,
				 "named in the message");
	return rc;
}

/* The transport the driver took, when the text and the row settle it
 * together: the row's socket for a localhost (or no host) with an error
 * only a socket gives. */
static void settle_transport(const struct dbl_xscan *s,
			     struct dbl_explanation *e)
{
	const struct dbl_app_path *p = &e->client.path;
	if (p->n_steps == 0)
		return;
	enum dbl_transport first = p->steps[0].transport;
	bool local = !s->host[0] || is_localhost(s->host);
	if (first == DBL_TRANSPORT_UNIX && local &&
	    (s->unix_sock || s->err == 2 /* ENOENT: no socket file */ ||
	     s->host[0]))
		e->transport = DBL_TRANSPORT_UNIX;
	else if (e->transport < 0 && s->host[0])
		e->transport = (int)first;
}

/* The driver's own fix for a class about the path it took. */
static void client_fix(const struct dbl_client *c, struct dbl_explanation *e)
{
	const struct dbl_app_path *p = &e->client.path;
	char *f = e->client.fix;
	size_t cap = sizeof(e->client.fix);
	bool sock = p->n_steps && p->steps[0].transport == DBL_TRANSPORT_UNIX;
	bool reach = e->cls == DBL_CLASS_SOCKET_MISSING ||
		     e->cls == DBL_CLASS_SOCKET_STALE ||
		     e->cls == DBL_CLASS_SOCKET_PORT_IGNORED ||
		     e->cls == DBL_CLASS_SERVER_NOT_RUNNING ||
		     e->cls == DBL_CLASS_CONNECTION_REFUSED ||
		     e->cls == DBL_CLASS_UNKNOWN;
	if (!reach || !p->n_steps)
		return;
	if (sock && c->ini_key)
		snprintf(f, cap,
			 "PHP does not read my.cnf: it takes localhost as the "
			 "socket %s, from %s; set %s in that php.ini to the "
			 "server's socket, or connect to 127.0.0.1 for TCP",
			 p->socket ? p->socket : "",
			 p->socket_source ? p->socket_source : "", c->ini_key);
	else if (sock && c->engine == DBL_ENGINE_MYSQL)
		snprintf(f, cap,
			 "%s takes localhost as the socket %s; give it the "
			 "server's socket, or connect to 127.0.0.1 for TCP",
			 e->client.named, p->socket ? p->socket : "");
	else if (!sock && c->engine == DBL_ENGINE_MYSQL &&
		 (!p->host[0] || strcasecmp(p->host, "localhost") == 0))
		snprintf(f, cap,
			 "%s takes localhost as TCP to port %d, never the "
			 "socket: the server must listen on TCP there "
			 "(skip-networking off, bind-address covering the "
			 "loopback)",
			 e->client.named, p->port);
}

void dbl_xplace_client(struct dbl_xscan *s, const struct dbl_explain_in *in,
		       struct dbl_explanation *e)
{
	if (!s->client)
		return;
	if (e->engine < 0)
		e->engine = (int)s->client->engine;
	if (plan(s, in, &e->client) < 0) {
		s->oom = true;
		return;
	}
	settle_transport(s, e);
	client_fix(s->client, e);
	if (e->client.fix[0]) { /* the class's fix was for the stock client */
		free(e->fix);
		if (!(e->fix = dbl_strdup(e->client.fix)))
			s->oom = true;
	}
}
