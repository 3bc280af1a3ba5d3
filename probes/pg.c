/* PostgreSQL probe (stub until the probes issue lands). */
#include "probes.h"

const struct dbl_probe dbl_probe_postgres = {
	.name = "postgres",
	.engine = DBL_ENGINE_POSTGRES,
	.transports =
		DBL_TRANSPORTS_LOCAL | DBL_TRANSPORT_BIT(DBL_TRANSPORT_HOST),
	.default_port = 5432,
	.ops = NULL,
};
