/* The probe descriptors the registry lists, and the stage plumbing every
 * probe shares (implemented in src/run.c). */
#ifndef DBLOOP_PROBES_H
#define DBLOOP_PROBES_H

#include "dbloop/probe.h"
#include "probes/net.h"

extern const struct dbl_probe dbl_probe_postgres;
extern const struct dbl_probe dbl_probe_mysql;

/* Marks the start of stage s: r->stage = s, and remembers the clock. */
void dbl_probe_stage_begin(struct dbl_result *r, enum dbl_stage s,
			   double *started_ms);
/* Adds the time since started_ms to r->stage_ms[r->stage]. */
void dbl_probe_stage_end(struct dbl_result *r, double started_ms);

/* Records a failed system call: sys_errno, timed_out for ETIMEDOUT, and a
 * message "<what> '<where>' failed: <strerror>". */
void dbl_probe_fail_errno(struct dbl_result *r, int err, const char *what,
			  const char *where);

/* Fills r->address as the report shows the endpoint of ctx->transport
 * ("/x/.s.PGSQL.5432", "127.0.0.1:5432", "[::1]:5432", "localhost:5432"). */
void dbl_probe_set_address(const struct dbl_probe_ctx *ctx, int port,
			   struct dbl_result *r);

/* Runs the resolve and connect stages of ctx->transport: every address in
 * order, each attempt recorded, stopping at the first that connects.
 * Returns the connected socket (*connected says which address), or -1
 * with the failure recorded in r. */
int dbl_probe_connect(const struct dbl_probe_ctx *ctx, int port,
		      struct dbl_result *r, struct dbl_net_addr *connected);

/* The resolve stage alone: the addresses of ctx->transport, in order, into
 * addrs[DBL_NET_MAX_ADDRS]. 0, or -1 with the failure recorded in r. */
int dbl_probe_resolve(const struct dbl_probe_ctx *ctx, int port,
		      struct dbl_result *r, struct dbl_net_addr *addrs, int *n);

/* Login first: when the deepest stage asked for is auth or query, a probe
 * tries the real login before anything else, on a budget of three
 * quarters of its time (dbl_probe_login_budget), as a working server then
 * costs one connection instead of three. A login proves resolve, connect
 * and greet: dbl_probe_login_proved records them done (with the address
 * used; their time is inside auth's, the greeting fields libpq/libmariadb
 * do not expose stay empty: the PostgreSQL auth request when a password
 * was used, the MySQL greeting's auth plugin). A failed login is set aside
 * (dbl_probe_login_set_aside: r goes back to how run.c prepared it) and
 * the probe walks every stage by hand, which records what the failure
 * paths need; when it reaches auth at the same address it adopts the
 * set-aside outcome (dbl_probe_adopt_login) instead of logging in twice,
 * unless that login ran out of its budget. */
struct dbl_probe_ctx dbl_probe_login_budget(const struct dbl_probe_ctx *ctx);
void dbl_probe_login_proved(struct dbl_result *r, const struct dbl_net_addr *a);
/* Copies the failed login's r into a new *failed (NULL when out of memory:
 * nothing is adopted then) and resets r. */
/* Puts r back to how run.c prepared it (engine, transport, address). */
void dbl_probe_reset(struct dbl_result *r);
void dbl_probe_login_set_aside(struct dbl_result *r,
			       const struct dbl_net_addr *a,
			       struct dbl_result **failed);
/* True when it adopted failed's auth outcome into r (frees nothing). */
bool dbl_probe_adopt_login(struct dbl_result *r,
			   const struct dbl_result *failed,
			   const struct dbl_net_addr *connected);

/* Connects once more to an address that worked (PostgreSQL after an 'S'
 * SSL answer). The socket, or -1 with the failure recorded in r. */
int dbl_probe_reconnect(const struct dbl_probe_ctx *ctx,
			const struct dbl_net_addr *a, struct dbl_result *r);

#endif
