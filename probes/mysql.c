/* MySQL/MariaDB probe (stub until the probes issue lands). */
#include "probes.h"

const struct dbl_probe dbl_probe_mysql = {
	.name = "mysql",
	.engine = DBL_ENGINE_MYSQL,
	.transports =
		DBL_TRANSPORTS_LOCAL | DBL_TRANSPORT_BIT(DBL_TRANSPORT_HOST),
	.default_port = 3306,
	.ops = NULL,
};
