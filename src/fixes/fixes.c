/* Fixes: for each finding, one or two sentences and ready-to-paste
 * commands written for this machine from the facts — the file and line
 * discovery read, the service name, the real socket path or port, the
 * accounts read over a working transport. Generic advice only where no
 * fact is known, and then it says which fact would sharpen it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixes/fixes_int.h"

/* Appends a sentence to the fix. */
void dbl_fix_text(struct dbl_fixw *w, const char *fmt, ...)
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

/* Appends step (taking its strings) and flat, its commands item; on
 * failure frees the step and marks w->oom. */
static void push_step(struct dbl_fixw *w, struct dbl_step *st, const char *flat)
{
	struct dbl_finding *fd = w->fd;
	struct dbl_step *grown =
		st->text ? realloc(fd->steps,
				   (fd->n_steps + 1) * sizeof(*fd->steps))
			 : NULL;
	if (!grown ||
	    dbl_strlist_push(&fd->commands, flat ? flat : st->text) < 0) {
		if (grown)
			fd->steps = grown;
		dbl_step_release(st);
		w->oom = true;
		return;
	}
	fd->steps = grown;
	fd->steps[fd->n_steps++] = *st;
}

static char *vformat(struct dbl_fixw *w, const char *prefix, const char *fmt,
		     va_list ap)
{
	struct dbl_buf b = {0};
	if (prefix)
		dbl_buf_puts(&b, prefix);
	dbl_vqfmt(&b, fmt, ap);
	char *s = b.oom ? NULL : dbl_buf_detach(&b);
	dbl_buf_release(&b);
	if (!s)
		w->oom = true;
	return s;
}

static void shell_step(struct dbl_fixw *w, char *text, bool root)
{
	if (!text)
		return;
	struct dbl_step st = {
		.kind = DBL_STEP_SHELL, .text = text, .needs_root = root};
	push_step(w, &st, NULL);
}

void dbl_fix_cmd(struct dbl_fixw *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(w, NULL, fmt, ap);
	va_end(ap);
	shell_step(w, s, s && strncmp(s, "sudo ", 5) == 0);
}

const struct dbl_listener *dbl_fix_server_cmdline(const struct dbl_fixw *w,
						  const char *needle)
{
	for (size_t i = 0; i < w->d->f->n_listeners; i++) {
		const struct dbl_listener *l = &w->d->f->listeners[i];
		if (l->engine == (int)w->d->t->engine && l->pid > 0 &&
		    strstr(l->cmdline, needle))
			return l;
	}
	return NULL;
}

bool dbl_fix_root(const struct dbl_fixw *w)
{
	return w->d->f->host.is_root;
}

void dbl_fix_root_cmd(struct dbl_fixw *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(w, dbl_fix_root(w) ? NULL : "sudo ", fmt, ap);
	va_end(ap);
	shell_step(w, s, !dbl_fix_root(w));
}

/* The shell command that opens the engine's client as its superuser on
 * the server the probes reached: the socket directory and port when they
 * are not the client's defaults. */
static char *admin_client(struct dbl_fixw *w)
{
	const struct dbl_probe_report *u = w->d->by[DBL_TRANSPORT_UNIX];
	const char *sock = u && u->cls != DBL_CLASS_SOCKET_MISSING &&
					   u->r.address[0] == '/'
				   ? u->r.address
				   : NULL;
	int port = dbl_diag_port(w->d);
	struct dbl_buf b = {0};
	const char *owner = w->d->f->pg.files_owned ? w->d->f->pg.owner : NULL;
	if (is_pg(w)) {
		/* the user's own cluster (Homebrew): its superuser is the
		 * login name, its database postgres */
		dbl_buf_puts(&b, owner ? "psql -d postgres"
				 : dbl_fix_root(w)
					 ? "runuser -u postgres -- psql"
					 : "sudo -u postgres psql");
		char dir[DBL_ADDR_MAX];
		const char *slash = sock ? strrchr(sock, '/') : NULL;
		if (slash && slash > sock &&
		    (size_t)(slash - sock) < sizeof(dir)) {
			memcpy(dir, sock, (size_t)(slash - sock));
			dir[slash - sock] = '\0';
			if (strcmp(dir, "/var/run/postgresql") != 0 &&
			    strcmp(dir, "/run/postgresql") != 0)
				dbl_qfmt(&b, " -h %q", dir);
		}
		if (port > 0 && port != 5432)
			dbl_qfmt(&b, " -p %d", port);
	} else {
		if (!dbl_fix_root(w))
			dbl_buf_puts(&b, "sudo ");
		dbl_buf_puts(&b, dbl_fix_is_mariadb(w) ? "mariadb" : "mysql");
		if (sock && strcmp(sock, "/run/mysqld/mysqld.sock") != 0 &&
		    strcmp(sock, "/var/run/mysqld/mysqld.sock") != 0)
			dbl_qfmt(&b, " -S %q", sock);
	}
	char *s = b.oom ? NULL : dbl_buf_detach(&b);
	dbl_buf_release(&b);
	return s;
}

