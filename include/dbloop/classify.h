/* The classifier: pure functions from probe facts and discovery facts to
 * one class per probe and the findings (root causes) per target. No I/O. */
#ifndef DBLOOP_CLASSIFY_H
#define DBLOOP_CLASSIFY_H

#include <stddef.h>

#include "dbloop/facts.h"
#include "dbloop/options.h"
#include "dbloop/report.h"
#include "dbloop/result.h"

/* Which transports must be ok, as a mask over the probed ones. For
 * DBL_REQUIRE_ANY it is 0: no transport in particular, one ok is enough
 * (dbl_classify_target treats a required mask of 0 that way). */
unsigned dbl_required_mask(enum dbl_require req, unsigned require_mask,
			   unsigned probed_mask);

/* The class of one probe from its own evidence, refined by the other
 * probes of the same target (all n results, r among them) and the facts. */
enum dbl_class dbl_classify_probe(const struct dbl_result *r,
				  const struct dbl_result *all, size_t n,
				  const struct dbl_facts *f);

/* Classifies every probe of one target into tr->probes[i].cls and writes
 * tr->findings (with fixes, most urgent first). required is the mask of
 * transports that must be ok; tr->ok is set accordingly.
 * tr->probes must already hold the results. 0 or -DBL_ENOMEM. */
int dbl_classify_target(struct dbl_target_report *tr,
			const struct dbl_target *t, const struct dbl_facts *f,
			unsigned required);

#endif
