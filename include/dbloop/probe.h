/* A probe is one engine's module behind one ops struct, registered in one
 * table (probes/registry.c). Adding an engine touches one file plus the
 * table. */
#ifndef DBLOOP_PROBE_H
#define DBLOOP_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/common.h"
#include "dbloop/options.h"
#include "dbloop/result.h"

/* Everything one probe needs, prepared by run.c. Borrowed pointers. */
struct dbl_probe_ctx {
	const struct dbl_target *target;
	enum dbl_transport transport;
	double deadline_ms; /* dbl_now_ms() value: hard end of the probe */
	const volatile int *cancel; /* non-zero: stop now, close everything */
};

struct dbl_probe_ops {
	/* Walks the stages up to target->max_stage and fills *out (already
	 * initialised). Never prints. Returns 0 when the probe ran, whatever it
	 * found; a negative -DBL_E code only for a failure of the tool. */
	int (*run)(const struct dbl_probe_ctx *ctx, struct dbl_result *out);
	int (*global_init)(void);     /* optional: once per process */
	void (*global_cleanup)(void); /* optional */
	const char *(*client_version)(
		void); /* the linked client library's version */
	/* Optional: called after every probe of the run is done, for each
	 * result that is ok while another result of the same target is
	 * not, to add what only such a comparison needs (ctx as for run;
	 * its deadline still applies). 0, or a negative -DBL_E code. */
	int (*revisit)(const struct dbl_probe_ctx *ctx, struct dbl_result *r);
};

struct dbl_probe {
	const char *name; /* "postgres", "mysql" */
	enum dbl_engine engine;
	unsigned transports; /* mask of transports it serves */
	int default_port;
	const struct dbl_probe_ops *ops; /* NULL when compiled out */
};

/* The registry: NULL-terminated. */
extern const struct dbl_probe *const dbl_probes[];

/* The probe for an engine, NULL when none. */
const struct dbl_probe *dbl_probe_for(enum dbl_engine e);

/* Runs every (target x transport) probe concurrently, each bounded by its
 * target's timeout, and fills results (caller-owned array of n_results
 * slots, in target order, then transport order). *n_out is how many were
 * filled. cancel may be NULL. 0, or a negative -DBL_E code. */
int dbl_run_probes(struct dbl_target *const *targets, size_t n_targets,
		   const volatile int *cancel, struct dbl_result *results,
		   size_t n_results, size_t *n_out);

#endif
