/* PostgreSQL-only fixes: listen_addresses, pg_hba.conf lines, ssl. */
#include <stdlib.h>
#include <string.h>

#include "fixes/fixes_int.h"

/* One pg_hba.conf field as it is: a config-safe value with no white space
 * or comma (the field separators). */
static bool hba_word_ok(const char *s)
{
	return dbl_q_conf_ok(s) && !strpbrk(s, " ,");
}

/* The directory of the socket that worked (the server's own
 * unix_socket_directories is hidden from non-superusers), else the
 * setting, else Debian's default. */
static const char *pg_socket_dir(const struct dbl_fixw *w, char *out,
				 size_t len)
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

void dbl_fix_tcp_disabled_pg(struct dbl_fixw *w)
{
	char dir[DBL_ADDR_MAX];
	const struct dbl_conf_value *la = &w->d->f->pg.listen_addresses;
	const char *file = dbl_fix_pg_conf_file(w);
	dbl_fix_text(w,
		     "Set listen_addresses = 'localhost' in %s and restart the "
		     "server, or connect over the socket (host=%s).",
		     file ? file : "postgresql.conf",
		     pg_socket_dir(w, dir, sizeof(dir)));
	if (la->source && strstr(la->source, "postgresql.auto.conf"))
		/* ALTER SYSTEM set it, and overrides postgresql.conf. */
		dbl_fix_sql(w, "ALTER SYSTEM SET listen_addresses = "
			       "'localhost';");
	else
		dbl_fix_conf_set(w, dbl_fix_pg_source(w, la->source), file,
				 "listen_addresses = 'localhost'");
	if (!file)
		dbl_fix_sql(w, "ALTER SYSTEM SET listen_addresses = "
			       "'localhost';");
	dbl_fix_apply_server(w, "restart");
	if (!file)
		dbl_fix_no_conf_note(w);
}

/* pg_hba: a host rule for client mirroring the first working host rule. */
static void hba_add_host_line(struct dbl_fixw *w, const char *client)
{
	const char *file = dbl_fix_pg_hba_file(w);
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
	if (tpl && !(hba_word_ok(tpl->database) && hba_word_ok(tpl->user) &&
		     hba_word_ok(tpl->method))) {
		dbl_fix_refuse(w, "pg_hba.conf line", tpl->user);
		return;
	}
	if (tpl) {
		char *line = dbl_asprintf(
			"%s %s %s %s/%s %s",
			strcmp(tpl->type, "hostssl") == 0 ? "hostssl" : "host",
			tpl->database, tpl->user, client, cidr, tpl->method);
		if (!line)
			w->oom = true;
		else
			dbl_fix_conf(w, tpl->file ? tpl->file : file, tpl->line,
				     DBL_CONF_INSERT_AFTER, NULL, line, NULL);
		free(line);
		return;
	}
	const char *u = user_or(w, "all");
	if (!hba_word_ok(u)) {
		dbl_fix_refuse(w, "user name", u);
		return;
	}
	char *line = dbl_asprintf("host all %s %s/%s scram-sha-256", u, client,
				  cidr);
	if (!line)
		w->oom = true;
	else
		dbl_fix_conf(w, file, 0, DBL_CONF_APPEND, NULL, line,
			     file ? "above any reject line"
				  : "in pg_hba.conf, above any reject line");
	free(line);
}

void dbl_fix_host_not_allowed_pg(struct dbl_fixw *w)
{
	const char *file = dbl_fix_pg_hba_file(w);
	dbl_fix_text(w,
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
	dbl_fix_apply_server(w, "reload");
	if (!w->d->f->pg.n_hba && file)
		dbl_fix_text(w,
			     "dbloop could not read %s (it is readable by the "
			     "server's account only); add the line above any "
			     "reject line.",
			     file);
	else if (!w->d->f->pg.n_hba)
		dbl_fix_text(w,
			     "dbloop could not read pg_hba.conf; with it, it "
			     "names the line to add after.");
}

void dbl_fix_tls_pg(struct dbl_fixw *w)
{
	bool server_no_ssl = false;
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		if ((w->fd->transports & DBL_TRANSPORT_BIT(t)) && w->d->by[t] &&
		    (w->d->by[t]->r.pg.ssl_answer == 'N' ||
		     strstr(w->d->by[t]->r.message, "does not support SSL")))
			server_no_ssl = true;
	if (server_no_ssl) {
		dbl_fix_text(w,
			     "The server has ssl = off but the client requires "
			     "TLS: turn ssl on (with a certificate) or use "
			     "sslmode=prefer.");
		dbl_fix_conf_set(w, w->d->f->pg.ssl.source,
				 dbl_fix_pg_conf_file(w), "ssl = on");
		dbl_fix_env(w, "PGSSLMODE", "prefer");
		return;
	}
	const char *file = dbl_fix_pg_hba_file(w);
	dbl_fix_text(
		w,
		"pg_hba.conf%s%s accepts TCP clients only over TLS "
		"(hostssl): use sslmode=require (or prefer) in the client.",
		file ? " " : "", file ? file : "");
	dbl_fix_env(w, "PGSSLMODE", "require");
	dbl_fix_url(w, "postgresql://%U@127.0.0.1:%d/%U?sslmode=require",
		    user_or(w, "USER"), dbl_diag_port(w->d),
		    dbl_fix_db_or(w, "DB"));
}

void dbl_fix_auth_method_pg(struct dbl_fixw *w)
{
	const char *user = w->d->t->user;
	const struct dbl_hba_rule *h = dbl_hba_first(w->d->f, true, "", false,
						     user, w->d->t->database);
	bool tcp_ok = w->d->ok & (DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4) |
				  DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP6));
	dbl_fix_text(w,
		     "The socket uses %s authentication (the OS user must be "
		     "the database user)%s: switch that pg_hba line to "
		     "scram-sha-256, or connect over TCP.",
		     h ? h->method : "peer",
		     tcp_ok ? ", while the password works "
			      "over TCP"
			    : "");
	if (h) {
		dbl_fix_hba_method(w, h, "scram-sha-256");
	} else if (!hba_word_ok(user_or(w, "all"))) {
		dbl_fix_refuse(w, "user name", user_or(w, "all"));
	} else {
		char *line = dbl_asprintf("local all %s scram-sha-256",
					  user_or(w, "all"));
		if (!line)
			w->oom = true;
		else
			dbl_fix_conf(w, dbl_fix_pg_hba_file(w), 0,
				     DBL_CONF_APPEND, NULL, line,
				     "before the peer line");
		free(line);
	}
	dbl_fix_apply_server(w, "reload");
	dbl_fix_url(w, "host=127.0.0.1 port=%d user=%K dbname=%K",
		    dbl_diag_port(w->d), user_or(w, "USER"),
		    dbl_fix_db_or(w, "DB"));
}
