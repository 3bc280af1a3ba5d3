/* Fixes: for each finding, one or two sentences and ready-to-paste
 * commands written for this machine from the facts — the file and line
 * discovery read, the service name, the real socket path or port, the
 * accounts read over a working transport. Generic advice only where no
 * fact is known, and then it says which fact would sharpen it. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "diag.h"

/* The finding being written and its target. */
struct fixw {
	struct dbl_finding *fd;
	const struct dbl_diag *d;
	bool oom;
	char named_db[128]; /* the database a message named */
};

static void fix_text(struct fixw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void cmd(struct fixw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends a sentence to the fix. */
static void fix_text(struct fixw *w, const char *fmt, ...)
{
	struct dbl_buf b = {0};
	if (w->fd->fix) {
		dbl_buf_puts(&b, w->fd->fix);
		dbl_buf_puts(&b, " ");
	}
	va_list ap;
	va_start(ap, fmt);
	dbl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *s = dbl_buf_detach(&b);
	if (!s) {
		w->oom = true;
		return;
	}
	free(w->fd->fix);
	w->fd->fix = s;
}

static void cmd(struct fixw *w, const char *fmt, ...)
{
	struct dbl_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	dbl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *s = dbl_buf_detach(&b);
	if (!s || dbl_strlist_push(&w->fd->commands, s) < 0)
		w->oom = true;
	free(s);
}

static bool is_pg(const struct fixw *w)
{
	return w->d->t->engine == DBL_ENGINE_POSTGRES;
}

static const char *user_or(const struct fixw *w, const char *dflt)
{
	return w->d->t->user ? w->d->t->user : dflt;
}

/* The database the server named in a covered probe's message ("database
 * \"x\" does not exist", "Unknown database 'x'", "to database 'x'"). */
static bool db_from_messages(const struct fixw *w, char *out, size_t len)
{
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++) {
		if (!(w->fd->transports & DBL_TRANSPORT_BIT(t)) || !w->d->by[t])
			continue;
		const char *m = w->d->by[t]->r.message, *p;
		if ((p = strstr(m, "database \"")) ||
		    (p = strstr(m, "database '"))) {
			char q = p[9];
			const char *end = strchr(p + 10, q);
			size_t n = end ? (size_t)(end - p - 10) : 0;
			if (n > 0 && n < len && !memchr(p + 10, '`', n)) {
				memcpy(out, p + 10, n);
				out[n] = '\0';
				return true;
			}
		}
	}
	return false;
}

static const char *db_or(struct fixw *w, const char *dflt)
{
	if ((w->fd->cls == DBL_CLASS_DATABASE_MISSING ||
	     w->fd->cls == DBL_CLASS_ACCESS_DENIED) &&
	    db_from_messages(w, w->named_db, sizeof(w->named_db)))
		return w->named_db;
	return w->d->t->database ? w->d->t->database : dflt;
}

/* ---- where the server's config lives and how to apply it ------------- */

/* The server's own word (read over a working transport) first: discovery
 * may have read the files of another cluster on this machine. */
static const char *pg_conf_file(const struct fixw *w)
{
	const char *v = dbl_diag_setting(w->d, "config_file");
	return v ? v : w->d->f->pg.conf_file;
}

static const char *pg_hba_file(const struct fixw *w)
{
	const char *v = dbl_diag_setting(w->d, "hba_file");
	if (v)
		return v;
	if (w->d->f->pg.hba_file)
		return w->d->f->pg.hba_file;
	if (w->d->f->pg.n_hba > 0 && w->d->f->pg.hba[0].file)
		return w->d->f->pg.hba[0].file;
	return NULL;
}

static const char *pg_data_dir(const struct fixw *w)
{
	const char *v = dbl_diag_setting(w->d, "data_directory");
	return v ? v : w->d->f->pg.data_dir;
}

/* A "FILE line N" source, unless FILE is not the server's own file. */
static const char *pg_source(const struct fixw *w, const char *source)
{
	const char *own = dbl_diag_setting(w->d, "config_file");
	if (!source || !own || strncmp(source, own, strlen(own)) == 0)
		return source;
	return NULL;
}

/* Debian's cluster unit from /etc/postgresql/<ver>/<name>/postgresql.conf. */
static bool pg_unit(const struct fixw *w, char *out, size_t len)
{
	const char *c = pg_conf_file(w);
	char ver[16], name[64];
	if (!c)
		c = pg_hba_file(w);
	if (!c || sscanf(c, "/etc/postgresql/%15[^/]/%63[^/]/", ver, name) != 2)
		return false;
	snprintf(out, len, "postgresql@%s-%s", ver, name);
	return true;
}

static bool is_mariadb(const struct fixw *w)
{
	const struct dbl_target_report *tr = w->d->tr;
	if (tr->product && strstr(tr->product, "MariaDB"))
		return true;
	for (size_t i = 0; i < tr->n_probes; i++)
		if (strstr(tr->probes[i].r.product, "MariaDB") ||
		    strstr(tr->probes[i].r.version, "MariaDB"))
			return true;
	return w->d->f->mysql_client_version &&
	       strstr(w->d->f->mysql_client_version, "MariaDB");
}

/* verb: "start", "restart" or "reload". What runs the server decides: a
 * Debian cluster unit, else the data directory found, else systemd; a
 * server in another container is restarted from the host. */
static void apply_server(struct fixw *w, const char *verb)
{
	char unit[96];
	const char *dir = pg_data_dir(w);
	bool start = strcmp(verb, "start") == 0;
	if (is_pg(w) && pg_unit(w, unit, sizeof(unit)))
		cmd(w, "sudo systemctl %s %s", verb, unit);
	else if (is_pg(w) && dir)
		cmd(w, "sudo -u postgres pg_ctl -D %s %s", dir, verb);
	else if (is_pg(w))
		cmd(w, "sudo systemctl %s postgresql", verb);
	else
		cmd(w, "sudo systemctl %s %s",
		    strcmp(verb, "reload") == 0 ? "restart" : verb,
		    is_mariadb(w) ? "mariadb" : "mysql");
	char svc[256], from[64];
	int port;
	if (w->d->f->host.in_container && !(is_pg(w) && dir) &&
	    dbl_diag_service_host(w->d, svc, sizeof(svc), &port, from,
				  sizeof(from)))
		cmd(w, "docker compose %s %s   # the service %s names",
		    start ? "up -d" : "restart", svc, from);
	else if (w->d->f->host.in_container && !(is_pg(w) && dir))
		cmd(w,
		    "docker compose %s db   # when the server runs in its own "
		    "container; 'db' is its service name",
		    start ? "up -d" : "restart");
	if (is_pg(w) && strcmp(verb, "reload") == 0)
		cmd(w, "sudo -u postgres psql -c 'SELECT pg_reload_conf()'   "
		       "# the same, from SQL");
}

/* The server option file discovery read belongs to the server reached:
 * its port agrees with what the server says (3306 when unset). */
static bool my_conf_applies(const struct fixw *w)
{
	const char *p = dbl_diag_setting(w->d, "@@port");
	const char *conf = w->d->f->my.port.value;
	if (!p)
		return true;
	return atoi(p) == (conf ? atoi(conf) : 3306);
}

/* Puts line into file: replacing line n when the setting came from there,
 * else appending. */
static void conf_set(struct fixw *w, const char *source, const char *file,
		     const char *line)
{
	char f[512];
	int n = 0;
	if (dbl_source_split(source, f, sizeof(f), &n))
		cmd(w, "sudo sed -i \"%ds|.*|%s|\" %s", n, line, f);
	else if (file)
		cmd(w, "echo \"%s\" | sudo tee -a %s", line, file);
	else
		cmd(w, "%s   # in the server's configuration file", line);
}

/* The same in a MySQL option file: an appended line goes under its own
 * [mysqld] header, or it would land in the file's last group (Debian's
 * my.cnf ends in [client-server], which the clients read too). */
static void my_conf_set(struct fixw *w, const char *source, const char *file,
			const char *line)
{
	char f[512];
	int n = 0;
	if (dbl_source_split(source, f, sizeof(f), &n))
		cmd(w, "sudo sed -i \"%ds|.*|%s|\" %s", n, line, f);
	else if (file)
		cmd(w, "printf '[mysqld]\\n%s\\n' | sudo tee -a %s", line,
		    file);
	else
		cmd(w, "%s   # under [mysqld] in the server's option file",
		    line);
}

static void no_conf_note(struct fixw *w)
{
	fix_text(w, "dbloop could not read the server's configuration file; "
		    "with it (run as a user who may read it, or over a "
		    "transport that works) it names the exact file and line.");
}

/* ---- per class -------------------------------------------------------- */

/* The database as another compose service: its host in place of
 * localhost, as a variable and a DSN. */
static void service_host_commands(struct fixw *w, const char *host, int port)
{
	int p = port > 0 ? port : dbl_diag_port(w->d);
	if (is_pg(w)) {
		cmd(w, "export PGHOST=%s PGPORT=%d", host, p);
		cmd(w, "postgresql://%s@%s:%d/%s", user_or(w, "USER"), host, p,
		    db_or(w, "DB"));
	} else {
		cmd(w, "mysql -h %s -P %d -u %s", host, p, user_or(w, "USER"));
		cmd(w, "mysql://%s@%s:%d/%s", user_or(w, "USER"), host, p,
		    db_or(w, "DB"));
	}
	cmd(w, "dbloop diagnose -e %s --host %s --port %d   # to confirm",
	    dbl_engine_name(w->d->t->engine), host, p);
}

/* Inside a container localhost is the container: when the environment
 * names the database's host, that first; else starting the server, and
 * the service name as the other way. */
static void fix_container_localhost(struct fixw *w)
{
	char host[256], from[64];
	int port;
	if (dbl_diag_service_host(w->d, host, sizeof(host), &port, from,
				  sizeof(from))) {
		fix_text(w,
			 "Inside a container, localhost is the container "
			 "itself: reach the database by its compose service "
			 "name, host %s (from %s), instead of localhost.",
			 host, from);
		service_host_commands(w, host, port);
		fix_text(w, "Only if the server is meant to run in this "
			    "container, start it.");
		return;
	}
	fix_text(w, "Start the %s server; if it stops again, its log says why.",
		 is_pg(w) ? "PostgreSQL" : "MySQL/MariaDB");
	fix_text(w, "If the database runs in another container, localhost is "
		    "this container itself: use that container's compose "
		    "service name (its key under services: in compose.yaml) "
		    "as the host; with DATABASE_URL set, dbloop names it.");
}

static void fix_not_running(struct fixw *w)
{
	if (dbl_diag_local_in_container(w->d))
		fix_container_localhost(w);
	else
		fix_text(w,
			 "Start the %s server; if it stops again, its log "
			 "says why.",
			 is_pg(w) ? "PostgreSQL" : "MySQL/MariaDB");
	apply_server(w, "start");
	char unit[96];
	if (is_pg(w) && pg_unit(w, unit, sizeof(unit)))
		cmd(w, "journalctl -u %s -n 50 --no-pager", unit);
	else if (!is_pg(w))
		cmd(w, "journalctl -u %s -n 50 --no-pager",
		    is_mariadb(w) ? "mariadb" : "mysql");
	if (!pg_data_dir(w) && is_pg(w) && !w->d->f->host.in_container)
		fix_text(w,
			 "dbloop found no data directory; with the server's "
			 "configuration file it names the cluster to start.");
}

static void fix_socket_stale(struct fixw *w)
{
	const struct dbl_probe_report *u = w->d->by[DBL_TRANSPORT_UNIX];
	const char *path = u ? u->r.address : "the socket file";
	fix_text(w,
		 "The server that created '%s' is gone; start it again (it "
		 "replaces the file) after checking nothing else uses it.",
		 path);
	cmd(w, "ss -xlp | grep -F '%s' || sudo rm -f '%s'", path, path);
	const char *dir = pg_data_dir(w);
	if (is_pg(w) && dir)
		cmd(w,
		    "sudo cat %s/postmaster.pid   # a pid file left by a "
		    "server that died",
		    dir);
	apply_server(w, "start");
}

static void dsn_port(struct fixw *w, int port)
{
	if (is_pg(w)) {
		cmd(w, "export PGPORT=%d", port);
		cmd(w, "postgresql://%s@localhost:%d/%s", user_or(w, "USER"),
		    port, db_or(w, "DB"));
	} else {
		cmd(w, "mysql --protocol=TCP -h 127.0.0.1 -P %d -u %s", port,
		    user_or(w, "USER"));
		cmd(w, "mysql://%s@127.0.0.1:%d/%s", user_or(w, "USER"), port,
		    db_or(w, "DB"));
	}
}

static void fix_wrong_port(struct fixw *w)
{
	int other = dbl_diag_other_port(w->d);
	const struct dbl_origin *o = &w->d->t->origin[DBL_SET_PORT];
	fix_text(w,
		 "Point the client at port %d, where the server listens%s%s.",
		 other, o->source ? "; the port asked for came from " : "",
		 o->source ? o->source : "");
	char f[512];
	int n;
	if (dbl_source_split(o->source, f, sizeof(f), &n))
		cmd(w, "sudo sed -i \"%ds|.*|port=%d|\" %s", n, other, f);
	dsn_port(w, other);
}

static void fix_starting(struct fixw *w)
{
	fix_text(w, "Wait for the server to finish starting (a container's "
		    "entrypoint runs a temporary server first); if it stays "
		    "like this, its log says why (recovery, standby.signal, "
		    "shutdown).");
	cmd(w, "dbloop wait -e %s --wait-timeout 60s",
	    dbl_engine_name(w->d->t->engine));
	const char *dir = pg_data_dir(w);
	if (is_pg(w) && dir)
		cmd(w, "ls %s/standby.signal %s/recovery.signal", dir, dir);
}

/* The directory of the socket that worked (the server's own
 * unix_socket_directories is hidden from non-superusers), else the
 * setting, else Debian's default. */
static const char *pg_socket_dir(const struct fixw *w, char *out, size_t len)
{
	const struct dbl_probe_report *u = w->d->by[DBL_TRANSPORT_UNIX];
	const char *slash =
		u && u->cls == DBL_CLASS_OK ? strrchr(u->r.address, '/') : NULL;
	if (slash && slash > u->r.address &&
	    (size_t)(slash - u->r.address) < len) {
		memcpy(out, u->r.address, (size_t)(slash - u->r.address));
		out[slash - u->r.address] = '\0';
		return out;
	}
	const char *v = dbl_diag_setting(w->d, "unix_socket_directories");
	return v && *v ? v : "/var/run/postgresql";
}

static void fix_tcp_disabled_pg(struct fixw *w)
{
	char dir[DBL_ADDR_MAX];
	const struct dbl_conf_value *la = &w->d->f->pg.listen_addresses;
	const char *file = pg_conf_file(w);
	fix_text(w,
		 "Set listen_addresses = 'localhost' in %s and restart the "
		 "server, or connect over the socket (host=%s).",
		 file ? file : "postgresql.conf",
		 pg_socket_dir(w, dir, sizeof(dir)));
	conf_set(w, pg_source(w, la->source), file,
		 "listen_addresses = 'localhost'");
	if (!file)
		cmd(w, "sudo -u postgres psql -c \"ALTER SYSTEM SET "
		       "listen_addresses = 'localhost'\"");
	apply_server(w, "restart");
	if (!file)
		no_conf_note(w);
}

static void fix_tcp_disabled_my(struct fixw *w)
{
	const struct dbl_conf_value *sn =
		my_conf_applies(w) ? &w->d->f->my.skip_networking
				   : &(const struct dbl_conf_value){0};
	char f[512];
	int n;
	fix_text(w,
		 "Remove skip-networking%s%s and restart the server, or "
		 "connect over the socket (host=localhost).",
		 sn->source ? " at " : "", sn->source ? sn->source : "");
	if (dbl_source_split(sn->source, f, sizeof(f), &n))
		cmd(w, "sudo sed -i \"%ds|^|# |\" %s", n, f);
	else if (w->d->f->my.conf_file && my_conf_applies(w))
		cmd(w,
		    "printf '[mysqld]\\nskip-networking=0\\n' | sudo tee -a %s",
		    w->d->f->my.conf_file);
	else
		cmd(w, "grep -rn skip.networking /etc/mysql/   # then remove "
		       "that line");
	apply_server(w, "restart");
}

static void fix_port_ignored(struct fixw *w)
{
	fix_text(w, "Ask for TCP explicitly (host 127.0.0.1 or --protocol=TCP) "
		    "so the port is used, or give the socket of the server you "
		    "mean.");
	dsn_port(w, w->d->t->port);
}

/* The real socket: a listener of the engine, else the server's setting. */
static bool real_socket(struct fixw *w, char *out, size_t len)
{
	const struct dbl_listener *ls[16];
	size_t n =
		dbl_facts_listeners_of(w->d->f, (int)w->d->t->engine, ls, 16);
	for (size_t i = 0; i < n; i++) {
		if (ls[i]->family == AF_UNIX && ls[i]->path[0]) {
			snprintf(out, len, "%s", ls[i]->path);
			return true;
		}
	}
	const char *s = dbl_diag_setting(
		w->d, is_pg(w) ? "unix_socket_directories" : "@@socket");
	if (!s || !*s)
		return false;
	snprintf(out, len, "%s", s);
	if (is_pg(w)) { /* the first directory, as a .s.PGSQL.N path */
		char *comma = strchr(out, ',');
		if (comma)
			*comma = '\0';
		size_t l = strlen(out);
		snprintf(out + l, len - l, "/.s.PGSQL.%d", dbl_diag_port(w->d));
	}
	return true;
}

static void fix_socket_missing(struct fixw *w)
{
	char path[DBL_ADDR_MAX + 32];
	if (!real_socket(w, path, sizeof(path))) {
		fix_text(w,
			 "Start the server, or point the client at the "
			 "socket it creates; dbloop found no listening socket "
			 "of this engine (a working TCP connection would let "
			 "it read the server's socket setting).");
		cmd(w, "ss -xlp | grep -E 'PGSQL|mysql'");
		return;
	}
	if (is_pg(w)) {
		char *slash = strrchr(path, '/');
		if (slash && slash != path)
			*slash = '\0';
		fix_text(w,
			 "The server's socket is in '%s': point the client "
			 "there.",
			 path);
		cmd(w, "export PGHOST=%s", path);
		cmd(w, "host=%s user=%s dbname=%s", path, user_or(w, "USER"),
		    db_or(w, "DB"));
		return;
	}
	const struct dbl_origin *o = &w->d->t->origin[DBL_SET_SOCKET];
	char f[512];
	int n = 0;
	const char *file =
		dbl_source_split(o->source, f, sizeof(f), &n) ? f : "~/.my.cnf";
	fix_text(w,
		 "The server's socket is '%s': set socket=%s under [client] "
		 "in %s.",
		 path, path, file);
	if (n > 0)
		cmd(w, "sed -i \"%ds|.*|socket=%s|\" %s", n, path, file);
	else
		cmd(w, "printf '[client]\\nsocket=%s\\n' >> %s", path, file);
	cmd(w, "mysql://%s@localhost/%s?socket=%s", user_or(w, "USER"),
	    db_or(w, "DB"), path);
}

static void fix_socket_permission(struct fixw *w)
{
	const struct dbl_probe_report *u = w->d->by[DBL_TRANSPORT_UNIX];
	const char *path = u ? u->r.address : "/var/run/postgresql";
	fix_text(w,
		 "Let this user reach '%s' (join the group that owns its "
		 "directory, or have the server create it with wider "
		 "permissions), or connect over TCP (host=127.0.0.1).",
		 path);
	cmd(w, "namei -l %s", path);
	cmd(w, "sudo usermod -aG %s \"$USER\"   # then log in again",
	    is_pg(w) ? "postgres" : "mysql");
	if (is_pg(w))
		conf_set(w, NULL, pg_conf_file(w),
			 "unix_socket_permissions = 0777");
}

/* listen_addresses / bind-address that covers both loopback families. */
static void fix_listen_both(struct fixw *w)
{
	if (is_pg(w)) {
		const char *file = pg_conf_file(w);
		conf_set(w, pg_source(w, w->d->f->pg.listen_addresses.source),
			 file, "listen_addresses = '127.0.0.1,::1'");
		apply_server(w, "restart");
		if (!file)
			no_conf_note(w);
		return;
	}
	const struct dbl_conf_value *ba = &w->d->f->my.bind_address;
	bool mine = my_conf_applies(w);
	my_conf_set(w, mine ? ba->source : NULL,
		    mine ? w->d->f->my.conf_file : NULL,
		    "bind-address = 127.0.0.1,::1");
	apply_server(w, "restart");
}

static void fix_ipv6(struct fixw *w)
{
	if (!w->d->f->host.ipv6_loopback) {
		fix_text(w,
			 "IPv6 is off on the loopback: connect to 127.0.0.1, "
			 "or enable IPv6 on lo.");
		cmd(w, "sudo sysctl -w net.ipv6.conf.lo.disable_ipv6=0");
		return;
	}
	fix_text(w,
		 "Make the server listen on ::1 as well (%s), or have "
		 "clients use 127.0.0.1.",
		 is_pg(w) ? "listen_addresses" : "bind-address");
	fix_listen_both(w);
}

static void fix_ipv4(struct fixw *w)
{
	fix_text(w,
		 "Make the server listen on 127.0.0.1 as well (%s), or have "
		 "clients use ::1.",
		 is_pg(w) ? "listen_addresses" : "bind-address");
	fix_listen_both(w);
}

static void fix_localhost(struct fixw *w)
{
	fix_text(w,
		 "Connect to 127.0.0.1 instead of the name localhost, or "
		 "make the server listen on ::1 too (%s); Node.js 17+ and "
		 "Go try ::1 first.",
		 is_pg(w) ? "listen_addresses" : "bind-address");
	if (is_pg(w))
		cmd(w, "host=127.0.0.1 port=%d user=%s dbname=%s",
		    dbl_diag_port(w->d), user_or(w, "USER"), db_or(w, "DB"));
	else
		cmd(w, "mysql://%s@127.0.0.1:%d/%s", user_or(w, "USER"),
		    dbl_diag_port(w->d), db_or(w, "DB"));
	cmd(w, "export NODE_OPTIONS=--dns-result-order=ipv4first   # Node.js "
	       "clients");
	if (w->d->f->host.localhost_eai)
		cmd(w, "echo '127.0.0.1 localhost' | sudo tee -a /etc/hosts");
	fix_listen_both(w);
}

static void fix_endpoint(struct fixw *w)
{
	fix_text(w, "Two different servers answer: decide which one the "
		    "application should use, then point every client at it "
		    "(explicit host and port or socket) or stop the other.");
	cmd(w, "sudo ss -ltnpx | grep -E ':%d |PGSQL|mysql'",
	    dbl_diag_port(w->d));
	cmd(w, "docker ps --format '{{.Names}} {{.Ports}}'");
}

static void fix_protocol(struct fixw *w)
{
	int other = dbl_diag_other_port(w->d);
	fix_text(w,
		 "Another program owns port %d (or the socket): find it, "
		 "then use the port the %s server really listens on or move "
		 "one of them.",
		 dbl_diag_port(w->d), is_pg(w) ? "PostgreSQL" : "MySQL");
	cmd(w, "sudo ss -ltnp 'sport = :%d'", dbl_diag_port(w->d));
	if (other)
		dsn_port(w, other);
}

static void fix_too_many(struct fixw *w)
{
	fix_text(w, "Find who holds the connections (a leak, a pool sized too "
		    "big), or raise max_connections and restart.");
	if (is_pg(w)) {
		cmd(w, "sudo -u postgres psql -c 'SELECT usename, "
		       "application_name, state, count(*) FROM "
		       "pg_stat_activity GROUP BY 1, 2, 3 ORDER BY 4 DESC'");
		conf_set(w, NULL, pg_conf_file(w), "max_connections = 200");
	} else {
		cmd(w, "sudo mariadb -e 'SHOW PROCESSLIST'");
		cmd(w, "sudo mariadb -e 'SET GLOBAL max_connections = 200'");
		if (w->d->f->my.conf_file && my_conf_applies(w))
			cmd(w,
			    "printf '[mysqld]\\nmax_connections=200\\n' | "
			    "sudo tee -a %s",
			    w->d->f->my.conf_file);
	}
	if (is_pg(w))
		apply_server(w, "restart");
}

static void fix_host_blocked(struct fixw *w)
{
	fix_text(w,
		 "Flush the server's host cache and raise max_connect_errors; "
		 "health checks that close during the handshake (--stage "
		 "greet) count as errors.");
	cmd(w, "sudo mariadb-admin flush-hosts");
	cmd(w, "sudo mariadb -e 'SET GLOBAL max_connect_errors = 10000'");
}

static void fix_timeout(struct fixw *w)
{
	fix_text(w,
		 "Something accepts on port %d but never answers (a "
		 "firewall, a proxy with no backend, or an overloaded "
		 "server): find it.",
		 dbl_diag_port(w->d));
	cmd(w, "sudo ss -ltnp 'sport = :%d'", dbl_diag_port(w->d));
	cmd(w, "sudo nft list ruleset | grep -n %d", dbl_diag_port(w->d));
}

static void fix_dns(struct fixw *w)
{
	const char *h = w->d->t->host ? w->d->t->host : "HOST";
	fix_text(w,
		 "The name '%s' does not resolve here: use the right host "
		 "name (in Docker compose, the service name from a container "
		 "on the same network) or an address.",
		 h);
	cmd(w, "getent hosts %s", h);
}

/* pg_hba: a host rule for client mirroring the first working host rule. */
static void hba_add_host_line(struct fixw *w, const char *client)
{
	const char *file = pg_hba_file(w);
	const struct dbl_hba_rule *tpl = NULL;
	for (size_t i = 0; i < w->d->f->pg.n_hba; i++) {
		const struct dbl_hba_rule *h = &w->d->f->pg.hba[i];
		if (strncmp(h->type, "host", 4) == 0 &&
		    strcmp(h->method, "reject") != 0) {
			tpl = h;
			break;
		}
	}
	const char *cidr = strchr(client, ':') ? "128" : "32";
	if (tpl) {
		cmd(w, "sudo sed -i \"%da %s %s %s %s/%s %s\" %s", tpl->line,
		    strcmp(tpl->type, "hostssl") == 0 ? "hostssl" : "host",
		    tpl->database, tpl->user, client, cidr, tpl->method,
		    tpl->file ? tpl->file : file);
		return;
	}
	cmd(w,
	    "host all %s %s/%s scram-sha-256   # in %s, before any reject "
	    "line",
	    user_or(w, "all"), client, cidr, file ? file : "pg_hba.conf");
}

static void fix_host_not_allowed_pg(struct fixw *w)
{
	const char *file = pg_hba_file(w);
	fix_text(w,
		 "Add a pg_hba.conf line for the client address%s%s, then "
		 "reload.",
		 file ? " in " : "", file ? file : "");
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++) {
		if (!(w->fd->transports & DBL_TRANSPORT_BIT(t)))
			continue;
		if (t == DBL_TRANSPORT_TCP4 || t == DBL_TRANSPORT_TCP6)
			hba_add_host_line(w, t == DBL_TRANSPORT_TCP4
						     ? "127.0.0.1"
						     : "::1");
	}
	if (w->fd->transports & (DBL_TRANSPORT_BIT(DBL_TRANSPORT_LOCALHOST) |
				 DBL_TRANSPORT_BIT(DBL_TRANSPORT_HOST)) &&
	    !(w->fd->transports & (DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4) |
				   DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP6))))
		hba_add_host_line(w, "127.0.0.1");
	apply_server(w, "reload");
	if (!w->d->f->pg.n_hba)
		fix_text(w, "dbloop could not read pg_hba.conf; with it, it "
			    "names the line to add after.");
}

