/* Fixes for reaching the server: is it running, is it starting, which
 * port and which address families it listens on, what answers instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixes/fixes_int.h"

/* The database as another compose service: its host in place of
 * localhost, as a variable and a DSN. */
static void service_host_commands(struct dbl_fixw *w, const char *host,
				  int port)
{
	int p = port > 0 ? port : dbl_diag_port(w->d);
	if (is_pg(w)) {
		char v[16];
		snprintf(v, sizeof(v), "%d", p);
		dbl_fix_env(w, "PGHOST", host);
		dbl_fix_env(w, "PGPORT", v);
		dbl_fix_url(w, "postgresql://%U@%H:%d/%U", user_or(w, "USER"),
			    host, p, dbl_fix_db_or(w, "DB"));
	} else {
		dbl_fix_cmd(w, "mysql -h %q -P %d -u %q", host, p,
			    user_or(w, "USER"));
		dbl_fix_url(w, "mysql://%U@%H:%d/%U", user_or(w, "USER"), host,
			    p, dbl_fix_db_or(w, "DB"));
	}
	dbl_fix_cmd(w,
		    "dbloop diagnose -e %q --host %q --port %d   # to confirm",
		    dbl_engine_name(w->d->t->engine), host, p);
}

static void say_start(struct dbl_fixw *w)
{
	dbl_fix_text(
		w, "Start the %s server; if it stops again, its log says why.",
		is_pg(w) ? "PostgreSQL" : "MySQL/MariaDB");
}

/* Inside a container localhost is the container: when the environment
 * names the database's host, that first; else starting the server, and
 * the service name as the other way. */
static void fix_container_localhost(struct dbl_fixw *w)
{
	char host[256], from[64];
	int port;
	if (dbl_diag_service_host(w->d, host, sizeof(host), &port, from,
				  sizeof(from))) {
		dbl_fix_text(
			w,
			"Inside a container, localhost is the container "
			"itself: reach the database by its compose service "
			"name, host %s (from %s), instead of localhost.",
			host, from);
		service_host_commands(w, host, port);
		dbl_fix_text(w, "Only if the server is meant to run in this "
				"container, start it.");
		return;
	}
	say_start(w);
	dbl_fix_text(w,
		     "If the database runs in another container, localhost is "
		     "this container itself: use that container's compose "
		     "service name (its key under services: in compose.yaml) "
		     "as the host; with DATABASE_URL set, dbloop names it.");
}

/* Whether dir is one of the comma-separated directories of list. */
static bool dir_listed(const char *list, const char *dir, size_t dir_len)
{
	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ",");
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == dir_len && strncmp(p, dir, n) == 0)
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

/* The server this machine's configuration describes listens on another
 * port, or puts its socket elsewhere, than the client asks for: starting
 * it will not make the client connect. Only from a configuration file
 * discovery read, and only where the file sets (or defaults) the value. */
static void note_configured_elsewhere(struct dbl_fixw *w)
{
	const struct dbl_facts *f = w->d->f;
	bool pg = is_pg(w);
	const struct dbl_conf_value *port = pg ? &f->pg.port : &f->my.port;
	if (!(pg ? f->pg.conf_file : f->my.conf_file))
		return;
	int conf_port = port->value ? atoi(port->value) : pg ? 5432 : 3306;
	int asked = dbl_diag_port(w->d);
	const char *sock = w->d->t->socket_path;
	const char *slash = sock ? strrchr(sock, '/') : NULL;
	bool sock_differs = false;
	char conf_sock[512] = "";
	const char *sock_source = NULL;
	if (pg && slash && f->pg.unix_socket_directories.value) {
		sock_differs = !dir_listed(f->pg.unix_socket_directories.value,
					   sock, (size_t)(slash - sock));
		dbl_strlcpy(conf_sock, f->pg.unix_socket_directories.value,
			    sizeof(conf_sock));
		sock_source = f->pg.unix_socket_directories.source;
	} else if (!pg && sock && f->my.socket.value) {
		sock_differs = strcmp(sock, f->my.socket.value) != 0;
		dbl_strlcpy(conf_sock, f->my.socket.value, sizeof(conf_sock));
		sock_source = f->my.socket.source;
	}
	if (conf_port > 0 && conf_port != asked)
		dbl_fix_text(
			w,
			"The server configured here listens on port %d "
			"(%s), not on %d, the port asked for: once it runs, "
			"point the client at %d, or set port = %d in its "
			"configuration.",
			conf_port,
			port->source ? port->source
				     : "no port line: the default",
			asked, conf_port, asked);
	if (sock_differs && pg)
		dbl_fix_text(w,
			     "Its socket directory is configured as '%s' (%s), "
			     "not the directory of %s, where the client looks.",
			     conf_sock, sock_source ? sock_source : "default",
			     sock);
	else if (sock_differs)
		dbl_fix_text(w,
			     "Its socket is configured as %s (%s), not %s, "
			     "where the client looks.",
			     conf_sock, sock_source ? sock_source : "default",
			     sock);
}

