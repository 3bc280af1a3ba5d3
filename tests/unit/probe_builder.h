/* Builds probe results the way the real servers of scenarios.md leave them
 * (the codes, errnos and texts that file quotes), for the classifier and
 * findings tests. Header-only: static helpers. */
#ifndef DBLOOP_TEST_PROBE_BUILDER_H
#define DBLOOP_TEST_PROBE_BUILDER_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dbloop/classify.h"

/* One probe as a probe module would fill it. transport < 0 ends a list. */
struct pspec {
	int transport;
	bool ok;
	int err;	   /* raw connect errno */
	const char *state; /* SQLSTATE */
	int server_error;  /* MySQL server error (auth) */
	int client_error;  /* MySQL client error */
	int greet_error;   /* MySQL error packet instead of a handshake */
	int wrapped;	   /* server error inside a TLS-handshake 2002 */
	enum dbl_protocol proto;
	char ssl_answer; /* PostgreSQL answer to SSLRequest */
	bool timed_out;
	const char *message;
	const char *settings; /* "name=value;name=value" */
	const char *attempts; /* "127.0.0.1:5432=0,[::1]:5432=111" */
	const char *version;
	const char *instance;
};

#define END                                                                    \
	{                                                                      \
		.transport = -1                                                \
	}
#define P_UNIX DBL_TRANSPORT_UNIX
#define P_TCP4 DBL_TRANSPORT_TCP4
#define P_TCP6 DBL_TRANSPORT_TCP6
#define P_LH DBL_TRANSPORT_LOCALHOST

static inline void pb_settings(struct dbl_result *r, const char *spec)
{
	char buf[1024];
	if (!spec)
		return;
	dbl_strlcpy(buf, spec, sizeof(buf));
	for (char *save = NULL, *kv = strtok_r(buf, ";", &save); kv;
	     kv = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq)
			continue;
		*eq = '\0';
		dbl_result_add_setting(r, kv, eq + 1, false);
	}
}

static inline void pb_attempts(struct dbl_result *r, const char *spec)
{
	char buf[512];
	if (!spec)
		return;
	dbl_strlcpy(buf, spec, sizeof(buf));
	for (char *save = NULL, *a = strtok_r(buf, ",", &save); a;
	     a = strtok_r(NULL, ",", &save)) {
		char *eq = strrchr(a, '=');
		int err = eq ? atoi(eq + 1) : 0;
		if (eq)
			*eq = '\0';
		dbl_result_add_attempt(r, a, err, 1.0);
	}
}

static inline const char *pb_address(enum dbl_engine e, int t, int port)
{
	static char buf[64];
	switch (t) {
	case DBL_TRANSPORT_UNIX:
		if (e == DBL_ENGINE_POSTGRES)
			snprintf(buf, sizeof(buf), "/tmp/dbl/.s.PGSQL.%d",
				 port);
		else
			snprintf(buf, sizeof(buf), "/tmp/dbl/mysqld.sock");
		break;
	case DBL_TRANSPORT_TCP6:
		snprintf(buf, sizeof(buf), "[::1]:%d", port);
		break;
	case DBL_TRANSPORT_LOCALHOST:
		snprintf(buf, sizeof(buf), "localhost:%d", port);
		break;
	default:
		snprintf(buf, sizeof(buf), "127.0.0.1:%d", port);
	}
	return buf;
}

