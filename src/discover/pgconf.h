/* postgresql.conf (and postgresql.auto.conf): settings with the file and
 * line that set them, following include, include_if_exists, include_dir. */
#ifndef DBLOOP_PGCONF_H
#define DBLOOP_PGCONF_H

#include <stddef.h>

#include "dbloop/util.h"
#include "discover/includes.h"

struct dbl_pgconf_item {
	char *name;   /* lower case */
	char *value;  /* unquoted */
	char *source; /* "/etc/postgresql/15/main/postgresql.conf line 64" */
};

/* Zero-initialise; release with dbl_pgconf_release. */
struct dbl_pgconf {
	struct dbl_pgconf_item *items;
	size_t n, cap;
	struct dbl_strlist files_read;
	struct dbl_includes includes; /* loops and budget over every read */
};

/* Reads path and its includes, appending every setting. A file already
 * being read is not included again, and all reads into c share one
 * budget of files and bytes (includes.h); both are warned about.
 * Malformed lines and unreadable includes become warnings naming file and
 * line. -DBL_EIO when path itself cannot be read (warned unless missing),
 * -DBL_ENOMEM. */
int dbl_pgconf_read(struct dbl_pgconf *c, const char *path,
		    struct dbl_strlist *warnings);

/* The setting that wins for name (the last one read); NULL when unset. */
const struct dbl_pgconf_item *dbl_pgconf_get(const struct dbl_pgconf *c,
					     const char *name);

void dbl_pgconf_release(struct dbl_pgconf *c);

#endif
