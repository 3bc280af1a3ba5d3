/* Builds the targets to probe: for each setting, the first of the command
 * line, the URL, the service file, the environment and the option files
 * that sets it wins, and the target records which one that was. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef DBLOOP_WITH_LIBPQ
#include <libpq-fe.h>
#include <pg_config_manual.h>
#endif
#ifdef DBLOOP_WITH_MARIADB
#include <mysql.h>
#endif
#include "dbloop/clientlib.h"

#include "dbloop/discover.h"
#include "discover/optfile.h"
#include "discover/pgfiles.h"
#include "util/textfile.h"
#include "discover/url.h"

#ifdef DEFAULT_PGSOCKET_DIR
#define PG_SOCKET_DIR DEFAULT_PGSOCKET_DIR
#else
#define PG_SOCKET_DIR "/tmp"
#endif
#ifdef MARIADB_UNIX_ADDR
#define MY_SOCKET MARIADB_UNIX_ADDR
#elif defined(MYSQL_UNIX_ADDR)
#define MY_SOCKET MYSQL_UNIX_ADDR
#else
#define MY_SOCKET "/tmp/mysql.sock"
#endif

#define ENGINE_BIT(e) (1u << (e))
#define MAX_LAYERS 8

/* The settings a target takes, in layers. */
enum setting {
	S_HOST,
	S_PORT,
	S_SOCKET,
	S_USER,
	S_DB,
	S_PASSWORD,
	S_SSLMODE,
	S_CA,
	S_CERT,
	S_KEY,
	S_TIMEOUT,
	S__COUNT
};

struct candidate {
	const char *value;
	const char *from; /* "--host", "PGHOST", "/root/.my.cnf line 3" */
};

/* Candidates per setting, offered in priority order: the first wins. */
struct layers {
	struct candidate c[S__COUNT][MAX_LAYERS];
	int n[S__COUNT];
};

struct ctx {
	const struct dbl_options *o;
	struct dbl_facts *f;
	const struct dbl_discover_paths *p;
	const char *home;
	char *os_user;
	struct dbl_optfile myopt;
	char *pw_option; /* from --password-env / --password-file */
	const char *pw_option_from;
	struct dbl_strlist owned; /* values read from files, wiped at the end */
	struct dbl_target **out;
	size_t n_out;
	char *err;
	size_t errlen;
};

static void offer(struct layers *l, enum setting s, const char *value,
		  const char *from)
{
	if (value && *value && l->n[s] < MAX_LAYERS)
		l->c[s][l->n[s]++] = (struct candidate){value, from};
}

static const struct candidate *pick(const struct layers *l, enum setting s)
{
	return l->n[s] ? &l->c[s][0] : NULL;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* Keeps a copy owned by the context (wiped at the end: may be secret). */
static const char *keep(struct ctx *c, const char *s)
{
	if (!s || dbl_strlist_push(&c->owned, s) < 0)
		return NULL;
	return c->owned.items[c->owned.n - 1];
}

static const char *keep_n(struct ctx *c, const char *s, size_t len)
{
	char *copy = strndup(s, len);
	const char *kept = keep(c, copy);
	free(copy);
	return kept;
}

static const char *keep_int(struct ctx *c, int n)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%d", n);
	return keep(c, buf);
}

static const char *keep_path(struct ctx *c, const char *dir, const char *name)
{
	char *path = dbl_asprintf("%s/%s", dir, name);
	const char *kept = keep(c, path);
	free(path);
	return kept;
}

static bool engine_wanted(const struct dbl_options *o, enum dbl_engine e)
{
	return !o->engines || (o->engines & ENGINE_BIT(e));
}

