/* Fixes for the Unix socket: stale, missing, not reachable, or used where
 * the client meant TCP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fixes/fixes_int.h"

void dbl_fix_socket_stale(struct dbl_fixw *w)
{
	const struct dbl_probe_report *u = w->d->by[DBL_TRANSPORT_UNIX];
	const char *path = u ? u->r.address : "the socket file";
	dbl_fix_text(w,
		     "The server that created '%s' is gone; start it again (it "
		     "replaces the file) after checking nothing else uses it.",
		     path);
	dbl_fix_cmd(w,
		    dbl_fix_root(w)
			    ? "ss -xlp | grep -F -- %q || rm -f -- %q"
			    : "ss -xlp | grep -F -- %q || sudo rm -f -- %q",
		    path, path);
	const char *dir = dbl_fix_pg_data_dir(w);
	if (is_pg(w) && dir)
		dbl_fix_root_cmd(w,
				 "cat -- %q/postmaster.pid   # a pid file left "
				 "by a "
				 "server that died",
				 dir);
	dbl_fix_apply_server(w, "start");
}

void dbl_fix_port_ignored(struct dbl_fixw *w)
{
	dbl_fix_text(
		w, "Ask for TCP explicitly (host 127.0.0.1 or --protocol=TCP) "
		   "so the port is used, or give the socket of the server you "
		   "mean.");
	dbl_fix_dsn_port(w, w->d->t->port);
}

/* The real socket: a listener of the engine, else the server's setting. */
static bool real_socket(struct dbl_fixw *w, char *out, size_t len)
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

void dbl_fix_socket_missing(struct dbl_fixw *w)
{
	char path[DBL_ADDR_MAX + 32];
	if (!real_socket(w, path, sizeof(path))) {
		dbl_fix_text(
			w,
			"Start the server, or point the client at the "
			"socket it creates; dbloop found no listening socket "
			"of this engine (a working TCP connection would let "
			"it read the server's socket setting).");
		dbl_fix_cmd(w, "ss -xlp | grep -E 'PGSQL|mysql'");
		return;
	}
	if (is_pg(w)) {
		char *slash = strrchr(path, '/');
		if (slash && slash != path)
			*slash = '\0';
		dbl_fix_text(w,
			     "The server's socket is in '%s': point the client "
			     "there.",
			     path);
		bool deflt = strcmp(path, "/var/run/postgresql") == 0 ||
			     strcmp(path, "/run/postgresql") == 0;
		if (dbl_fix_client_setting(
			    w, DBL_SET_HOST, "host",
			    deflt && !dbl_fix_any_message_has(w, "/run/")
				    ? NULL
				    : path) != 1)
			dbl_fix_env(w, "PGHOST", path);
		dbl_fix_url(w, "host=%K user=%K dbname=%K", path,
			    user_or(w, "USER"), dbl_fix_db_or(w, "DB"));
		return;
	}
	const char *deflt = w->d->f->mysql_default_socket;
	bool is_default = deflt && strcmp(deflt, path) == 0;
	const char *home = w->d->f->host.home;
	char mycnf[512];
	snprintf(mycnf, sizeof(mycnf), "%s/.my.cnf", home ? home : "~");
	if (!dbl_q_conf_ok(path)) {
		dbl_fix_refuse(w, "socket path", path);
	} else if (dbl_fix_client_setting(w, DBL_SET_SOCKET, "socket",
					  is_default ? NULL : path) != 1) {
		dbl_fix_text(w,
			     "The server's socket is '%s': set socket=%s under "
			     "[client] in %s.",
			     path, path, mycnf);
		char *line = dbl_asprintf("socket=%s", path);
		if (!line)
			w->oom = true;
		else
			dbl_fix_conf(w, mycnf, 0, DBL_CONF_APPEND, "client",
				     line, NULL);
		free(line);
	} else {
		dbl_fix_text(w, "The server's socket is '%s'.", path);
	}
	dbl_fix_url(w, "mysql://%U@localhost/%U?socket=%P", user_or(w, "USER"),
		    dbl_fix_db_or(w, "DB"), path);
}

void dbl_fix_socket_permission(struct dbl_fixw *w)
{
	const struct dbl_probe_report *u = w->d->by[DBL_TRANSPORT_UNIX];
	const char *path = u ? u->r.address : "/var/run/postgresql";
	dbl_fix_text(w,
		     "Let this user reach '%s' (join the group that owns its "
		     "directory, or have the server create it with wider "
		     "permissions), or connect over TCP (host=127.0.0.1).",
		     path);
	dbl_fix_cmd(w, "namei -l -- %q", path);
	dbl_fix_root_cmd(w, "usermod -aG %q \"$USER\"   # then log in again",
			 is_pg(w) ? "postgres" : "mysql");
	if (is_pg(w))
		dbl_fix_conf_set(w, NULL, dbl_fix_pg_conf_file(w),
				 "unix_socket_permissions = 0777");
}
