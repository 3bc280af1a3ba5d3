/* The diagnose pipeline: discover once, probe (once for diagnose, per
 * attempt for wait), classify, build the report, render it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "session/session.h"
#include "classify/view.h"
#include "dbloop/classify.h"
#include "dbloop/discover.h"
#include "dbloop/probe.h"
#include "util/signals.h"

/* NULL members: the real system paths. */
static const struct dbl_discover_paths system_paths;

int dbl_session_init(struct dbl_session *d, const struct dbl_options *o,
		     const volatile int *cancel, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	d->o = o;
	d->cancel = cancel;
	d->started_ms = dbl_now_ms();
	if (!(d->facts = dbl_facts_new()))
		return -DBL_ENOMEM;
	/* The machine's listeners are read after the probes, and only when
	 * one failed (dbl_session_report): they explain failures, and reading
	 * them (/proc/net and every process's fds) is a third of a healthy
	 * run's time. */
	int rc = dbl_discover_host(d->facts, &system_paths);
	if (rc == 0)
		rc = dbl_session_app_options(d, err, errlen);
	if (rc == 0)
		rc = dbl_discover_targets(d->o, d->facts, &system_paths,
					  &d->targets, &d->n_targets, err,
					  errlen);
	if (rc == 0)
		rc = dbl_session_app_plan(d, err, errlen);
	if (rc < 0)
		return rc;
	d->base_timeout_ms = calloc(d->n_targets + 1, sizeof(int));
	if (!d->base_timeout_ms)
		return -DBL_ENOMEM;
	for (size_t i = 0; i < d->n_targets; i++)
		d->base_timeout_ms[i] = d->targets[i]->timeout_ms;
	return 0;
}

void dbl_session_release(struct dbl_session *d)
{
	for (size_t i = 0; d->targets && i < d->n_targets; i++)
		dbl_target_free(d->targets[i]);
	free(d->targets);
	free(d->base_timeout_ms);
	dbl_session_app_release(d);
	dbl_facts_free(d->facts);
	memset(d, 0, sizeof(*d));
}

int dbl_session_refresh_listeners(struct dbl_session *d)
{
	free(d->facts->listeners);
	d->facts->listeners = NULL;
	d->facts->n_listeners = 0;
	return dbl_discover_listeners(d->facts, &system_paths);
}

void dbl_probe_sets_release(struct dbl_probe_set *res, size_t n)
{
	for (size_t i = 0; res && i < n; i++) {
		free(res[i].r);
		res[i].r = NULL;
		res[i].n = 0;
	}
}

/* How many results, from r on, belong to target t: run.c fills them in
 * target order, then transport order, so a target's run is the longest
 * prefix of its engine with rising transports from its mask. */
static size_t results_of(const struct dbl_target *t, const struct dbl_result *r,
			 size_t n)
{
	size_t k = 0;
	int last = -1;
	while (k < n && r[k].engine == t->engine &&
	       (t->transports & DBL_TRANSPORT_BIT(r[k].transport)) &&
	       (int)r[k].transport > last)
		last = (int)r[k++].transport;
	return k;
}

/* The previous result of transport t in slot, NULL when none. */
static const struct dbl_result *previous_of(const struct dbl_probe_set *slot,
					    enum dbl_transport t)
{
	for (size_t i = 0; i < slot->n; i++)
		if (slot->r[i].transport == t)
			return &slot->r[i];
	return NULL;
}

/* Replaces slot's results by r. With clamped (wait's deadline shortened
 * this attempt's timeout), a probe that timed out only proves that the
 * deadline came first: that transport keeps its previous result, the
 * last thing a probe really learnt (a refusal, a wrong password), unless
 * there is none or it timed out too. */
static int store_results(struct dbl_probe_set *slot, const struct dbl_result *r,
			 size_t n, bool clamped)
{
	struct dbl_result *copy = NULL;
	if (n > 0) {
		if (!(copy = malloc(n * sizeof(*copy))))
			return -DBL_ENOMEM;
		memcpy(copy, r, n * sizeof(*copy));
	}
	for (size_t i = 0; clamped && i < n; i++) {
		const struct dbl_result *before =
			copy[i].timed_out ? previous_of(slot, copy[i].transport)
					  : NULL;
		if (before && !before->timed_out)
			copy[i] = *before;
	}
	free(slot->r);
	slot->r = copy;
	slot->n = n;
	return 0;
}

