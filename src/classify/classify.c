/* Probe classes: a table of small predicates over one probe's facts (codes
 * first: errno, SQLSTATE, MySQL error numbers, the greeting), then
 * refinements from the other probes of the same target and the discovery
 * facts. Pure: no I/O. Findings are built in findings.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <arpa/inet.h>

#include "dbloop/classify.h"
#include "dbloop/codes.h"
#include "classify/view.h"

unsigned dbl_required_mask(enum dbl_require req, unsigned require_mask,
			   unsigned probed_mask)
{
	if (req == DBL_REQUIRE_LIST)
		return require_mask & probed_mask;
	if (req == DBL_REQUIRE_ANY)
		return 0; /* any: none in particular; see dbl_classify_target */
	return probed_mask;
}

/* ---- the facts one probe carries ------------------------------------- */

/* What the predicates look at, computed once per probe. */
struct view {
	const struct dbl_result *r;
	int err;     /* effective errno: raw connect, or MySQL's "(N)" */
	int my_code; /* MySQL server error (error packet, auth, wrapped) */
	const char *state; /* SQLSTATE, "" when none */
	bool tcp;
};

/* MySQL clients print the connect errno in parentheses at the end:
 * "... '127.0.0.1' (115)", "... (2 "No such file or directory")". */
static int paren_errno(const char *msg)
{
	const char *p = msg, *last = NULL;
	while ((p = strstr(p, " (")) != NULL) {
		if (p[2] >= '0' && p[2] <= '9')
			last = p + 2;
		p += 2;
	}
	return last ? atoi(last) : 0;
}

static void view_init(struct view *v, const struct dbl_result *r)
{
	memset(v, 0, sizeof(*v));
	v->r = r;
	v->tcp = dbl_transport_is_tcp(r->transport);
	v->err = r->sys_errno;
	if (!v->err && (r->client_error == 2002 || r->client_error == 2003))
		v->err = paren_errno(r->message);
	/* MariaDB reports a refused non-blocking connect as EINPROGRESS. */
	if (v->err == EINPROGRESS && v->tcp)
		v->err = ECONNREFUSED;
	v->my_code = r->server_error	   ? r->server_error
		     : r->mysql.error_code ? r->mysql.error_code
					   : r->wrapped_error;
	v->state = r->sqlstate[0] ? r->sqlstate : r->pg.sqlstate;
}

static bool msg_has(const struct view *v, const char *needle)
{
	return strcasestr(v->r->message, needle) ||
	       strcasestr(v->r->pg.message, needle) ||
	       strcasestr(v->r->mysql.error_message, needle);
}

/* The protocol that answered is not the one of the engine asked for. */
static bool foreign_protocol(const struct view *v)
{
	enum dbl_protocol p = v->r->protocol;
	if (p == DBL_PROTO_NONE || p == DBL_PROTO_SILENT ||
	    p == DBL_PROTO_CLOSED)
		return false;
	if (v->r->engine == DBL_ENGINE_POSTGRES)
		return p != DBL_PROTO_POSTGRES;
	return p != DBL_PROTO_MYSQL;
}

/* MySQL server error numbers (also those in an error packet at greet and
 * those wrapped in a TLS-handshake 2002) and client error numbers, from
 * the shared code table (dbloop/codes.h). */
struct code_class {
	int code;
	enum dbl_class cls;
};

#define SERVER_CODE_SERVER(code, cls) {code, DBL_CLASS_##cls},
#define SERVER_CODE_CLIENT(code, cls)
#define CLIENT_CODE_SERVER(code, cls)
#define CLIENT_CODE_CLIENT(code, cls) {code, DBL_CLASS_##cls},
#define X(code, name, kind, cls, xcls, xw) SERVER_CODE_##kind(code, cls)
static const struct code_class mysql_codes[] = {DBL_MYSQL_CODE_MAP(X)};
#undef X
#define X(code, name, kind, cls, xcls, xw) CLIENT_CODE_##kind(code, cls)
static const struct code_class mysql_client_codes[] = {DBL_MYSQL_CODE_MAP(X)};
#undef X

struct state_class {
	const char *state;
	enum dbl_class cls;
};

#define X(state, cls, xcls, xw, pg) {state, DBL_CLASS_##cls},
static const struct state_class pg_states[] = {DBL_SQLSTATE_MAP(X)};
#undef X

