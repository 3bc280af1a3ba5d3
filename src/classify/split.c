/* Same credentials, different answers: a probe refused for its
 * credentials while another transport of the same target logged in with
 * them (issue 13). The transport that logged in proved the password, so
 * the refusal is about where the other one arrived or how it was asked:
 * another server instance (endpoint_mismatch), another authentication
 * method on the same server (auth_method_mismatch), or, on MySQL/MariaDB,
 * another account chosen by the client host (host_not_allowed). Pure: the
 * probes' own facts and the discovery facts only. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "classify/view.h"

/* Refused for the credentials: 28P01 / "password authentication failed"
 * on PostgreSQL, 1045 or 1698 on MySQL/MariaDB, at the auth stage. */
static bool refused_credentials(const struct dbl_result *r)
{
	if (r->ok || r->stage != DBL_STAGE_AUTH)
		return false;
	if (r->engine == DBL_ENGINE_POSTGRES) {
		const char *st = r->sqlstate[0] ? r->sqlstate : r->pg.sqlstate;
		return strcmp(st, "28P01") == 0 ||
		       strstr(r->message, "password authentication failed");
	}
	int code = r->server_error ? r->server_error : r->wrapped_error;
	return code == 1045 || code == 1698;
}

/* The MySQL account a probe logged in as ("app@localhost"), or NULL. */
static const char *current_account(const struct dbl_result *r)
{
	const char *cu = dbl_result_setting(r, "current_user");
	return cu && *cu ? cu : NULL;
}

/* A login that proved the password: PostgreSQL asked for one (the
 * authentication request libpq met, or dbloop's look after the login);
 * MySQL/MariaDB unless the account authenticates by the OS user
 * (unix_socket over the socket: root@localhost on Debian). */
static bool proves_password(const struct dbl_result *ok,
			    const struct dbl_target *t)
{
	if (!ok->ok || ok->max_stage < DBL_STAGE_AUTH)
		return false;
	if (ok->engine == DBL_ENGINE_POSTGRES)
		return ok->pg.auth_request == DBL_PG_AUTH_MD5 ||
		       ok->pg.auth_request == DBL_PG_AUTH_SASL ||
		       ok->pg.auth_request == DBL_PG_AUTH_CLEARTEXT;
	if (t && !t->password)
		return false;
	if (ok->transport != DBL_TRANSPORT_UNIX)
		return true;
	const char *cu = current_account(ok);
	const char *g = dbl_result_setting(ok, "grants");
	if (g && (strstr(g, "unix_socket") || strstr(g, "auth_socket")))
		return false;
	return !(cu && strcmp(cu, "root@localhost") == 0);
}

/* The numeric address a TCP probe reached ("127.0.0.1", "::1"), from its
 * last attempt; "" for the socket or when unknown. */
static void probe_ip(const struct dbl_result *r, char *out, size_t len)
{
	out[0] = '\0';
	if (r->transport == DBL_TRANSPORT_UNIX)
		return;
	const char *a = r->n_attempts > 0
				? r->attempts[r->n_attempts - 1].address
				: r->address;
	size_t n;
	if (a[0] == '[') {
		const char *e = strchr(a, ']');
		if (!e)
			return;
		a++;
		n = (size_t)(e - a);
	} else {
		const char *colon = strrchr(a, ':');
		n = colon ? (size_t)(colon - a) : strlen(a);
	}
	if (n < len) {
		memcpy(out, a, n);
		out[n] = '\0';
	}
	unsigned char b[16];
	if (inet_pton(AF_INET, out, b) != 1 && inet_pton(AF_INET6, out, b) != 1)
		out[0] = '\0';
}

static int probe_port(const struct dbl_result *r)
{
	const char *a = r->n_attempts > 0
				? r->attempts[r->n_attempts - 1].address
				: r->address;
	const char *colon = strrchr(a, ':');
	if (r->transport == DBL_TRANSPORT_UNIX) {
		const char *p = strstr(a, ".s.PGSQL.");
		return p ? atoi(p + 9) : 0;
	}
	return colon ? atoi(colon + 1) : 0;
}

/* Whether one entry of listen_addresses / bind_address covers ip: 1 yes,
 * 0 no, -1 cannot tell (a host name other than localhost). */