/* GRANT lines read over the socket, re-aimed at host. */
static void mirror_grants(struct fixw *w, const char *user, const char *host)
{
	const char *g = dbl_diag_setting(w->d, "grants");
	if (!g) {
		cmd(w, "GRANT ALL PRIVILEGES ON `%s`.* TO '%s'@'%s';",
		    db_or(w, "DB"), user, host);
		return;
	}
	char *copy = dbl_strdup(g), *save = NULL;
	if (!copy) {
		w->oom = true;
		return;
	}
	for (char *line = strtok_r(copy, "\n;", &save); line;
	     line = strtok_r(NULL, "\n;", &save)) {
		while (*line == ' ')
			line++;
		char *to = strstr(line, " TO ");
		char *id = strstr(line, " IDENTIFIED");
		if (strncmp(line, "GRANT ", 6) != 0 || !to)
			continue;
		if (id)
			*id = '\0'; /* the hash stays on the server */
		*to = '\0';
		if (strstr(line, "GRANT USAGE ON *.*"))
			continue;
		cmd(w, "%s TO '%s'@'%s';", line, user, host);
	}
	free(copy);
}

static void fix_host_not_allowed_my(struct fixw *w)
{
	char user[80] = "", host[80] = "";
	const char *u = w->d->t->user ? w->d->t->user : "app";
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		if ((w->fd->transports & DBL_TRANSPORT_BIT(t)) && w->d->by[t] &&
		    dbl_mysql_msg_account(w->d->by[t]->r.message, user,
					  sizeof(user), host, sizeof(host)))
			break;
	if (user[0])
		u = user;
	fix_text(w,
		 "'%s' exists for 'localhost' (the socket) only: create it "
		 "for the TCP client addresses too, with the same grants, or "
		 "connect over the socket (host=localhost).",
		 u);
	const char *clients[] = {"127.0.0.1", "::1"};
	for (int i = 0; i < 2; i++) {
		enum dbl_transport t =
			i ? DBL_TRANSPORT_TCP6 : DBL_TRANSPORT_TCP4;
		if (!(w->fd->transports & DBL_TRANSPORT_BIT(t)) &&
		    !(i == 0 && (w->fd->transports &
				 DBL_TRANSPORT_BIT(DBL_TRANSPORT_LOCALHOST))))
			continue;
		cmd(w, "CREATE USER '%s'@'%s' IDENTIFIED BY '<password>';", u,
		    clients[i]);
		mirror_grants(w, u, clients[i]);
	}
}

