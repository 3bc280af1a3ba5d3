/* Server-side configuration, read after the probes when readable: the
 * PostgreSQL files the running server names (or the distributions'
 * default locations) and the MySQL server option groups. Never fails the
 * run: unreadable files are warnings, or silence for optional ones. */
#include <glob.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbloop/discover.h"
#include "discover/optfile.h"
#include "discover/pgconf.h"
#include "discover/pghba.h"
#include "util/textfile.h"

static const char *setting_of(const struct dbl_result *results, size_t n,
			      const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = dbl_result_setting(&results[i], name);
		if (v && *v)
			return v;
	}
	return NULL;
}

static int conf_value_set(struct dbl_conf_value *v,
			  const struct dbl_pgconf_item *it)
{
	if (!it)
		return 0;
	if (dbl_set_str(&v->value, it->value) < 0 ||
	    dbl_set_str(&v->source, it->source) < 0)
		return -DBL_ENOMEM;
	return 0;
}

/* The stock places of postgresql.conf: Debian's /etc/postgresql/V/C, Red
 * Hat's and PGDG's data directories, the official image's PGDATA, then
 * Homebrew's (Apple silicon, Intel, Linux; postgresql@NN and the older
 * unversioned formula). */
static const char *const pg_layouts[] = {
	"/etc/postgresql/*/*/postgresql.conf",
	"/var/lib/pgsql/data/postgresql.conf",
	"/var/lib/pgsql/*/data/postgresql.conf",
	"/var/lib/postgresql/data/postgresql.conf",
	"/opt/homebrew/var/postgresql@*/postgresql.conf",
	"/opt/homebrew/var/postgres/postgresql.conf",
	"/usr/local/var/postgresql@*/postgresql.conf",
	"/usr/local/var/postgres/postgresql.conf",
	"/home/linuxbrew/.linuxbrew/var/postgresql@*/postgresql.conf",
};

/* The first readable layout's conf; the cluster on the target's port when
 * several exist. */
static char *default_pg_conf(const char *root, int port, struct dbl_strlist *w)
{
	char *first = NULL, *match = NULL;
	for (size_t i = 0;
	     i < sizeof(pg_layouts) / sizeof(pg_layouts[0]) && !match; i++) {
		char *pattern = dbl_rooted_path(root, pg_layouts[i]);
		glob_t g = {0};
		if (pattern && glob(pattern, 0, NULL, &g) == 0)
			for (size_t j = 0; j < g.gl_pathc && !match; j++) {
				struct dbl_pgconf c = {0};
				if (dbl_pgconf_read(&c, g.gl_pathv[j], w) < 0)
					continue;
				const struct dbl_pgconf_item *p =
					dbl_pgconf_get(&c, "port");
				int cport = p ? atoi(p->value) : 5432;
				if (!first)
					first = strdup(g.gl_pathv[j]);
				if (cport == port)
					match = strdup(g.gl_pathv[j]);
				dbl_pgconf_release(&c);
			}
		globfree(&g);
		free(pattern);
	}
	if (match) {
		free(first);
		return match;
	}
	return first;
}

static bool exists_at(const char *root, const char *path)
{
	char *p = dbl_rooted_path(root, path);
	struct stat st;
	bool found = p && stat(p, &st) == 0;
	free(p);
	return found;
}

/* The PGDATA of a systemd unit file: "Environment=PGDATA=DIR" (also
 * quoted), without a trailing slash; NULL when it sets none. */
static char *unit_pgdata(const char *path)
{
	char *text = NULL, *out = NULL, *save = NULL;
	if (dbl_textfile_read(path, NULL, &text, NULL) < 0)
		return NULL;
	for (char *line = strtok_r(text, "\n", &save); line && !out;
	     line = strtok_r(NULL, "\n", &save)) {
		line = dbl_trim(line);
		if (strncmp(line, "Environment=", 12) != 0)
			continue;
		char *v = line + 12;
		v += *v == '"';
		if (strncmp(v, "PGDATA=", 7) != 0)
			continue;
		v += 7;
		size_t n = strcspn(v, "\" ");
		while (n > 1 && v[n - 1] == '/')
			n--;
		if (n > 1 && v[0] == '/')
			out = dbl_asprintf("%.*s", (int)n, v);
	}
	free(text);
	return out;
}

