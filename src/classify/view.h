/* Private to classify.c, findings.c, view*.c and fixes*.c: the view of one
 * target that the finding rules and the fix writers reason over, and the
 * helpers they share (view.c, view_hba.c). Pure data, no I/O. */
#ifndef DBLOOP_CLASSIFY_VIEW_H
#define DBLOOP_CLASSIFY_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dbloop/classify.h"
#include "dbloop/facts.h"
#include "dbloop/options.h"
#include "dbloop/report.h"

/* Everything known about one target while its findings are built. t and f
 * are never NULL here (dbl_classify_target substitutes empty ones). */
struct dbl_diag {
	struct dbl_target_report *tr;
	const struct dbl_target *t;
	const struct dbl_facts *f;
	unsigned required; /* transports that must be ok */
	unsigned probed;   /* transports with a probe */
	unsigned ok;	   /* transports whose probe is ok */
	unsigned covered;  /* transports some finding already explains */
	/* The probe of each transport, NULL when not probed. */
	const struct dbl_probe_report *by[DBL_TRANSPORT__COUNT];
	/* Findings built so far, most urgent first. */
	struct dbl_finding *findings;
	size_t n_findings;
};

/* Mask of the probed transports whose class is c. */
unsigned dbl_diag_class_mask(const struct dbl_diag *d, enum dbl_class c);

/* An introspection value read by any probe of the target (the first that
 * has it), NULL when none read it. */
const char *dbl_diag_setting(const struct dbl_diag *d, const char *name);

/* The same over raw results, for the probe classifier. */
const char *dbl_results_setting(const struct dbl_result *all, size_t n,
				const char *name);

/* A server up for less than this many seconds may still be starting. */
#define DBL_YOUNG_SERVER_S 60

/* Seconds the server reached by some probe has been up ("uptime", or
 * PostgreSQL's pg_postmaster_start_time against now), -1 when unknown. */
double dbl_server_uptime(const struct dbl_result *all, size_t n, time_t now);

/* What the server's own settings read over a working transport say about
 * TCP: 1 on (skip_networking OFF, listen_addresses non-empty), 0 off, -1
 * when none was read. */
int dbl_tcp_setting(const struct dbl_result *all, size_t n);

/* Seconds the server reached by any probe of the target has been up, -1
 * when unknown. */
double dbl_diag_uptime(const struct dbl_diag *d);

/* Another host the environment names for the database, for when dbloop
 * runs in a container and was told localhost: the host of DATABASE_URL
 * (when it is for this engine) or of a *_HOST variable discovery noted
 * in f->env_hosts. Writes the host, the port (0 when not given) and where it
 * came from; false when none names a host other than this machine. */
bool dbl_diag_service_host(const struct dbl_diag *d, char *host, size_t hlen,
			   int *port, char *from, size_t flen);

/* dbloop runs in a container and the target is this machine's localhost
 * (the container itself). */
bool dbl_diag_local_in_container(const struct dbl_diag *d);

/* The target port: the target's, else the engine's default. */
int dbl_diag_port(const struct dbl_diag *d);

/* A port other than the target's where the engine listens (a TCP listener,
 * a PostgreSQL socket name, or what the server reached over the socket
 * says), 0 when none is known. */
int dbl_diag_other_port(const struct dbl_diag *d);

/* split.c: same credentials, different answers. A probe refused for its
 * credentials (PostgreSQL 28P01, MySQL 1045/1698) while another transport
 * of the target logged in with the same ones and so proved them right. */
enum dbl_split_cause {
	DBL_SPLIT_ENDPOINT = 1u << 0,	 /* another server instance answered */
	DBL_SPLIT_AUTH_METHOD = 1u << 1, /* the same server, another method */
	DBL_SPLIT_HOST = 1u
			 << 2, /* MySQL: another account for the client host */
};