static inline void pb_fill(struct dbl_result *r, enum dbl_engine e,
			   const struct pspec *p, int port)
{
	dbl_result_init(r, e, (enum dbl_transport)p->transport,
			DBL_STAGE_QUERY);
	dbl_strlcpy(r->address, pb_address(e, p->transport, port),
		    sizeof(r->address));
	r->ok = p->ok;
	r->sys_errno = p->err;
	r->timed_out = p->timed_out;
	/* A refused MySQL connect is a 2002 with the errno in parentheses. */
	bool refused = p->client_error == 2002 && !p->wrapped;
	if (p->ok)
		r->stage = DBL_STAGE_QUERY;
	else if (p->err || p->timed_out || refused)
		r->stage = DBL_STAGE_CONNECT;
	else if (p->proto != DBL_PROTO_NONE && !p->state && !p->server_error)
		r->stage = DBL_STAGE_GREET;
	else
		r->stage = DBL_STAGE_AUTH;
	r->protocol = p->ok ? (e == DBL_ENGINE_POSTGRES ? DBL_PROTO_POSTGRES
							: DBL_PROTO_MYSQL)
			    : p->proto;
	if (p->state)
		dbl_strlcpy(r->sqlstate, p->state, sizeof(r->sqlstate));
	r->server_error = p->server_error;
	r->client_error = p->client_error;
	r->mysql.error_code = p->greet_error;
	r->wrapped_error = p->wrapped;
	r->pg.ssl_answer = p->ssl_answer;
	if (p->message)
		dbl_strlcpy(r->message, p->message, sizeof(r->message));
	if (p->version) {
		dbl_strlcpy(r->version, p->version, sizeof(r->version));
		dbl_strlcpy(r->product,
			    e == DBL_ENGINE_POSTGRES ? "PostgreSQL" : "MariaDB",
			    sizeof(r->product));
	}
	if (p->instance)
		dbl_strlcpy(r->instance, p->instance, sizeof(r->instance));
	pb_settings(r, p->settings);
	pb_attempts(r, p->attempts);
	if (!p->attempts && p->transport != DBL_TRANSPORT_LOCALHOST)
		dbl_result_add_attempt(r, r->address, p->err, 1.0);
}

/* A target report holding the probes of specs (caller releases with
 * pb_release). */
static inline void pb_build(struct dbl_target_report *tr, enum dbl_engine e,
			    const struct pspec *specs, int port)
{
	memset(tr, 0, sizeof(*tr));
	tr->engine = e;
	size_t n = 0;
	while (specs[n].transport >= 0)
		n++;
	tr->probes = calloc(n ? n : 1, sizeof(*tr->probes));
	tr->n_probes = n;
	for (size_t i = 0; i < n; i++)
		pb_fill(&tr->probes[i].r, e, &specs[i], port);
}

static inline void pb_release(struct dbl_target_report *tr)
{
	for (size_t i = 0; i < tr->n_findings; i++)
		dbl_finding_release(&tr->findings[i]);
	free(tr->findings);
	free(tr->probes);
	memset(tr, 0, sizeof(*tr));
}

/* Adds a parsed pg_hba line to the facts. */
static inline void pb_hba(struct dbl_facts *f, int line, const char *type,
			  const char *db, const char *user, const char *addr,
			  const char *method)
{
	f->pg.hba = realloc(f->pg.hba, (f->pg.n_hba + 1) * sizeof(*f->pg.hba));
	struct dbl_hba_rule *h = &f->pg.hba[f->pg.n_hba++];
	memset(h, 0, sizeof(*h));
	h->file = dbl_strdup("/etc/postgresql/15/main/pg_hba.conf");
	h->line = line;
	h->type = dbl_strdup(type);
	h->database = dbl_strdup(db);
	h->user = dbl_strdup(user);
	h->address = addr ? dbl_strdup(addr) : NULL;
	h->method = dbl_strdup(method);
	h->raw = dbl_asprintf("%s %s %s %s %s", type, db, user,
			      addr ? addr : "", method);
}

static inline void pb_listener(struct dbl_facts *f, int family,
			       const char *addr, int port, const char *path,
			       enum dbl_engine e)
{
	f->listeners = realloc(f->listeners,
			       (f->n_listeners + 1) * sizeof(*f->listeners));
	struct dbl_listener *l = &f->listeners[f->n_listeners++];
	memset(l, 0, sizeof(*l));
	l->family = family;
	dbl_strlcpy(l->address, addr ? addr : "", sizeof(l->address));
	l->port = port;
	dbl_strlcpy(l->path, path ? path : "", sizeof(l->path));
	l->engine = (int)e;
}

/* The finding of class c in tr, NULL when none. */
static inline const struct dbl_finding *
pb_finding(const struct dbl_target_report *tr, enum dbl_class c)
{
	for (size_t i = 0; i < tr->n_findings; i++)
		if (tr->findings[i].cls == c)
			return &tr->findings[i];
	return NULL;
}

/* The fix and its commands as one string, for substring checks. */
static inline char *pb_fix_text(const struct dbl_finding *fd)
{
	struct dbl_buf b = {0};
	dbl_buf_puts(&b, fd->fix ? fd->fix : "");
	for (size_t i = 0; i < fd->commands.n; i++) {
		dbl_buf_puts(&b, "\n");
		dbl_buf_puts(&b, fd->commands.items[i]);
	}
	return dbl_buf_detach(&b);
}

#endif