/* Red Hat's postgresql.service and PGDG's postgresql-NN.service name the
 * data directory (world-readable even when the directory is not): the
 * unit whose PGDATA is dir, or with dir NULL the first that names one. *dir_out
 * gets that PGDATA (unrooted) when dir is NULL. */
static char *pg_unit_for(const char *root, const char *dir, char **dir_out)
{
	static const char *const dirs[] = {"/etc/systemd/system",
					   "/usr/lib/systemd/system",
					   "/lib/systemd/system"};
	char *unit = NULL;
	for (size_t i = 0; i < 3 && !unit; i++) {
		char *pattern = dbl_asprintf("%s/postgresql*.service", dirs[i]);
		char *rooted = pattern ? dbl_rooted_path(root, pattern) : NULL;
		glob_t g = {0};
		if (rooted && glob(rooted, 0, NULL, &g) == 0)
			for (size_t j = 0; j < g.gl_pathc && !unit; j++) {
				const char *base = strrchr(g.gl_pathv[j], '/');
				base = base ? base + 1 : g.gl_pathv[j];
				if (strchr(base, '@'))
					continue; /* Debian's template */
				char *pd = unit_pgdata(g.gl_pathv[j]);
				if (pd && (!dir || strcmp(pd, dir) == 0)) {
					unit = dbl_asprintf(
						"%.*s", (int)(strlen(base) - 8),
						base);
					if (dir_out && !dir) {
						*dir_out = pd;
						pd = NULL;
					}
				}
				free(pd);
			}
		globfree(&g);
		free(rooted);
		free(pattern);
	}
	return unit;
}

/* When no layout's conf is readable, the data directory a stock layout
 * has here, named although unreadable (Red Hat's /var/lib/pgsql is 0700):
 * a unit's PGDATA, else /var/lib/pgsql/data when /var/lib/pgsql exists,
 * else the image's /var/lib/postgresql/data. Rooted; NULL when none. */
static char *named_pg_data_dir(const char *root)
{
	char *dir = NULL;
	free(pg_unit_for(root, NULL, &dir));
	if (!dir && exists_at(root, "/var/lib/pgsql"))
		dir = strdup("/var/lib/pgsql/data");
	if (!dir && exists_at(root, "/var/lib/postgresql/data"))
		dir = strdup("/var/lib/postgresql/data");
	char *rooted = dir ? dbl_rooted_path(root, dir) : NULL;
	free(dir);
	return rooted;
}

/* The directory of path when it is a data directory (holds PG_VERSION):
 * where the layouts other than Debian's keep postgresql.conf. */
static char *data_dir_of_conf(const char *conf)
{
	const char *slash = conf ? strrchr(conf, '/') : NULL;
	if (!slash || slash == conf)
		return NULL;
	char *pv = dbl_asprintf("%.*s/PG_VERSION", (int)(slash - conf), conf);
	struct stat st;
	bool data = pv && stat(pv, &st) == 0;
	free(pv);
	return data ? dbl_asprintf("%.*s", (int)(slash - conf), conf) : NULL;
}

/* Whether path belongs to the user who runs dbloop (not root). */
static bool owned_by_me(const char *path)
{
	struct stat st;
	return path && geteuid() != 0 && stat(path, &st) == 0 &&
	       st.st_uid == geteuid();
}

static char *dir_file(const char *dir, const char *name)
{
	return dir ? dbl_asprintf("%s/%s", dir, name) : NULL;
}

static int pg_values(struct dbl_pg_server_conf *pg, const struct dbl_pgconf *c)
{
	int rc = conf_value_set(&pg->listen_addresses,
				dbl_pgconf_get(c, "listen_addresses"));
	if (rc == 0)
		rc = conf_value_set(&pg->port, dbl_pgconf_get(c, "port"));
	if (rc == 0)
		rc = conf_value_set(
			&pg->unix_socket_directories,
			dbl_pgconf_get(c, "unix_socket_directories"));
	if (rc == 0)
		rc = conf_value_set(&pg->ssl, dbl_pgconf_get(c, "ssl"));
	if (rc == 0)
		rc = conf_value_set(&pg->password_encryption,
				    dbl_pgconf_get(c, "password_encryption"));
	return rc;
}

