/* Findings: one rule table over all probes of a target plus the discovery
 * facts. The table's order is the order to fix things in: a rule explains
 * the transports no earlier rule explained, and the per-class rule at the
 * end covers every non-ok probe left, so each one is named by a finding. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "classify/view.h"

#define TCP_LOCAL                                                              \
	(DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4) |                               \
	 DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP6) |                               \
	 DBL_TRANSPORT_BIT(DBL_TRANSPORT_LOCALHOST))
#define TCP_ALL (TCP_LOCAL | DBL_TRANSPORT_BIT(DBL_TRANSPORT_HOST))
#define BIT(t) DBL_TRANSPORT_BIT(DBL_TRANSPORT_##t)

/* "tcp4, tcp6 and localhost" */
static void transports_text(struct dbl_buf *b, unsigned mask)
{
	int n = 0, total = __builtin_popcount(mask);
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++) {
		if (!(mask & DBL_TRANSPORT_BIT(t)))
			continue;
		if (n > 0)
			dbl_buf_puts(b, n == total - 1 ? " and " : ", ");
		dbl_buf_puts(b, dbl_transport_name((enum dbl_transport)t));
		n++;
	}
}

/* One sentence about what a probe saw, codes first. */
static int probe_evidence(struct dbl_finding *fd, const struct dbl_result *r,
			  enum dbl_class cls)
{
	struct dbl_buf b = {0};
	const char *en = dbl_errno_name(r->sys_errno);
	dbl_buf_printf(&b, "%s '%s': %s at %s",
		       dbl_transport_name(r->transport), r->address,
		       dbl_class_name(cls), dbl_stage_name(r->stage));
	if (en)
		dbl_buf_printf(&b, ", %s%s", en,
			       r->timed_out ? " (deadline)" : "");
	if (r->sqlstate[0] || r->pg.sqlstate[0])
		dbl_buf_printf(&b, ", SQLSTATE %s",
			       r->sqlstate[0] ? r->sqlstate : r->pg.sqlstate);
	int code = r->server_error ? r->server_error : r->mysql.error_code;
	if (code)
		dbl_buf_printf(&b, ", error %d", code);
	if (r->client_error)
		dbl_buf_printf(&b, ", client error %d", r->client_error);
	if (r->wrapped_error)
		dbl_buf_printf(&b, " wrapping %d", r->wrapped_error);
	if (r->message[0])
		dbl_buf_printf(&b, ": %.300s", r->message);
	char *s = dbl_buf_detach(&b);
	int rc = s ? dbl_strlist_push(&fd->evidence, s) : -DBL_ENOMEM;
	free(s);
	return rc;
}

/* Adds a finding over mask with a printf summary, evidence from each
 * probe it covers, and marks those transports covered. NULL on OOM. */
static struct dbl_finding *add_finding(struct dbl_diag *d, enum dbl_class cls,
				       unsigned mask, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct dbl_finding *add_finding(struct dbl_diag *d, enum dbl_class cls,
				       unsigned mask, const char *fmt, ...)
{
	struct dbl_finding *arr = realloc(
		d->findings, (d->n_findings + 1) * sizeof(*d->findings));
	if (!arr)
		return NULL;
	d->findings = arr;
	struct dbl_finding *fd = &arr[d->n_findings++];
	memset(fd, 0, sizeof(*fd));
	fd->cls = cls;
	fd->transports = mask;
	fd->severity =
		(mask & d->required & ~d->ok) ? DBL_SEV_ERROR : DBL_SEV_WARNING;
	struct dbl_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	dbl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	fd->summary = dbl_buf_detach(&b);
	if (!fd->summary)
		return NULL;
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		if ((mask & DBL_TRANSPORT_BIT(t)) && d->by[t] &&
		    probe_evidence(fd, &d->by[t]->r, d->by[t]->cls) < 0)
			return NULL;
	fd->n_probe_evidence = fd->evidence.n;
	d->covered |= mask;
	return fd;
}

static char *mask_text(unsigned mask)
{
	struct dbl_buf b = {0};
	transports_text(&b, mask);
	return b.data ? dbl_buf_detach(&b) : dbl_strdup("");
}

static const char *engine_label(const struct dbl_diag *d)
{
	return d->t->engine == DBL_ENGINE_POSTGRES ? "PostgreSQL"
						   : "MySQL/MariaDB";
}

static bool engine_has_listener(const struct dbl_diag *d)
{
	const struct dbl_listener *ls[4];
	return dbl_facts_listeners_of(d->f, (int)d->t->engine, ls, 4) > 0;
}

/* The engine answered on transport t (even if the login then failed):
 * what the TCP patterns compare against. */
static bool reached(const struct dbl_diag *d, enum dbl_transport t)
{
	const struct dbl_probe_report *p = d->by[t];
	if (!p)
		return false;
	enum dbl_protocol want = d->t->engine == DBL_ENGINE_POSTGRES
					 ? DBL_PROTO_POSTGRES
					 : DBL_PROTO_MYSQL;
	return p->cls == DBL_CLASS_OK || p->r.protocol == want ||
	       (p->r.stage >= DBL_STAGE_AUTH && !p->r.sys_errno &&
		p->cls != DBL_CLASS_PROTOCOL_MISMATCH &&
		p->cls != DBL_CLASS_TIMEOUT);
}

/* ---- the rules, in the order to fix things ---------------------------- */

static int rule_protocol(struct dbl_diag *d)
{
	unsigned m = dbl_diag_class_mask(d, DBL_CLASS_PROTOCOL_MISMATCH);
	if (!m)
		return 0;
	char *tx = mask_text(m);
	struct dbl_finding *fd = add_finding(
		d, DBL_CLASS_PROTOCOL_MISMATCH, m,
		"something other than %s answers on %s: another server owns "
		"the port or socket",
		engine_label(d), tx ? tx : "");
	free(tx);
	return fd ? 0 : -DBL_ENOMEM;
}

static bool all_unreachable(const struct dbl_diag *d, bool *stale)
{
	*stale = false;
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++) {
		if (!d->by[t])
			continue;
		enum dbl_class c = d->by[t]->cls;
		if (c == DBL_CLASS_SOCKET_STALE)
			*stale = true;
		else if (c != DBL_CLASS_CONNECTION_REFUSED &&
			 c != DBL_CLASS_SOCKET_MISSING &&
			 c != DBL_CLASS_IPV6_NOT_LISTENING)
			return false;
	}
	return d->probed != 0;
}

