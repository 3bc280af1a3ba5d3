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
	return v ? v : w->d->f->pg.conf_file;
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
	return NULL;
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

/* verb: "start", "restart" or "reload". What runs the server decides: a
 * Debian cluster unit, else the data directory found, else systemd; a
 * server in another container is restarted from the host. */
void dbl_fix_apply_server(struct dbl_fixw *w, const char *verb)
{
	char unit[96];
	const char *dir = dbl_fix_pg_data_dir(w);
	bool start = strcmp(verb, "start") == 0;
	if (is_pg(w) && dbl_fix_pg_unit(w, unit, sizeof(unit)))
		dbl_fix_cmd(w, "sudo systemctl %q %q", verb, unit);
	else if (is_pg(w) && dir)
		dbl_fix_cmd(w, "sudo -u postgres pg_ctl -D %q %q", dir, verb);
	else if (is_pg(w))
		dbl_fix_cmd(w, "sudo systemctl %q postgresql", verb);
	else
		dbl_fix_cmd(w, "sudo systemctl %q %q",
			    strcmp(verb, "reload") == 0 ? "restart" : verb,
			    dbl_fix_is_mariadb(w) ? "mariadb" : "mysql");
	char svc[256], from[64];
	int port;
	if (w->d->f->host.in_container && !(is_pg(w) && dir) &&
	    dbl_diag_service_host(w->d, svc, sizeof(svc), &port, from,
				  sizeof(from)))
		dbl_fix_cmd(w,
			    start ? "docker compose up -d %q   # the service "
				    "%q names"
				  : "docker compose restart %q   # the service "
				    "%q names",
			    svc, from);
	else if (w->d->f->host.in_container && !(is_pg(w) && dir))
		dbl_fix_cmd(
			w,
			start ? "docker compose up -d db   # when the server "
				"runs in its own container; 'db' is its "
				"service name"
			      : "docker compose restart db   # when the "
				"server runs in its own container; 'db' is "
				"its service name");
	if (is_pg(w) && strcmp(verb, "reload") == 0)
		dbl_fix_cmd(
			w,
			"sudo -u postgres psql -c 'SELECT pg_reload_conf()'   "
			"# the same, from SQL");
}

/* The server option file discovery read belongs to the server reached:
 * its port agrees with what the server says (3306 when unset). */
bool dbl_fix_my_conf_applies(const struct dbl_fixw *w)
{
	const char *p = dbl_diag_setting(w->d, "@@port");
	const char *conf = w->d->f->my.port.value;
	if (!p)
		return true;
	return atoi(p) == (conf ? atoi(conf) : 3306);
}

/* A line fit for a sed replacement and a config file: no control byte,
 * no sed delimiter '|', no backslash or '&' (sed's escape and match). */
static bool sed_ok(const char *line)
{
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '|' || *p == '\\' ||
		    *p == '&')
			return false;
	return line && *line;
}

static void sed_replace(struct dbl_fixw *w, int n, const char *line,
			const char *file)
{
	char *script = dbl_asprintf("%ds|.*|%s|", n, line);
	if (!script)
		w->oom = true;
	else
		dbl_fix_sed(w, true, script, file);
	free(script);
}

/* Puts line into file: replacing line n when the setting came from there,
 * else appending. */
void dbl_fix_conf_set(struct dbl_fixw *w, const char *source, const char *file,
		      const char *line)
{
	char f[512];
	int n = 0;
	if (!sed_ok(line))
		dbl_fix_refuse(w, "config line", line);
	else if (dbl_source_split(source, f, sizeof(f), &n))
		sed_replace(w, n, line, f);
	else if (file)
		dbl_fix_cmd(w, "echo %q | sudo tee -a %q", line, file);
	else
		dbl_fix_bare(w, line, "in the server's configuration file");
}

/* The same in a MySQL option file: an appended line goes under its own
 * [mysqld] header, or it would land in the file's last group (Debian's
 * my.cnf ends in [client-server], which the clients read too). */
void dbl_fix_my_conf_set(struct dbl_fixw *w, const char *source,
			 const char *file, const char *line)
{
	char f[512];
	int n = 0;
	if (!sed_ok(line)) {
		dbl_fix_refuse(w, "config line", line);
	} else if (dbl_source_split(source, f, sizeof(f), &n)) {
		sed_replace(w, n, line, f);
	} else if (file) {
		dbl_fix_cmd(w, "printf '[mysqld]\\n%%s\\n' %q | sudo tee -a %q",
			    line, file);
	} else {
		dbl_fix_bare(w, line,
			     "under [mysqld] in the server's option file");
	}
}

void dbl_fix_no_conf_note(struct dbl_fixw *w)
{
	dbl_fix_text(w,
		     "dbloop could not read the server's configuration file; "
		     "with it (run as a user who may read it, or over a "
		     "transport that works) it names the exact file and line.");
}