struct dbl_split {
	unsigned causes;	     /* enum dbl_split_cause bits */
	const struct dbl_result *ok; /* the transport that proved them */
	/* endpoint_mismatch evidence */
	bool salt_differs;   /* PostgreSQL SCRAM salt or iterations differ */
	bool outside_listen; /* the server that logged in does not listen there */
	char listen_said[300]; /* what it said: "listen_addresses = '...'" */
	bool version_differs;  /* the greeting's version is another */
	bool owners_differ;    /* the two listeners belong to other processes */
	const struct dbl_listener *owner_here, *owner_there; /* NULL: unseen */
	/* auth_method_mismatch evidence (PostgreSQL) */
	int auth_here, auth_there; /* authentication requests, -1 unknown */
	bool md5_secret; /* password_encryption md5: no SCRAM secret to meet */
	const struct dbl_hba_rule *hba_here, *hba_there; /* NULL: unreadable */
	/* host_not_allowed evidence (MySQL/MariaDB) */
	char user[80], host[80]; /* the denial's 'user'@'host' */
	const char *ok_account;	 /* CURRENT_USER() where it worked, or NULL */
	const char
		*accounts; /* mysql.user rows of the name, NULL: unreadable */
	char win_user[80], win_host[80], win_plugin[64]; /* the row that wins
							    for host, "" unknown */
};

/* Fills s for r among all (t may be NULL: the user then comes from the
 * server's message); false when r is not such a probe. */
bool dbl_split_of(const struct dbl_result *r, const struct dbl_result *all,
		  size_t n, const struct dbl_target *t,
		  const struct dbl_facts *f, struct dbl_split *s);

/* The probe class the evidence settles: endpoint first, then the host
 * (another account), then the method; dflt when nothing tells the
 * transports apart. */
enum dbl_class dbl_split_class(const struct dbl_split *s, enum dbl_class dflt);

/* dbl_split_of for the probe of transport tr of d's target (s->ok points
 * at d's probe). */
bool dbl_diag_split(const struct dbl_diag *d, enum dbl_transport tr,
		    struct dbl_split *s);

/* Builds d->findings from the classified probes and the facts, ordered by
 * what to fix first (their fixes are written later, by fixes/). 0 or
 * -DBL_ENOMEM. */
int dbl_findings_build(struct dbl_diag *d);

/* Classifies every probe of tr, then builds the target's findings into
 * tr->findings (owned by tr) and leaves d describing the target for the
 * fix writers. t and f must not be NULL; d borrows tr, t and f. 0 or
 * -DBL_ENOMEM. */
int dbl_classify_diag(struct dbl_diag *d, struct dbl_target_report *tr,
		      const struct dbl_target *t, const struct dbl_facts *f,
		      unsigned required);

/* Helpers shared by the classifier, the rules and the fixes (view.c). */

/* True for the transports that are TCP. */
bool dbl_transport_is_tcp(enum dbl_transport t);

/* Whether r met 'require_secure_transport' or an equivalent ON value. */
bool dbl_setting_is_on(const char *v);

/* Copies s up to the first quote character into out; false when s has
 * no such quote or the text does not fit. */
bool dbl_copy_until_quote(const char *s, char quote, char *out, size_t len);

/* Copies the host part of a MySQL "Access denied for user 'u'@'h'"
 * message into out; false when the message has none. */
bool dbl_mysql_msg_account(const char *msg, char *user, size_t ulen, char *host,
			   size_t hlen);

/* Splits "FILE line N" (a dbl_conf_value or dbl_origin source) into the
 * file and the line; false when it has no such shape. */
bool dbl_source_split(const char *source, char *file, size_t flen, int *line);

/* view_hba.c: */

/* Whether a pg_hba address field covers a client address ("127.0.0.1",
 * "::1", or "" for a Unix socket). */
bool dbl_hba_addr_covers(const char *field, const char *client);

/* The first pg_hba rule the client would match, ignoring user and
 * database unless given (NULL = any). type_want: "local" for the socket,
 * else a TCP connection with or without TLS. NULL when none matches. */
const struct dbl_hba_rule *dbl_hba_first(const struct dbl_facts *f, bool local,
					 const char *client, bool ssl,
					 const char *user, const char *db);

#endif
