/* Server-side configuration (stub: being written). */
#include "dbloop/discover.h"

int dbl_discover_server_conf(struct dbl_facts *f, const struct dbl_target *t,
			     const struct dbl_result *results, size_t n)
{
	(void)f, (void)t, (void)results, (void)n;
	return 0;
}
