/* Fixes for the findings of split.c: credentials that log in over one
 * transport and are refused over another. The password is right, so
 * none of these says to reset it: they name the other server, the
 * method, or the account that wins for the client host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixes/fixes_int.h"

/* A name fit to put between single quotes of a SQL string or a shell
 * word as it is; otherwise the placeholder. */
static const char *plain(const char *s, const char *placeholder)
{
	return s && *s && !strpbrk(s, "'\"\\`$;\n ") ? s : placeholder;
}

/* The first transport of the finding whose split has cause. */
static bool split_of_finding(const struct dbl_fixw *w, unsigned cause,
			     struct dbl_split *s, const struct dbl_result **r)
{
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++) {
		if (!(w->fd->transports & DBL_TRANSPORT_BIT(t)) || !w->d->by[t])
			continue;
		if (dbl_diag_split(w->d, (enum dbl_transport)t, s) &&
		    (s->causes & cause)) {
			*r = &w->d->by[t]->r;
			return true;
		}
	}
	return false;
}

/* A client setting that reaches the server of ok. */
static void point_at(struct dbl_fixw *w, const struct dbl_result *ok)
{
	const char *u = plain(w->d->t->user, "USER");
	const char *db = plain(dbl_fix_db_or(w, "DB"), "DB");
	int port = dbl_diag_port(w->d);
	char dir[DBL_ADDR_MAX];
	if (ok->transport == DBL_TRANSPORT_UNIX) {
		if (is_pg(w)) {
			dbl_strlcpy(dir, ok->address, sizeof(dir));
			char *slash = strrchr(dir, '/');
			if (slash && slash != dir)
				*slash = '\0';
			dbl_fix_url(w, "host=%K port=%d user=%K dbname=%K",
				    plain(dir, "/run/postgresql"), port, u, db);
		} else {
			dbl_fix_url(w, "mysql://%U@localhost/%U?socket=%P", u,
				    db, plain(ok->address, "SOCKET"));
		}
		return;
	}
	if (is_pg(w)) {
		const char *a = ok->address;
		size_t n = strlen(a);
		const char *colon = strrchr(a, ':');
		if (a[0] == '[') {
			a++;
			colon = strchr(a, ']');
		}
		if (colon)
			n = (size_t)(colon - a);
		snprintf(dir, sizeof(dir), "%.*s", (int)n, a);
		dbl_fix_url(w, "host=%K port=%d user=%K dbname=%K",
			    plain(dir, "HOST"), port, u, db);
	} else
		dbl_fix_url(w, "mysql://%U@%H/%U", u,
			    plain(ok->address, "HOST"), db);
}

static void fix_endpoint(struct dbl_fixw *w, const struct dbl_result *r,
			 const struct dbl_split *s)
{
	const struct dbl_listener *l = s->owner_here;
	char who[400] = "";
	if (l && l->pid > 0)
		snprintf(who, sizeof(who), " (process %d, %s: %.200s)", l->pid,
			 l->process, l->cmdline);
	dbl_fix_text(w,
		     "Over %s another %s server answers at '%s'%s than the one "
		     "that accepts these credentials over %s. Point the "
		     "client at that one, or stop the other instance if it is "
		     "a leftover; do not reset the password, it is right.",
		     dbl_transport_name(r->transport),
		     is_pg(w) ? "PostgreSQL" : "MySQL/MariaDB", r->address, who,
		     dbl_transport_name(s->ok->transport));
	if (l && l->pid > 0) {
		if (strcmp(l->process, "docker-proxy") == 0)
			dbl_fix_cmd(w, "docker ps --filter publish=%d",
				    dbl_diag_port(w->d));
		dbl_fix_cmd(w, "ps -o pid,user,lstart,args -p %d", l->pid);
	} else {
		dbl_fix_root_cmd(w, "ss -ltnpx | grep -E ':%d |PGSQL|mysql'",
				 dbl_diag_port(w->d));
	}
	point_at(w, s->ok);
}