static int entry_covers(const char *e, size_t n, const char *ip, bool mysql)
{
	char v[80];
	if (n == 0 || n >= sizeof(v))
		return -1;
	memcpy(v, e, n);
	v[n] = '\0';
	bool v6 = strchr(ip, ':') != NULL;
	unsigned char b[16];
	if (strcmp(v, "*") == 0)
		return 1;
	if (strcmp(v, "0.0.0.0") == 0)
		return !v6;
	if (strcmp(v, "::") ==
	    0) /* MySQL binds it dual-stack, PostgreSQL v6 only */
		return v6 || mysql;
	if (strcasecmp(v, "localhost") == 0)
		return strcmp(ip, "127.0.0.1") == 0 || strcmp(ip, "::1") == 0;
	if (inet_pton(AF_INET, v, b) == 1 || inet_pton(AF_INET6, v, b) == 1) {
		unsigned char a[16];
		int fam = strchr(v, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(fam, ip, a) != 1)
			return 0;
		return memcmp(a, b, fam == AF_INET ? 4 : 16) == 0;
	}
	return -1;
}

/* 1 when the list (comma or space separated) covers ip, 0 when it names
 * addresses and none covers it, -1 when it cannot tell. */
static int list_covers(const char *list, const char *ip, bool mysql)
{
	int unknown = 0, any = 0;
	for (const char *p = list; *p;) {
		p += strspn(p, ", ");
		size_t n = strcspn(p, ", ");
		if (!n)
			break;
		int c = entry_covers(p, n, ip, mysql);
		any = 1;
		if (c == 1)
			return 1;
		if (c < 0)
			unknown = 1;
		p += n;
	}
	return any && !unknown ? 0 : -1;
}

/* The server that logged in says it does not listen where r arrived, so
 * something else answered there. Writes what it said into why. */
static bool outside_listen(const struct dbl_result *r,
			   const struct dbl_result *ok, char *why, size_t len)
{
	bool mysql = r->engine == DBL_ENGINE_MYSQL;
	char ip[64];
	probe_ip(r, ip, sizeof(ip));
	const char *name = mysql ? "@@bind_address" : "listen_addresses";
	const char *v = dbl_result_setting(ok, name);
	if (ip[0] && v && *v && list_covers(v, ip, mysql) == 0) {
		snprintf(why, len, "%s = '%s'", name, v);
		return true;
	}
	const char *pn = mysql ? "@@port" : "port";
	const char *p = dbl_result_setting(ok, pn);
	int rp = probe_port(r);
	if (p && atoi(p) > 0 && rp > 0 && atoi(p) != rp) {
		snprintf(why, len, "%s = '%s'", pn, p);
		return true;
	}
	if (r->transport == DBL_TRANSPORT_UNIX && mysql) {
		const char *s = dbl_result_setting(ok, "@@socket");
		if (s && *s && strcmp(s, r->address) != 0) {
			snprintf(why, len, "@@socket = '%s'", s);
			return true;
		}
	}
	return false;
}

/* The listener of this machine r reached (its address and port, or its
 * socket path), NULL when discovery did not see it. */
static const struct dbl_listener *listener_of(const struct dbl_result *r,
					      const struct dbl_facts *f)
{
	char ip[64];
	probe_ip(r, ip, sizeof(ip));
	int port = probe_port(r);
	const struct dbl_listener *wild = NULL;
	for (size_t i = 0; f && i < f->n_listeners; i++) {
		const struct dbl_listener *l = &f->listeners[i];
		if (r->transport == DBL_TRANSPORT_UNIX) {
			if (l->family == AF_UNIX &&
			    strcmp(l->path, r->address) == 0)
				return l;
			continue;
		}
		if (l->family == AF_UNIX || l->port != port || !ip[0])
			continue;
		if ((l->family == AF_INET6) != (strchr(ip, ':') != NULL))
			continue;
		if (strcmp(l->address, ip) == 0)
			return l;
		if (strcmp(l->address, "0.0.0.0") == 0 ||
		    strcmp(l->address, "::") == 0)
			wild = l;
	}
	return wild;
}

/* The host part of "user@host" (the last '@'). */
static const char *account_host(const char *acct)
{
	const char *at = acct ? strrchr(acct, '@') : NULL;
	return at ? at + 1 : NULL;
}

static void find_endpoint(struct dbl_split *s, const struct dbl_result *r,
			  const struct dbl_facts *f)
{
	const struct dbl_result *ok = s->ok;
	if (r->pg.scram_salt[0] && ok->pg.scram_salt[0] &&
	    (strcmp(r->pg.scram_salt, ok->pg.scram_salt) != 0 ||
	     r->pg.scram_iterations != ok->pg.scram_iterations))
		s->salt_differs = true;
	if (outside_listen(r, ok, s->listen_said, sizeof(s->listen_said)))
		s->outside_listen = true;
	if (r->mysql.seen && r->mysql.server_version[0] && ok->version[0] &&
	    strcmp(r->mysql.server_version, ok->version) != 0)
		s->version_differs = true;
	s->owner_here = listener_of(r, f);
	s->owner_there = listener_of(ok, f);
	if (s->owner_here && s->owner_there && s->owner_here->pid > 0 &&
	    s->owner_there->pid > 0 &&
	    s->owner_here->pid != s->owner_there->pid)
		s->owners_differ = true;
	if (s->salt_differs || s->outside_listen || s->version_differs ||
	    s->owners_differ)
		s->causes |= DBL_SPLIT_ENDPOINT;
}