static bool both_engines(const struct dbl_options *o)
{
	return engine_wanted(o, DBL_ENGINE_POSTGRES) &&
	       engine_wanted(o, DBL_ENGINE_MYSQL);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* ".s.PGSQL.5433" -> 5433, else 0. */
static int pg_socket_port(const char *path)
{
	const char *b = base_name(path);
	int port = 0;
	if (strncmp(b, ".s.PGSQL.", 9) != 0 || dbl_parse_port(b + 9, &port))
		return 0;
	return port;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The first line of a file, for --password-file and *_PASSWORD_FILE.
 * Caller frees and wipes; NULL when unreadable (errno_out set). */
static char *first_line(const char *path, int *errno_out)
{
	char *text = NULL;
	if (dbl_textfile_read(path, NULL, &text, errno_out) < 0)
		return NULL;
	char *line = strndup(text, strcspn(text, "\r\n"));
	dbl_secure_zero(text, strlen(text));
	free(text);
	return line;
}

/* A MySQL socket from a directory: the mysqld.sock or mysql.sock in it. */
static const char *mysql_socket_in(struct ctx *c, const char *dir)
{
	static const char *const names[] = {"mysqld.sock", "mysql.sock"};
	for (size_t i = 0; i < 2; i++) {
		char *path = dbl_asprintf("%s/%s", dir, names[i]);
		struct stat st;
		bool found = path && stat(path, &st) == 0;
		free(path);
		if (found)
			return keep_path(c, dir, names[i]);
	}
	return keep_path(c, dir, "mysqld.sock");
}

/* What a -S value names, for the engine it applies to. */
enum sock_kind { SOCK_DIR, SOCK_PG, SOCK_MY };

static enum sock_kind sock_kind(const char *s)
{
	struct stat st;
	if (is_dir(s))
		return SOCK_DIR;
	if (pg_socket_port(s))
		return SOCK_PG;
	if (stat(s, &st) != 0 && !strstr(base_name(s), ".sock"))
		return SOCK_DIR; /* as a lone -S is taken by PostgreSQL */
	return SOCK_MY;
}

/* The -S value engine e takes. With one -S, that one (the offer_*
 * functions decide how). With two, a file named for e wins over a
 * directory; NULL when neither applies. */
static const char *socket_for(const struct dbl_options *o, enum dbl_engine e)
{
	if (!o->socket2)
		return o->socket;
	enum sock_kind mine = e == DBL_ENGINE_POSTGRES ? SOCK_PG : SOCK_MY;
	const char *v[2] = {o->socket, o->socket2};
	for (int i = 0; i < 2; i++)
		if (sock_kind(v[i]) == mine)
			return v[i];
	for (int i = 0; i < 2; i++)
		if (sock_kind(v[i]) == SOCK_DIR)
			return v[i];
	return NULL;
}

/* Two -S values must each have an engine, and not the same one. */
static int check_sockets(struct ctx *c)
{
	const struct dbl_options *o = c->o;
	if (!o->socket || !o->socket2)
		return 0;
	enum sock_kind a = sock_kind(o->socket), b = sock_kind(o->socket2);
	if (a != b)
		return 0;
	snprintf(c->err, c->errlen,
		 "'--socket' given twice for %s ('%s' and '%s'): give a "
		 "directory once, or a .s.PGSQL.N file and a MySQL socket "
		 "file",
		 a == SOCK_DIR	? "both engines"
		 : a == SOCK_PG ? "PostgreSQL"
				: "MySQL",
		 o->socket, o->socket2);
	return -DBL_EUSAGE;
}

/* -S for PostgreSQL: a directory, or a full .s.PGSQL.N path that also
 * sets the port. A file of another name belongs to MySQL when both
 * engines are probed; with PostgreSQL alone libpq would take it for a
 * directory, which is what we reproduce, with a warning. */
static void offer_pg_socket_option(struct ctx *c, struct layers *l)
{
	const char *s = socket_for(c->o, DBL_ENGINE_POSTGRES);
	if (!s)
		return;
	int port = pg_socket_port(s);
	if (port && !is_dir(s)) {
		size_t dirlen = (size_t)(base_name(s) - s);
		const char *dir =
			keep_n(c, s, dirlen > 1 ? dirlen - 1 : dirlen);
		offer(l, S_SOCKET, dir && *dir ? dir : ".", "--socket");
		offer(l, S_PORT, keep_int(c, port), "--socket");
		return;
	}
	struct stat st;
	bool exists = stat(s, &st) == 0;
	if (is_dir(s) || (!exists && !strstr(base_name(s), ".sock"))) {
		offer(l, S_SOCKET, s, "--socket");
		return;
	}
	if (both_engines(c->o))
		return; /* a MySQL socket file */
	dbl_warn(&c->f->warnings,
		 "--socket '%s' is a file, but PostgreSQL takes the socket "
		 "directory (or a full .s.PGSQL.N path): libpq will look for "
		 "'%s/.s.PGSQL.<port>'",
		 s, s);
	offer(l, S_SOCKET, s, "--socket");
}

static void offer_my_socket_option(struct ctx *c, struct layers *l)
{
	const char *s = socket_for(c->o, DBL_ENGINE_MYSQL);
	if (!s)
		return;
	if (is_dir(s))
		offer(l, S_SOCKET, mysql_socket_in(c, s), "--socket");
	else if (!(pg_socket_port(s) && both_engines(c->o)))
		offer(l, S_SOCKET, s, "--socket");
}

/* A socket in a target's URL (MySQL socket=, a PostgreSQL host that is
 * a directory) is more specific than a global --socket: it wins. */
static void offer_url_socket(struct layers *l, enum dbl_engine e,
			     const struct dbl_url_endpoint *ep,
			     const char *from)
{
	if (!ep)
		return;
	if (e == DBL_ENGINE_POSTGRES && ep->host && ep->host[0] == '/')
		offer(l, S_SOCKET, ep->host, from);
	else
		offer(l, S_SOCKET, ep->socket, from);
}

static void offer_cli(struct ctx *c, struct layers *l, enum dbl_engine e,
		      const struct dbl_url_endpoint *ep, const char *url_from)
{
	const struct dbl_options *o = c->o;
	offer(l, S_HOST, o->host, "--host");
	if (o->engine_port[e] > 0)
		offer(l, S_PORT, keep_int(c, o->engine_port[e]), "--port");
	else if (o->port > 0)
		offer(l, S_PORT, keep_int(c, o->port), "--port");
	offer_url_socket(l, e, ep, url_from);
	if (e == DBL_ENGINE_POSTGRES)
		offer_pg_socket_option(c, l);
	else
		offer_my_socket_option(c, l);
	offer(l, S_USER, o->user, "--user");
	offer(l, S_DB, o->database, "--database");
	offer(l, S_PASSWORD, o->prompted_password, "--password-prompt");
	offer(l, S_PASSWORD, c->pw_option, c->pw_option_from);
	if (o->ssl_mode_set)
		offer(l, S_SSLMODE, dbl_ssl_mode_name(o->ssl_mode),
		      "--ssl-mode");
	offer(l, S_CA, o->ssl_ca, "--ssl-ca");
	offer(l, S_CERT, o->ssl_cert, "--ssl-cert");
	offer(l, S_KEY, o->ssl_key, "--ssl-key");
}

static void offer_url(struct ctx *c, struct layers *l,
		      const struct dbl_url_endpoint *ep, const char *from)
{
	offer(l, S_HOST, ep->host ? ep->host : ep->hostaddr, from);
	if (ep->port)
		offer(l, S_PORT, keep_int(c, ep->port), from);
	offer(l, S_SOCKET, ep->socket, from);
	offer(l, S_USER, ep->user, from);
	offer(l, S_DB, ep->database, from);
	offer(l, S_PASSWORD, ep->password, from);
	offer(l, S_SSLMODE, ep->ssl_mode, from);
	offer(l, S_CA, ep->ssl_ca, from);
	offer(l, S_CERT, ep->ssl_cert, from);
	offer(l, S_KEY, ep->ssl_key, from);
	offer(l, S_TIMEOUT, ep->connect_timeout, from);
}

/* The official images' *_PASSWORD_FILE variables. */
static void offer_password_file_env(struct ctx *c, struct layers *l,
				    const char *var)
{
	const char *path = env(var);
	if (!path)
		return;
	int err = 0;
	char *pw = first_line(path, &err);
	if (!pw) {
		dbl_warn(&c->f->warnings, "cannot read %s '%s': %s", var, path,
			 err ? strerror(err) : "not a small text file");
		return;
	}
	offer(l, S_PASSWORD, keep(c, pw), var);
	dbl_secure_zero(pw, strlen(pw));
	free(pw);
}

static const char *sysconfdir(const struct ctx *c)
{
	if (env("PGSYSCONFDIR"))
		return env("PGSYSCONFDIR");
	return c->p && c->p->sysconfdir ? c->p->sysconfdir
					: "/etc/postgresql-common";
}

/* libpq opens the service files with a plain fopen, which blocks forever
 * on a FIFO. The probes pass it no service=, so PGSERVICE is its only way
 * to them: when a file it would open is not a regular file, PGSERVICE is
 * dropped from our environment (discovery runs before any probe thread)
 * and the values come from what discovery read. */
static void guard_service_files(struct ctx *c, const char *user_file,
				const char *sys_file)
{
	const char *files[] = {user_file, sys_file};
	for (size_t i = 0; i < 2 && env("PGSERVICE"); i++) {
		struct stat st;
		if (!files[i] || stat(files[i], &st) != 0 ||
		    S_ISREG(st.st_mode))
			continue;
		dbl_warn(&c->f->warnings,
			 "service file '%s' is not a regular file: ignored, "
			 "and PGSERVICE is not passed on to libpq",
			 files[i]);
		unsetenv("PGSERVICE");
	}
}

/* libpq reads the user's service file, and the system one only when the
 * service is not in the user's. */
static int load_service(struct ctx *c, const char *name,
			struct dbl_pgservice *svc)
{
	char *user_file = env("PGSERVICEFILE")
				  ? strdup(env("PGSERVICEFILE"))
				  : dbl_asprintf("%s/.pg_service.conf",
						 c->home ? c->home : "");
	char *sys_file = dbl_asprintf("%s/pg_service.conf", sysconfdir(c));
	int rc = user_file && sys_file ? 0 : -DBL_ENOMEM;
	if (rc == 0)
		guard_service_files(c, user_file, sys_file);
	if (rc == 0 && c->home)
		rc = dbl_pgservice_find(user_file, name, svc, &c->f->warnings);
	if (rc == 0) {
		dbl_pgservice_release(svc);
		rc = dbl_pgservice_find(sys_file, name, svc, &c->f->warnings);
	}
	if (rc == 0)
		dbl_warn(&c->f->warnings,
			 "service '%s' is not defined in '%s' or '%s': libpq "
			 "will refuse to connect",
			 name, user_file, sys_file);
	free(user_file);
	free(sys_file);
	return rc < 0 ? rc : 0;
}

static void offer_service(struct layers *l, const struct dbl_pgservice *svc)
{
	static const struct {
		const char *key;
		enum setting s;
	} keys[] = {
		{"host", S_HOST},
		{"hostaddr", S_HOST},
		{"port", S_PORT},
		{"user", S_USER},
		{"dbname", S_DB},
		{"password", S_PASSWORD},
		{"sslmode", S_SSLMODE},
		{"sslrootcert", S_CA},
		{"sslcert", S_CERT},
		{"sslkey", S_KEY},
		{"connect_timeout", S_TIMEOUT},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *from = NULL;
		const char *v = dbl_pgservice_get(svc, keys[i].key, &from);
		offer(l, keys[i].s, v, from);
	}
}

static void offer_pg_env(struct ctx *c, struct layers *l)
{
	static const struct {
		const char *var;
		enum setting s;
	} vars[] = {
		{"PGHOST", S_HOST},
		{"PGHOSTADDR", S_HOST},
		{"PGPORT", S_PORT},
		{"PGUSER", S_USER},
		{"PGDATABASE", S_DB},
		{"PGPASSWORD", S_PASSWORD},
		{"PGSSLMODE", S_SSLMODE},
		{"PGSSLROOTCERT", S_CA},
		{"PGSSLCERT", S_CERT},
		{"PGSSLKEY", S_KEY},
		{"PGCONNECT_TIMEOUT", S_TIMEOUT},
	};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		offer(l, vars[i].s, env(vars[i].var), vars[i].var);
	offer_password_file_env(c, l, "POSTGRES_PASSWORD_FILE");
}

static void offer_my_env(struct ctx *c, struct layers *l)
{
	offer(l, S_HOST, env("MYSQL_HOST"), "MYSQL_HOST");
	offer(l, S_PORT, env("MYSQL_TCP_PORT"), "MYSQL_TCP_PORT");
	offer(l, S_SOCKET, env("MYSQL_UNIX_PORT"), "MYSQL_UNIX_PORT");
	offer(l, S_PASSWORD, env("MYSQL_PWD"), "MYSQL_PWD");
	offer_password_file_env(c, l, "MYSQL_PASSWORD_FILE");
	offer_password_file_env(c, l, "MARIADB_PASSWORD_FILE");
}

static void offer_optfile(struct ctx *c, struct layers *l)
{
	static const struct {
		const char *name;
		enum setting s;
	} opts[] = {
		{"host", S_HOST},
		{"port", S_PORT},
		{"socket", S_SOCKET},
		{"user", S_USER},
		{"database", S_DB},
		{"password", S_PASSWORD},
		{"ssl-mode", S_SSLMODE},
		{"ssl-ca", S_CA},
		{"ssl-cert", S_CERT},
		{"ssl-key", S_KEY},
		{"connect-timeout", S_TIMEOUT},
	};
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const struct dbl_optval *v =
			dbl_optfile_get(&c->myopt, opts[i].name);
		if (v)
			offer(l, opts[i].s, v->value, v->source);
	}
	/* skip-ssl, or ssl=0, turns TLS off like ssl-mode=DISABLED. */
	const struct dbl_optval *skip = dbl_optfile_get(&c->myopt, "skip-ssl");
	const struct dbl_optval *ssl = dbl_optfile_get(&c->myopt, "ssl");
	if (skip && (!skip->value || strcmp(skip->value, "0") != 0))
		offer(l, S_SSLMODE, "disable", skip->source);
	else if (ssl && ssl->value &&
		 (strcmp(ssl->value, "0") == 0 ||
		  strcasecmp(ssl->value, "off") == 0))
		offer(l, S_SSLMODE, "disable", ssl->source);
}

static unsigned transports_for(const char *host, enum dbl_engine e,
			       bool tcp_only)
{
	unsigned m;
	if (e == DBL_ENGINE_POSTGRES && host[0] == '/')
		m = DBL_TRANSPORT_BIT(DBL_TRANSPORT_UNIX);
	else if (strcasecmp(host, "localhost") == 0)
		m = DBL_TRANSPORTS_LOCAL;
	else if (strcmp(host, "127.0.0.1") == 0)
		m = DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4);
	else if (strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0)
		m = DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP6);
	else
		m = DBL_TRANSPORT_BIT(DBL_TRANSPORT_HOST);
	if (tcp_only)
		m &= ~DBL_TRANSPORT_BIT(DBL_TRANSPORT_UNIX);
	return m;
}