/* Told localhost inside a container: that is the container, and the
 * database is another service, reached by its name. */
static int push_container(struct dbl_finding *fd, const struct dbl_diag *d)
{
	if (!dbl_diag_local_in_container(d))
		return 0;
	const char *why = d->f->host.container_evidence;
	if (dbl_strlist_pushf(&fd->evidence,
			      "dbloop runs inside a container%s%s%s: "
			      "'localhost' there is the container itself, not "
			      "the host or another compose service",
			      *why ? " (" : "", why, *why ? ")" : "") < 0)
		return -DBL_ENOMEM;
	char host[256], from[64];
	int port;
	if (!dbl_diag_service_host(d, host, sizeof(host), &port, from,
				   sizeof(from)))
		return 0;
	return dbl_strlist_pushf(&fd->evidence,
				 "%s names the database host '%s', a service "
				 "reached by its name from this container",
				 from, host) < 0
		       ? -DBL_ENOMEM
		       : 0;
}

static int rule_not_running(struct dbl_diag *d)
{
	bool stale;
	char host[256], from[64];
	int port;
	if (d->ok || !all_unreachable(d, &stale) || engine_has_listener(d))
		return 0;
	struct dbl_finding *fd;
	if (stale)
		fd = add_finding(
			d, DBL_CLASS_SOCKET_STALE, d->probed,
			"the %s server is not running: its socket file "
			"was left behind and TCP is refused",
			engine_label(d));
	else if (dbl_diag_local_in_container(d) &&
		 dbl_diag_service_host(d, host, sizeof(host), &port, from,
				       sizeof(from)))
		fd = add_finding(d, DBL_CLASS_SERVER_NOT_RUNNING, d->probed,
				 "no %s server runs in this container, where "
				 "localhost is the container itself; %s names "
				 "the database host '%s'",
				 engine_label(d), from, host);
	else
		fd = add_finding(d, DBL_CLASS_SERVER_NOT_RUNNING, d->probed,
				 "the %s server is not running: no socket and "
				 "TCP refused on every address",
				 engine_label(d));
	if (fd && dbl_strlist_pushf(&fd->evidence,
				    "no listening socket of %s found on this "
				    "machine",
				    engine_label(d)) < 0)
		return -DBL_ENOMEM;
	return fd ? push_container(fd, d) : -DBL_ENOMEM;
}

/* The server reached over the socket is the one on the asked port: a
 * PostgreSQL socket is named after its port; MySQL says @@port. */
static bool socket_server_on_port(const struct dbl_diag *d)
{
	if (!reached(d, DBL_TRANSPORT_UNIX))
		return false;
	if (d->t->engine == DBL_ENGINE_POSTGRES)
		return true;
	const char *p = dbl_diag_setting(d, "@@port");
	return p && atoi(p) == dbl_diag_port(d);
}

static int rule_wrong_port(struct dbl_diag *d)
{
	if (socket_server_on_port(d))
		return 0; /* another server elsewhere is not the one asked for */
	int other = dbl_diag_other_port(d);
	unsigned m = dbl_diag_class_mask(d, DBL_CLASS_CONNECTION_REFUSED) &
		     ~d->covered;
	if (d->t->engine == DBL_ENGINE_POSTGRES)
		m |= dbl_diag_class_mask(d, DBL_CLASS_SOCKET_MISSING) &
		     ~d->covered;
	if (!other || !(m & TCP_ALL))
		return 0;
	struct dbl_finding *fd = add_finding(
		d, DBL_CLASS_WRONG_PORT, m,
		"the %s server is up on port %d, not on port %d that was asked "
		"for",
		engine_label(d), other, dbl_diag_port(d));
	if (!fd || dbl_strlist_pushf(&fd->evidence,
				     "a %s listener was found on port %d",
				     engine_label(d), other) < 0)
		return -DBL_ENOMEM;
	return 0;
}