static enum dbl_class by_code(const struct code_class *t, size_t n, int code)
{
	for (size_t i = 0; code && i < n; i++)
		if (t[i].code == code)
			return t[i].cls;
	return DBL_CLASS_UNKNOWN;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static enum dbl_class by_errno(const struct view *v)
{
	enum dbl_transport t = v->r->transport;
	switch (v->err) {
	case ENOENT:
	case ENOTDIR:
		return t == DBL_TRANSPORT_UNIX ? DBL_CLASS_SOCKET_MISSING
					       : DBL_CLASS_UNKNOWN;
	case ECONNREFUSED:
		return t == DBL_TRANSPORT_UNIX ? DBL_CLASS_SOCKET_STALE
					       : DBL_CLASS_CONNECTION_REFUSED;
	case EACCES:
	case EPERM:
		return DBL_CLASS_SOCKET_PERMISSION;
	case EADDRNOTAVAIL:
	case ENETUNREACH:
	case EAFNOSUPPORT:
		return t == DBL_TRANSPORT_TCP6 ? DBL_CLASS_IPV6_NOT_LISTENING
					       : DBL_CLASS_CONNECTION_REFUSED;
	case ETIMEDOUT:
	case EHOSTUNREACH:
		return DBL_CLASS_TIMEOUT;
	default:
		return DBL_CLASS_UNKNOWN;
	}
}

static enum dbl_class by_state(const struct view *v)
{
	for (size_t i = 0; v->state[0] && i < COUNT(pg_states); i++) {
		if (strcmp(pg_states[i].state, v->state) != 0)
			continue;
		if (pg_states[i].cls == DBL_CLASS_TOO_MANY_CONNECTIONS &&
		    msg_has(v, "for role"))
			return DBL_CLASS_ACCOUNT_UNUSABLE;
		return pg_states[i].cls;
	}
	return DBL_CLASS_UNKNOWN;
}

/* Where no code was captured (libpq gives no SQLSTATE for a failed
 * connection), the server's and libpq's fixed English phrases. */
static const struct {
	const char *phrase;
	enum dbl_class cls;
} pg_phrases[] = {
#define X(phrase, cls) {phrase, DBL_CLASS_##cls},
	DBL_PG_PHRASE_MAP(X)
#undef X
};

static enum dbl_class by_phrase(const struct view *v)
{
	if (v->r->engine != DBL_ENGINE_POSTGRES)
		return DBL_CLASS_UNKNOWN;
	for (size_t i = 0; i < COUNT(pg_phrases); i++)
		if (msg_has(v, pg_phrases[i].phrase))
			return pg_phrases[i].cls;
	if (msg_has(v, "database \"") && msg_has(v, "does not exist"))
		return DBL_CLASS_DATABASE_MISSING;
	if (msg_has(v, "role \"") && msg_has(v, "does not exist"))
		return DBL_CLASS_ACCESS_DENIED;
	return DBL_CLASS_UNKNOWN;
}

/* The class from the probe's own evidence, codes first. */
static enum dbl_class own_class(const struct view *v)
{
	const struct dbl_result *r = v->r;
	enum dbl_class c;
	if (r->ok)
		return DBL_CLASS_OK;
	if (r->timed_out || r->protocol == DBL_PROTO_SILENT)
		return DBL_CLASS_TIMEOUT;
	if (foreign_protocol(v))
		return DBL_CLASS_PROTOCOL_MISMATCH;
	if (r->eai_error)
		return r->transport == DBL_TRANSPORT_LOCALHOST
			       ? DBL_CLASS_LOCALHOST_RESOLUTION
			       : DBL_CLASS_DNS_FAILURE;
	if ((c = by_errno(v)) != DBL_CLASS_UNKNOWN)
		return c;
	if ((c = by_code(mysql_codes, COUNT(mysql_codes), v->my_code)) !=
	    DBL_CLASS_UNKNOWN)
		return c;
	if ((c = by_state(v)) != DBL_CLASS_UNKNOWN)
		return c;
	if ((c = by_code(mysql_client_codes, COUNT(mysql_client_codes),
			 r->client_error)) != DBL_CLASS_UNKNOWN)
		return c;
	if (r->pg.auth_request == DBL_PG_AUTH_GSS ||
	    r->pg.auth_request == DBL_PG_AUTH_SSPI)
		return DBL_CLASS_AUTH_METHOD_MISMATCH;
	return by_phrase(v);
}

/* ---- refinements ------------------------------------------------------ */

/* The client address the server sees for a loopback probe. */
static const char *probe_client(const struct dbl_result *r, char *buf,
				size_t len)
{
	if (r->transport == DBL_TRANSPORT_TCP4)
		return "127.0.0.1";
	if (r->transport == DBL_TRANSPORT_TCP6)
		return "::1";
	const char *a = r->n_attempts > 0
				? r->attempts[r->n_attempts - 1].address
				: r->address;
	if (a[0] == '[') {
		const char *e = strchr(a, ']');
		size_t n = e ? (size_t)(e - a - 1) : 0;
		if (n == 0 || n >= len)
			return "";
		memcpy(buf, a + 1, n);
		buf[n] = '\0';
		return buf;
	}
	const char *colon = strrchr(a, ':');
	size_t n = colon ? (size_t)(colon - a) : strlen(a);
	if (n >= len)
		return "";
	memcpy(buf, a, n);
	buf[n] = '\0';
	return buf;
}

/* The value after marker up to the next double quote, as the server
 * quotes user and database names; NULL when absent. */
static const char *pg_msg_quoted(const char *msg, const char *marker, char *out,
				 size_t len)
{
	const char *p = strstr(msg, marker);
	return p && dbl_copy_until_quote(p + strlen(marker), '"', out, len)
		       ? out
		       : NULL;
}

/* PostgreSQL 28000 covers a pg_hba rejection, a peer/ident failure, a
 * role without LOGIN and a hostssl-only server met without TLS. */
/* Another TCP probe of the target logged in without TLS. */
static bool plain_tcp_login_works(const struct dbl_result *r,
				  const struct dbl_result *all, size_t n)
{
	for (size_t i = 0; all && i < n; i++)
		if (&all[i] != r && all[i].transport != DBL_TRANSPORT_UNIX &&
		    all[i].ok && !all[i].tls_used &&
		    all[i].max_stage >= DBL_STAGE_AUTH)
			return true;
	return false;
}

static enum dbl_class split_28000(const struct view *v,
				  const struct dbl_result *all, size_t n,
				  const struct dbl_facts *f)
{
	const struct dbl_result *r = v->r;
	if (msg_has(v, "Peer authentication") ||
	    msg_has(v, "Ident authentication") ||
	    strcmp(r->auth_method, "peer") == 0 ||
	    strcmp(r->auth_method, "ident") == 0)
		return DBL_CLASS_AUTH_METHOD_MISMATCH;
	if (msg_has(v, "not permitted to log in"))
		return DBL_CLASS_ACCOUNT_UNUSABLE;
	if (msg_has(v, "role \"") && msg_has(v, "does not exist"))
		return DBL_CLASS_ACCESS_DENIED;
	if (!v->tcp || r->tls_used)
		return DBL_CLASS_HOST_NOT_ALLOWED;
	char buf[64], user[64], db[64];
	const char *client = probe_client(r, buf, sizeof(buf));
	const char *u =
		pg_msg_quoted(r->message, "user \"", user, sizeof(user));
	const char *d =
		pg_msg_quoted(r->message, "database \"", db, sizeof(db));
	if (f && f->pg.n_hba > 0) {
		const struct dbl_hba_rule *plain =
			dbl_hba_first(f, false, client, false, u, d);
		const struct dbl_hba_rule *tls =
			dbl_hba_first(f, false, client, true, u, d);
		bool plain_ok = plain && strcmp(plain->method, "reject") != 0;
		bool tls_ok = tls && strcmp(tls->method, "reject") != 0;
		return !plain_ok && tls_ok ? DBL_CLASS_TLS_MISMATCH
					   : DBL_CLASS_HOST_NOT_ALLOWED;
	}
	/* No readable pg_hba: the greeting says the server offers TLS and the
	 * plaintext startup was the one rejected. But when a plaintext login
	 * works over another TCP address, TLS is not what this one lacks: its
	 * address has no line (the ssl=on server missing "host ... ::1/128"). */
	if (plain_tcp_login_works(r, all, n))
		return DBL_CLASS_HOST_NOT_ALLOWED;
	if (r->pg.ssl_answer == 'S' && !msg_has(v, "SSL encryption") &&
	    !msg_has(v, "SSL on"))
		return DBL_CLASS_TLS_MISMATCH;
	return DBL_CLASS_HOST_NOT_ALLOWED;
}

static const struct dbl_result *ok_peer(const struct dbl_result *all, size_t n,
					enum dbl_transport t)
{
	for (size_t i = 0; all && i < n; i++)
		if (all[i].transport == t && all[i].ok)
			return &all[i];
	return NULL;
}

static bool is_ip_literal(const char *h)
{
	unsigned char b[16];
	return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

/* The account the socket logged in as is user@localhost. */
static bool socket_has_localhost_account(const struct dbl_result *all, size_t n,
					 const char *user)
{
	const struct dbl_result *s = ok_peer(all, n, DBL_TRANSPORT_UNIX);
	const char *cu = s ? dbl_result_setting(s, "current_user") : NULL;
	if (s && !cu)
		cu = dbl_result_setting(s, "CURRENT_USER()");
	if (!cu)
		return s != NULL;
	char want[160];
	snprintf(want, sizeof(want), "%s@localhost", user);
	return strcmp(cu, want) == 0;
}

static bool grants_use_socket_auth(const struct dbl_result *all, size_t n)
{
	const char *g = dbl_results_setting(all, n, "grants");
	return g && (strstr(g, "unix_socket") || strstr(g, "auth_socket"));
}

/* MySQL 1045 / 1698 / 1044: what the server's settings and accounts read
 * over a working transport say. */
static enum dbl_class refine_mysql(enum dbl_class c, const struct view *v,
				   const struct dbl_result *all, size_t n,
				   const struct dbl_facts *f)
{
	const struct dbl_result *r = v->r;
	char user[80] = "", host[80] = "";
	bool acct = dbl_mysql_msg_account(r->message, user, sizeof(user), host,
					  sizeof(host));
	if (v->my_code == 1045 && v->tcp && !r->tls_used &&
	    dbl_setting_is_on(
		    dbl_results_setting(all, n, "@@require_secure_transport")))
		return DBL_CLASS_TLS_MISMATCH;
	struct dbl_split sp;
	if (dbl_split_of(r, all, n, NULL, f, &sp) &&
	    (sp.causes & ~DBL_SPLIT_AUTH_METHOD))
		return dbl_split_class(&sp, c);
	if (v->my_code == 1698) {
		if (strcmp(user, "root") == 0 || grants_use_socket_auth(all, n))
			return DBL_CLASS_AUTH_METHOD_MISMATCH;
		if (acct && v->tcp && is_ip_literal(host) &&
		    socket_has_localhost_account(all, n, user))
			return DBL_CLASS_HOST_NOT_ALLOWED;
		return c;
	}
	if (v->my_code == 1045 && acct && v->tcp && is_ip_literal(host) &&
	    ok_peer(all, n, DBL_TRANSPORT_UNIX) &&
	    socket_has_localhost_account(all, n, user))
		return DBL_CLASS_HOST_NOT_ALLOWED;
	/* 1044 stays access_denied: whether the database exists is not
	 * knowable from an account with no grant on it (SCHEMATA lists only
	 * the databases it may use; docs/decisions.md) */
	return c;
}

/* The families the localhost probe tried: 4, 6 or both (bits 1, 2). */
static unsigned localhost_families(const struct dbl_result *r)
{
	unsigned fam = 0;
	for (int i = 0; i < r->n_attempts && i < DBL_MAX_ATTEMPTS; i++)
		fam |= r->attempts[i].address[0] == '[' ? 2u : 1u;
	return fam;
}

/* A refused connect through the name localhost while the server answers
 * on the loopback address of the other family. */
static bool localhost_misresolves(const struct dbl_result *r,
				  const struct dbl_result *all, size_t n)
{
	unsigned fam = localhost_families(r);
	if (fam == 2u)
		return ok_peer(all, n, DBL_TRANSPORT_TCP4) != NULL;
	if (fam == 1u)
		return ok_peer(all, n, DBL_TRANSPORT_TCP6) != NULL;
	return false;
}

static bool any_tcp_answered(const struct dbl_result *all, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (dbl_transport_is_tcp(all[i].transport) &&
		    (all[i].ok || all[i].stage > DBL_STAGE_CONNECT))
			return true;
	return false;
}

/* The server reached says it listens on another TCP port than the one r
 * tried. */
static bool other_port(const struct dbl_result *r, const struct dbl_result *all,
		       size_t n)
{
	const char *p = dbl_results_setting(all, n, "@@port");
	if (!p)
		p = dbl_results_setting(all, n, "port");
	const char *colon = strrchr(r->address, ':');
	int asked = colon ? atoi(colon + 1) : 0;
	return p && atoi(p) > 0 && asked > 0 && atoi(p) != asked;
}

static enum dbl_class refine(enum dbl_class c, const struct view *v,
			     const struct dbl_result *all, size_t n,
			     const struct dbl_facts *f)
{
	const struct dbl_result *r = v->r;
	if (c == DBL_CLASS_HOST_NOT_ALLOWED &&
	    r->engine == DBL_ENGINE_POSTGRES && strcmp(v->state, "28P01") != 0)
		return split_28000(v, all, n, f);
	if (r->engine == DBL_ENGINE_MYSQL && v->my_code)
		return refine_mysql(c, v, all, n, f);
	struct dbl_split sp;
	if (c == DBL_CLASS_ACCESS_DENIED &&
	    dbl_split_of(r, all, n, NULL, f, &sp))
		return dbl_split_class(&sp, c);
	if (c == DBL_CLASS_CONNECTION_REFUSED) {
		if (r->transport == DBL_TRANSPORT_LOCALHOST &&
		    localhost_misresolves(r, all, n))
			return DBL_CLASS_LOCALHOST_RESOLUTION;
		/* A young server that will open TCP: socket only, no TCP at
		 * all yet, while its own settings say TCP is on, on this
		 * port. When they say it is off (skip_networking,
		 * listen_addresses = '') or on another port, that is why,
		 * however young the server: tcp_disabled or wrong_port. */
		double up = dbl_server_uptime(all, n, time(NULL));
		if (ok_peer(all, n, DBL_TRANSPORT_UNIX) && up >= 0 &&
		    up < DBL_YOUNG_SERVER_S && !any_tcp_answered(all, n) &&
		    dbl_tcp_setting(all, n) != 0 && !other_port(r, all, n))
			return DBL_CLASS_SERVER_STARTING;
	}
	return c;
}

enum dbl_class dbl_classify_probe(const struct dbl_result *r,
				  const struct dbl_result *all, size_t n,
				  const struct dbl_facts *f)
{
	struct view v;
	view_init(&v, r);
	enum dbl_class c = own_class(&v);
	if (c == DBL_CLASS_OK)
		return c;
	return refine(c, &v, all, n, f);
}

static int classify_all(struct dbl_target_report *tr, const struct dbl_facts *f)
{
	struct dbl_result *all =
		calloc(tr->n_probes ? tr->n_probes : 1, sizeof(*all));
	if (!all)
		return -DBL_ENOMEM;
	for (size_t i = 0; i < tr->n_probes; i++)
		all[i] = tr->probes[i].r;
	for (size_t i = 0; i < tr->n_probes; i++)
		tr->probes[i].cls =
			dbl_classify_probe(&all[i], all, tr->n_probes, f);
	free(all);
	return 0;
}

static void diag_init(struct dbl_diag *d, struct dbl_target_report *tr,
		      const struct dbl_target *t, const struct dbl_facts *f,
		      unsigned required)
{
	memset(d, 0, sizeof(*d));
	d->tr = tr;
	d->t = t;
	d->f = f;
	for (size_t i = 0; i < tr->n_probes; i++) {
		enum dbl_transport tp = tr->probes[i].r.transport;
		if ((int)tp < 0 || tp >= DBL_TRANSPORT__COUNT || d->by[tp])
			continue;
		d->by[tp] = &tr->probes[i];
		d->probed |= DBL_TRANSPORT_BIT(tp);
		if (tr->probes[i].cls == DBL_CLASS_OK)
			d->ok |= DBL_TRANSPORT_BIT(tp);
	}
	d->required = required & d->probed;
}

int dbl_classify_diag(struct dbl_diag *d, struct dbl_target_report *tr,
		      const struct dbl_target *t, const struct dbl_facts *f,
		      unsigned required)
{
	int rc = classify_all(tr, f);
	if (rc < 0)
		return rc;
	diag_init(d, tr, t, f, required);
	if (required) {
		tr->ok = (d->ok & d->required) == d->required;
	} else {
		/* --require any: one ok transport is enough; when none is,
		 * every failure counts as an error. */
		tr->ok = d->ok != 0;
		if (!tr->ok)
			d->required = d->probed;
	}
	rc = dbl_findings_build(d);
	tr->findings = d->findings;
	tr->n_findings = d->n_findings;
	return rc;
}
