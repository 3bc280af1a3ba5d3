/* MySQL/MariaDB-only fixes: skip-networking, accounts per client host
 * and their grants, require_secure_transport, socket authentication. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fixes/fixes_int.h"

void dbl_fix_tcp_disabled_my(struct dbl_fixw *w)
{
	const struct dbl_conf_value *sn =
		dbl_fix_my_conf_applies(w) ? &w->d->f->my.skip_networking
					   : &(const struct dbl_conf_value){0};
	char f[512];
	int n;
	dbl_fix_text(w,
		     "Remove skip-networking%s%s and restart the server, or "
		     "connect over the socket (host=localhost).",
		     sn->source ? " at " : "", sn->source ? sn->source : "");
	const struct dbl_listener *cmd =
		dbl_fix_server_cmdline(w, "skip-networking");
	if (!cmd)
		cmd = dbl_fix_server_cmdline(w, "skip_networking");
	if (dbl_source_split(sn->source, f, sizeof(f), &n)) {
		dbl_fix_conf(w, f, n, DBL_CONF_COMMENT_OUT, NULL,
			     "skip-networking", NULL);
	} else if (cmd) {
		dbl_fix_text(w,
			     "The server's command line (process %d) sets it: "
			     "remove --skip-networking where the server is "
			     "started.",
			     cmd->pid);
	} else if (dbl_fix_my_server_file(w)) {
		dbl_fix_my_conf_set(w, NULL, dbl_fix_my_server_file(w),
				    "skip-networking = 0");
	} else {
		/* Only the option files this machine has: those read. */
		const struct dbl_strlist *files = &w->d->f->my.files;
		dbl_fix_text(w, "dbloop found no option file that sets it%s",
			     files->n ? " (it read " : ".");
		for (size_t i = 0; i < files->n; i++)
			dbl_fix_text(w, "%s%s", files->items[i],
				     i + 1 < files->n ? "," : ").");
		dbl_fix_text(w, "See where the server is started:");
		dbl_fix_cmd(w, "ps -o pid,args -C mariadbd,mysqld");
	}
	dbl_fix_apply_server(w, "restart");
}

/* GRANT lines read over the socket, re-aimed at host. */
static void mirror_grants(struct dbl_fixw *w, const char *user,
			  const char *host)
{
	const char *g = dbl_diag_setting(w->d, "grants");
	if (!g) {
		dbl_fix_sql(w, "GRANT ALL PRIVILEGES ON %B.* TO %M@%M;",
			    dbl_fix_db_or(w, "DB"), user, host);
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
		/* The server's own SHOW GRANTS text, re-aimed: kept only when
		 * it holds no byte that could end the statement or the
		 * literal; it is written as the server printed it. */
		if (strpbrk(line, "'\"\\\n\r;#") || strstr(line, "--") ||
		    strstr(line, "/*")) {
			dbl_fix_text(w, "dbloop leaves out a GRANT line of the "
					"server's that it cannot copy safely: "
					"copy it by hand from SHOW GRANTS.");
			continue;
		}
		struct dbl_buf b = {0};
		dbl_buf_puts(&b, line);
		dbl_qfmt(&b, " TO %M@%M;", user, host);
		char *s = b.oom ? NULL : dbl_buf_detach(&b);
		dbl_buf_release(&b);
		if (!s)
			w->oom = true;
		else
			dbl_fix_sql_text(w, s);
	}
	free(copy);
}

/* The client address the localhost probe came from: 1 for ::1 (its last
 * attempt went to [::1]), 0 for 127.0.0.1. */
static int localhost_family(const struct dbl_fixw *w)
{
	const struct dbl_probe_report *p = w->d->by[DBL_TRANSPORT_LOCALHOST];
	if (!p || p->r.n_attempts <= 0)
		return 0;
	int last = p->r.n_attempts < DBL_MAX_ATTEMPTS ? p->r.n_attempts - 1
						      : DBL_MAX_ATTEMPTS - 1;
	return p->r.attempts[last].address[0] == '[' ? 1 : 0;
}

void dbl_fix_host_not_allowed_my(struct dbl_fixw *w)
{
	char user[80] = "", host[80] = "";
	const char *u = w->d->t->user ? w->d->t->user : "app";
	dbl_fix_msg_account(w, user, sizeof(user), host, sizeof(host));
	if (user[0])
		u = user;
	dbl_fix_text(
		w,
		"'%s' exists for 'localhost' (the socket) only: create it "
		"for the TCP client addresses too, with the same grants, or "
		"connect over the socket (host=localhost).",
		u);
	const char *clients[] = {"127.0.0.1", "::1"};
	for (int i = 0; i < 2; i++) {
		enum dbl_transport t =
			i ? DBL_TRANSPORT_TCP6 : DBL_TRANSPORT_TCP4;
		const struct dbl_probe_report *own = w->d->by[t];
		if (own && own->cls == DBL_CLASS_OK)
			continue; /* that client address logs in already */
		if (!(w->fd->transports & DBL_TRANSPORT_BIT(t)) &&
		    !((w->fd->transports &
		       DBL_TRANSPORT_BIT(DBL_TRANSPORT_LOCALHOST)) &&
		      localhost_family(w) == i))
			continue;
		dbl_fix_sql(w, "CREATE USER %M@%M IDENTIFIED BY '<password>';",
			    u, clients[i]);
		mirror_grants(w, u, clients[i]);
	}
}