static int push_tcp_settings(struct dbl_finding *fd, const struct dbl_diag *d);

static int rule_starting(struct dbl_diag *d)
{
	unsigned m =
		dbl_diag_class_mask(d, DBL_CLASS_SERVER_STARTING) & ~d->covered;
	if (!m)
		return 0;
	struct dbl_finding *fd =
		add_finding(d, DBL_CLASS_SERVER_STARTING, m,
			    "the %s server is up but not accepting connections "
			    "yet (starting, in recovery, shutting down, or a "
			    "container's temporary init server)",
			    engine_label(d));
	double up = dbl_diag_uptime(d);
	if (fd && up >= 0 &&
	    dbl_strlist_pushf(&fd->evidence,
			      "the server reached over the socket has been up "
			      "for %.0f s",
			      up) < 0)
		return -DBL_ENOMEM;
	if (fd && push_tcp_settings(fd, d) < 0)
		return -DBL_ENOMEM;
	return fd ? 0 : -DBL_ENOMEM;
}

/* The server's own word on TCP, read over the socket. */
static int push_tcp_settings(struct dbl_finding *fd, const struct dbl_diag *d)
{
	static const char *const names[] = {"listen_addresses",
					    "@@skip_networking",
					    "@@bind_address", "@@port", "port"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = dbl_diag_setting(d, names[i]);
		if (v && dbl_strlist_pushf(&fd->evidence,
					   "the server says %s = '%s'",
					   names[i], v) < 0)
			return -DBL_ENOMEM;
	}
	const struct dbl_conf_value *cv = d->t->engine == DBL_ENGINE_POSTGRES
						  ? &d->f->pg.listen_addresses
						  : &d->f->my.skip_networking;
	if (cv->value && cv->source &&
	    dbl_strlist_pushf(&fd->evidence, "%s sets '%s'", cv->source,
			      cv->value) < 0)
		return -DBL_ENOMEM;
	return 0;
}

static int rule_tcp_disabled(struct dbl_diag *d)
{
	unsigned tcp = d->probed & TCP_LOCAL & ~d->covered;
	unsigned refused = dbl_diag_class_mask(d, DBL_CLASS_CONNECTION_REFUSED);
	if (!reached(d, DBL_TRANSPORT_UNIX) || !tcp || (refused & tcp) != tcp)
		return 0;
	struct dbl_finding *fd = add_finding(
		d, DBL_CLASS_TCP_DISABLED, tcp,
		"the %s server accepts connections on its Unix socket only: "
		"TCP is refused on every address",
		engine_label(d));
	if (!fd)
		return -DBL_ENOMEM;
	double up = dbl_diag_uptime(d);
	if (up >= 0 && up < DBL_YOUNG_SERVER_S &&
	    dbl_strlist_pushf(&fd->evidence,
			      "the server has been up for %.0f s; a container "
			      "entrypoint's temporary init server also runs "
			      "without TCP, but then TCP opens once it is done",
			      up) < 0)
		return -DBL_ENOMEM;
	return push_tcp_settings(fd, d);
}

static int rule_socket_port_ignored(struct dbl_diag *d)
{
	if (d->t->engine != DBL_ENGINE_MYSQL || !(d->ok & BIT(UNIX)) ||
	    d->t->port <= 0 || d->t->port == 3306 ||
	    (d->t->host && strcmp(d->t->host, "localhost") != 0))
		return 0;
	/* @@port 0: skip-networking, no TCP port at all (tcp_disabled). */
	const char *p = dbl_diag_setting(d, "@@port");
	if (!p || atoi(p) <= 0 || atoi(p) == d->t->port)
		return 0;
	struct dbl_finding *fd = add_finding(
		d, DBL_CLASS_SOCKET_PORT_IGNORED, BIT(UNIX),
		"MySQL clients take host 'localhost' to mean the Unix socket, "
		"so port %d was ignored and the server on port %s answered",
		d->t->port, p);
	d->covered &= ~BIT(UNIX); /* ok: nothing to cover */
	return fd ? 0 : -DBL_ENOMEM;
}

static int push_real_sockets(struct dbl_finding *fd, const struct dbl_diag *d)
{
	const struct dbl_listener *ls[16];
	size_t n = dbl_facts_listeners_of(d->f, (int)d->t->engine, ls, 16);
	for (size_t i = 0; i < n; i++)
		if (ls[i]->family == AF_UNIX &&
		    dbl_strlist_pushf(&fd->evidence,
				      "a %s socket is listening at '%s'",
				      engine_label(d), ls[i]->path) < 0)
			return -DBL_ENOMEM;
	const char *names[] = {"unix_socket_directories", "@@socket"};
	for (size_t i = 0; i < 2; i++) {
		const char *v = dbl_diag_setting(d, names[i]);
		if (v && dbl_strlist_pushf(&fd->evidence,
					   "the server says %s = '%s'",
					   names[i], v) < 0)
			return -DBL_ENOMEM;
	}
	const struct dbl_origin *o = &d->t->origin[DBL_SET_SOCKET];
	if (o->value && o->source &&
	    dbl_strlist_pushf(&fd->evidence,
			      "the socket path '%s' came from %s", o->value,
			      o->source) < 0)
		return -DBL_ENOMEM;
	return 0;
}