static void fix_tls_pg(struct fixw *w)
{
	bool server_no_ssl = false;
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		if ((w->fd->transports & DBL_TRANSPORT_BIT(t)) && w->d->by[t] &&
		    (w->d->by[t]->r.pg.ssl_answer == 'N' ||
		     strstr(w->d->by[t]->r.message, "does not support SSL")))
			server_no_ssl = true;
	if (server_no_ssl) {
		fix_text(w, "The server has ssl = off but the client requires "
			    "TLS: turn ssl on (with a certificate) or use "
			    "sslmode=prefer.");
		conf_set(w, w->d->f->pg.ssl.source, pg_conf_file(w),
			 "ssl = on");
		cmd(w, "export PGSSLMODE=prefer");
		return;
	}
	const char *file = pg_hba_file(w);
	fix_text(w,
		 "pg_hba.conf%s%s accepts TCP clients only over TLS "
		 "(hostssl): use sslmode=require (or prefer) in the client.",
		 file ? " " : "", file ? file : "");
	cmd(w, "export PGSSLMODE=require");
	cmd(w, "postgresql://%s@127.0.0.1:%d/%s?sslmode=require",
	    user_or(w, "USER"), dbl_diag_port(w->d), db_or(w, "DB"));
}

static void fix_tls_my(struct fixw *w)
{
	const struct dbl_conf_value *rst =
		&w->d->f->my.require_secure_transport;
	if (dbl_setting_is_on(
		    dbl_diag_setting(w->d, "@@require_secure_transport")) ||
	    dbl_setting_is_on(rst->value)) {
		const char *have = dbl_diag_setting(w->d, "@@have_ssl");
		if (have && strcasecmp(have, "YES") != 0) {
			fix_text(w,
				 "The server requires secure transport%s%s but "
				 "has no TLS configured (have_ssl=%s): connect "
				 "over the Unix socket, or give the server "
				 "ssl_cert and ssl_key.",
				 rst->source ? " at " : "",
				 rst->source ? rst->source : "", have);
			cmd(w, "mysql://%s@localhost/%s?socket=%s",
			    user_or(w, "USER"), db_or(w, "DB"),
			    w->d->by[DBL_TRANSPORT_UNIX]
				    ? w->d->by[DBL_TRANSPORT_UNIX]->r.address
				    : "/run/mysqld/mysqld.sock");
			cmd(w, "printf "
			       "'[mysqld]\\nssl_cert=/etc/mysql/server-cert.pem"
			       "\\nssl_key=/etc/mysql/server-key.pem\\n' | "
			       "sudo tee "
			       "-a /etc/mysql/mariadb.conf.d/99-tls.cnf");
			return;
		}
		fix_text(w,
			 "The server has require_secure_transport=ON%s%s (its "
			 "1045 never says so): use TLS in the client, or the "
			 "Unix socket, which counts as secure.",
			 rst->source ? " at " : "",
			 rst->source ? rst->source : "");
		cmd(w, "mysql --ssl -h 127.0.0.1 -P %d -u %s",
		    dbl_diag_port(w->d), user_or(w, "USER"));
		cmd(w, "mysql://%s@127.0.0.1:%d/%s?ssl-mode=REQUIRED",
		    user_or(w, "USER"), dbl_diag_port(w->d), db_or(w, "DB"));
		return;
	}
	fix_text(w, "The TLS handshake failed: check the client's ssl-mode and "
		    "CA against the server's certificate, or have the server "
		    "offer TLS (ssl_cert/ssl_key).");
	cmd(w, "sudo mariadb -e \"SHOW VARIABLES LIKE 'have_ssl'\"");
}

