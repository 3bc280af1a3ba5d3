/* The one table of probes. Adding an engine: one file in probes/ and one
 * line here. */
#include <stddef.h>

#include "dbloop/probe.h"
#include "probes/probes.h"

const struct dbl_probe *const dbl_probes[] = {
	&dbl_probe_postgres,
	&dbl_probe_mysql,
	NULL,
};

const struct dbl_probe *dbl_probe_for(enum dbl_engine e)
{
	for (size_t i = 0; dbl_probes[i]; i++)
		if (dbl_probes[i]->engine == e)
			return dbl_probes[i];
	return NULL;
}