/* The hba file: what the server said, else hba_file in the conf, else
 * next to the data or the conf. */
static char *pg_hba_path(const char *from_server, const struct dbl_pgconf *c,
			 const char *data_dir, const char *conf_file,
			 const char *root)
{
	const struct dbl_pgconf_item *it = dbl_pgconf_get(c, "hba_file");
	if (from_server)
		return strdup(from_server);
	if (it) /* a path of the tree the conf came from */
		return dbl_rooted_path(root, it->value);
	if (data_dir)
		return dir_file(data_dir, "pg_hba.conf");
	const char *slash = conf_file ? strrchr(conf_file, '/') : NULL;
	if (!slash)
		return NULL;
	return dbl_asprintf("%.*s/pg_hba.conf", (int)(slash - conf_file),
			    conf_file);
}

static int pg_read_conf(struct dbl_facts *f, struct dbl_pgconf *c,
			const char *conf_path)
{
	if (!conf_path || dbl_pgconf_read(c, conf_path, &f->warnings) < 0)
		return 0;
	if (dbl_set_str(&f->pg.conf_file, conf_path) < 0)
		return -DBL_ENOMEM;
	const struct dbl_pgconf_item *dd = dbl_pgconf_get(c, "data_directory");
	if (!f->pg.data_dir && dd && dbl_set_str(&f->pg.data_dir, dd->value))
		return -DBL_ENOMEM;
	/* ALTER SYSTEM settings override the conf file. */
	char *autoconf = dir_file(f->pg.data_dir, "postgresql.auto.conf");
	if (autoconf)
		dbl_pgconf_read(c, autoconf, NULL);
	free(autoconf);
	return pg_values(&f->pg, c);
}

/* The value of option opt in a postmaster command line ("-D DIR",
 * "--pgdata=DIR", "-c config_file=FILE", "--config-file=FILE"), copied
 * into out; false when absent. The command line's arguments are joined
 * by spaces, so a path with a space is cut there. */