static void find_auth_method(struct dbl_split *s, const struct dbl_result *r,
			     const struct dbl_target *t,
			     const struct dbl_facts *f)
{
	const struct dbl_result *ok = s->ok;
	if (r->engine == DBL_ENGINE_MYSQL) {
		int code = r->server_error ? r->server_error : r->wrapped_error;
		if (code ==
		    1698) /* the account's plugin refused, not its password */
			s->causes |= DBL_SPLIT_AUTH_METHOD;
		return;
	}
	s->auth_here = r->pg.auth_request;
	s->auth_there = ok->pg.auth_request;
	char user[128] = "", ip_here[64], ip_there[64];
	const char *u = t && t->user ? t->user : NULL;
	const char *m = strstr(r->message, "for user \"");
	if (!u && m && dbl_copy_until_quote(m + 10, '"', user, sizeof(user)))
		u = user;
	if (f && f->pg.n_hba > 0 && u) {
		const char *db = t ? t->database : NULL;
		probe_ip(r, ip_here, sizeof(ip_here));
		probe_ip(ok, ip_there, sizeof(ip_there));
		s->hba_here = dbl_hba_match(&f->pg, r->transport,
					    ip_here[0] ? ip_here : NULL, u, db,
					    r->tls_used);
		s->hba_there = dbl_hba_match(&f->pg, ok->transport,
					     ip_there[0] ? ip_there : NULL, u,
					     db, ok->tls_used);
	}
	const char *pe = dbl_result_setting(ok, "password_encryption");
	s->md5_secret = pe && strcmp(pe, "md5") == 0 &&
			s->auth_here == DBL_PG_AUTH_SASL &&
			s->auth_there == DBL_PG_AUTH_MD5;
	if (s->causes & DBL_SPLIT_ENDPOINT)
		return; /* two servers: their methods are not comparable */
	if (s->auth_here > DBL_PG_AUTH_OK && s->auth_there > DBL_PG_AUTH_OK &&
	    s->auth_here != s->auth_there)
		s->causes |= DBL_SPLIT_AUTH_METHOD;
	if (s->hba_here && s->hba_there &&
	    strcmp(s->hba_here->method, s->hba_there->method) != 0)
		s->causes |= DBL_SPLIT_AUTH_METHOD;
}

/* The rank of an account row for a client host, as the server sorts
 * them: an exact host before '%', a named user before the anonymous one;
 * 0 when it does not match (other wildcards: not judged). */
static int account_rank(const char *user, const char *host, const char *want,
			const char *client)
{
	if (*user && strcmp(user, want) != 0)
		return 0;
	int named = *user ? 1 : 0;
	if (strcmp(host, client) == 0)
		return 3 + named;
	if (strcmp(host, "%") == 0)
		return 1 + named;
	return 0;
}

/* From "app@localhost unix_socket, app@% mysql_native_password, @localhost
 * mysql_native_password": the row that wins for user from client. */
static void find_winner(struct dbl_split *s, const char *want)
{
	int best = 0;
	for (const char *p = s->accounts; p && *p;) {
		size_t n = strcspn(p, ",");
		char row[256], user[80], host[80], plugin[64] = "";
		if (n < sizeof(row)) {
			memcpy(row, p, n);
			row[n] = '\0';
			char *at = strrchr(row, '@'),
			     *sp = at ? strchr(at, ' ') : NULL;
			if (at && sp && (size_t)(at - row) < sizeof(user) &&
			    (size_t)(sp - at - 1) < sizeof(host)) {
				snprintf(user, sizeof(user), "%.*s",
					 (int)(at - row), row);
				snprintf(host, sizeof(host), "%.*s",
					 (int)(sp - at - 1), at + 1);
				snprintf(plugin, sizeof(plugin), "%s", sp + 1);
				int rank =
					account_rank(user, host, want, s->host);
				if (rank > best) {
					best = rank;
					dbl_strlcpy(s->win_user, user,
						    sizeof(s->win_user));
					dbl_strlcpy(s->win_host, host,
						    sizeof(s->win_host));
					dbl_strlcpy(s->win_plugin, plugin,
						    sizeof(s->win_plugin));
				}
			}
		}
		p += n;
		p += strspn(p, ", ");
	}
}

