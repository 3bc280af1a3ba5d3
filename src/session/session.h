/* The pipeline shared by `dbloop diagnose` and `dbloop wait`: discovery,
 * probes, server configuration, classification, the report and its
 * output. */
#ifndef DBLOOP_SESSION_H
#define DBLOOP_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/facts.h"
#include "dbloop/options.h"
#include "dbloop/report.h"
#include "dbloop/result.h"

/* One diagnosis session: the facts and targets discovered once, reused by
 * every attempt of wait. _init / _release. */
struct dbl_session {
	const struct dbl_options *o;
	struct dbl_facts *facts;
	struct dbl_target **targets;
	size_t n_targets;
	int *base_timeout_ms; /* each target's own timeout, before clamping */
	const volatile int *cancel;
	double started_ms;
	/* --client / --app (app.c): the app's configuration, the options
	 * with it applied (d->o points here then), and per target the path
	 * its driver takes (NULL: none). */
	struct dbl_appconf *appconf;
	struct dbl_options *app_options;
	struct dbl_app_path **app;
};

/* The results of one target's probes. Owned array (free()). */
struct dbl_probe_set {
	struct dbl_result *r;
	size_t n;
};

/* Discovers host facts and targets (listeners come with the report). 0; -DBL_EUSAGE with one
 * line in err (bad URL, unreadable option file); -DBL_ENOMEM. Call
 * dbl_session_release in every case. */
int dbl_session_init(struct dbl_session *d, const struct dbl_options *o,
		     const volatile int *cancel, char *err, size_t errlen);
void dbl_session_release(struct dbl_session *d);

/* app.c: before discovery, reads the app's configuration (--app DIR, or
 * the current directory when it looks like a project) into d->o; after
 * it, plans the path of the app's driver (--client, or the guess from the
 * project) on each target of its engine and points the target's socket,
 * port and transports at it. 0, -DBL_EUSAGE with err, -DBL_ENOMEM. */
int dbl_session_app_options(struct dbl_session *d, char *err, size_t errlen);
int dbl_session_app_plan(struct dbl_session *d, char *err, size_t errlen);
/* The app path of target i judged by its classified probes, copied into
 * tr->app, and tr->ok set from it. 0 or -DBL_ENOMEM. */
int dbl_session_app_judge(struct dbl_session *d, size_t i,
			  struct dbl_target_report *tr);
void dbl_session_app_release(struct dbl_session *d);

/* Reads the machine's listening sockets (again: in wait the server may
 * have come up). dbl_session_report calls it when a probe failed. */
int dbl_session_refresh_listeners(struct dbl_session *d);

/* Probes, concurrently, the targets whose which[i] is true (NULL: all)
 * and replaces res[i] of those targets (res has n_targets slots). Each
 * probe's timeout is clamped to the deadline when deadline_ms > 0. 0, a
 * negative -DBL_E code, or -DBL_ECANCELED. */
int dbl_session_probe(struct dbl_session *d, const bool *which,
		      struct dbl_probe_set *res, double deadline_ms);

/* Frees the results of every target (n_targets slots). */
void dbl_probe_sets_release(struct dbl_probe_set *res, size_t n);

/* Builds the classified report from the latest results of every target;
 * with server_conf, reads the servers' configuration first (once per
 * session is enough). *out is a new report. 0 or -DBL_ENOMEM. */
int dbl_session_report(struct dbl_session *d, const struct dbl_probe_set *res,
		       bool server_conf, struct dbl_report **out);

/* Whether every required transport of a classified target is ok. With
 * wait_ready, also that no probe or finding says server_starting. */
bool dbl_session_target_ready(const struct dbl_target_report *tr,
			      const struct dbl_options *o, bool wait_ready);

/* The class that best says where a target stands: its most urgent error
 * finding, else its first failed probe's class, else "ok". */
const char *dbl_session_target_state(const struct dbl_target_report *tr);

/* Renders rep in o->format and writes it to o->output (atomically) or
 * stdout; healthcheck renders one line per target. 0, or -DBL_EIO with
 * err filled, or -DBL_ENOMEM. */
int dbl_session_output(const struct dbl_report *rep,
		       const struct dbl_options *o, bool healthcheck, char *err,
		       size_t errlen);

/* Exit status of cli.md for a negative -DBL_E code (130/143 when a
 * signal cancelled the run). */
int dbl_exit_code_for(int rc);

/* Prints one "dbloop: ..." line for a failure of the tool (err, or a
 * generic text for the code; nothing when cancelled) and returns the exit
 * status. */
int dbl_session_fail(int rc, const char *err);

#endif