static void fix_auth_method_pg(struct fixw *w)
{
	const char *user = w->d->t->user;
	const struct dbl_hba_rule *h = dbl_hba_first(w->d->f, true, "", false,
						     user, w->d->t->database);
	bool tcp_ok = w->d->ok & (DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4) |
				  DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP6));
	fix_text(w,
		 "The socket uses %s authentication (the OS user must be "
		 "the database user)%s: switch that pg_hba line to "
		 "scram-sha-256, or connect over TCP.",
		 h ? h->method : "peer",
		 tcp_ok ? ", while the password works "
			  "over TCP"
			: "");
	if (h)
		cmd(w, "sudo sed -i \"%ds|%s|scram-sha-256|\" %s", h->line,
		    h->method, h->file ? h->file : pg_hba_file(w));
	else
		cmd(w,
		    "local all %s scram-sha-256   # in %s, before the peer "
		    "line",
		    user_or(w, "all"),
		    pg_hba_file(w) ? pg_hba_file(w) : "pg_hba.conf");
	apply_server(w, "reload");
	cmd(w, "host=127.0.0.1 port=%d user=%s dbname=%s", dbl_diag_port(w->d),
	    user_or(w, "USER"), db_or(w, "DB"));
}

static void fix_auth_method_my(struct fixw *w)
{
	char user[80] = "", host[80] = "localhost";
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		if ((w->fd->transports & DBL_TRANSPORT_BIT(t)) && w->d->by[t] &&
		    dbl_mysql_msg_account(w->d->by[t]->r.message, user,
					  sizeof(user), host, sizeof(host)))
			break;
	const char *u = user[0] ? user : user_or(w, "root");
	fix_text(w,
		 "'%s'@'%s' authenticates with unix_socket (the OS user "
		 "must match) or a plugin the client lacks: use a dedicated "
		 "account with a password, or log in as that OS user over "
		 "the socket.",
		 u, host);
	cmd(w,
	    "sudo mariadb -e \"CREATE USER 'app'@'localhost' IDENTIFIED BY "
	    "'<password>'; GRANT ALL ON \\`%s\\`.* TO 'app'@'localhost'\"",
	    db_or(w, "DB"));
	cmd(w,
	    "ALTER USER '%s'@'%s' IDENTIFIED VIA unix_socket OR "
	    "mysql_native_password USING PASSWORD('<password>');",
	    u, host);
}