static int rule_socket_missing(struct dbl_diag *d)
{
	unsigned m =
		dbl_diag_class_mask(d, DBL_CLASS_SOCKET_MISSING) & ~d->covered;
	if (!m)
		return 0;
	struct dbl_finding *fd = add_finding(
		d, DBL_CLASS_SOCKET_MISSING, m,
		"no %s socket at '%s': the client looks in the wrong place",
		engine_label(d), d->by[DBL_TRANSPORT_UNIX]->r.address);
	return fd ? push_real_sockets(fd, d) : -DBL_ENOMEM;
}

static int rule_localhost(struct dbl_diag *d)
{
	unsigned m = dbl_diag_class_mask(d, DBL_CLASS_LOCALHOST_RESOLUTION) &
		     ~d->covered;
	if (!m)
		return 0;
	struct dbl_buf addrs = {0};
	for (size_t i = 0; i < d->f->host.localhost_addrs.n; i++)
		dbl_buf_printf(&addrs, "%s%s", i ? ", " : "",
			       d->f->host.localhost_addrs.items[i]);
	struct dbl_finding *fd = add_finding(
		d, DBL_CLASS_LOCALHOST_RESOLUTION, m,
		"the name localhost resolves to an address the %s server does "
		"not listen on",
		engine_label(d));
	if (fd && addrs.data &&
	    dbl_strlist_pushf(
		    &fd->evidence,
		    "getaddrinfo(\"localhost\") gives %s, in that order",
		    addrs.data) < 0)
		fd = NULL;
	for (size_t i = 0; fd && i < d->f->host.hosts_lines.n; i++)
		if (dbl_strlist_push(&fd->evidence,
				     d->f->host.hosts_lines.items[i]) < 0)
			fd = NULL;
	dbl_buf_release(&addrs);
	return fd ? 0 : -DBL_ENOMEM;
}

/* One loopback family refused while the other works. */
static int rule_family(struct dbl_diag *d, enum dbl_transport bad,
		       enum dbl_transport good, enum dbl_class cls)
{
	const struct dbl_probe_report *p = d->by[bad];
	if (!p || (d->covered & DBL_TRANSPORT_BIT(bad)) || !reached(d, good))
		return 0;
	if (p->cls != DBL_CLASS_CONNECTION_REFUSED && p->cls != cls)
		return 0;
	struct dbl_finding *fd = add_finding(
		d, cls, DBL_TRANSPORT_BIT(bad),
		"the %s server listens on %s but not on %s", engine_label(d),
		good == DBL_TRANSPORT_TCP4 ? "127.0.0.1" : "::1",
		bad == DBL_TRANSPORT_TCP6 ? "::1" : "127.0.0.1");
	if (!fd)
		return -DBL_ENOMEM;
	if (!d->f->host.ipv6_loopback && bad == DBL_TRANSPORT_TCP6 &&
	    dbl_strlist_push(&fd->evidence,
			     "IPv6 looks disabled on the loopback") < 0)
		return -DBL_ENOMEM;
	return push_tcp_settings(fd, d);
}

static int rule_ipv6(struct dbl_diag *d)
{
	return rule_family(d, DBL_TRANSPORT_TCP6, DBL_TRANSPORT_TCP4,
			   DBL_CLASS_IPV6_NOT_LISTENING);
}

static int rule_ipv4(struct dbl_diag *d)
{
	return rule_family(d, DBL_TRANSPORT_TCP4, DBL_TRANSPORT_TCP6,
			   DBL_CLASS_IPV4_NOT_LISTENING);
}

/* ---- same credentials, different answers (split.c) ------------------- */

static const char *pg_auth_name(int code)
{
	switch (code) {
	case DBL_PG_AUTH_OK:
		return "no password (trust or peer)";
	case DBL_PG_AUTH_CLEARTEXT:
		return "a cleartext password";
	case DBL_PG_AUTH_MD5:
		return "md5";
	case DBL_PG_AUTH_SASL:
		return "scram-sha-256";
	case DBL_PG_AUTH_GSS:
		return "gss";
	default:
		return NULL;
	}
}

static int push_listener(struct dbl_finding *fd, const char *where,
			 const struct dbl_listener *l)
{
	if (!l || l->pid <= 0)
		return 0;
	return dbl_strlist_pushf(&fd->evidence,
				 "%s belongs to process %d (%s)%s%.200s", where,
				 l->pid, l->process, l->cmdline[0] ? ": " : "",
				 l->cmdline) < 0
		       ? -DBL_ENOMEM
		       : 0;
}

