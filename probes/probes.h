/* The probe descriptors the registry lists, and the stage plumbing every
 * probe shares (implemented in src/run.c). */
#ifndef DBLOOP_PROBES_H
#define DBLOOP_PROBES_H

#include "dbloop/probe.h"
#include "net.h"

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

/* Connects once more to an address that worked (PostgreSQL after an 'S'
 * SSL answer). The socket, or -1 with the failure recorded in r. */
int dbl_probe_reconnect(const struct dbl_probe_ctx *ctx,
			const struct dbl_net_addr *a, struct dbl_result *r);

#endif
