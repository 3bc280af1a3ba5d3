/* The probe descriptors the registry lists. */
#ifndef DBLOOP_PROBES_H
#define DBLOOP_PROBES_H

#include "dbloop/probe.h"

extern const struct dbl_probe dbl_probe_postgres;
extern const struct dbl_probe dbl_probe_mysql;

#endif