static void fix_auth_pg(struct dbl_fixw *w, const struct dbl_result *r,
			const struct dbl_split *s)
{
	const char *u = plain(w->d->t->user, "USER");
	const struct dbl_hba_rule *h = s->hba_here;
	bool md5 = s->md5_secret || (s->auth_here == DBL_PG_AUTH_SASL &&
				     s->auth_there == DBL_PG_AUTH_MD5);
	if (md5) {
		dbl_fix_text(
			w,
			"The role's password is stored as MD5 and %s asks for "
			"scram-sha-256, which cannot check an MD5 secret: set "
			"the password again under password_encryption = "
			"'scram-sha-256' (md5 lines accept a SCRAM secret "
			"too), or make %s use md5.",
			dbl_transport_name(r->transport),
			h ? "that pg_hba line"
			  : "the pg_hba line of that "
			    "transport");
		/* psql's \password is a psql meta-command, neither shell nor
		 * SQL: it is a sql step whose client is psql (the step's
		 * client opens it), pasted after the SET in the same session;
		 * it asks for the password and sends only its SCRAM hash.
		 * The role is a double-quoted identifier, which \password
		 * reads as one argument. */
		dbl_fix_text(w, "In psql as postgres, after the SET, "
				"\\password (a psql meta-command) asks for "
				"the password and sends only its hash.");
		dbl_fix_sql(w, "SET password_encryption = 'scram-sha-256';");
		dbl_fix_sql(w, "\\password %I", u);
		if (h)
			dbl_fix_hba_method(w, h, "md5");
	} else {
		dbl_fix_text(w,
			     "Over %s the server applies %s%s, over %s the "
			     "method the password works with: make that line "
			     "use the same method.",
			     dbl_transport_name(r->transport),
			     h ? h->method : "another method",
			     h ? " (pg_hba.conf line)" : "",
			     dbl_transport_name(s->ok->transport));
		if (h && s->hba_there)
			dbl_fix_hba_method(w, h, s->hba_there->method);
	}
	if (h)
		dbl_fix_apply_server(w, "reload");
}

static void fix_host_my(struct dbl_fixw *w, const struct dbl_result *r,
			const struct dbl_split *s)
{
	const char *u = plain(s->user, "USER");
	const char *h = plain(s->host, "HOST");
	if (s->win_host[0]) {
		const char *wu =
			s->win_user[0] ? plain(s->win_user, "USER") : "";
		const char *wh = plain(s->win_host, "HOST");
		dbl_fix_text(
			w,
			"Over %s the server gives client host '%s' the account "
			"'%s'@'%s' (%s), the most specific match, not %s "
			"which takes this password. %s",
			dbl_transport_name(r->transport), h, wu, wh,
			s->win_plugin,
			s->ok_account ? s->ok_account : "the one that works",
			s->win_user[0]
				? "Give it the password that works (or drop "
				  "it, and the host falls through to the "
				  "next match with that one's grants)."
				: "Drop the anonymous account (clients that "
				  "relied on it then need an account of "
				  "their own).");
		if (s->win_user[0])
			dbl_fix_sql(w,
				    "ALTER USER %M@%M IDENTIFIED BY "
				    "'<password>';",
				    wu, wh);
		else
			dbl_fix_sql(w, "DROP USER ''@%M;", wh);
		return;
	}
	const char *oh = s->ok_account ? strrchr(s->ok_account, '@') : NULL;
	if (oh && strcmp(oh, "@localhost") == 0 &&
	    strcmp(h, "localhost") != 0) {
		/* The account of the socket works: give the TCP host one. */
		dbl_fix_host_not_allowed_my(w);
		dbl_fix_sql(w,
			    "SELECT User, Host, plugin FROM mysql.user WHERE "
			    "User IN (%M, '') ORDER BY Host;",
			    u);
		return;
	}
	dbl_fix_text(
		w,
		"Over %s the server matched client host '%s' to another "
		"account than %s: the most specific host wins, then a named "
		"user over the anonymous one, so a '%s'@'%s' account with "
		"another password or plugin, or an anonymous ''@'%s'%s, "
		"takes the login. Give that account the password that "
		"works, or drop it so '%s' falls through to %s (whose grants "
		"then apply).",
		dbl_transport_name(r->transport), h,
		s->ok_account ? s->ok_account : "the one that works", u, h, h,
		strcmp(h, "localhost") ? " or ''@'localhost'" : "", h,
		s->ok_account ? s->ok_account : "that account");
	dbl_fix_sql(w,
		    "SELECT User, Host, plugin FROM mysql.user WHERE User IN "
		    "(%M, '') ORDER BY Host;",
		    u);
	dbl_fix_sql(w, "ALTER USER %M@%M IDENTIFIED BY '<password>';", u, h);
}

bool dbl_fix_split(struct dbl_fixw *w)
{
	struct dbl_split s;
	const struct dbl_result *r = NULL;
	switch (w->fd->cls) {
	case DBL_CLASS_ENDPOINT_MISMATCH:
		if (!split_of_finding(w, DBL_SPLIT_ENDPOINT, &s, &r))
			return false;
		fix_endpoint(w, r, &s);
		return true;
	case DBL_CLASS_AUTH_METHOD_MISMATCH:
		if (!is_pg(w) ||
		    !split_of_finding(w, DBL_SPLIT_AUTH_METHOD, &s, &r))
			return false;
		fix_auth_pg(w, r, &s);
		return true;
	case DBL_CLASS_HOST_NOT_ALLOWED:
		if (is_pg(w) || !split_of_finding(w, DBL_SPLIT_HOST, &s, &r))
			return false;
		fix_host_my(w, r, &s);
		return true;
	default:
		return false;
	}
}