/* Each target's probe timeout, clamped to what is left of deadline_ms;
 * clamped[i] says whether target i's was. */
static void clamp_timeouts(struct dbl_session *d, double deadline_ms,
			   bool *clamped)
{
	int left = deadline_ms > 0 ? dbl_ms_left(deadline_ms) : 0;
	for (size_t i = 0; i < d->n_targets; i++) {
		int t = d->base_timeout_ms[i];
		clamped[i] = deadline_ms > 0 && left < t;
		if (clamped[i])
			t = left > 0 ? left : 1;
		d->targets[i]->timeout_ms = t;
	}
}

int dbl_session_probe(struct dbl_session *d, const bool *which,
		      struct dbl_probe_set *res, double deadline_ms)
{
	struct dbl_target **sub = calloc(d->n_targets + 1, sizeof(*sub));
	size_t *index = calloc(d->n_targets + 1, sizeof(*index));
	bool *clamped = calloc(d->n_targets + 1, sizeof(*clamped));
	size_t n_sub = 0, slots = 0, n_out = 0;
	struct dbl_result *results = NULL;
	int rc = -DBL_ENOMEM;
	if (!sub || !index || !clamped)
		goto out;
	for (size_t i = 0; i < d->n_targets; i++)
		if (!which || which[i]) {
			index[n_sub] = i;
			sub[n_sub++] = d->targets[i];
		}
	slots = n_sub * DBL_TRANSPORT__COUNT;
	if (slots && !(results = calloc(slots, sizeof(*results))))
		goto out;
	clamp_timeouts(d, deadline_ms, clamped);
	rc = n_sub ? dbl_run_probes(sub, n_sub, d->cancel, results, slots,
				    &n_out)
		   : 0;
	if (rc == 0 && d->cancel && *d->cancel)
		rc = -DBL_ECANCELED;
	if (n_out > slots)
		n_out = slots;
	for (size_t j = 0, at = 0; rc == 0 && j < n_sub; j++) {
		size_t k = results_of(sub[j], results + at, n_out - at);
		rc = store_results(&res[index[j]], results + at, k,
				   clamped[index[j]]);
		at += k;
	}
out:
	free(results);
	free(sub);
	free(index);
	free(clamped);
	return rc;
}

/* --- the report ---------------------------------------------------------- */

static const char *const setting_names[DBL_SET__COUNT] = {
	[DBL_SET_HOST] = "host",	 [DBL_SET_PORT] = "port",
	[DBL_SET_SOCKET] = "socket",	 [DBL_SET_USER] = "user",
	[DBL_SET_DATABASE] = "database", [DBL_SET_SSLMODE] = "sslmode",
	[DBL_SET_PASSWORD] = "password",
};

static char *rfc3339_now(void)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm) ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return NULL;
	return strdup(buf);
}

static int copy_list(struct dbl_strlist *dst, const struct dbl_strlist *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (dbl_strlist_push(dst, src->items[i]) < 0)
			return -DBL_ENOMEM;
	return 0;
}

static int fill_host(struct dbl_report *rep, const struct dbl_facts *f)
{
	rep->dbloop_version = strdup(DBL_VERSION);
	rep->generated_at = rfc3339_now();
	rep->os = strdup(f->host.os[0] ? f->host.os : "linux");
	rep->in_container = f->host.in_container;
	rep->ipv6_loopback = f->host.ipv6_loopback;
	if (!rep->dbloop_version || !rep->generated_at || !rep->os)
		return -DBL_ENOMEM;
	if (copy_list(&rep->localhost_resolves_to, &f->host.localhost_addrs) <
	    0)
		return -DBL_ENOMEM;
	return copy_list(&rep->warnings, &f->warnings);
}