/* The last layer: built-in defaults, and the PostgreSQL socket directory
 * that a host given as a path implies. */
static void offer_defaults(struct ctx *c, struct layers *l, enum dbl_engine e)
{
	bool pg = e == DBL_ENGINE_POSTGRES;
	const struct candidate *host = pick(l, S_HOST);
	if (pg && host && host->value[0] == '/')
		offer(l, S_SOCKET, host->value, host->from);
	offer(l, S_HOST, "localhost", "default");
	offer(l, S_PORT, pg ? "5432" : "3306", "default");
	offer(l, S_SOCKET, pg ? PG_SOCKET_DIR : c->f->mysql_default_socket,
	      "default");
	offer(l, S_USER, c->os_user, "default");
	if (pg)
		offer(l, S_DB, pick(l, S_USER)->value, "default");
}

static int set_origin(struct dbl_target *t, enum dbl_target_setting s,
		      const struct candidate *cand, const char *shown)
{
	if (!cand)
		return 0;
	return dbl_target_set_origin(t, s, shown ? shown : cand->value,
				     cand->from);
}

static int set_field(char **dst, const struct candidate *cand)
{
	return cand ? dbl_set_str(dst, cand->value) : 0;
}

/* Port and socket path; PostgreSQL's is the directory + .s.PGSQL.port. */
static int resolve_endpoint(struct ctx *c, struct dbl_target *t,
			    const struct layers *l)
{
	const struct candidate *port = pick(l, S_PORT);
	const struct candidate *sock = pick(l, S_SOCKET);
	if (dbl_parse_port(port->value, &t->port) < 0) {
		dbl_warn(&c->f->warnings,
			 "invalid port '%s' from %s ignored, using the "
			 "default",
			 port->value, port->from);
		t->port = t->engine == DBL_ENGINE_POSTGRES ? 5432 : 3306;
	}
	int rc = set_origin(t, DBL_SET_PORT, port, NULL);
	if (!sock || rc < 0)
		return rc;
	if (t->engine == DBL_ENGINE_POSTGRES)
		t->socket_path =
			dbl_asprintf("%s/.s.PGSQL.%d", sock->value, t->port);
	else
		t->socket_path = strdup(sock->value);
	if (!t->socket_path)
		return -DBL_ENOMEM;
	return set_origin(t, DBL_SET_SOCKET, sock, t->socket_path);
}