static bool any_message_has(struct fixw *w, const char *needle)
{
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		if ((w->fd->transports & DBL_TRANSPORT_BIT(t)) && w->d->by[t] &&
		    strstr(w->d->by[t]->r.message, needle))
			return true;
	return false;
}

static void fix_access_denied(struct fixw *w)
{
	const char *u = user_or(w, "USER");
	if (!is_pg(w) && any_message_has(w, "to database")) {
		fix_text(w,
			 "'%s' has no privilege on database '%s' (or it does "
			 "not exist): grant it, or create the database.",
			 u, db_or(w, "DB"));
		cmd(w, "sudo mariadb -e 'SHOW DATABASES'");
		cmd(w, "GRANT ALL PRIVILEGES ON `%s`.* TO '%s'@'localhost';",
		    db_or(w, "DB"), u);
		return;
	}
	fix_text(w,
		 "Check the password the client sends for '%s'; reset it "
		 "on the server if needed.",
		 u);
	if (is_pg(w)) {
		cmd(w,
		    "sudo -u postgres psql -c \"ALTER ROLE %s PASSWORD "
		    "'<new password>'\"",
		    u);
		const struct dbl_pgpass_facts *pp = &w->d->f->pgpass;
		if (pp->file && pp->ignored) {
			fix_text(w,
				 "libpq ignores %s: its mode %03o is too open.",
				 pp->file, (unsigned)pp->mode);
			cmd(w, "chmod 0600 %s", pp->file);
		}
	} else {
		cmd(w,
		    "ALTER USER '%s'@'localhost' IDENTIFIED BY '<new "
		    "password>';",
		    u);
	}
}