/* MySQL/MariaDB: the account the server picked for r's client host is
 * not the one the working transport logged in as. */
static void find_host(struct dbl_split *s, const struct dbl_result *r)
{
	if (r->engine != DBL_ENGINE_MYSQL || (s->causes & DBL_SPLIT_ENDPOINT))
		return;
	if (!dbl_mysql_msg_account(r->message, s->user, sizeof(s->user),
				   s->host, sizeof(s->host)))
		return;
	s->ok_account = current_account(s->ok);
	const char *there = account_host(s->ok_account);
	if (!there) /* CURRENT_USER() not read: the client host it came from */
		there = s->ok->transport == DBL_TRANSPORT_UNIX ? "localhost"
							       : NULL;
	if (there && strcmp(there, s->host) != 0)
		s->causes |= DBL_SPLIT_HOST;
	s->accounts = dbl_result_setting(s->ok, "accounts");
	/* Loopback TCP clients also match 'localhost' unless names are not
	 * resolved: then the ranking here is not the server's. */
	const char *snr = dbl_result_setting(s->ok, "@@skip_name_resolve");
	if (s->accounts &&
	    (strcmp(s->host, "localhost") == 0 || dbl_setting_is_on(snr)))
		find_winner(s, s->user);
}

/* The ok probe to compare with: one that logged in with the password,
 * a TCP one for a TCP probe (its account is the one a TCP client host
 * would fall to), and one with a SCRAM salt where there is one. */
static const struct dbl_result *pick_ok(const struct dbl_result *r,
					const struct dbl_result *all, size_t n,
					const struct dbl_target *t)
{
	const struct dbl_result *best = NULL;
	for (size_t i = 0; all && i < n; i++) {
		const struct dbl_result *o = &all[i];
		if (o == r || o->target_index != r->target_index ||
		    !proves_password(o, t))
			continue;
		bool same = dbl_transport_is_tcp(o->transport) ==
			    dbl_transport_is_tcp(r->transport);
		bool best_same =
			best && dbl_transport_is_tcp(best->transport) ==
					dbl_transport_is_tcp(r->transport);
		if (!best || (same && !best_same) ||
		    (same == best_same && o->pg.scram_salt[0] &&
		     !best->pg.scram_salt[0]))
			best = o;
	}
	return best;
}

bool dbl_split_of(const struct dbl_result *r, const struct dbl_result *all,
		  size_t n, const struct dbl_target *t,
		  const struct dbl_facts *f, struct dbl_split *s)
{
	memset(s, 0, sizeof(*s));
	if (!refused_credentials(r))
		return false;
	s->ok = pick_ok(r, all, n, t);
	if (!s->ok)
		return false;
	find_endpoint(s, r, f);
	find_auth_method(s, r, t, f);
	find_host(s, r);
	return true;
}

enum dbl_class dbl_split_class(const struct dbl_split *s, enum dbl_class dflt)
{
	if (s->causes & DBL_SPLIT_ENDPOINT)
		return DBL_CLASS_ENDPOINT_MISMATCH;
	/* Another account first: its plugin is why it refuses, but the
	 * account is what the client did not mean to use. */
	if (s->causes & DBL_SPLIT_HOST)
		return DBL_CLASS_HOST_NOT_ALLOWED;
	if (s->causes & DBL_SPLIT_AUTH_METHOD)
		return DBL_CLASS_AUTH_METHOD_MISMATCH;
	return dflt;
}

bool dbl_diag_split(const struct dbl_diag *d, enum dbl_transport tr,
		    struct dbl_split *s)
{
	memset(s, 0, sizeof(*s));
	if ((int)tr < 0 || tr >= DBL_TRANSPORT__COUNT || !d->by[tr])
		return false;
	struct dbl_result *all = calloc(DBL_TRANSPORT__COUNT, sizeof(*all));
	if (!all)
		return false;
	size_t n = 0, me = 0;
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++) {
		if (!d->by[t])
			continue;
		if (t == (int)tr)
			me = n;
		all[n++] = d->by[t]->r;
	}
	bool found = dbl_split_of(&all[me], all, n, d->t, d->f, s);
	/* s->ok points into all: re-point it at the probe it copied. */
	if (found) {
		s->ok = &d->by[s->ok->transport]->r;
		s->ok_account = s->ok_account ? current_account(s->ok) : NULL;
		s->accounts = s->accounts
				      ? dbl_result_setting(s->ok, "accounts")
				      : NULL;
	}
	free(all);
	return found;
}