void dbl_fix_not_running(struct dbl_fixw *w)
{
	if (dbl_diag_local_in_container(w->d))
		fix_container_localhost(w);
	else
		say_start(w);
	note_configured_elsewhere(w);
	dbl_fix_apply_server(w, "start");
	char unit[96];
	bool journal = w->d->f->host.init != DBL_INIT_OTHER;
	if (journal && is_pg(w) && dbl_fix_pg_unit(w, unit, sizeof(unit)))
		dbl_fix_cmd(w, "journalctl -u %q -n 50 --no-pager", unit);
	else if (journal && is_pg(w) && w->d->f->pg.unit)
		dbl_fix_cmd(w, "journalctl -u %q -n 50 --no-pager",
			    w->d->f->pg.unit);
	else if (journal && !is_pg(w) && dbl_fix_my_service(w))
		dbl_fix_cmd(w, "journalctl -u %q -n 50 --no-pager",
			    dbl_fix_my_service(w));
	if (!dbl_fix_pg_data_dir(w) && is_pg(w) && !w->d->f->host.in_container)
		dbl_fix_text(
			w, "dbloop found no data directory; with the server's "
			   "configuration file it names the cluster to start.");
}

void dbl_fix_wrong_port(struct dbl_fixw *w)
{
	int other = dbl_diag_other_port(w->d);
	const struct dbl_origin *o = &w->d->t->origin[DBL_SET_PORT];
	dbl_fix_text(
		w, "Point the client at port %d, where the server listens%s%s.",
		other, o->source ? "; the port asked for came from " : "",
		o->source ? o->source : "");
	char v[16];
	snprintf(v, sizeof(v), "%d", other);
	if (dbl_fix_client_setting(w, DBL_SET_PORT, "port", v) == 1)
		dbl_fix_dsn_url(w, other);
	else
		dbl_fix_dsn_port(w, other);
}

void dbl_fix_starting(struct dbl_fixw *w)
{
	dbl_fix_text(w,
		     "Wait for the server to finish starting (a container's "
		     "entrypoint runs a temporary server first); if it stays "
		     "like this, its log says why (recovery, standby.signal, "
		     "shutdown).");
	dbl_fix_cmd(w, "dbloop wait -e %q --wait-timeout 60s",
		    dbl_engine_name(w->d->t->engine));
	const char *dir = dbl_fix_pg_data_dir(w);
	if (is_pg(w) && dir)
		dbl_fix_cmd(w, "cd %q && ls standby.signal recovery.signal",
			    dir);
}

/* listen_addresses / bind-address that covers both loopback families. */
static void fix_listen_both(struct dbl_fixw *w)
{
	if (is_pg(w)) {
		const char *file = dbl_fix_pg_conf_file(w);
		dbl_fix_conf_set(
			w,
			dbl_fix_pg_source(w,
					  w->d->f->pg.listen_addresses.source),
			file, "listen_addresses = '127.0.0.1,::1'");
		dbl_fix_apply_server(w, "restart");
		if (!file)
			dbl_fix_no_conf_note(w);
		return;
	}
	const struct dbl_conf_value *ba = &w->d->f->my.bind_address;
	bool mine = dbl_fix_my_conf_applies(w);
	dbl_fix_my_conf_set(w, mine ? ba->source : NULL,
			    mine ? w->d->f->my.conf_file : NULL,
			    "bind-address = 127.0.0.1,::1");
	dbl_fix_apply_server(w, "restart");
}

static const char *listen_setting(const struct dbl_fixw *w)
{
	return is_pg(w) ? "listen_addresses" : "bind-address";
}