static int push_endpoint_evidence(struct dbl_finding *fd,
				  const struct dbl_diag *d,
				  const struct dbl_result *r,
				  const struct dbl_split *s)
{
	const char *here = dbl_transport_name(r->transport);
	const char *there = dbl_transport_name(s->ok->transport);
	if (s->salt_differs &&
	    dbl_strlist_pushf(
		    &fd->evidence,
		    "the SCRAM salt offered over %s is '%s' (%d iterations), "
		    "over %s '%s' (%d): one role on one server has one salt",
		    here, r->pg.scram_salt, r->pg.scram_iterations, there,
		    s->ok->pg.scram_salt, s->ok->pg.scram_iterations) < 0)
		return -DBL_ENOMEM;
	if (s->outside_listen &&
	    dbl_strlist_pushf(&fd->evidence,
			      "the server that logs in over %s says %s: it "
			      "does not listen at '%s'",
			      there, s->listen_said, r->address) < 0)
		return -DBL_ENOMEM;
	if (s->version_differs &&
	    dbl_strlist_pushf(&fd->evidence,
			      "the greeting over %s says version '%s', the "
			      "server over %s '%s'",
			      here, r->mysql.server_version, there,
			      s->ok->version) < 0)
		return -DBL_ENOMEM;
	if (push_listener(fd, r->address, s->owner_here) < 0 ||
	    push_listener(fd, s->ok->address, s->owner_there) < 0)
		return -DBL_ENOMEM;
	if ((!s->owner_here || s->owner_here->pid <= 0) &&
	    dbl_strlist_pushf(&fd->evidence,
			      "the process listening at '%s' could not be "
			      "read from /proc (another user's): run dbloop "
			      "as root or as the server's OS user to name it",
			      r->address) < 0)
		return -DBL_ENOMEM;
	const char *dd = dbl_result_setting(s->ok, "data_directory");
	if (!dd && d->t->engine == DBL_ENGINE_POSTGRES &&
	    dbl_strlist_pushf(&fd->evidence,
			      "data_directory is hidden from this role: a "
			      "role with pg_read_all_settings would show which "
			      "cluster answers over %s",
			      there) < 0)
		return -DBL_ENOMEM;
	if (dd &&
	    dbl_strlist_pushf(&fd->evidence, "the server over %s runs from %s",
			      there, dd) < 0)
		return -DBL_ENOMEM;
	return 0;
}

static int push_hba_line(struct dbl_finding *fd, const char *tname,
			 const struct dbl_hba_rule *h)
{
	if (!h)
		return 0;
	return dbl_strlist_pushf(&fd->evidence, "%s line %d applies to %s: %s",
				 h->file ? h->file : "pg_hba.conf", h->line,
				 tname, h->raw ? h->raw : h->method) < 0
		       ? -DBL_ENOMEM
		       : 0;
}

static int push_auth_evidence(struct dbl_finding *fd, const struct dbl_diag *d,
			      const struct dbl_result *r,
			      const struct dbl_split *s)
{
	const char *here = dbl_transport_name(r->transport);
	const char *there = dbl_transport_name(s->ok->transport);
	if (d->t->engine != DBL_ENGINE_POSTGRES)
		return dbl_strlist_pushf(
			       &fd->evidence,
			       "error 1698 over %s: the account's plugin asked "
			       "for no password (1045 says 'using password: "
			       "YES'), so it is not the password that failed",
			       here) < 0
			       ? -DBL_ENOMEM
			       : 0;
	const char *a = pg_auth_name(s->auth_here),
		   *b = pg_auth_name(s->auth_there);
	if (a && b &&
	    dbl_strlist_pushf(&fd->evidence,
			      "the server asks for %s over %s and for %s over "
			      "%s",
			      a, here, b, there) < 0)
		return -DBL_ENOMEM;
	const char *pe = dbl_result_setting(s->ok, "password_encryption");
	if (pe &&
	    dbl_strlist_pushf(&fd->evidence,
			      "the server says password_encryption = "
			      "'%s'%s",
			      pe,
			      s->md5_secret ? ": a password set under it is "
					      "stored as MD5, which a "
					      "scram-sha-256 line cannot check"
					    : "") < 0)
		return -DBL_ENOMEM;
	if (push_hba_line(fd, here, s->hba_here) < 0 ||
	    push_hba_line(fd, there, s->hba_there) < 0)
		return -DBL_ENOMEM;
	if (!s->hba_here && d->f->pg.n_hba == 0 &&
	    dbl_strlist_pushf(&fd->evidence,
			      "pg_hba.conf was not readable: as root or the "
			      "postgres OS user dbloop names the line each "
			      "transport matches") < 0)
		return -DBL_ENOMEM;
	return 0;
}

