/* Where the server's configuration lives and how a change reaches the
 * running server: the files and the service that the fixers name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixes/fixes_int.h"

/* The server's own word (read over a working transport) first: discovery
 * may have read the files of another cluster on this machine. */
const char *dbl_fix_pg_conf_file(const struct dbl_fixw *w)
{
	const char *v = dbl_diag_setting(w->d, "config_file");
	if (v)
		return v;
	return w->d->f->pg.conf_file ? w->d->f->pg.conf_file
				     : w->d->f->pg.conf_path;
}

const char *dbl_fix_pg_hba_file(const struct dbl_fixw *w)
{
	const char *v = dbl_diag_setting(w->d, "hba_file");
	if (v)
		return v;
	if (w->d->f->pg.hba_file)
		return w->d->f->pg.hba_file;
	if (w->d->f->pg.n_hba > 0 && w->d->f->pg.hba[0].file)
		return w->d->f->pg.hba[0].file;
	return w->d->f->pg.hba_path; /* named, not readable */
}

const char *dbl_fix_pg_data_dir(const struct dbl_fixw *w)
{
	const char *v = dbl_diag_setting(w->d, "data_directory");
	return v ? v : w->d->f->pg.data_dir;
}

/* A "FILE line N" source, unless FILE is not the server's own file. */
const char *dbl_fix_pg_source(const struct dbl_fixw *w, const char *source)
{
	const char *own = dbl_diag_setting(w->d, "config_file");
	if (!source || !own || strncmp(source, own, strlen(own)) == 0)
		return source;
	return NULL;
}

/* Debian's cluster unit from /etc/postgresql/<ver>/<name>/postgresql.conf. */
bool dbl_fix_pg_unit(const struct dbl_fixw *w, char *out, size_t len)
{
	const char *c = dbl_fix_pg_conf_file(w);
	char ver[16], name[64];
	if (!c)
		c = dbl_fix_pg_hba_file(w);
	if (!c || sscanf(c, "/etc/postgresql/%15[^/]/%63[^/]/", ver, name) != 2)
		return false;
	snprintf(out, len, "postgresql@%s-%s", ver, name);
	return true;
}

bool dbl_fix_is_mariadb(const struct dbl_fixw *w)
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

static bool has_unit(const struct dbl_fixw *w, const char *unit)
{
	return dbl_strlist_contains(&w->d->f->host.units, unit);
}

static bool has_script(const struct dbl_fixw *w, const char *name)
{
	return dbl_strlist_contains(&w->d->f->host.init_scripts, name);
}

/* A container is involved: dbloop runs in one, the server's listener
 * belongs to a container runtime, the environment names a compose
 * service, or a compose file is in the working directory. */
bool dbl_fix_container_involved(const struct dbl_fixw *w)
{
	const struct dbl_host_facts *h = &w->d->f->host;
	if (h->in_container || h->compose_file)
		return true;
	for (size_t i = 0; i < w->d->f->n_listeners; i++) {
		const char *p = w->d->f->listeners[i].process;
		if (strcmp(p, "docker-proxy") == 0 ||
		    strcmp(p, "rootlessport") == 0 || strcmp(p, "conmon") == 0)
			return true;
	}
	char svc[256], from[64];
	int port;
	return dbl_diag_service_host(w->d, svc, sizeof(svc), &port, from,
				     sizeof(from));
}

/* The Debian cluster (15, main) from /etc/postgresql/<ver>/<name>/. */
static bool pg_cluster(const struct dbl_fixw *w, char *ver, char *name)
{
	const char *c = dbl_fix_pg_conf_file(w);
	if (!c)
		c = dbl_fix_pg_hba_file(w);
	return c &&
	       sscanf(c, "/etc/postgresql/%15[^/]/%63[^/]/", ver, name) == 2;
}

/* How the server is started here (verb: start, restart, reload): the
 * systemd unit that exists when systemd runs, else Debian's
 * pg_ctlcluster, pg_ctl on the data directory, or the SysV script. */
static void service_commands(struct dbl_fixw *w, const char *verb)
{
	const struct dbl_host_facts *h = &w->d->f->host;
	bool known = h->init != DBL_INIT_UNKNOWN;
	bool systemd = h->init == DBL_INIT_SYSTEMD || !known;
	char ver[16], name[64], unit[96];
	const char *dir = dbl_fix_pg_data_dir(w);
	if (is_pg(w)) {
		bool cluster = pg_cluster(w, ver, name);
		if (cluster)
			snprintf(unit, sizeof(unit), "postgresql@%s-%s", ver,
				 name);
		const char *pgunit = w->d->f->pg.unit;
		if (systemd && cluster &&
		    (!known || has_unit(w, "postgresql@.service")))
			dbl_fix_root_cmd(w, "systemctl %q %q", verb, unit);
		else if (cluster && (h->pg_ctlcluster || !known))
			dbl_fix_root_cmd(w, "pg_ctlcluster %q %q %q", ver, name,
					 verb);
		else if (systemd && known && pgunit)
			/* Red Hat's postgresql, PGDG's postgresql-15: the
			 * unit whose PGDATA is this data directory */
			dbl_fix_root_cmd(w, "systemctl %q %q", verb, pgunit);
		else if (dir && w->d->f->pg.files_owned)
			/* the user's own cluster (Homebrew): no sudo */
			dbl_fix_cmd(w, "pg_ctl -D %q %q", dir, verb);
		else if (dir)
			dbl_fix_cmd(
				w,
				dbl_fix_root(w)
					? "runuser -u postgres -- pg_ctl -D "
					  "%q %q"
					: "sudo -u postgres pg_ctl -D %q %q",
				dir, verb);
		else if (systemd &&
			 (!known || has_unit(w, "postgresql.service")))
			dbl_fix_root_cmd(w, "systemctl %q postgresql", verb);
		else if (has_script(w, "postgresql"))
			dbl_fix_root_cmd(w, "service postgresql %q", verb);
		return;
	}
	const char *v = strcmp(verb, "reload") == 0 ? "restart" : verb;
	const char *svc = dbl_fix_my_service(w);
	if (systemd && svc)
		dbl_fix_root_cmd(w, "systemctl %q %q", v, svc);
	else if (svc)
		dbl_fix_root_cmd(w, "service %q %q", svc, v);
}