void dbl_fix_sql(struct dbl_fixw *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(w, NULL, fmt, ap);
	va_end(ap);
	if (s)
		dbl_fix_sql_text(w, s);
}

void dbl_fix_sql_text(struct dbl_fixw *w, char *s)
{
	struct dbl_step st = {
		.kind = DBL_STEP_SQL,
		.text = s,
		.engine = w->d->t->engine,
		.run_as = dbl_strdup(!is_pg(w) ? "root"
				     : w->d->f->pg.files_owned &&
						     w->d->f->pg.owner
					     ? w->d->f->pg.owner
					     : "postgres"),
		.client = admin_client(w),
	};
	if (!st.run_as)
		w->oom = true;
	push_step(w, &st, NULL);
}

void dbl_fix_url(struct dbl_fixw *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(w, NULL, fmt, ap);
	va_end(ap);
	if (!s)
		return;
	struct dbl_step st = {.kind = DBL_STEP_URL, .text = s};
	push_step(w, &st, NULL);
}

/* A variable name as the shell writes it: [A-Za-z_][A-Za-z0-9_]*. */
static bool var_name_ok(const char *s)
{
	if (!s || !(*s == '_' || ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z')))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= '0' && *s <= '9') ||
		      ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z')))
			return false;
	return true;
}

void dbl_fix_env(struct dbl_fixw *w, const char *name, const char *value)
{
	if (!var_name_ok(name))
		return;
	struct dbl_buf b = {0};
	dbl_buf_puts(&b, value ? "export " : "unset ");
	dbl_buf_puts(&b, name);
	if (value) {
		dbl_buf_puts(&b, "=");
		dbl_q_shell(&b, value);
	}
	char *s = b.oom ? NULL : dbl_buf_detach(&b);
	dbl_buf_release(&b);
	struct dbl_step st = {.kind = DBL_STEP_ENV,
			      .text = s,
			      .name = dbl_strdup(name),
			      .value = value ? dbl_strdup(value) : NULL};
	if (!s || !st.name || (value && !st.value))
		w->oom = true;
	push_step(w, &st, NULL);
}

static bool line_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return *s != '\0';
}

/* Whether file is dir itself or under it. */
static bool under(const char *file, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return n && strncmp(file, dir, n) == 0 &&
	       (file[n] == '/' || file[n] == '\0');
}

/* The directory part of path into out ("" when none). */
static void dir_of(const char *path, char *out, size_t len)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	out[0] = '\0';
	if (slash && (size_t)(slash - path) < len)
		snprintf(out, len, "%.*s", (int)(slash - path), path);
}

/* Editing file needs root unless dbloop runs as root, the file is the
 * user's own (under $HOME, or ~/...), or it is a server file discovery
 * found the user owns (a Homebrew install: its data directory, its
 * etc/my.cnf). */
static bool file_needs_root(const struct dbl_fixw *w, const char *file)
{
	const struct dbl_facts *f = w->d->f;
	const char *home = f->host.home;
	char dir[512];
	if (dbl_fix_root(w) || !file || file[0] == '~' || under(file, home))
		return false;
	if (f->pg.files_owned &&
	    (under(file, f->pg.data_dir) ||
	     (dir_of(f->pg.conf_file, dir, sizeof(dir)), under(file, dir))))
		return false;
	if (f->my.files_owned) {
		dir_of(f->my.server_file, dir, sizeof(dir));
		if (under(file, dir))
			return false;
	}
	return true;
}