static int resolve_ssl(struct ctx *c, struct dbl_target *t,
		       const struct layers *l)
{
	const struct candidate *mode = pick(l, S_SSLMODE);
	if (mode && dbl_ssl_mode_from_text(mode->value, &t->ssl_mode) < 0)
		dbl_warn(&c->f->warnings,
			 "unknown ssl mode '%s' from %s ignored", mode->value,
			 mode->from);
	int rc = mode ? dbl_target_set_origin(t, DBL_SET_SSLMODE,
					      dbl_ssl_mode_name(t->ssl_mode),
					      mode->from)
		      : dbl_target_set_origin(t, DBL_SET_SSLMODE, "prefer",
					      "default");
	if (rc == 0)
		rc = set_field(&t->ssl_ca, pick(l, S_CA));
	if (rc == 0)
		rc = set_field(&t->ssl_cert, pick(l, S_CERT));
	if (rc == 0)
		rc = set_field(&t->ssl_key, pick(l, S_KEY));
	return rc;
}

static void resolve_timeout(struct ctx *c, struct dbl_target *t,
			    const struct layers *l)
{
	t->timeout_ms = c->o->timeout_ms > 0 ? c->o->timeout_ms : 3000;
	const struct candidate *to = pick(l, S_TIMEOUT);
	if (c->o->timeout_set || !to)
		return;
	char *end;
	long secs = strtol(to->value, &end, 10);
	if (*end || secs < 0 || secs > 3600) {
		dbl_warn(&c->f->warnings,
			 "invalid connect timeout '%s' from %s", to->value,
			 to->from);
		return;
	}
	if (secs > 0) /* 0 means wait forever: keep our deadline */
		t->timeout_ms = (int)(secs < 2 ? 2 : secs) * 1000;
}

