/* pg_hba.conf reading. The evaluator, dbl_hba_match, is public and
 * declared in dbloop/facts.h so the classifier can call it. */
#ifndef DBLOOP_PGHBA_H
#define DBLOOP_PGHBA_H

#include "dbloop/facts.h"

/* Appends the rules of the pg_hba.conf at path (and the files it includes
 * with include, include_if_exists, include_dir; a loop or more than the
 * budget of includes.h is warned about and not read) to c->hba.
 * Malformed lines become warnings naming file and line. -DBL_EIO when path
 * cannot be read (warned unless missing), -DBL_ENOMEM. */
int dbl_hba_read(struct dbl_pg_server_conf *c, const char *path,
		 struct dbl_strlist *warnings);

#endif