void dbl_fix_conf(struct dbl_fixw *w, const char *file, int line,
		  enum dbl_conf_action action, const char *group,
		  const char *text, const char *note)
{
	if (!line_ok(text) || (file && !line_ok(file)) ||
	    (group && !dbl_q_conf_ok(group)) || (note && !line_ok(note))) {
		dbl_fix_refuse(w, "config line", text);
		return;
	}
	struct dbl_buf flat = {0};
	if (action == DBL_CONF_COMMENT_OUT)
		dbl_buf_puts(&flat, "# ");
	dbl_buf_puts(&flat, text);
	dbl_buf_puts(&flat, "   # ");
	const char *f = file ? file : "the server's configuration file";
	switch (action) {
	case DBL_CONF_REPLACE:
		dbl_buf_printf(&flat, "%s line %d: in place of that line", f,
			       line);
		break;
	case DBL_CONF_INSERT_AFTER:
		dbl_buf_printf(&flat, "%s: after line %d", f, line);
		break;
	case DBL_CONF_COMMENT_OUT:
		dbl_buf_printf(&flat, "%s line %d: comment it out", f, line);
		break;
	default:
		dbl_buf_printf(&flat, "%s%s%s%s", group ? "under [" : "",
			       group ? group : "", group ? "] in " : "in ", f);
		break;
	}
	if (note)
		dbl_buf_printf(&flat, ", %s", note);
	struct dbl_step st = {
		.kind = DBL_STEP_CONFIG,
		.text = dbl_strdup(text),
		.file = file ? dbl_strdup(file) : NULL,
		.line = action == DBL_CONF_APPEND ? 0 : line,
		.action = action,
		.group = group ? dbl_strdup(group) : NULL,
		.needs_root = file_needs_root(w, file),
		.note = note ? dbl_strdup(note) : NULL,
	};
	if (flat.oom || !st.text || (file && !st.file) ||
	    (group && !st.group) || (note && !st.note))
		w->oom = true;
	push_step(w, &st, flat.data);
	dbl_buf_release(&flat);
}

/* One pg_hba.conf field as it is: config-safe, no white space or comma. */
static bool hba_field_ok(const char *s)
{
	return s && dbl_q_conf_ok(s) && !strpbrk(s, " \t,");
}

void dbl_fix_hba_method(struct dbl_fixw *w, const struct dbl_hba_rule *h,
			const char *to)
{
	const char *fields[] = {h->type, h->database, h->user, h->address,
				h->method};
	for (size_t i = 0; i < 5; i++)
		if ((fields[i] || i != 3) && !hba_field_ok(fields[i])) {
			dbl_fix_refuse(w, "pg_hba.conf line",
				       fields[i] ? fields[i] : "");
			return;
		}
	if (!hba_field_ok(to)) {
		dbl_fix_refuse(w, "pg_hba.conf method", to);
		return;
	}
	/* The line as written, its method word replaced: the fields before
	 * it and any options after it stay. */
	struct dbl_buf b = {0};
	const char *raw = h->raw && line_ok(h->raw) ? h->raw : NULL;
	size_t ml = strlen(h->method);
	int field = 0;
	bool done = false;
	for (const char *p = raw; p && *p;) {
		size_t sp = strspn(p, " \t");
		dbl_buf_append(&b, p, sp);
		p += sp;
		size_t n = strcspn(p, " \t");
		if (!n)
			break;
		if (!done && field >= 3 && n == ml &&
		    strncmp(p, h->method, ml) == 0) {
			dbl_buf_puts(&b, to);
			done = true;
		} else {
			dbl_buf_append(&b, p, n);
		}
		field++;
		p += n;
	}
	if (!done) {
		dbl_buf_release(&b);
		b = (struct dbl_buf){0};
		dbl_buf_printf(&b, "%s %s %s ", h->type, h->database, h->user);
		if (h->address)
			dbl_buf_printf(&b, "%s ", h->address);
		dbl_buf_puts(&b, to);
	}
	if (b.oom)
		w->oom = true;
	else
		dbl_fix_conf(w, h->file ? h->file : dbl_fix_pg_hba_file(w),
			     h->line, DBL_CONF_REPLACE, NULL, b.data, NULL);
	dbl_buf_release(&b);
}

void dbl_fix_refuse(struct dbl_fixw *w, const char *kind, const char *what)
{
	dbl_fix_text(
		w,
		"dbloop leaves out the command for this: the %s '%s' holds "
		"characters (a newline, '#', a quote, a backslash, '|', "
		"'&', '$' or '`') that cannot be written safely into a "
		"config line; make the change by hand.",
		kind, what ? what : "");
}