static int push_host_evidence(struct dbl_finding *fd, const struct dbl_diag *d,
			      const struct dbl_result *r,
			      const struct dbl_split *s)
{
	const char *there = dbl_transport_name(s->ok->transport);
	if (dbl_strlist_pushf(&fd->evidence,
			      "the denial over %s names '%s'@'%s'; over %s the "
			      "same credentials log in as %s%s%s",
			      dbl_transport_name(r->transport), s->user,
			      s->host, there, s->ok_account ? "'" : "",
			      s->ok_account ? s->ok_account
					    : "the account of 'localhost'",
			      s->ok_account ? "'" : "") < 0)
		return -DBL_ENOMEM;
	const char *snr = dbl_diag_setting(d, "@@skip_name_resolve");
	if (snr && dbl_strlist_pushf(
			   &fd->evidence,
			   "the server says @@skip_name_resolve = '%s'%s", snr,
			   dbl_setting_is_on(snr)
				   ? ": TCP clients are matched by address "
				     "(127.0.0.1, ::1), never as localhost"
				   : ": loopback clients are matched as "
				     "'localhost' and by address") < 0)
		return -DBL_ENOMEM;
	if (s->accounts &&
	    dbl_strlist_pushf(&fd->evidence,
			      "the server's accounts of '%s' and "
			      "the anonymous user: %s",
			      s->user, s->accounts) < 0)
		return -DBL_ENOMEM;
	if (s->win_host[0])
		return dbl_strlist_pushf(&fd->evidence,
					 "for client host '%s' the row "
					 "'%s'@'%s' (%s) wins: the most "
					 "specific host, then a named user",
					 s->host, s->win_user, s->win_host,
					 s->win_plugin) < 0
			       ? -DBL_ENOMEM
			       : 0;
	if (s->accounts)
		return 0;
	return dbl_strlist_pushf(&fd->evidence,
				 "the accounts (mysql.user) are not readable "
				 "by this account: with SELECT on mysql.user "
				 "dbloop names the '%s' row (or anonymous '') "
				 "that wins for '%s'",
				 s->user, s->host) < 0
		       ? -DBL_ENOMEM
		       : 0;
}

/* The summary of one cause over the transports of mask; r and s are
 * those of the first. */
static struct dbl_finding *add_split_finding(struct dbl_diag *d, unsigned cause,
					     unsigned mask,
					     const struct dbl_result *r,
					     const struct dbl_split *s)
{
	char *tx = mask_text(mask);
	const char *there = dbl_transport_name(s->ok->transport);
	struct dbl_finding *fd = NULL;
	if (cause == DBL_SPLIT_ENDPOINT)
		fd = add_finding(d, DBL_CLASS_ENDPOINT_MISMATCH, mask,
				 "the credentials that log in over %s are "
				 "refused over %s because another %s server "
				 "answers there, not the password",
				 there, tx ? tx : "", engine_label(d));
	else if (cause == DBL_SPLIT_AUTH_METHOD &&
		 d->t->engine == DBL_ENGINE_POSTGRES)
		fd = add_finding(
			d, DBL_CLASS_AUTH_METHOD_MISMATCH, mask,
			"the password that logs in over %s is refused over %s "
			"because the server asks for another authentication "
			"method there%s",
			there, tx ? tx : "",
			s->md5_secret ? " (scram-sha-256) and the stored "
					"secret is MD5"
				      : "");
	else if (cause == DBL_SPLIT_AUTH_METHOD)
		fd = add_finding(d, DBL_CLASS_AUTH_METHOD_MISMATCH, mask,
				 "over %s the account '%s'@'%s' authenticates "
				 "with a plugin (unix_socket or another), not "
				 "the password that logs in over %s",
				 tx ? tx : "", s->user, s->host, there);
	else
		fd = add_finding(d, DBL_CLASS_HOST_NOT_ALLOWED, mask,
				 "over %s the server matches the client host "
				 "'%s' to another account than over %s, and "
				 "that account does not take this password",
				 tx ? tx : "", s->host, there);
	free(tx);
	if (!fd ||
	    dbl_strlist_pushf(&fd->evidence,
			      "%s logged in with the same credentials, so "
			      "they are right",
			      there) < 0)
		return NULL;
	int rc = cause == DBL_SPLIT_ENDPOINT
			 ? push_endpoint_evidence(fd, d, r, s)
		 : cause == DBL_SPLIT_AUTH_METHOD
			 ? push_auth_evidence(fd, d, r, s)
			 : push_host_evidence(fd, d, r, s);
	return rc < 0 ? NULL : fd;
}

static int rule_split(struct dbl_diag *d)
{
	static const unsigned causes[] = {DBL_SPLIT_ENDPOINT, DBL_SPLIT_HOST,
					  DBL_SPLIT_AUTH_METHOD};
	struct dbl_split s[DBL_TRANSPORT__COUNT];
	unsigned has = 0, start = d->covered;
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		if (d->by[t] && !(start & DBL_TRANSPORT_BIT(t)) &&
		    dbl_diag_split(d, (enum dbl_transport)t, &s[t]) &&
		    s[t].causes)
			has |= DBL_TRANSPORT_BIT(t);
	for (size_t c = 0; c < sizeof(causes) / sizeof(causes[0]); c++) {
		unsigned mask = 0;
		int first = -1;
		for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
			if ((has & DBL_TRANSPORT_BIT(t)) &&
			    (s[t].causes & causes[c])) {
				mask |= DBL_TRANSPORT_BIT(t);
				if (first < 0)
					first = t;
			}
		/* The TCP addresses no account covers (1130) have the same
		 * cause and the same fix: one finding. */
		if (mask && causes[c] == DBL_SPLIT_HOST)
			mask |= dbl_diag_class_mask(
					d, DBL_CLASS_HOST_NOT_ALLOWED) &
				~start;
		if (mask && !add_split_finding(d, causes[c], mask,
					       &d->by[first]->r, &s[first]))
			return -DBL_ENOMEM;
	}
	return 0;
}