static char *pgpass_path(const struct ctx *c)
{
	if (env("PGPASSFILE"))
		return strdup(env("PGPASSFILE"));
	return c->home ? dbl_asprintf("%s/.pgpass", c->home) : NULL;
}

/* Which .pgpass line libpq would use on each transport of t. */
static int pgpass_facts(struct ctx *c, struct dbl_target *t,
			const char *socket_dir)
{
	struct dbl_pgpass_facts *pf = &c->f->pgpass;
	char *path = pgpass_path(c);
	struct dbl_pgpass pp;
	int rc = dbl_pgpass_open(&pp, path, &c->f->warnings);
	free(path);
	if (rc < 0)
		return rc;
	free(pf->file);
	pf->file = pp.path ? strdup(pp.path) : NULL;
	pf->ignored = pp.ignored;
	pf->mode = pp.mode;
	char port[16];
	snprintf(port, sizeof(port), "%d", t->port);
	for (int tr = 0; tr < DBL_TRANSPORT__COUNT; tr++) {
		pf->match_line[tr] = 0;
		if (!(t->transports & DBL_TRANSPORT_BIT(tr)))
			continue;
		const char *host =
			dbl_pgpass_host(tr, t->host, socket_dir, PG_SOCKET_DIR);
		pf->match_line[tr] = dbl_pgpass_match(
			&pp, host, port, t->database, t->user, NULL);
	}
	dbl_pgpass_release(&pp);
	return 0;
}

static int pgpass_origin(struct ctx *c, struct dbl_target *t)
{
	const struct dbl_pgpass_facts *pf = &c->f->pgpass;
	if (!pf->file || pf->ignored)
		return 0;
	for (int tr = 0; tr < DBL_TRANSPORT__COUNT; tr++)
		if (pf->match_line[tr]) {
			char *from = dbl_asprintf("%s line %d", pf->file,
						  pf->match_line[tr]);
			int rc = from ? dbl_target_set_origin(t,
							      DBL_SET_PASSWORD,
							      "set", from)
				      : -DBL_ENOMEM;
			free(from);
			return rc;
		}
	return 0;
}

/* The password goes into t->password only; its origin says "set". For
 * PostgreSQL a .pgpass line is left to libpq, which matches it per
 * transport. */
static int resolve_password(struct ctx *c, struct dbl_target *t,
			    const struct layers *l, const char *socket_dir)
{
	const struct candidate *pw = pick(l, S_PASSWORD);
	int rc = 0;
	if (t->engine == DBL_ENGINE_POSTGRES)
		rc = pgpass_facts(c, t, socket_dir);
	if (rc < 0)
		return rc;
	if (!pw)
		return t->engine == DBL_ENGINE_POSTGRES ? pgpass_origin(c, t)
							: 0;
	t->password = strdup(pw->value);
	if (!t->password)
		return -DBL_ENOMEM;
	return dbl_target_set_origin(t, DBL_SET_PASSWORD, "set", pw->from);
}

