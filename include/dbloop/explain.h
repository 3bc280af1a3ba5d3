/* dbloop explain: places an error message pasted from a log or ticket. */
#ifndef DBLOOP_EXPLAIN_H
#define DBLOOP_EXPLAIN_H

#include <stddef.h>

#include "dbloop/common.h"
#include "dbloop/util.h"

#define DBL_EXPLAIN_MAX_ALT 4

struct dbl_explain_alt {
	enum dbl_class cls;
	char *why;    /* what tells it apart */
	char *settle; /* the dbloop diagnose command that settles it */
};

struct dbl_explanation {
	enum dbl_class cls; /* DBL_CLASS_UNKNOWN when not placed */
	int engine;	    /* enum dbl_engine, -1 unknown */
	int transport;	    /* enum dbl_transport, -1 unknown */
	char *cause;
	char *fix;
	double confidence; /* 0..1 */
	struct dbl_explain_alt alts[DBL_EXPLAIN_MAX_ALT];
	size_t n_alts;
	/* The codes it recognised, for the reader: "errno ECONNREFUSED", ... */
	struct dbl_strlist evidence;
};

/* Places text (any length, untrusted). 0 or -DBL_ENOMEM; *out must be
 * released with dbl_explanation_release. */
int dbl_explain(const char *text, size_t len, struct dbl_explanation *out);
void dbl_explanation_release(struct dbl_explanation *e);

#endif
