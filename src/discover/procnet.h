/* Listening sockets of this machine: the Linux /proc/net tables, the
 * processes that own them, and the known default socket paths elsewhere. */
#ifndef DBLOOP_PROCNET_H
#define DBLOOP_PROCNET_H

#include <stddef.h>

#include "dbloop/facts.h"

/* A growable array of listeners. Zero-initialise; free(items) releases. */
struct dbl_listener_list {
	struct dbl_listener *items;
	size_t n, cap;
};

/* Appends the LISTEN rows of a /proc/net/tcp (family AF_INET) or tcp6
 * (AF_INET6) table held in text (modified in place). name is the file name
 * used in warnings about malformed rows. 0 or -DBL_ENOMEM. */
int dbl_procnet_parse_tcp(char *text, int family, const char *name,
			  struct dbl_listener_list *out,
			  struct dbl_strlist *warnings);

/* Appends the listening sockets with a path of a /proc/net/unix table
 * (abstract names, starting with '@', are kept too). 0 or -DBL_ENOMEM. */
int dbl_procnet_parse_unix(char *text, const char *name,
			   struct dbl_listener_list *out,
			   struct dbl_strlist *warnings);

/* Fills listener->process from /proc/PID/fd links (proc_root: "/proc");
 * processes we may not inspect are skipped silently. */
void dbl_procnet_find_owners(struct dbl_listener_list *l,
			     const char *proc_root);

/* Sets engine and why for every listener: owning process first, then the
 * socket name, then a .s.PGSQL.N socket of the same port, then the
 * engine's default port. */
void dbl_procnet_tag(struct dbl_listener_list *l);

/* Appends the sockets that exist at the default paths of Debian, Red Hat,
 * Homebrew, MAMP, XAMPP and Postgres.app (root prefixes them, for tests).
 * 0 or -DBL_ENOMEM. */
int dbl_procnet_known_paths(struct dbl_listener_list *out, const char *root);

#endif