/* What identifies the server a probe reached, for the evidence. */
static void identity(const struct dbl_result *r, char *out, size_t len)
{
	if (r->instance[0])
		snprintf(out, len, "%s %s (%s)", r->product, r->version,
			 r->instance);
	else
		snprintf(out, len, "%s %s", r->product, r->version);
}

/* A start time derived from an uptime: the same server, read a moment
 * apart by two probes, gives two times up to a second apart. */
#define DERIVED_START_SLACK_S 2

/* Two probes reached different servers: like compared with like, the
 * instance where both know it (a derived start time within the slack),
 * else the version. */
static bool servers_differ(const struct dbl_result *a,
			   const struct dbl_result *b)
{
	if (a->instance_key[0] && b->instance_key[0]) {
		long long d = a->started_at - b->started_at;
		return strcmp(a->instance_key, b->instance_key) != 0 ||
		       (a->started_at && b->started_at &&
			(d > DERIVED_START_SLACK_S ||
			 d < -DERIVED_START_SLACK_S));
	}
	if (a->instance[0] && b->instance[0])
		return strcmp(a->instance, b->instance) != 0;
	if (a->version[0] && b->version[0])
		return strcmp(a->version, b->version) != 0;
	return false;
}

static int rule_endpoint(struct dbl_diag *d)
{
	unsigned seen = 0;
	for (int i = 0; i < DBL_TRANSPORT__COUNT; i++) {
		for (int j = i + 1; j < DBL_TRANSPORT__COUNT; j++) {
			if (d->by[i] && d->by[j] &&
			    servers_differ(&d->by[i]->r, &d->by[j]->r))
				seen |= DBL_TRANSPORT_BIT(i) |
					DBL_TRANSPORT_BIT(j);
		}
	}
	if (!seen)
		return 0;
	unsigned before = d->covered;
	struct dbl_finding *fd = add_finding(
		d, DBL_CLASS_ENDPOINT_MISMATCH, seen,
		"the transports reach different %s servers", engine_label(d));
	/* The probes keep their own findings too: a different server is
	 * why, not what failed. */
	d->covered = before;
	char id[400];
	for (int t = 0; fd && t < DBL_TRANSPORT__COUNT; t++) {
		if (!(seen & DBL_TRANSPORT_BIT(t)))
			continue;
		identity(&d->by[t]->r, id, sizeof(id));
		if (dbl_strlist_pushf(&fd->evidence, "%s reaches %s",
				      dbl_transport_name((enum dbl_transport)t),
				      id) < 0)
			return -DBL_ENOMEM;
	}
	return fd ? 0 : -DBL_ENOMEM;
}

/* Summary of the per-class findings, by class. */
static const char *class_summary(enum dbl_class c)
{
	switch (c) {
	case DBL_CLASS_TOO_MANY_CONNECTIONS:
		return "the server's connection limit is reached";
	case DBL_CLASS_HOST_BLOCKED:
		return "the server blocks this client host after too many "
		       "interrupted connections";
	case DBL_CLASS_TIMEOUT:
		return "the connection or handshake did not finish in time";
	case DBL_CLASS_TLS_MISMATCH:
		return "one side requires TLS and the other will not or cannot "
		       "do it";
	case DBL_CLASS_HOST_NOT_ALLOWED:
		return "no account or pg_hba.conf line covers this client "
		       "address";
	case DBL_CLASS_AUTH_METHOD_MISMATCH:
		return "the authentication method does not work over this "
		       "transport or with this client";
	case DBL_CLASS_ACCESS_DENIED:
		return "the server rejected the credentials";
	case DBL_CLASS_ACCOUNT_UNUSABLE:
		return "the account exists but may not log in now";
	case DBL_CLASS_DATABASE_MISSING:
		return "the database named does not exist";
	case DBL_CLASS_DNS_FAILURE:
		return "the host name does not resolve";
	case DBL_CLASS_SOCKET_STALE:
		return "a socket file exists but nothing accepts on it";
	case DBL_CLASS_SOCKET_PERMISSION:
		return "the socket or a directory above it is not accessible "
		       "to "
		       "this user";
	case DBL_CLASS_CONNECTION_REFUSED:
		return "the TCP endpoint refused the connection";
	case DBL_CLASS_IPV6_NOT_LISTENING:
		return "::1 cannot be used: IPv6 is off on the loopback or the "
		       "server does not listen there";
	case DBL_CLASS_LOCALHOST_RESOLUTION:
		return "the name localhost does not resolve to an address the "
		       "server listens on";
	default:
		return "the probe failed for a reason dbloop cannot place";
	}
}

/* Settings read over a working transport that explain a class. */
static int push_class_settings(struct dbl_finding *fd, const struct dbl_diag *d)
{
	static const struct {
		enum dbl_class cls;
		const char *name;
	} ev[] = {
		{DBL_CLASS_TLS_MISMATCH, "@@require_secure_transport"},
		{DBL_CLASS_TLS_MISMATCH, "@@have_ssl"},
		{DBL_CLASS_TLS_MISMATCH, "ssl"},
		{DBL_CLASS_HOST_NOT_ALLOWED, "@@skip_name_resolve"},
		{DBL_CLASS_HOST_NOT_ALLOWED, "current_user"},
		{DBL_CLASS_AUTH_METHOD_MISMATCH, "current_user"},
	};
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		const char *v = ev[i].cls == fd->cls
					? dbl_diag_setting(d, ev[i].name)
					: NULL;
		if (v && dbl_strlist_pushf(&fd->evidence,
					   "the server says %s = '%s'",
					   ev[i].name, v) < 0)
			return -DBL_ENOMEM;
	}
	return 0;
}