static void fix_account_unusable(struct fixw *w)
{
	const char *u = user_or(w, "USER");
	fix_text(w,
		 "The account '%s' is locked, expired, without LOGIN or at "
		 "its connection limit: unlock or renew it.",
		 u);
	if (is_pg(w)) {
		cmd(w,
		    "sudo -u postgres psql -c 'ALTER ROLE %s LOGIN "
		    "CONNECTION LIMIT -1'",
		    u);
		return;
	}
	cmd(w, "ALTER USER '%s'@'localhost' ACCOUNT UNLOCK;", u);
	cmd(w, "ALTER USER '%s'@'localhost' IDENTIFIED BY '<new password>';",
	    u);
}

static void fix_database_missing(struct fixw *w)
{
	const char *db = db_or(w, "DB"), *u = user_or(w, "USER");
	fix_text(w,
		 "Create the database '%s' (or fix the name the client "
		 "uses).",
		 db);
	if (is_pg(w)) {
		cmd(w, "sudo -u postgres createdb -O %s %s", u, db);
		cmd(w, "sudo -u postgres psql -l");
	} else {
		cmd(w,
		    "sudo mariadb -e \"CREATE DATABASE \\`%s\\`; GRANT ALL "
		    "ON \\`%s\\`.* TO '%s'@'localhost'\"",
		    db, db, u);
	}
}

