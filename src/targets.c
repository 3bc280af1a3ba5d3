/* Builds the targets to probe (stub: being written). */
#include <stdlib.h>
#include "dbloop/discover.h"

int dbl_discover_targets(const struct dbl_options *o, struct dbl_facts *f,
			 const struct dbl_discover_paths *p,
			 struct dbl_target ***targets, size_t *n_targets,
			 char *err, size_t errlen)
{
	(void)o, (void)f, (void)p, (void)err, (void)errlen;
	*targets = NULL;
	*n_targets = 0;
	return 0;
}
