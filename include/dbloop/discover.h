/* Discovery: what the clients on this machine would use, where the servers
 * really are, and where each setting came from. Reads files, environment and
 * /proc; never talks to a server except to identify an unknown listener. */
#ifndef DBLOOP_DISCOVER_H
#define DBLOOP_DISCOVER_H

#include <stddef.h>

#include "dbloop/facts.h"
#include "dbloop/options.h"
#include "dbloop/result.h"

/* Paths discovery reads, overridable so tests can point at fixtures.
 * NULL members mean the real system paths. Borrowed. */
struct dbl_discover_paths {
	const char *proc_net;  /* "/proc/net" */
	const char *etc_hosts; /* "/etc/hosts" */
	const char *home;      /* $HOME */
	const char
		*sysconfdir; /* PGSYSCONFDIR default "/etc/postgresql-common" */
	const char *root;    /* prefix for /etc/my.cnf etc. ("" = "/") */
};

/* Fills f->host: getaddrinfo("localhost") order, /etc/hosts lines, whether
 * ::1 is usable, whether we run in a container. 0 or -DBL_ENOMEM. */
int dbl_discover_host(struct dbl_facts *f, const struct dbl_discover_paths *p);

/* Fills f->listeners from /proc/net/{tcp,tcp6,unix} (Linux) or the known
 * default socket paths elsewhere. 0 or -DBL_ENOMEM. */
int dbl_discover_listeners(struct dbl_facts *f,
			   const struct dbl_discover_paths *p);

/* Builds the targets to probe from the options, the URL targets, the
 * environment and the client option/service/password files, recording
 * where each setting came from. *targets is a new array of new targets;
 * free each with dbl_target_free and the array with free().
 * On a usage error (malformed URL, unreadable --defaults-file) returns
 * -DBL_EUSAGE with one line in err. */
int dbl_discover_targets(const struct dbl_options *o, struct dbl_facts *f,
			 const struct dbl_discover_paths *p,
			 struct dbl_target ***targets, size_t *n_targets,
			 char *err, size_t errlen);

/* Fills f->mysql_client_version / f->libpq_version for the engines asked
 * for, loading their client library if no probe has yet. */
void dbl_discover_client_versions(struct dbl_facts *f, bool mysql, bool pg);

/* After the probes: reads the server-side configuration that the results
 * point at (data directory, config and hba files from introspection, or
 * the distribution's default locations) into f->pg / f->my. Never fails the
 * run: unreadable files become warnings. */
int dbl_discover_server_conf(struct dbl_facts *f, const struct dbl_target *t,
			     const struct dbl_result *results, size_t n);

/* dbl_discover_server_conf with the default locations under p->root (for
 * tests: fixtures laid out as /etc/...). p may be NULL. */
int dbl_discover_server_conf_at(struct dbl_facts *f, const struct dbl_target *t,
				const struct dbl_result *results, size_t n,
				const struct dbl_discover_paths *p);

#endif