/* The account's grants as evidence, without any IDENTIFIED clause (a
 * password hash logs in as well as the password does). */
static int push_grants(struct dbl_finding *fd, const struct dbl_diag *d)
{
	const char *g = fd->cls == DBL_CLASS_HOST_NOT_ALLOWED
				? dbl_diag_setting(d, "grants")
				: NULL;
	if (!g)
		return 0;
	struct dbl_buf b = {0};
	while (*g) {
		size_t n = strcspn(g, "\n;");
		const char *id = strstr(g, " IDENTIFIED");
		size_t keep = id && (size_t)(id - g) < n ? (size_t)(id - g) : n;
		dbl_buf_append(&b, g, keep);
		g += n;
		if (*g) {
			dbl_buf_puts(&b, "; ");
			g++;
		}
	}
	int rc = b.data ? dbl_strlist_pushf(&fd->evidence,
					    "the account's grants: %s", b.data)
			: 0;
	dbl_buf_release(&b);
	return rc;
}

/* Most urgent first among what the probes carry on their own. */
static const enum dbl_class per_class_order[] = {
	DBL_CLASS_SOCKET_STALE,
	DBL_CLASS_SOCKET_PERMISSION,
	DBL_CLASS_TOO_MANY_CONNECTIONS,
	DBL_CLASS_HOST_BLOCKED,
	DBL_CLASS_TIMEOUT,
	DBL_CLASS_DNS_FAILURE,
	DBL_CLASS_TLS_MISMATCH,
	DBL_CLASS_HOST_NOT_ALLOWED,
	DBL_CLASS_AUTH_METHOD_MISMATCH,
	DBL_CLASS_ACCESS_DENIED,
	DBL_CLASS_ACCOUNT_UNUSABLE,
	DBL_CLASS_DATABASE_MISSING,
	DBL_CLASS_IPV6_NOT_LISTENING,
	DBL_CLASS_CONNECTION_REFUSED,
	DBL_CLASS_SOCKET_MISSING,
	DBL_CLASS_LOCALHOST_RESOLUTION,
	DBL_CLASS_PROTOCOL_MISMATCH,
	DBL_CLASS_SERVER_STARTING,
	DBL_CLASS_UNKNOWN,
};

static int rule_per_class(struct dbl_diag *d)
{
	size_t n = sizeof(per_class_order) / sizeof(per_class_order[0]);
	for (size_t i = 0; i < n; i++) {
		enum dbl_class c = per_class_order[i];
		unsigned m = dbl_diag_class_mask(d, c) & ~d->covered;
		if (!m)
			continue;
		char *tx = mask_text(m);
		const char *sum = class_summary(c);
		if (c == DBL_CLASS_HOST_NOT_ALLOWED)
			sum = d->t->engine == DBL_ENGINE_POSTGRES
				      ? "no pg_hba.conf line covers this "
					"client "
					"address"
				      : "no account covers this client host";
		bool everywhere = c == DBL_CLASS_ACCESS_DENIED && !d->ok &&
				  m == d->probed;
		if (everywhere)
			sum = "rejected on every transport: the password or "
			      "user is wrong";
		struct dbl_finding *fd =
			add_finding(d, c, m, "%s (%s)", sum, tx ? tx : "");
		if (fd && everywhere &&
		    dbl_strlist_pushf(&fd->evidence,
				      "checked: %s each reached the server and "
				      "none logged in with these credentials, "
				      "so no transport proves them right",
				      tx ? tx : "") < 0)
			fd = NULL;
		free(tx);
		if (!fd || push_class_settings(fd, d) < 0 ||
		    push_grants(fd, d) < 0)
			return -DBL_ENOMEM;
	}
	/* Any class left (a pattern class a probe should not carry). */
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++) {
		unsigned bit = DBL_TRANSPORT_BIT(t);
		if (!d->by[t] || (d->ok | d->covered) & bit)
			continue;
		if (!add_finding(d, d->by[t]->cls, bit, "%s",
				 class_summary(d->by[t]->cls)))
			return -DBL_ENOMEM;
	}
	return 0;
}

typedef int (*rule_fn)(struct dbl_diag *d);

/* The order is the order to fix things in. */
static const rule_fn rules[] = {
	rule_protocol,	     rule_not_running,	rule_wrong_port,
	rule_starting,	     rule_tcp_disabled, rule_socket_port_ignored,
	rule_socket_missing, rule_localhost,	rule_ipv6,
	rule_ipv4,	     rule_split,	rule_endpoint,
	rule_per_class,
};

int dbl_findings_build(struct dbl_diag *d)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		int rc = rules[i](d);
		if (rc < 0)
			return rc;
	}
	return 0;
}