static void warn_mysql_localhost_port(struct ctx *c, const struct dbl_target *t,
				      const struct layers *l, bool tcp_only)
{
	const struct candidate *port = pick(l, S_PORT);
	if (t->engine != DBL_ENGINE_MYSQL || strcasecmp(t->host, "localhost") ||
	    tcp_only || t->port == 3306 || strcmp(port->from, "default") == 0)
		return;
	dbl_warn(&c->f->warnings,
		 "MySQL clients take host 'localhost' to mean the Unix socket "
		 "'%s': port %d from %s is ignored by them (use 127.0.0.1 or "
		 "--protocol=TCP to reach the port)",
		 t->socket_path ? t->socket_path : "?", t->port, port->from);
}

static int resolve_identity(struct dbl_target *t, const struct layers *l)
{
	const struct candidate *host = pick(l, S_HOST);
	const struct candidate *user = pick(l, S_USER);
	const struct candidate *db = pick(l, S_DB);
	int rc = set_field(&t->host, host);
	if (rc == 0)
		rc = set_origin(t, DBL_SET_HOST, host, NULL);
	if (rc == 0)
		rc = set_field(&t->user, user);
	if (rc == 0)
		rc = set_origin(t, DBL_SET_USER, user, NULL);
	if (rc == 0)
		rc = set_field(&t->database, db);
	if (rc == 0)
		rc = set_origin(t, DBL_SET_DATABASE, db, NULL);
	return rc;
}

static int push_target(struct ctx *c, struct dbl_target *t)
{
	struct dbl_target **out =
		realloc(c->out, (c->n_out + 1) * sizeof(*out));
	if (!out)
		return -DBL_ENOMEM;
	c->out = out;
	c->out[c->n_out++] = t;
	return 0;
}

static void offer_sources(struct ctx *c, struct layers *l, enum dbl_engine e,
			  const struct dbl_url_endpoint *ep,
			  const char *url_from, struct dbl_pgservice *svc,
			  int *rc)
{
	offer_cli(c, l, e, ep, url_from);
	if (ep)
		offer_url(c, l, ep, url_from);
	if (e == DBL_ENGINE_POSTGRES) {
		const char *service =
			ep && ep->service ? ep->service : env("PGSERVICE");
		if (service)
			*rc = load_service(c, service, svc);
		offer_service(l, svc);
		offer_pg_env(c, l);
	} else {
		offer_my_env(c, l);
		offer_optfile(c, l);
	}
	offer_defaults(c, l, e);
}

static int fill_target(struct ctx *c, struct dbl_target *t,
		       const struct layers *l, bool tcp_only)
{
	int rc = resolve_identity(t, l);
	if (rc == 0)
		rc = resolve_endpoint(c, t, l);
	if (rc < 0)
		return rc;
	t->transports = transports_for(t->host, t->engine, tcp_only);
	if (c->o->transports) {
		unsigned narrowed = t->transports & c->o->transports;
		t->transports = narrowed ? narrowed : c->o->transports;
	}
	const struct candidate *sock = pick(l, S_SOCKET);
	rc = resolve_password(c, t, l, sock ? sock->value : NULL);
	if (rc == 0)
		rc = resolve_ssl(c, t, l);
	resolve_timeout(c, t, l);
	t->max_stage = c->o->max_stage;
	warn_mysql_localhost_port(c, t, l, tcp_only);
	return rc;
}

/* protocol=TCP in an option file: the MySQL clients (libmariadb too) then
 * take TCP even for host 'localhost', so the socket is not what they use. */
static bool optfile_wants_tcp(const struct ctx *c, enum dbl_engine e)
{
	const struct dbl_optval *p = dbl_optfile_get(&c->myopt, "protocol");
	return e == DBL_ENGINE_MYSQL && p && p->value &&
	       strcasecmp(p->value, "tcp") == 0;
}

static int build_target(struct ctx *c, enum dbl_engine e,
			const struct dbl_url_endpoint *ep, const char *url_from,
			const char *label)
{
	struct layers l = {0};
	struct dbl_pgservice svc = {0};
	int rc = 0;
	offer_sources(c, &l, e, ep, url_from, &svc, &rc);
	struct dbl_target *t = rc == 0 ? dbl_target_new(e) : NULL;
	if (rc == 0 && !t)
		rc = -DBL_ENOMEM;
	if (rc == 0)
		rc = fill_target(c, t, &l,
				 (ep && ep->tcp_only) ||
					 optfile_wants_tcp(c, e));
	if (rc == 0 && !(t->label = strdup(label)))
		rc = -DBL_ENOMEM;
	if (rc == 0)
		rc = push_target(c, t);
	if (rc < 0)
		dbl_target_free(t);
	dbl_pgservice_release(&svc);
	return rc;
}

static unsigned url_engines(const struct ctx *c,
			    const struct dbl_url_endpoint *ep)
{
	/* The scheme decides; only tcp:// leaves it to -e. */
	if (ep->tcp_only && c->o->engines)
		return ep->engines & c->o->engines ? ep->engines & c->o->engines
						   : ep->engines;
	return ep->engines;
}

static int build_url_targets(struct ctx *c, const struct dbl_url *u,
			     const char *from)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < u->n; i++) {
		char *label = u->n > 1 ? dbl_asprintf("%s (host %zu of %zu)",
						      u->label, i + 1, u->n)
				       : strdup(u->label);
		unsigned engines = url_engines(c, &u->eps[i]);
		for (int e = 0; rc == 0 && label && e < DBL_ENGINE__COUNT; e++)
			if (engines & ENGINE_BIT(e))
				rc = build_target(c, e, &u->eps[i], from,
						  label);
		rc = rc ? rc : label ? 0 : -DBL_ENOMEM;
		free(label);
	}
	return rc;
}