/* Where TLS lines go on this machine: a new 99-tls.cnf in the
 * !includedir directory of the server's option file (Debian's
 * mariadb.conf.d/, Red Hat's my.cnf.d/, the images' conf.d/), else that
 * file itself; "" when no option file is known. */
static void tls_file(const struct dbl_fixw *w, char *out, size_t len)
{
	const char *sf = dbl_fix_my_server_file(w);
	const char *slash = sf ? strrchr(sf, '/') : NULL;
	out[0] = '\0';
	if (!slash)
		return;
	if (slash - sf > 2 && strncmp(slash - 2, ".d", 2) == 0)
		snprintf(out, len, "%.*s/99-tls.cnf", (int)(slash - sf), sf);
	else
		snprintf(out, len, "%s", sf);
}

void dbl_fix_tls_my(struct dbl_fixw *w)
{
	const struct dbl_conf_value *rst =
		&w->d->f->my.require_secure_transport;
	if (dbl_setting_is_on(
		    dbl_diag_setting(w->d, "@@require_secure_transport")) ||
	    dbl_setting_is_on(rst->value)) {
		const char *have = dbl_diag_setting(w->d, "@@have_ssl");
		if (have && strcasecmp(have, "YES") != 0) {
			dbl_fix_text(
				w,
				"The server requires secure transport%s%s but "
				"has no TLS configured (have_ssl=%s): connect "
				"over the Unix socket, or give the server "
				"ssl_cert and ssl_key.",
				rst->source ? " at " : "",
				rst->source ? rst->source : "", have);
			dbl_fix_url(w, "mysql://%U@localhost/%U?socket=%P",
				    user_or(w, "USER"), dbl_fix_db_or(w, "DB"),
				    w->d->by[DBL_TRANSPORT_UNIX]
					    ? w->d->by[DBL_TRANSPORT_UNIX]
						      ->r.address
					    : "/run/mysqld/mysqld.sock");
			char tls[600];
			tls_file(w, tls, sizeof(tls));
			/* the certificates next to the option files:
			 * /etc/mysql/ on Debian and in the images, the
			 * option directory elsewhere */
			char dir[600], line[700];
			const char *slash = strrchr(tls, '/');
			if (strncmp(tls, "/etc/mysql/", 11) == 0 || !slash)
				snprintf(dir, sizeof(dir), "/etc/mysql");
			else
				snprintf(dir, sizeof(dir), "%.*s",
					 (int)(slash - tls), tls);
			if (!dbl_q_conf_ok(dir)) {
				dbl_fix_refuse(w, "directory", dir);
				return;
			}
			snprintf(line, sizeof(line),
				 "ssl_cert = %s/server-cert.pem", dir);
			dbl_fix_conf(w, tls[0] ? tls : NULL, 0, DBL_CONF_APPEND,
				     "mysqld", line, NULL);
			snprintf(line, sizeof(line),
				 "ssl_key = %s/server-key.pem", dir);
			dbl_fix_conf(w, tls[0] ? tls : NULL, 0, DBL_CONF_APPEND,
				     "mysqld", line, NULL);
			return;
		}
		dbl_fix_text(
			w,
			"The server has require_secure_transport=ON%s%s (its "
			"1045 never says so): use TLS in the client, or the "
			"Unix socket, which counts as secure.",
			rst->source ? " at " : "",
			rst->source ? rst->source : "");
		dbl_fix_cmd(w, "mysql --ssl -h 127.0.0.1 -P %d -u %q",
			    dbl_diag_port(w->d), user_or(w, "USER"));
		dbl_fix_url(w, "mysql://%U@127.0.0.1:%d/%U?ssl-mode=REQUIRED",
			    user_or(w, "USER"), dbl_diag_port(w->d),
			    dbl_fix_db_or(w, "DB"));
		return;
	}
	dbl_fix_text(
		w, "The TLS handshake failed: check the client's ssl-mode and "
		   "CA against the server's certificate, or have the server "
		   "offer TLS (ssl_cert/ssl_key).");
	dbl_fix_sql(w, "SHOW VARIABLES LIKE 'have_ssl';");
}

void dbl_fix_auth_method_my(struct dbl_fixw *w)
{
	char user[80] = "", host[80] = "localhost";
	dbl_fix_msg_account(w, user, sizeof(user), host, sizeof(host));
	const char *u = user[0] ? user : user_or(w, "root");
	dbl_fix_text(
		w,
		"'%s'@'%s' authenticates with unix_socket (the OS user "
		"must match) or a plugin the client lacks: use a dedicated "
		"account with a password, or log in as that OS user over "
		"the socket.",
		u, host);
	/* Plain SQL lines, like the other account steps: run them as root
	 * (sudo mariadb). */
	dbl_fix_sql(w, "CREATE USER 'app'@'localhost' IDENTIFIED BY "
		       "'<password>';");
	dbl_fix_sql(w, "GRANT ALL ON %B.* TO 'app'@'localhost';",
		    dbl_fix_db_or(w, "DB"));
	dbl_fix_sql(w,
		    "ALTER USER %M@%M IDENTIFIED VIA unix_socket OR "
		    "mysql_native_password USING PASSWORD('<password>');",
		    u, host);
}