/* "socket=/tmp/mysql.sock from /root/.my.cnf line 3" per known setting. */
static int fill_settings(struct dbl_target_report *tr,
			 const struct dbl_target *t)
{
	for (int s = 0; s < DBL_SET__COUNT; s++) {
		const struct dbl_origin *og = &t->origin[s];
		if (!og->value)
			continue;
		const char *value = s == DBL_SET_PASSWORD ? "set" : og->value;
		int rc = og->source
				 ? dbl_strlist_pushf(
					   &tr->settings, "%s=%s from %s",
					   setting_names[s], value, og->source)
				 : dbl_strlist_pushf(&tr->settings, "%s=%s",
						     setting_names[s], value);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int fill_probes(struct dbl_target_report *tr,
		       const struct dbl_probe_set *res)
{
	if (res->n == 0)
		return 0;
	tr->probes = calloc(res->n, sizeof(*tr->probes));
	if (!tr->probes)
		return -DBL_ENOMEM;
	tr->n_probes = res->n;
	for (size_t i = 0; i < res->n; i++) {
		tr->probes[i].r = res->r[i];
		tr->probes[i].cls =
			res->r[i].ok ? DBL_CLASS_OK : DBL_CLASS_UNKNOWN;
		if (!tr->product && res->r[i].product[0]) {
			tr->product = strdup(res->r[i].product);
			tr->version = strdup(res->r[i].version);
			if (!tr->product || !tr->version)
				return -DBL_ENOMEM;
		}
	}
	return 0;
}

static void probe_masks(const struct dbl_target_report *tr, unsigned *probed,
			unsigned *ok)
{
	*probed = *ok = 0;
	for (size_t i = 0; i < tr->n_probes; i++) {
		unsigned bit = DBL_TRANSPORT_BIT(tr->probes[i].r.transport);
		*probed |= bit;
		if (tr->probes[i].r.ok)
			*ok |= bit;
	}
}

static unsigned required_for(const struct dbl_target_report *tr,
			     const struct dbl_options *o)
{
	unsigned probed, ok;
	probe_masks(tr, &probed, &ok);
	return dbl_required_mask(o->require, o->require_mask, probed);
}

static bool probes_ready(const struct dbl_target_report *tr,
			 const struct dbl_options *o)
{
	unsigned probed, ok;
	probe_masks(tr, &probed, &ok);
	if (!probed)
		return false;
	switch (o->require) {
	case DBL_REQUIRE_ANY:
		return ok != 0;
	case DBL_REQUIRE_LIST:
		/* a required transport that was not probed is not ok */
		return o->require_mask &&
		       (o->require_mask & ok) == o->require_mask;
	default:
		return ok == probed;
	}
}

/* A container entrypoint's temporary init server listens on the socket
 * only and restarts with TCP seconds later. Its settings say TCP is off,
 * just like a server run without TCP on purpose; only its age tells them
 * apart. */
static bool young_socket_only(const struct dbl_target_report *tr)
{
	bool socket_ok = false, tcp_probed = false, tcp_ok = false;
	double up = -1;
	for (size_t i = 0; i < tr->n_probes; i++) {
		const struct dbl_result *r = &tr->probes[i].r;
		if (r->transport == DBL_TRANSPORT_UNIX) {
			socket_ok = socket_ok || r->ok;
		} else {
			tcp_probed = true;
			tcp_ok = tcp_ok || r->ok;
		}
		double u = dbl_server_uptime(r, 1, time(NULL));
		if (u >= 0)
			up = u;
	}
	return socket_ok && tcp_probed && !tcp_ok && up >= 0 &&
	       up < DBL_YOUNG_SERVER_S;
}

bool dbl_session_target_ready(const struct dbl_target_report *tr,
			      const struct dbl_options *o, bool wait_ready)
{
	if (!wait_ready || tr->app)
		return tr->ok;
	if (!probes_ready(tr, o))
		return false;
	/* Under the default --require any, wait for a young socket-only
	 * server to open TCP (the init server case); naming the transports
	 * with --require says the socket alone is enough. */
	if (!o->require_set && young_socket_only(tr))
		return false;
	for (size_t i = 0; i < tr->n_probes; i++)
		if (tr->probes[i].cls == DBL_CLASS_SERVER_STARTING)
			return false;
	for (size_t i = 0; i < tr->n_findings; i++)
		if (tr->findings[i].cls == DBL_CLASS_SERVER_STARTING)
			return false;
	return true;
}

const char *dbl_session_target_state(const struct dbl_target_report *tr)
{
	for (size_t i = 0; i < tr->n_findings; i++)
		if (tr->findings[i].severity == DBL_SEV_ERROR)
			return dbl_class_name(tr->findings[i].cls);
	for (size_t i = 0; i < tr->n_probes; i++)
		if (!tr->probes[i].r.ok)
			return dbl_class_name(tr->probes[i].cls);
	return tr->n_probes ? "ok" : "not_probed";
}

static int add_target_report(struct dbl_report *rep, struct dbl_session *d,
			     size_t i, const struct dbl_probe_set *res)
{
	const struct dbl_target *t = d->targets[i];
	struct dbl_target_report *tr = dbl_report_add_target(rep);
	if (!tr)
		return -DBL_ENOMEM;
	tr->engine = t->engine;
	tr->target = strdup(t->label ? t->label : "discovered");
	if (!tr->target)
		return -DBL_ENOMEM;
	int rc = fill_settings(tr, t);
	if (rc == 0)
		rc = fill_probes(tr, res);
	if (rc == 0)
		rc = dbl_classify_target(tr, t, d->facts,
					 required_for(tr, d->o));
	tr->ok = rc == 0 && tr->ok && probes_ready(tr, d->o);
	if (rc == 0)
		rc = dbl_session_app_judge(d, i, tr);
	return rc;
}

/* An engine left out of this build can be asked for; say so. */
static int note_unbuilt(struct dbl_report *rep, const struct dbl_session *d)
{
	unsigned said = 0;
	for (size_t i = 0; i < d->n_targets; i++) {
		enum dbl_engine e = d->targets[i]->engine;
		const struct dbl_probe *p = dbl_probe_for(e);
		if ((p && p->ops) || (said & (1u << e)))
			continue;
		said |= 1u << e;
		if (dbl_strlist_pushf(&rep->warnings,
				      "the %s probe is not built into this "
				      "dbloop",
				      dbl_engine_name(e)) < 0)
			return -DBL_ENOMEM;
	}
	return 0;
}

static bool any_probe_failed(const struct dbl_session *d,
			     const struct dbl_probe_set *res)
{
	for (size_t i = 0; i < d->n_targets; i++)
		for (size_t j = 0; j < res[i].n; j++)
			if (!res[i].r[j].ok)
				return true;
	return false;
}

int dbl_session_report(struct dbl_session *d, const struct dbl_probe_set *res,
		       bool server_conf, struct dbl_report **out)
{
	struct dbl_report *rep = dbl_report_new();
	int rc = rep ? 0 : -DBL_ENOMEM;
	/* The listeners and the servers' configuration explain failures: a
	 * run where every probe got through has nothing for them to explain
	 * (reading postgresql.conf, pg_hba.conf and my.cnf's tree was 1-2.5
	 * ms of a healthy run). */
	bool failed = any_probe_failed(d, res);
	if (rc == 0 && failed)
		rc = dbl_session_refresh_listeners(d);
	for (size_t i = 0; server_conf && failed && rc == 0 && i < d->n_targets;
	     i++)
		dbl_discover_server_conf(d->facts, d->targets[i], res[i].r,
					 res[i].n);
	if (rc == 0) {
		bool my = false, pg = false;
		for (size_t i = 0; i < d->n_targets; i++) {
			my = my || d->targets[i]->engine == DBL_ENGINE_MYSQL;
			pg = pg || d->targets[i]->engine == DBL_ENGINE_POSTGRES;
		}
		dbl_discover_client_versions(d->facts, my, pg);
		rc = fill_host(rep, d->facts);
	}
	if (rc == 0)
		rc = note_unbuilt(rep, d);
	for (size_t i = 0; rc == 0 && i < d->n_targets; i++)
		rc = add_target_report(rep, d, i, &res[i]);
	if (rc == 0) {
		rep->max_stage = d->o->max_stage;
		rep->ok = rep->n_targets > 0;
		for (size_t i = 0; i < rep->n_targets; i++)
			rep->ok = rep->ok && rep->targets[i].ok;
		rep->duration_ms = dbl_now_ms() - d->started_ms;
	}
	if (rc == 0 && d->o->redact) {
		rc = dbl_report_redact(rep);
		rep->redacted = true;
	}
	if (rc < 0) {
		dbl_report_free(rep);
		rep = NULL;
	}
	*out = rep;
	return rc;
}

/* --- output ---------------------------------------------------------------- */

static bool to_stdout(const struct dbl_options *o)
{
	return !o->output || strcmp(o->output, "-") == 0;
}

static void render_opts(const struct dbl_options *o, struct dbl_render_opts *ro)
{
	struct winsize ws;
	int fd = to_stdout(o) ? STDOUT_FILENO : -1;
	dbl_render_opts_init(ro, o->color, o->verbosity, fd);
	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 20)
		ro->width = ws.ws_col;
}

/* The probe that decides a target's one line: a failed one when the
 * target is not ok, else an ok one; tcp4 (what the healthcheck requires)
 * first. */
static const struct dbl_probe_report *
headline_probe(const struct dbl_target_report *tr)
{
	const struct dbl_probe_report *pick = NULL;
	for (size_t i = 0; i < tr->n_probes; i++) {
		const struct dbl_probe_report *p = &tr->probes[i];
		if (p->r.ok != tr->ok)
			continue;
		if (!pick || p->r.transport == DBL_TRANSPORT_TCP4)
			pick = p;
		if (p->r.transport == DBL_TRANSPORT_TCP4)
			break;
	}
	return pick ? pick : tr->n_probes ? &tr->probes[0] : NULL;
}

/* --healthcheck: "connection_refused: postgres tcp4 127.0.0.1:5432 (...)" */
static void write_one_line(const struct dbl_report *rep, struct dbl_buf *b)
{
	if (rep->n_targets == 0)
		dbl_buf_puts(b, "unknown: no target to check\n");
	for (size_t i = 0; i < rep->n_targets; i++) {
		const struct dbl_target_report *tr = &rep->targets[i];
		const struct dbl_probe_report *p = headline_probe(tr);
		dbl_buf_printf(b, "%s: %s",
			       tr->ok ? "ok" : dbl_session_target_state(tr),
			       dbl_engine_name(tr->engine));
		if (p)
			dbl_buf_printf(b, " %s %s",
				       dbl_transport_name(p->r.transport),
				       p->r.address);
		if (tr->ok && tr->product)
			dbl_buf_printf(b, " %s", tr->product);
		if (tr->ok && tr->version && *tr->version)
			dbl_buf_printf(b, " %s", tr->version);
		dbl_buf_printf(b, " (%s)\n", tr->target);
	}
}

static int render(const struct dbl_report *rep, const struct dbl_options *o,
		  bool healthcheck, struct dbl_buf *b)
{
	struct dbl_render_opts ro;
	render_opts(o, &ro);
	if (healthcheck && o->format == DBL_FORMAT_TEXT) {
		write_one_line(rep, b);
		return 0;
	}
	return dbl_report_render(rep, o->format, &ro, b);
}

int dbl_session_output(const struct dbl_report *rep,
		       const struct dbl_options *o, bool healthcheck, char *err,
		       size_t errlen)
{
	struct dbl_buf b = {0};
	int rc = render(rep, o, healthcheck, &b);
	if (rc == 0 && b.oom)
		rc = -DBL_ENOMEM;
	if (rc == 0 && to_stdout(o)) {
		if (b.len && (fwrite(b.data, 1, b.len, stdout) != b.len ||
			      fflush(stdout) != 0)) {
			snprintf(err, errlen,
				 "cannot write the report to "
				 "standard output");
			rc = -DBL_EIO;
		}
	} else if (rc == 0) {
		rc = dbl_write_file_atomic(o->output, b.data ? b.data : "",
					   b.len, err, errlen);
	}
	dbl_buf_release(&b);
	return rc;
}

int dbl_exit_code_for(int rc)
{
	if (rc >= 0)
		return rc;
	switch (-rc) {
	case DBL_ECANCELED:
		return dbl_signals_exit_code() ? dbl_signals_exit_code() : 130;
	case DBL_EUSAGE:
	case DBL_EIO:
		return 2;
	default:
		return 3;
	}
}

int dbl_session_fail(int rc, const char *err)
{
	if (rc != -DBL_ECANCELED) {
		const char *what = err && *err	       ? err
				   : rc == -DBL_ENOMEM ? "out of memory"
				   : rc == -DBL_EIO ? "cannot write the report"
						    : "internal error";
		fprintf(stderr, "dbloop: %s\n", what);
	}
	return dbl_exit_code_for(rc);
}