static bool cmdline_opt(const char *cmd, const char *const *opts, char *out,
			size_t len)
{
	for (const char *p = cmd; p && *p;) {
		size_t n = strcspn(p, " ");
		for (size_t i = 0; opts[i]; i++) {
			size_t ol = strlen(opts[i]);
			bool sep = opts[i][ol - 1] !=
				   '='; /* value in the next word */
			if (n < ol || strncmp(p, opts[i], ol) != 0 ||
			    (sep && n != ol))
				continue;
			const char *v = sep ? p + n + (p[n] ? 1 : 0) : p + ol;
			size_t vl = strcspn(v, " ");
			if (vl == 0 || vl >= len)
				return false;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return true;
		}
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

/* The data directory and config file on the command line of the
 * PostgreSQL process that owns the socket or address a probe logged in
 * through (readable as root or as the server's OS user). */
static void pg_from_listener(const struct dbl_facts *f,
			     const struct dbl_result *r, size_t n, char *dir,
			     char *conf, size_t len)
{
	static const char *const d_opts[] = {"-D", "--pgdata=", NULL};
	static const char *const c_opts[] = {
		"config_file=", "--config-file=", "--config_file=", NULL};
	dir[0] = conf[0] = '\0';
	for (size_t i = 0; i < n && !dir[0]; i++) {
		if (!r[i].ok)
			continue;
		const char *a =
			r[i].n_attempts > 0
				? r[i].attempts[r[i].n_attempts - 1].address
				: r[i].address;
		const char *colon = strrchr(a, ':');
		int port = colon ? atoi(colon + 1) : 0;
		char ip[64] = "";
		const char *h = a[0] == '[' ? a + 1 : a;
		size_t hl = colon ? (size_t)(colon - h) : 0;
		if (hl && h[hl - 1] == ']')
			hl--;
		if (hl < sizeof(ip))
			snprintf(ip, sizeof(ip), "%.*s", (int)hl, h);
		for (size_t j = 0; j < f->n_listeners && !dir[0]; j++) {
			const struct dbl_listener *l = &f->listeners[j];
			bool match =
				l->family == AF_UNIX
					? strcmp(l->path, a) == 0
					: r[i].transport !=
							  DBL_TRANSPORT_UNIX &&
						  l->port == port &&
						  (strcmp(l->address, ip) ==
							   0 ||
						   strcmp(l->address,
							  "0.0.0.0") == 0 ||
						   strcmp(l->address, "::") ==
							   0);
			if (!match || l->pid <= 0 ||
			    l->engine != DBL_ENGINE_POSTGRES ||
			    !cmdline_opt(l->cmdline, d_opts, dir, len))
				continue;
			cmdline_opt(l->cmdline, c_opts, conf, len);
		}
	}
}

static int pg_server_conf(struct dbl_facts *f, const struct dbl_target *t,
			  const struct dbl_result *r, size_t n,
			  const char *root)
{
	if (f->pg.conf_file || f->pg.hba_file)
		return 0; /* another target of the same run read them */
	const char *data_dir = setting_of(r, n, "data_directory");
	const char *conf = setting_of(r, n, "config_file");
	char ldir[DBL_ADDR_MAX], lconf[DBL_ADDR_MAX];
	if (!data_dir && !conf) { /* hidden from the role: ask /proc */
		pg_from_listener(f, r, n, ldir, lconf, sizeof(ldir));
		data_dir = ldir[0] ? ldir : NULL;
		conf = lconf[0] ? lconf : NULL;
	}
	if (data_dir && dbl_set_str(&f->pg.data_dir, data_dir) < 0)
		return -DBL_ENOMEM;
	char *conf_path = conf	     ? strdup(conf)
			  : data_dir ? dir_file(data_dir, "postgresql.conf")
				     : default_pg_conf(root, t ? t->port : 5432,
						       &f->warnings);
	bool layout = !conf && !data_dir;
	if (layout && !conf_path) { /* named, not readable */
		char *named = named_pg_data_dir(root);
		if (named && dbl_set_str(&f->pg.data_dir, named) < 0) {
			free(named);
			return -DBL_ENOMEM;
		}
		conf_path = dir_file(named, "postgresql.conf");
		free(named);
	} else if (layout && !f->pg.data_dir) {
		char *dd = data_dir_of_conf(conf_path);
		if (dd && dbl_set_str(&f->pg.data_dir, dd) < 0) {
			free(dd);
			free(conf_path);
			return -DBL_ENOMEM;
		}
		free(dd);
	}
	struct dbl_pgconf c = {0};
	if (conf_path && dbl_set_str(&f->pg.conf_path, conf_path) < 0) {
		free(conf_path);
		return -DBL_ENOMEM;
	}
	int rc = pg_read_conf(f, &c, conf_path);
	char *hba = rc == 0 ? pg_hba_path(setting_of(r, n, "hba_file"), &c,
					  f->pg.data_dir,
					  f->pg.conf_file ? f->pg.conf_file
							  : f->pg.conf_path,
					  conf || data_dir ? NULL : root)
			    : NULL;
	if (hba && dbl_set_str(&f->pg.hba_path, hba) < 0)
		rc = -DBL_ENOMEM;
	if (rc == 0 && hba && dbl_hba_read(&f->pg, hba, &f->warnings) == 0)
		rc = dbl_set_str(&f->pg.hba_file, hba);
	f->pg.files_owned = owned_by_me(f->pg.data_dir	  ? f->pg.data_dir
					: f->pg.conf_file ? f->pg.conf_file
							  : NULL);
	if (rc == 0 && f->pg.files_owned) {
		const struct passwd *pw = getpwuid(geteuid());
		if (pw && pw->pw_name && dbl_set_str(&f->pg.owner, pw->pw_name))
			rc = -DBL_ENOMEM;
	}
	if (rc == 0 && f->pg.data_dir && !f->pg.unit) {
		/* the unit compares unrooted paths */
		size_t rl = layout && root ? strlen(root) : 0;
		const char *dd = f->pg.data_dir;
		if (rl && strncmp(dd, root, rl) == 0)
			dd += rl;
		f->pg.unit = pg_unit_for(layout ? root : NULL, dd, NULL);
	}
	free(hba);
	free(conf_path);
	dbl_pgconf_release(&c);
	return rc;
}

static int my_value(struct dbl_conf_value *v, const struct dbl_optfile *of,
		    const char *name)
{
	const struct dbl_optval *o = dbl_optfile_get(of, name);
	if (!o)
		return 0;
	/* A bare flag ("skip-networking") means on. */
	if (dbl_set_str(&v->value, o->value ? o->value : "ON") < 0 ||
	    dbl_set_str(&v->source, o->source) < 0)
		return -DBL_ENOMEM;
	return 0;
}

static int my_server_conf(struct dbl_facts *f, const char *root)
{
	if (f->my.conf_file)
		return 0;
	struct dbl_optfile of = {0};
	/* mysqld's own list: /etc/my.cnf, /etc/mysql/my.cnf, then its
	 * SYSCONFDIR/my.cnf, which is Homebrew's etc/ there (Apple silicon,
	 * Intel, Linux). Red Hat's /etc/my.cnf includes /etc/my.cnf.d/, the
	 * images' /etc/mysql/my.cnf conf.d/ (and mariadb.conf.d/). */
	static const char *const files[] = {
		"/etc/my.cnf", "/etc/mysql/my.cnf", "/opt/homebrew/etc/my.cnf",
		"/usr/local/etc/my.cnf",
		"/home/linuxbrew/.linuxbrew/etc/my.cnf"};
	int rc = 0;
	for (size_t i = 0;
	     i < sizeof(files) / sizeof(files[0]) && rc != -DBL_ENOMEM; i++)
		rc = dbl_optfile_read(&of, files[i], dbl_optfile_server_groups,
				      root, &f->warnings);
	rc = rc == -DBL_ENOMEM ? rc : 0;
	struct dbl_my_server_conf *my = &f->my;
	if (rc == 0 && of.files_read.n)
		rc = dbl_set_str(&my->conf_file, of.files_read.items[0]);
	for (size_t i = 0; rc == 0 && i < of.files_read.n; i++)
		rc = dbl_strlist_push(&my->files, of.files_read.items[i]);
	for (size_t i = of.n; rc == 0 && i-- > 0;) {
		const struct dbl_optval *o = &of.items[i];
		const char *end =
			o->source ? strstr(o->source, " line ") : NULL;
		if (!end || (strcmp(o->group, "mysqld") != 0 &&
			     strcmp(o->group, "mariadb") != 0))
			continue;
		char *file =
			dbl_asprintf("%.*s", (int)(end - o->source), o->source);
		rc = file ? 0 : -DBL_ENOMEM;
		free(my->server_file);
		my->server_file = file;
		break;
	}
	if (my->server_file) {
		char *real = dbl_rooted_path(root, my->server_file);
		my->files_owned = owned_by_me(real);
		free(real);
	}
	if (rc == 0)
		rc = my_value(&my->bind_address, &of, "bind-address");
	if (rc == 0)
		rc = my_value(&my->skip_networking, &of, "skip-networking");
	if (rc == 0)
		rc = my_value(&my->socket, &of, "socket");
	if (rc == 0)
		rc = my_value(&my->port, &of, "port");
	if (rc == 0)
		rc = my_value(&my->skip_name_resolve, &of, "skip-name-resolve");
	if (rc == 0)
		rc = my_value(&my->require_secure_transport, &of,
			      "require-secure-transport");
	dbl_optfile_release(&of);
	return rc;
}

int dbl_discover_server_conf_at(struct dbl_facts *f, const struct dbl_target *t,
				const struct dbl_result *results, size_t n,
				const struct dbl_discover_paths *p)
{
	const char *root = p ? p->root : NULL;
	int rc = 0;
	if (!t || t->engine == DBL_ENGINE_POSTGRES)
		rc = pg_server_conf(f, t, results, n, root);
	if (rc == 0 && (!t || t->engine == DBL_ENGINE_MYSQL))
		rc = my_server_conf(f, root);
	return rc == -DBL_ENOMEM ? rc : 0;
}

int dbl_discover_server_conf(struct dbl_facts *f, const struct dbl_target *t,
			     const struct dbl_result *results, size_t n)
{
	return dbl_discover_server_conf_at(f, t, results, n, NULL);
}
