/* Host facts and listeners (stub: being written). */
#include "dbloop/discover.h"

int dbl_discover_host(struct dbl_facts *f, const struct dbl_discover_paths *p)
{
	(void)f, (void)p;
	return 0;
}

int dbl_discover_listeners(struct dbl_facts *f,
			   const struct dbl_discover_paths *p)
{
	(void)f, (void)p;
	return 0;
}
