/* Fixes: for each finding, one or two sentences and ready-to-paste
 * commands written for this machine from the facts — the file and line
 * discovery read, the service name, the real socket path or port, the
 * accounts read over a working transport. Generic advice only where no
 * fact is known, and then it says which fact would sharpen it. */
#include <stdarg.h>
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

void dbl_fix_cmd(struct dbl_fixw *w, const char *fmt, ...)
{
	struct dbl_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	dbl_vqfmt(&b, fmt, ap);
	va_end(ap);
	char *s = b.oom ? NULL : dbl_buf_detach(&b);
	dbl_buf_release(&b);
	if (!s || dbl_strlist_push(&w->fd->commands, s) < 0)
		w->oom = true;
	free(s);
}

void dbl_fix_cmd_sql(struct dbl_fixw *w, const char *runner, const char *sqlfmt,
		     ...)
{
	struct dbl_buf b = {0};
	va_list ap;
	va_start(ap, sqlfmt);
	dbl_vqfmt(&b, sqlfmt, ap);
	va_end(ap);
	if (b.oom) {
		w->oom = true;
	} else {
		struct dbl_buf c = {0};
		dbl_buf_puts(&c, runner);
		dbl_buf_puts(&c, " ");
		dbl_q_shell(&c, b.data ? b.data : "");
		char *s = c.oom ? NULL : dbl_buf_detach(&c);
		dbl_buf_release(&c);
		if (!s || dbl_strlist_push(&w->fd->commands, s) < 0)
			w->oom = true;
		free(s);
	}
	dbl_buf_release(&b);
}

void dbl_fix_sed(struct dbl_fixw *w, bool sudo, const char *script,
		 const char *file)
{
	dbl_fix_cmd(w, sudo ? "sudo sed -i %q %q" : "sed -i %q %q", script,
		    file);
}

static bool line_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return *s != '\0';
}

void dbl_fix_config(struct dbl_fixw *w, const char *line, const char *file,
		    const char *where)
{
	if (!line_ok(line) || !line_ok(file)) {
		dbl_fix_refuse(w, "config line", line);
		return;
	}
	char *s = where ? dbl_asprintf("%s   # in %s, %s", line, file, where)
			: dbl_asprintf("%s   # %s", line, file);
	if (!s || dbl_strlist_push(&w->fd->commands, s) < 0)
		w->oom = true;
	free(s);
}

void dbl_fix_bare(struct dbl_fixw *w, const char *line, const char *comment)
{
	dbl_fix_config(w, line, comment, NULL);
}

void dbl_fix_hba_method(struct dbl_fixw *w, int line, const char *from,
			const char *to, const char *file)
{
	if (!dbl_q_conf_ok(from) || !dbl_q_conf_ok(to) || strchr(from, '/') ||
	    strchr(to, '/')) {
		dbl_fix_refuse(w, "pg_hba.conf method", from);
		return;
	}
	char *script = dbl_asprintf("%ds/%s/%s/", line, from, to);
	if (!script)
		w->oom = true;
	else
		dbl_fix_sed(w, true, script, file);
	free(script);
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

void dbl_fix_dsn_port(struct dbl_fixw *w, int port)
{
	if (is_pg(w)) {
		dbl_fix_cmd(w, "export PGPORT=%d", port);
		dbl_fix_cmd(w, "postgresql://%U@localhost:%d/%U",
			    user_or(w, "USER"), port, dbl_fix_db_or(w, "DB"));
	} else {
		dbl_fix_cmd(w, "mysql --protocol=TCP -h 127.0.0.1 -P %d -u %q",
			    port, user_or(w, "USER"));
		dbl_fix_cmd(w, "mysql://%U@127.0.0.1:%d/%U", user_or(w, "USER"),
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