/* The MySQL service name here: the systemd unit installed (mariadb before
 * its alias mysql) when systemd runs, else the SysV script; NULL when
 * neither exists. Without facts from a machine, by the server's product. */
const char *dbl_fix_my_service(const struct dbl_fixw *w)
{
	static const char *const names[] = {"mariadb", "mysql", "mysqld"};
	const struct dbl_host_facts *h = &w->d->f->host;
	if (h->init == DBL_INIT_UNKNOWN)
		return dbl_fix_is_mariadb(w) ? "mariadb" : "mysql";
	for (size_t i = 0; h->init == DBL_INIT_SYSTEMD && i < 3; i++) {
		char u[32];
		snprintf(u, sizeof(u), "%s.service", names[i]);
		if (has_unit(w, u))
			return names[i];
	}
	for (size_t i = 0; i < 3; i++)
		if (has_script(w, names[i]))
			return names[i];
	return NULL;
}

/* verb: "start", "restart" or "reload". The service here, a server in
 * another container restarted from the host, and PostgreSQL's reload
 * from SQL. */
void dbl_fix_apply_server(struct dbl_fixw *w, const char *verb)
{
	const char *dir = dbl_fix_pg_data_dir(w);
	bool start = strcmp(verb, "start") == 0;
	service_commands(w, verb);
	char svc[256], from[64];
	int port;
	bool container = dbl_fix_container_involved(w) && !(is_pg(w) && dir);
	if (container && dbl_diag_service_host(w->d, svc, sizeof(svc), &port,
					       from, sizeof(from)))
		dbl_fix_cmd(w,
			    start ? "docker compose up -d %q   # the service "
				    "%q names"
				  : "docker compose restart %q   # the service "
				    "%q names",
			    svc, from);
	else if (container)
		dbl_fix_cmd(
			w,
			start ? "docker compose up -d db   # when the server "
				"runs in its own container; 'db' is its "
				"service name"
			      : "docker compose restart db   # when the "
				"server runs in its own container; 'db' is "
				"its service name");
	if (is_pg(w) && strcmp(verb, "reload") == 0)
		dbl_fix_sql(w, "SELECT pg_reload_conf();");
}

/* The server option file discovery read belongs to the server reached:
 * its port agrees with what the server says (3306 when unset). */
bool dbl_fix_my_conf_applies(const struct dbl_fixw *w)
{
	const char *p = dbl_diag_setting(w->d, "@@port");
	const char *conf = w->d->f->my.port.value;
	/* With skip-networking the server reports port 0: no evidence. */
	if (!p || atoi(p) == 0)
		return true;
	return atoi(p) == (conf ? atoi(conf) : 3306);
}

/* Puts line into file: replacing line n when the setting came from there,
 * else appending. */
void dbl_fix_conf_set(struct dbl_fixw *w, const char *source, const char *file,
		      const char *line)
{
	char f[512];
	int n = 0;
	if (dbl_source_split(source, f, sizeof(f), &n))
		dbl_fix_conf(w, f, n, DBL_CONF_REPLACE, NULL, line, NULL);
	else
		dbl_fix_conf(w, file, 0, DBL_CONF_APPEND, NULL, line, NULL);
}

/* The same in a MySQL option file: an appended line goes under its own
 * [mysqld] header, or it would land in the file's last group (Debian's
 * my.cnf ends in [client-server], which the clients read too). */
void dbl_fix_my_conf_set(struct dbl_fixw *w, const char *source,
			 const char *file, const char *line)
{
	char f[512];
	int n = 0;
	if (dbl_source_split(source, f, sizeof(f), &n))
		dbl_fix_conf(w, f, n, DBL_CONF_REPLACE, NULL, line, NULL);
	else
		dbl_fix_conf(w, file, 0, DBL_CONF_APPEND, "mysqld", line, NULL);
}

/* The option file where a server line goes: the one that already holds
 * the server's groups (Debian's mariadb.conf.d/50-server.cnf), else the
 * first read. */
const char *dbl_fix_my_server_file(const struct dbl_fixw *w)
{
	if (!dbl_fix_my_conf_applies(w))
		return NULL;
	return w->d->f->my.server_file ? w->d->f->my.server_file
				       : w->d->f->my.conf_file;
}

void dbl_fix_no_conf_note(struct dbl_fixw *w)
{
	dbl_fix_text(w,
		     "dbloop could not read the server's configuration file; "
		     "with it (run as a user who may read it, or over a "
		     "transport that works) it names the exact file and line.");
}
