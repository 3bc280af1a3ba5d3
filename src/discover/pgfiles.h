/* The PostgreSQL client's own files: the password file (.pgpass) and the
 * connection service file (pg_service.conf). */
#ifndef DBLOOP_PGFILES_H
#define DBLOOP_PGFILES_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/common.h"
#include "dbloop/util.h"

/* A password file as libpq would see it. _open/_release. */
struct dbl_pgpass {
	char *path; /* NULL when there is no file */
	char *text; /* contents (secret: wiped on release) */
	bool ignored; /* libpq ignores it: not a plain file, or group/other access */
	int mode; /* st_mode & 0777 */
};

/* Reads the file at path (the PGPASSFILE or ~/.pgpass). A missing file is
 * not an error (pp->path stays NULL); a file libpq would ignore because of
 * its permissions is kept with ignored set and a warning. 0 or
 * -DBL_ENOMEM. */
int dbl_pgpass_open(struct dbl_pgpass *pp, const char *path,
		    struct dbl_strlist *warnings);

/* The first line (1-based) matching host, port, database and user as
 * libpq matches them ('*' wildcards, '\:' escapes), 0 when none. With
 * password non-NULL, *password gets a copy of the line's password (caller
 * frees and wipes). Ignores pp->ignored: callers check it. */
int dbl_pgpass_match(const struct dbl_pgpass *pp, const char *host,
		     const char *port, const char *database, const char *user,
		     char **password);

/* The host name libpq looks up in .pgpass for a connection: "localhost"
 * for the socket in libpq's default directory (or no host), the socket
 * directory for another one, else the host as given. */
const char *dbl_pgpass_host(enum dbl_transport t, const char *host,
			    const char *socket_dir, const char *default_dir);

void dbl_pgpass_release(struct dbl_pgpass *pp);

/* One setting of a service: key = value, with its file and line. */
struct dbl_pgservice_kv {
	char *key, *value, *source;
};

/* The settings of one service from one pg_service.conf. _release. */
struct dbl_pgservice {
	struct dbl_pgservice_kv *items;
	size_t n;
};

/* Looks service up in the file at path. 1 when found (out filled), 0 when
 * the file or the service is absent, -DBL_ENOMEM. Syntax errors become
 * warnings naming file and line. */
int dbl_pgservice_find(const char *path, const char *service,
		       struct dbl_pgservice *out, struct dbl_strlist *warnings);

/* The value of key in the service (NULL when absent); *source gets where
 * it was set. */
const char *dbl_pgservice_get(const struct dbl_pgservice *s, const char *key,
			      const char **source);

void dbl_pgservice_release(struct dbl_pgservice *s);

#endif