static int command_line_targets(struct ctx *c)
{
	for (int i = 0; i < c->o->n_targets; i++) {
		const char *text = c->o->targets[i];
		struct dbl_url u;
		int rc = dbl_url_parse(text, &u, c->err, c->errlen);
		if (rc < 0)
			return rc;
		if (dbl_url_has_password(text))
			dbl_warn(&c->f->warnings,
				 "the password in '%s' on the command line is "
				 "visible to other users in the process list: "
				 "use --password-env, --password-file or a "
				 "password file instead",
				 u.label);
		rc = build_url_targets(c, &u, "URL");
		dbl_url_release(&u);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int discovered_targets(struct ctx *c)
{
	const char *db_url = env("DATABASE_URL");
	if (db_url) {
		struct dbl_url u;
		char why[512];
		int rc = dbl_url_parse(db_url, &u, why, sizeof(why));
		if (rc == -DBL_ENOMEM)
			return rc;
		if (rc == 0) {
			rc = build_url_targets(c, &u, "DATABASE_URL");
			dbl_url_release(&u);
			return rc;
		}
		dbl_warn(&c->f->warnings, "DATABASE_URL ignored: %s", why);
	}
	int rc = 0;
	for (int e = 0; rc == 0 && e < DBL_ENGINE__COUNT; e++)
		if (engine_wanted(c->o, e))
			rc = build_target(c, e, NULL, NULL, "discovered");
	return rc;
}

extern char **environ;

/* Variables of the official images' compose files: the server's settings,
 * which clients do not read, so a mismatch with the client's is a hint. */
static int env_hints(struct ctx *c)
{
	static const char *const prefixes[] = {"POSTGRES_", "MYSQL_",
					       "MARIADB_"};
	static const char *const client_vars[] = {"MYSQL_HOST",
						  "MYSQL_TCP_PORT",
						  "MYSQL_UNIX_PORT",
						  "MYSQL_PWD",
						  "MYSQL_HOME",
						  "MYSQL_PASSWORD_FILE",
						  "MARIADB_PASSWORD_FILE",
						  "MARIADB_HOME",
						  "POSTGRES_PASSWORD_FILE"};
	int rc = 0;
	for (char **ev = environ; ev && *ev && rc == 0; ev++) {
		size_t nlen = strcspn(*ev, "=");
		bool known = false, client = false;
		for (size_t i = 0; i < 3; i++)
			known |= strncmp(*ev, prefixes[i],
					 strlen(prefixes[i])) == 0;
		for (size_t i = 0; i < 9; i++)
			client |= strlen(client_vars[i]) == nlen &&
				  strncmp(*ev, client_vars[i], nlen) == 0;
		if (!known || client || !(*ev)[nlen])
			continue;
		bool secret = strstr(*ev, "PASSWORD") &&
			      strstr(*ev, "PASSWORD") < *ev + nlen;
		const char *val = *ev + nlen + 1;
		size_t vlen = strcspn(val, " ");
		if (!secret && nlen >= 5 &&
		    strncmp(*ev + nlen - 5, "_HOST", 5) == 0 && vlen > 0) {
			char name[128];
			snprintf(name, sizeof(name), "%.*s", (int)nlen, *ev);
			rc = dbl_facts_add_env_host(
				c->f, DBL_ENV_HOST_VAR, val, vlen, 0,
				(1u << DBL_ENGINE__COUNT) - 1, name);
			if (rc < 0)
				return rc;
		}
		rc = dbl_warn(&c->f->hints,
			      "%.*s%s%s is set in the environment (a container "
			      "image's server setting; clients do not read it)",
			      (int)nlen, *ev, secret ? "" : "=",
			      secret ? "" : *ev + nlen + 1);
	}
	return rc;
}

/* The endpoints of DATABASE_URL, as hosts the environment names. */
static int url_hosts(struct ctx *c, const char *db_url)
{
	struct dbl_url u;
	char err[160];
	int rc = 0;
	if (dbl_url_parse(db_url, &u, err, sizeof(err)) != 0)
		return 0; /* warned about where the target is built */
	for (size_t i = 0; rc == 0 && i < u.n; i++)
		if (u.eps[i].host)
			rc = dbl_facts_add_env_host(
				c->f, DBL_ENV_HOST_URL, u.eps[i].host,
				strlen(u.eps[i].host), u.eps[i].port,
				u.eps[i].engines, "DATABASE_URL");
	dbl_url_release(&u);
	return rc;
}

static int url_hints(struct ctx *c)
{
	const char *db_url = env("DATABASE_URL");
	int rc = 0;
	if (db_url) {
		char *shown = dbl_url_redact(db_url);
		rc = dbl_warn(&c->f->hints, "DATABASE_URL is set: '%s'%s",
			      shown ? shown : "?",
			      c->o->n_targets
				      ? " (not used: targets were given)"
				      : "");
		free(shown);
		if (rc == 0)
			rc = url_hosts(c, db_url);
	}
	char *login = c->home ? dbl_asprintf("%s/.mylogin.cnf", c->home) : NULL;
	if (rc == 0 && login && access(login, F_OK) == 0)
		rc = dbl_warn(&c->f->hints,
			      "'%s' exists; it is encrypted and "
			      "dbloop does not read it",
			      login);
	free(login);
	return rc;
}

static void client_facts(struct dbl_facts *f)
{
	if (!f->mysql_default_socket)
		f->mysql_default_socket = strdup(MY_SOCKET);
}

/* Not in discovery: loading libmariadb there (4 ms) held back the
 * PostgreSQL probes' threads, the longest of a run; the probes load each
 * library when their engine has a target (dbl_run_probes: libpq, its
 * threads, then libmariadb while they log in). */
void dbl_discover_client_versions(struct dbl_facts *f, bool mysql, bool pg)
{
#ifdef DBLOOP_WITH_MARIADB
	if (mysql && !f->mysql_client_version &&
	    dbl_libmariadb_load(NULL, 0) == 0)
		f->mysql_client_version = dbl_strdup(mysql_get_client_info());
#endif
#ifdef DBLOOP_WITH_LIBPQ
	int v = pg && dbl_libpq_load(NULL, 0) == 0 ? PQlibVersion() : 0;
	if (!f->libpq_version && v > 0)
		f->libpq_version = dbl_asprintf("%d.%d", v / 10000, v % 10000);
#endif
	(void)mysql;
	(void)pg;
}

static char *os_user_name(void)
{
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name)
		return strdup(pw->pw_name);
	return dbl_strdup(env("USER") ? env("USER") : "root");
}

/* --password-env VAR / --password-file FILE (first line). */
static int password_option(struct ctx *c)
{
	const struct dbl_options *o = c->o;
	if (o->password_env) {
		const char *v = getenv(o->password_env);
		if (!v)
			dbl_warn(&c->f->warnings,
				 "--password-env: '%s' is not set",
				 o->password_env);
		c->pw_option = v ? strdup(v) : NULL;
		c->pw_option_from = o->password_env;
		return v && !c->pw_option ? -DBL_ENOMEM : 0;
	}
	if (!o->password_file)
		return 0;
	char *text = NULL;
	int rc = dbl_textfile_read_named("--password-file", o->password_file,
					 &text, c->err, c->errlen);
	if (rc < 0)
		return rc;
	c->pw_option = strndup(text, strcspn(text, "\r\n"));
	c->pw_option_from = o->password_file;
	dbl_secure_zero(text, strlen(text));
	free(text);
	return c->pw_option ? 0 : -DBL_ENOMEM;
}

static int load_option_files(struct ctx *c)
{
	const struct dbl_options *o = c->o;
	struct dbl_optfile_spec spec = {
		.root = c->p ? c->p->root : NULL,
		.home = c->home,
		.defaults_file = o->defaults_file,
		.defaults_extra_file = o->defaults_extra_file,
		.no_defaults = o->no_defaults,
		.groups = dbl_optfile_client_groups,
	};
	int rc = dbl_optfile_load(&c->myopt, &spec, &c->f->warnings, c->err,
				  c->errlen);
	for (size_t i = 0; rc == 0 && i < c->myopt.files_read.n; i++)
		if (!dbl_strlist_contains(&c->f->option_files_read,
					  c->myopt.files_read.items[i]))
			rc = dbl_strlist_push(&c->f->option_files_read,
					      c->myopt.files_read.items[i]);
	return rc;
}

static int ctx_init(struct ctx *c)
{
	c->home = c->p && c->p->home ? c->p->home : env("HOME");
	c->os_user = os_user_name();
	if (!c->os_user)
		return -DBL_ENOMEM;
	client_facts(c->f);
	int rc = check_sockets(c);
	if (rc == 0)
		rc = password_option(c);
	if (rc == 0)
		rc = load_option_files(c);
	if (rc == 0)
		rc = env_hints(c);
	if (rc == 0)
		rc = url_hints(c);
	return rc;
}

static void ctx_release(struct ctx *c)
{
	for (size_t i = 0; i < c->owned.n; i++)
		dbl_secure_zero(c->owned.items[i], strlen(c->owned.items[i]));
	dbl_strlist_release(&c->owned);
	if (c->pw_option) {
		dbl_secure_zero(c->pw_option, strlen(c->pw_option));
		free(c->pw_option);
	}
	dbl_optfile_release(&c->myopt);
	free(c->os_user);
}

int dbl_discover_targets(const struct dbl_options *o, struct dbl_facts *f,
			 const struct dbl_discover_paths *p,
			 struct dbl_target ***targets, size_t *n_targets,
			 char *err, size_t errlen)
{
	*targets = NULL;
	*n_targets = 0;
	if (err && errlen)
		err[0] = '\0';
	char scratch[512];
	struct ctx c = {.o = o,
			.f = f,
			.p = p,
			.err = err && errlen ? err : scratch,
			.errlen = err && errlen ? errlen : sizeof(scratch)};
	int rc = ctx_init(&c);
	if (rc == 0)
		rc = o->n_targets ? command_line_targets(&c)
				  : discovered_targets(&c);
	if (rc < 0) {
		for (size_t i = 0; i < c.n_out; i++)
			dbl_target_free(c.out[i]);
		free(c.out);
	} else {
		*targets = c.out;
		*n_targets = c.n_out;
	}
	ctx_release(&c);
	return rc;
}
