/* MySQL/MariaDB option files (my.cnf) read as the client or the server
 * reads them, keeping where every value came from ("file line N"). */
#ifndef DBLOOP_OPTFILE_H
#define DBLOOP_OPTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/common.h"
#include "dbloop/util.h"
#include "discover/includes.h"

/* One option as set in a wanted group. Strings owned. */
struct dbl_optval {
	char *group;
	char *name;   /* normalised: "loose-" dropped, '_' -> '-' */
	char *value;  /* NULL for a bare flag ("skip-networking") */
	char *source; /* "/etc/mysql/my.cnf line 3" */
};

/* Every wanted option in the order read. Zero-initialise; release with
 * dbl_optfile_release. */
struct dbl_optfile {
	struct dbl_optval *items;
	size_t n, cap;
	struct dbl_strlist files_read; /* in order, as shown to the user */
	struct dbl_includes includes;  /* loops and budget over every read */
};

/* NULL-terminated group lists of the client (libmariadb + mysql) and the
 * server (mariadbd). */
extern const char *const dbl_optfile_client_groups[];
extern const char *const dbl_optfile_server_groups[];

struct dbl_optfile_spec {
	const char *root; /* prefix for /etc paths, tests only; NULL = "/" */
	const char *home; /* for ~/.my.cnf; NULL: no user file */
	const char *defaults_file;	 /* --defaults-file: only this file */
	const char *defaults_extra_file; /* --defaults-extra-file */
	bool no_defaults;		 /* --no-defaults: read nothing */
	const char *const *groups;	 /* which groups to keep */
};

/* Reads the option files in the order the clients do: /etc/my.cnf,
 * /etc/mysql/my.cnf, $MARIADB_HOME or $MYSQL_HOME/my.cnf, the extra file,
 * ~/.my.cnf (~/.mylogin.cnf is encrypted and skipped). Problems in the
 * files become warnings; an unreadable --defaults-file or
 * --defaults-extra-file is -DBL_EUSAGE with one line in err. */
int dbl_optfile_load(struct dbl_optfile *of, const struct dbl_optfile_spec *s,
		     struct dbl_strlist *warnings, char *err, size_t errlen);

/* Reads one file and what it includes. A file already being read is not
 * included again, and every read into of shares one budget of files and
 * bytes (includes.h); both are warned about naming file and line. path is the path
 * as shown; root prefixes it and absolute includes for reading.
 * -DBL_EIO when the file cannot be read (warned unless missing), or
 * -DBL_ENOMEM. */
int dbl_optfile_read(struct dbl_optfile *of, const char *path,
		     const char *const *groups, const char *root,
		     struct dbl_strlist *warnings);

/* The value last set for name (normalised or not); NULL when unset. */
const struct dbl_optval *dbl_optfile_get(const struct dbl_optfile *of,
					 const char *name);

void dbl_optfile_release(struct dbl_optfile *of);

#endif