/* The database the server named in a covered probe's message ("database
 * \"x\" does not exist", "Unknown database 'x'", "to database 'x'"). */
static bool db_from_messages(const struct dbl_fixw *w, char *out, size_t len)
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

const char *dbl_fix_db_or(struct dbl_fixw *w, const char *dflt)
{
	if ((w->fd->cls == DBL_CLASS_DATABASE_MISSING ||
	     w->fd->cls == DBL_CLASS_ACCESS_DENIED) &&
	    db_from_messages(w, w->named_db, sizeof(w->named_db)))
		return w->named_db;
	return w->d->t->database ? w->d->t->database : dflt;
}

/* An environment variable's name as discovery records a source: upper
 * case, digits and '_'. */
static bool env_source(const char *s)
{
	if (!s || !(*s >= 'A' && *s <= 'Z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

int dbl_fix_client_setting(struct dbl_fixw *w, enum dbl_target_setting set,
			   const char *key, const char *value)
{
	const struct dbl_origin *o = &w->d->t->origin[set];
	char f[512];
	int n = 0;
	if (!o->source || strcmp(o->source, "default") == 0)
		return 0;
	if (env_source(o->source)) {
		dbl_fix_text(w, "%s in the environment sets %s%s%s.", o->source,
			     key, value ? ": set it to the right value" : "",
			     value ? "" : ": unset it");
		dbl_fix_env(w, o->source, value);
		return 1;
	}
	if (dbl_source_split(o->source, f, sizeof(f), &n) && n > 0) {
		if (value && !dbl_q_conf_ok(value)) {
			dbl_fix_refuse(w, key, value);
			return 1;
		}
		char *line = value ? dbl_asprintf("%s=%s", key, value) : NULL;
		if (value && !line) {
			w->oom = true;
			return 1;
		}
		dbl_fix_text(w, "%s sets %s.", o->source, key);
		if (line)
			dbl_fix_conf(w, f, n, DBL_CONF_REPLACE, NULL, line,
				     NULL);
		else
			dbl_fix_conf(w, f, n, DBL_CONF_COMMENT_OUT, NULL, key,
				     NULL);
		free(line);
		return 1;
	}
	if (o->source[0] == '-') {
		dbl_fix_text(w, "The %s option on the command line sets %s.",
			     o->source, key);
		return 2;
	}
	dbl_fix_text(w, "The %s %s sets %s.",
		     strcmp(o->source, "DATABASE_URL") == 0 ? "variable"
							    : "connection",
		     o->source, key);
	return 2;
}

void dbl_fix_dsn_url(struct dbl_fixw *w, int port)
{
	if (is_pg(w))
		dbl_fix_url(w, "postgresql://%U@localhost:%d/%U",
			    user_or(w, "USER"), port, dbl_fix_db_or(w, "DB"));
	else
		dbl_fix_url(w, "mysql://%U@127.0.0.1:%d/%U", user_or(w, "USER"),
			    port, dbl_fix_db_or(w, "DB"));
}

void dbl_fix_dsn_port(struct dbl_fixw *w, int port)
{
	if (is_pg(w)) {
		char v[16];
		snprintf(v, sizeof(v), "%d", port);
		dbl_fix_env(w, "PGPORT", v);
		dbl_fix_url(w, "postgresql://%U@localhost:%d/%U",
			    user_or(w, "USER"), port, dbl_fix_db_or(w, "DB"));
	} else {
		dbl_fix_cmd(w, "mysql --protocol=TCP -h 127.0.0.1 -P %d -u %q",
			    port, user_or(w, "USER"));
		dbl_fix_url(w, "mysql://%U@127.0.0.1:%d/%U", user_or(w, "USER"),
			    port, dbl_fix_db_or(w, "DB"));
	}
}

bool dbl_fix_any_message_has(const struct dbl_fixw *w, const char *needle)
{
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		if ((w->fd->transports & DBL_TRANSPORT_BIT(t)) && w->d->by[t] &&
		    strstr(w->d->by[t]->r.message, needle))
			return true;
	return false;
}

void dbl_fix_msg_account(const struct dbl_fixw *w, char *user, size_t ulen,
			 char *host, size_t hlen)
{
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		if ((w->fd->transports & DBL_TRANSPORT_BIT(t)) && w->d->by[t] &&
		    dbl_mysql_msg_account(w->d->by[t]->r.message, user, ulen,
					  host, hlen))
			return;
}

static void fix_unknown(struct dbl_fixw *w)
{
	dbl_fix_text(w,
		     "dbloop could not place this failure; the evidence holds "
		     "the raw message and codes.");
	dbl_fix_cmd(w, "dbloop diagnose -v -e %q",
		    dbl_engine_name(w->d->t->engine));
}

/* The fixer of each class, per engine; a class with none gets
 * fix_unknown. */
struct fixer {
	void (*pg)(struct dbl_fixw *w);
	void (*my)(struct dbl_fixw *w);
};

#define BOTH(fn)                                                               \
	{                                                                      \
		fn, fn                                                         \
	}

static const struct fixer fixers[DBL_CLASS__COUNT] = {
	[DBL_CLASS_SERVER_NOT_RUNNING] = BOTH(dbl_fix_not_running),
	[DBL_CLASS_SOCKET_STALE] = BOTH(dbl_fix_socket_stale),
	[DBL_CLASS_WRONG_PORT] = BOTH(dbl_fix_wrong_port),
	[DBL_CLASS_SERVER_STARTING] = BOTH(dbl_fix_starting),
	[DBL_CLASS_TCP_DISABLED] = {dbl_fix_tcp_disabled_pg,
				    dbl_fix_tcp_disabled_my},
	[DBL_CLASS_SOCKET_PORT_IGNORED] = BOTH(dbl_fix_port_ignored),
	[DBL_CLASS_SOCKET_MISSING] = BOTH(dbl_fix_socket_missing),
	[DBL_CLASS_SOCKET_PERMISSION] = BOTH(dbl_fix_socket_permission),
	[DBL_CLASS_IPV6_NOT_LISTENING] = BOTH(dbl_fix_ipv6),
	[DBL_CLASS_IPV4_NOT_LISTENING] = BOTH(dbl_fix_ipv4),
	[DBL_CLASS_LOCALHOST_RESOLUTION] = BOTH(dbl_fix_localhost),
	[DBL_CLASS_ENDPOINT_MISMATCH] = BOTH(dbl_fix_endpoint),
	[DBL_CLASS_PROTOCOL_MISMATCH] = BOTH(dbl_fix_protocol),
	[DBL_CLASS_TOO_MANY_CONNECTIONS] = BOTH(dbl_fix_too_many),
	[DBL_CLASS_HOST_BLOCKED] = BOTH(dbl_fix_host_blocked),
	[DBL_CLASS_TIMEOUT] = BOTH(dbl_fix_timeout),
	[DBL_CLASS_DNS_FAILURE] = BOTH(dbl_fix_dns),
	[DBL_CLASS_HOST_NOT_ALLOWED] = {dbl_fix_host_not_allowed_pg,
					dbl_fix_host_not_allowed_my},
	[DBL_CLASS_TLS_MISMATCH] = {dbl_fix_tls_pg, dbl_fix_tls_my},
	[DBL_CLASS_AUTH_METHOD_MISMATCH] = {dbl_fix_auth_method_pg,
					    dbl_fix_auth_method_my},
	[DBL_CLASS_ACCESS_DENIED] = BOTH(dbl_fix_access_denied),
	[DBL_CLASS_ACCOUNT_UNUSABLE] = BOTH(dbl_fix_account_unusable),
	[DBL_CLASS_DATABASE_MISSING] = BOTH(dbl_fix_database_missing),
	[DBL_CLASS_CONNECTION_REFUSED] = BOTH(dbl_fix_refused),
};

static void fix_class(struct dbl_fixw *w)
{
	unsigned c = (unsigned)w->fd->cls;
	void (*fn)(struct dbl_fixw *) = NULL;
	if (dbl_fix_split(w))
		return;
	if (c < DBL_CLASS__COUNT)
		fn = is_pg(w) ? fixers[c].pg : fixers[c].my;
	(fn ? fn : fix_unknown)(w);
}

int dbl_fix_fill(struct dbl_finding *fd, const struct dbl_diag *d)
{
	struct dbl_fixw w = {.fd = fd, .d = d};
	fix_class(&w);
	if (!w.oom && !fd->fix)
		dbl_fix_text(&w, "see the evidence");
	return w.oom ? -DBL_ENOMEM : 0;
}