static void fix_refused(struct fixw *w)
{
	fix_text(w,
		 "Nothing listens on port %d at that address: check where "
		 "the server listens.",
		 dbl_diag_port(w->d));
	cmd(w, "sudo ss -ltnp | grep -E ':%d '", dbl_diag_port(w->d));
}

static void fix_unknown(struct fixw *w)
{
	fix_text(w, "dbloop could not place this failure; the evidence holds "
		    "the raw message and codes.");
	cmd(w, "dbloop diagnose -v -e %s", dbl_engine_name(w->d->t->engine));
}

static void fix_class(struct fixw *w)
{
	switch (w->fd->cls) {
	case DBL_CLASS_SERVER_NOT_RUNNING:
		fix_not_running(w);
		return;
	case DBL_CLASS_SOCKET_STALE:
		fix_socket_stale(w);
		return;
	case DBL_CLASS_WRONG_PORT:
		fix_wrong_port(w);
		return;
	case DBL_CLASS_SERVER_STARTING:
		fix_starting(w);
		return;
	case DBL_CLASS_TCP_DISABLED:
		is_pg(w) ? fix_tcp_disabled_pg(w) : fix_tcp_disabled_my(w);
		return;
	case DBL_CLASS_SOCKET_PORT_IGNORED:
		fix_port_ignored(w);
		return;
	case DBL_CLASS_SOCKET_MISSING:
		fix_socket_missing(w);
		return;
	case DBL_CLASS_SOCKET_PERMISSION:
		fix_socket_permission(w);
		return;
	case DBL_CLASS_IPV6_NOT_LISTENING:
		fix_ipv6(w);
		return;
	case DBL_CLASS_IPV4_NOT_LISTENING:
		fix_ipv4(w);
		return;
	case DBL_CLASS_LOCALHOST_RESOLUTION:
		fix_localhost(w);
		return;
	case DBL_CLASS_ENDPOINT_MISMATCH:
		fix_endpoint(w);
		return;
	case DBL_CLASS_PROTOCOL_MISMATCH:
		fix_protocol(w);
		return;
	case DBL_CLASS_TOO_MANY_CONNECTIONS:
		fix_too_many(w);
		return;
	case DBL_CLASS_HOST_BLOCKED:
		fix_host_blocked(w);
		return;
	case DBL_CLASS_TIMEOUT:
		fix_timeout(w);
		return;
	case DBL_CLASS_DNS_FAILURE:
		fix_dns(w);
		return;
	case DBL_CLASS_HOST_NOT_ALLOWED:
		is_pg(w) ? fix_host_not_allowed_pg(w)
			 : fix_host_not_allowed_my(w);
		return;
	case DBL_CLASS_TLS_MISMATCH:
		is_pg(w) ? fix_tls_pg(w) : fix_tls_my(w);
		return;
	case DBL_CLASS_AUTH_METHOD_MISMATCH:
		is_pg(w) ? fix_auth_method_pg(w) : fix_auth_method_my(w);
		return;
	case DBL_CLASS_ACCESS_DENIED:
		fix_access_denied(w);
		return;
	case DBL_CLASS_ACCOUNT_UNUSABLE:
		fix_account_unusable(w);
		return;
	case DBL_CLASS_DATABASE_MISSING:
		fix_database_missing(w);
		return;
	case DBL_CLASS_CONNECTION_REFUSED:
		fix_refused(w);
		return;
	default:
		fix_unknown(w);
		return;
	}
}

int dbl_fix_fill(struct dbl_finding *fd, const struct dbl_diag *d)
{
	struct fixw w = {.fd = fd, .d = d};
	fix_class(&w);
	if (!w.oom && !fd->fix)
		fix_text(&w, "see the evidence");
	return w.oom ? -DBL_ENOMEM : 0;
}