/* The server listens on one loopback family only: add the missing one. */
static void listen_also(struct dbl_fixw *w, const char *missing,
			const char *working)
{
	dbl_fix_text(w,
		     "Make the server listen on %s as well (%s), or have "
		     "clients use %s.",
		     missing, listen_setting(w), working);
	fix_listen_both(w);
}

void dbl_fix_ipv6(struct dbl_fixw *w)
{
	if (!w->d->f->host.ipv6_loopback) {
		dbl_fix_text(
			w, "IPv6 is off on the loopback: connect to 127.0.0.1, "
			   "or enable IPv6 on lo.");
		dbl_fix_root_cmd(w,
				 "sysctl -w net.ipv6.conf.lo.disable_ipv6=0");
		return;
	}
	listen_also(w, "::1", "127.0.0.1");
}

void dbl_fix_ipv4(struct dbl_fixw *w)
{
	listen_also(w, "127.0.0.1", "::1");
}

void dbl_fix_localhost(struct dbl_fixw *w)
{
	dbl_fix_text(w,
		     "Connect to 127.0.0.1 instead of the name localhost, or "
		     "make the server listen on ::1 too (%s); Node.js 17 to 19 "
		     "try ::1 alone (20 and later, libpq, Go and JDBC go on to "
		     "127.0.0.1).",
		     listen_setting(w));
	if (is_pg(w))
		dbl_fix_url(w, "host=127.0.0.1 port=%d user=%K dbname=%K",
			    dbl_diag_port(w->d), user_or(w, "USER"),
			    dbl_fix_db_or(w, "DB"));
	else
		dbl_fix_url(w, "mysql://%U@127.0.0.1:%d/%U", user_or(w, "USER"),
			    dbl_diag_port(w->d), dbl_fix_db_or(w, "DB"));
	dbl_fix_env(w, "NODE_OPTIONS", "--dns-result-order=ipv4first");
	if (w->d->f->host.localhost_eai)
		dbl_fix_conf(w, "/etc/hosts", 0, DBL_CONF_APPEND, NULL,
			     "127.0.0.1 localhost", NULL);
	fix_listen_both(w);
}

void dbl_fix_endpoint(struct dbl_fixw *w)
{
	dbl_fix_text(w,
		     "Two different servers answer: decide which one the "
		     "application should use, then point every client at it "
		     "(explicit host and port or socket) or stop the other.");
	dbl_fix_root_cmd(w, "ss -ltnpx | grep -E ':%d |PGSQL|mysql'",
			 dbl_diag_port(w->d));
	if (dbl_fix_container_involved(w))
		dbl_fix_cmd(w, "docker ps --format '{{.Names}} {{.Ports}}'");
}

void dbl_fix_protocol(struct dbl_fixw *w)
{
	int other = dbl_diag_other_port(w->d);
	dbl_fix_text(
		w,
		"Another program owns port %d (or the socket): find it, "
		"then use the port the %s server really listens on or move "
		"one of them.",
		dbl_diag_port(w->d), is_pg(w) ? "PostgreSQL" : "MySQL");
	dbl_fix_root_cmd(w, "ss -ltnp 'sport = :%d'", dbl_diag_port(w->d));
	if (other)
		dbl_fix_dsn_port(w, other);
}

void dbl_fix_timeout(struct dbl_fixw *w)
{
	dbl_fix_text(w,
		     "Something accepts on port %d but never answers (a "
		     "firewall, a proxy with no backend, or an overloaded "
		     "server): find it.",
		     dbl_diag_port(w->d));
	dbl_fix_root_cmd(w, "ss -ltnp 'sport = :%d'", dbl_diag_port(w->d));
	dbl_fix_root_cmd(w, "nft list ruleset | grep -n %d",
			 dbl_diag_port(w->d));
}

void dbl_fix_dns(struct dbl_fixw *w)
{
	const char *h = w->d->t->host ? w->d->t->host : "HOST";
	dbl_fix_text(
		w,
		"The name '%s' does not resolve here: use the right host "
		"name (in Docker compose, the service name from a container "
		"on the same network) or an address.",
		h);
	dbl_fix_cmd(w, "getent hosts -- %q", h);
}

void dbl_fix_refused(struct dbl_fixw *w)
{
	dbl_fix_text(w,
		     "Nothing listens on port %d at that address: check where "
		     "the server listens.",
		     dbl_diag_port(w->d));
	dbl_fix_root_cmd(w, "ss -ltnp | grep -E ':%d '", dbl_diag_port(w->d));
}
