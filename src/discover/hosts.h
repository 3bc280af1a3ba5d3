/* /etc/hosts: the lines that name localhost. */
#ifndef DBLOOP_HOSTS_H
#define DBLOOP_HOSTS_H

#include "dbloop/util.h"

/* Appends "<path> line N: <address> <names...>" to out for every line of
 * the hosts file at path that names localhost (any case, comments
 * stripped). An unreadable file becomes a warning. 0, -DBL_EIO or
 * -DBL_ENOMEM. */
int dbl_hosts_localhost_lines(const char *path, struct dbl_strlist *out,
			      struct dbl_strlist *warnings);

/* The same on text already in memory (modified in place); name is used in
 * the lines written. */
int dbl_hosts_parse(char *text, const char *name, struct dbl_strlist *out);

#endif
