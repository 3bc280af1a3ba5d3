/* Runs every (target x transport) probe in its own thread, all at once,
 * each bounded by its target's deadline; and the resolve/connect stages the
 * probes share. */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbloop/probe.h"
#include "dbloop/util.h"
#include "probes/net.h"
#include "probes/probes.h"

void dbl_probe_stage_begin(struct dbl_result *r, enum dbl_stage s,
			   double *started_ms)
{
	r->stage = s;
	*started_ms = dbl_now_ms();
}

void dbl_probe_stage_end(struct dbl_result *r, double started_ms)
{
	r->stage_ms[r->stage] += dbl_now_ms() - started_ms;
}

void dbl_probe_fail_errno(struct dbl_result *r, int err, const char *what,
			  const char *where)
{
	r->sys_errno = err;
	if (err == ETIMEDOUT)
		r->timed_out = true;
	snprintf(r->message, sizeof(r->message), "%s '%s' failed: %s", what,
		 where, err == ECANCELED ? "canceled" : strerror(err));
}

/* The host part of the report address of a TCP transport. */
static const char *transport_host(const struct dbl_probe_ctx *ctx)
{
	switch (ctx->transport) {
	case DBL_TRANSPORT_TCP4:
		return "127.0.0.1";
	case DBL_TRANSPORT_TCP6:
		return "::1";
	case DBL_TRANSPORT_LOCALHOST:
		return "localhost";
	default:
		return ctx->target->host ? ctx->target->host : "localhost";
	}
}

void dbl_probe_set_address(const struct dbl_probe_ctx *ctx, int port,
			   struct dbl_result *r)
{
	const char *host = transport_host(ctx);

	if (ctx->transport == DBL_TRANSPORT_UNIX)
		dbl_strlcpy(r->address,
			    ctx->target->socket_path ? ctx->target->socket_path
						     : "",
			    sizeof(r->address));
	else if (strchr(host, ':'))
		snprintf(r->address, sizeof(r->address), "[%s]:%d", host, port);
	else
		snprintf(r->address, sizeof(r->address), "%s:%d", host, port);
}

/* Resolve stage: the addresses to try, in order. 0 or -1 (recorded). */
static int probe_resolve(const struct dbl_probe_ctx *ctx, int port,
			 struct dbl_result *r, struct dbl_net_addr *addrs,
			 int *n)
{
	const struct dbl_target *t = ctx->target;
	int rc = 0, sys_err = 0;

	*n = 0;
	if (ctx->transport == DBL_TRANSPORT_UNIX) {
		if (!t->socket_path || !t->socket_path[0]) {
			dbl_strlcpy(r->message, "no socket path to probe",
				    sizeof(r->message));
			return -1;
		}
		rc = dbl_net_addr_unix(&addrs[0], t->socket_path);
		if (rc < 0) {
			dbl_probe_fail_errno(r, -rc, "socket path",
					     t->socket_path);
			return -1;
		}
		*n = 1;
		return 0;
	}
	if (ctx->transport == DBL_TRANSPORT_TCP4 ||
	    ctx->transport == DBL_TRANSPORT_TCP6) {
		dbl_net_addr_ip(&addrs[0], transport_host(ctx), port);
		*n = 1;
		return 0;
	}
	rc = dbl_net_resolve(transport_host(ctx), port, addrs,
			     DBL_NET_MAX_ADDRS, n, ctx->deadline_ms,
			     ctx->cancel, &sys_err);
	if (rc == EAI_SYSTEM && sys_err) {
		dbl_probe_fail_errno(r, sys_err, "resolve",
				     transport_host(ctx));
		return -1;
	}
	if (rc != 0) {
		r->eai_error = rc;
		snprintf(r->message, sizeof(r->message),
			 "could not resolve '%s': %s", transport_host(ctx),
			 gai_strerror(rc));
		return -1;
	}
	return 0;
}

/* One connect attempt, recorded. The socket or -errno. */
static int connect_one(const struct dbl_probe_ctx *ctx,
		       const struct dbl_net_addr *a, struct dbl_result *r)
{
	double t0 = dbl_now_ms();
	int fd = dbl_net_connect(a, ctx->deadline_ms, ctx->cancel);

	dbl_result_add_attempt(r, a->shown, fd < 0 ? -fd : 0,
			       dbl_now_ms() - t0);
	return fd;
}

int dbl_probe_resolve(const struct dbl_probe_ctx *ctx, int port,
		      struct dbl_result *r, struct dbl_net_addr *addrs, int *n)
{
	double t0;

	dbl_probe_stage_begin(r, DBL_STAGE_RESOLVE, &t0);
	int rc = probe_resolve(ctx, port, r, addrs, n);
	dbl_probe_stage_end(r, t0);
	return rc < 0 ? -1 : 0;
}

int dbl_probe_connect(const struct dbl_probe_ctx *ctx, int port,
		      struct dbl_result *r, struct dbl_net_addr *connected)
{
	struct dbl_net_addr addrs[DBL_NET_MAX_ADDRS];
	int n = 0, fd = -1;
	double t0;

	if (dbl_probe_resolve(ctx, port, r, addrs, &n) < 0)
		return -1;
	dbl_probe_stage_begin(r, DBL_STAGE_CONNECT, &t0);
	for (int i = 0; i < n; i++) {
		fd = connect_one(ctx, &addrs[i], r);
		if (fd >= 0) {
			*connected = addrs[i];
			break;
		}
		/* The report keeps the first failure, as libpq shows it. */
		if (i == 0 || r->sys_errno == 0)
			dbl_probe_fail_errno(r, -fd, "connect to",
					     addrs[i].shown);
		if (fd == -ECANCELED || fd == -ETIMEDOUT)
			break;
	}
	dbl_probe_stage_end(r, t0);
	if (fd >= 0) {
		r->sys_errno = 0;
		r->timed_out = false;
		r->message[0] = '\0';
	}
	return fd < 0 ? -1 : fd;
}

int dbl_probe_reconnect(const struct dbl_probe_ctx *ctx,
			const struct dbl_net_addr *a, struct dbl_result *r)
{
	int fd = dbl_net_connect(a, ctx->deadline_ms, ctx->cancel);

	if (fd < 0)
		dbl_probe_fail_errno(r, -fd, "connect to", a->shown);
	return fd < 0 ? -1 : fd;
}

struct dbl_probe_ctx dbl_probe_login_budget(const struct dbl_probe_ctx *ctx)
{
	struct dbl_probe_ctx capped = *ctx;
	double now = dbl_now_ms();

	/* A slow login (LDAP, PAM, a loaded server) keeps most of the time;
	 * the last quarter is what the stages by hand need to tell a silent
	 * listener from one that speaks another protocol. */
	if (capped.deadline_ms > now)
		capped.deadline_ms = now + (ctx->deadline_ms - now) * 3 / 4;
	return capped;
}

void dbl_probe_login_proved(struct dbl_result *r, const struct dbl_net_addr *a)
{
	/* The login's own time is auth's; these stages ran inside it. */
	dbl_result_add_attempt(r, a->shown, 0, 0);
}

void dbl_probe_reset(struct dbl_result *r)
{
	int target_index = r->target_index;
	char address[DBL_ADDR_MAX];

	dbl_strlcpy(address, r->address, sizeof(address));
	dbl_result_init(r, r->engine, r->transport, r->max_stage);
	r->target_index = target_index;
	dbl_strlcpy(r->address, address, sizeof(r->address));
}

void dbl_probe_login_set_aside(struct dbl_result *r,
			       const struct dbl_net_addr *a,
			       struct dbl_result **failed)
{
	struct dbl_result *copy = malloc(sizeof(*copy));

	if (copy) {
		*copy = *r;
		dbl_strlcpy(copy->address, a->shown, sizeof(copy->address));
	}
	*failed = copy;
	dbl_probe_reset(r);
}

bool dbl_probe_adopt_login(struct dbl_result *r,
			   const struct dbl_result *failed,
			   const struct dbl_net_addr *connected)
{
	/* Out of budget (or canceled) is no answer: log in again. */
	if (!failed || failed->timed_out || failed->sys_errno == ECANCELED ||
	    strcmp(failed->address, connected->shown) != 0)
		return false;
	r->stage = DBL_STAGE_AUTH;
	r->stage_ms[DBL_STAGE_AUTH] = failed->stage_ms[DBL_STAGE_AUTH];
	r->sys_errno = failed->sys_errno;
	r->timed_out = failed->timed_out;
	r->server_error = failed->server_error;
	r->client_error = failed->client_error;
	r->wrapped_error = failed->wrapped_error;
	r->tls_used = failed->tls_used;
	dbl_strlcpy(r->sqlstate, failed->sqlstate, sizeof(r->sqlstate));
	dbl_strlcpy(r->message, failed->message, sizeof(r->message));
	if (failed->auth_method[0])
		dbl_strlcpy(r->auth_method, failed->auth_method,
			    sizeof(r->auth_method));
	return true;
}

/* Threads waiting for another probe's outcome (the localhost reuse). */
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;

/* One probe thread's work. */
struct probe_job {
	pthread_t tid;
	bool started;
	const struct dbl_probe *probe;
	struct dbl_probe_ctx ctx;
	struct dbl_result *out;
	int rc;
	bool done; /* under done_lock */
	/* localhost: the same target's tcp4 and tcp6 jobs, NULL when none;
	 * source: the one whose outcome it took. */
	struct probe_job *tcp4, *tcp6, *source;
};

/* Whether the localhost probe would send what the tcp4/tcp6 probe sent
 * but for the host name: no password left to a .pgpass line (libpq
 * matches it by host name), no verify-full (which checks the name). The
 * address, port, user, database and TLS mode are the target's, the
 * same for both. libpq also sends the name as SNI, which PostgreSQL
 * servers do not read. */
static bool same_parameters(const struct dbl_target *t)
{
	if (t->ssl_mode == DBL_SSL_VERIFY_FULL)
		return false;
	return t->engine != DBL_ENGINE_POSTGRES ||
	       (t->password && *t->password);
}

/* The job whose outcome localhost may take: the one for the first
 * address localhost resolves to. NULL when none applies. */
static struct probe_job *reuse_candidate(const struct probe_job *j)
{
	if (j->ctx.transport != DBL_TRANSPORT_LOCALHOST ||
	    !(j->tcp4 || j->tcp6) || !same_parameters(j->ctx.target))
		return NULL;
	struct dbl_net_addr addrs[DBL_NET_MAX_ADDRS];
	int n = 0, sys_err = 0;
	int port = j->ctx.target->port ? j->ctx.target->port
				       : j->probe->default_port;
	if (dbl_net_resolve("localhost", port, addrs, DBL_NET_MAX_ADDRS, &n,
			    j->ctx.deadline_ms, j->ctx.cancel, &sys_err) != 0 ||
	    n < 1)
		return NULL;
	if (strcmp(addrs[0].ip, "127.0.0.1") == 0)
		return j->tcp4;
	if (strcmp(addrs[0].ip, "::1") == 0)
		return j->tcp6;
	return NULL;
}

/* j's result becomes sib's, but for what names j's endpoint. */
static void take_outcome(struct probe_job *j, struct probe_job *sib)
{
	const struct dbl_result *s = sib->out;
	char address[DBL_ADDR_MAX];
	dbl_strlcpy(address, j->out->address, sizeof(address));
	int target_index = j->out->target_index;
	*j->out = *s;
	j->out->transport = DBL_TRANSPORT_LOCALHOST;
	j->out->target_index = target_index;
	dbl_strlcpy(j->out->address, address, sizeof(j->out->address));
	j->out->reused = true;
	j->out->reused_from = s->transport;
	j->source = sib;
}

/* Waits for sib; takes its outcome when it logged in (a connection to
 * localhost would have stopped at that first address too) or ran out of
 * time there (so would ours: same address, same deadline). */
static bool reuse_outcome(struct probe_job *j, struct probe_job *sib)
{
	pthread_mutex_lock(&done_lock);
	while (!sib->done)
		pthread_cond_wait(&done_cond, &done_lock);
	pthread_mutex_unlock(&done_lock);
	const struct dbl_result *s = sib->out;
	if (sib->rc < 0 || !(s->ok || s->timed_out))
		return false;
	take_outcome(j, sib);
	return true;
}

static void *probe_thread(void *arg)
{
	struct probe_job *j = arg;
	double t0 = dbl_now_ms();
	struct probe_job *sib = reuse_candidate(j);

	if (!sib || !reuse_outcome(j, sib)) {
		j->rc = j->probe->ops->run(&j->ctx, j->out);
		j->out->elapsed_ms = dbl_now_ms() - t0;
	}
	pthread_mutex_lock(&done_lock);
	j->done = true;
	pthread_cond_broadcast(&done_cond);
	pthread_mutex_unlock(&done_lock);
	return NULL;
}

/* Links each localhost job to its target's tcp4 and tcp6 jobs. */
static void link_siblings(struct probe_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (jobs[i].ctx.transport != DBL_TRANSPORT_LOCALHOST)
			continue;
		for (size_t k = 0; k < n; k++) {
			if (jobs[k].ctx.target != jobs[i].ctx.target)
				continue;
			if (jobs[k].ctx.transport == DBL_TRANSPORT_TCP4)
				jobs[i].tcp4 = &jobs[k];
			if (jobs[k].ctx.transport == DBL_TRANSPORT_TCP6)
				jobs[i].tcp6 = &jobs[k];
		}
	}
}

/* Fills the result of a probe that cannot run (engine not built). */
static void result_not_built(const struct dbl_probe *p, struct dbl_result *r)
{
	snprintf(r->message, sizeof(r->message),
		 "%s probe not built into this dbloop", p->name);
}

/* Prepares the jobs in target then transport order; the count, or
 * -DBL_EINVAL when results is too small. */
static long plan_jobs(struct dbl_target *const *targets, size_t n_targets,
		      const volatile int *cancel, struct dbl_result *results,
		      size_t n_results, struct probe_job *jobs, double now)
{
	size_t n = 0;

	for (size_t i = 0; i < n_targets; i++) {
		const struct dbl_target *t = targets[i];
		const struct dbl_probe *p = dbl_probe_for(t->engine);
		for (int tr = 0; p && tr < DBL_TRANSPORT__COUNT; tr++) {
			if (!(t->transports & p->transports &
			      DBL_TRANSPORT_BIT(tr)))
				continue;
			if (n >= n_results)
				return -DBL_EINVAL;
			struct probe_job *j = &jobs[n];
			j->probe = p;
			j->ctx = (struct dbl_probe_ctx){
				.target = t,
				.transport = (enum dbl_transport)tr,
				.deadline_ms = now + t->timeout_ms,
				.cancel = cancel};
			j->out = &results[n++];
			dbl_result_init(j->out, t->engine, j->ctx.transport,
					t->max_stage);
			j->out->target_index = (int)i;
			dbl_probe_set_address(
				&j->ctx, t->port ? t->port : p->default_port,
				j->out);
		}
	}
	return (long)n;
}

/* Whether another job of j's target did not end ok. */
static bool sibling_failed(const struct probe_job *jobs, size_t n,
			   const struct probe_job *j)
{
	for (size_t k = 0; k < n; k++)
		if (&jobs[k] != j && jobs[k].ctx.target == j->ctx.target &&
		    !jobs[k].out->ok)
			return true;
	return false;
}

/* The probes' revisit (dbloop/probe.h), one job after the other once all
 * are done; a localhost job that took another's outcome takes it again. */
static int revisit_jobs(struct probe_job *jobs, size_t n)
{
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		struct probe_job *j = &jobs[i];
		if (!j->started || j->rc < 0 || j->source || !j->out->ok ||
		    !j->probe->ops->revisit ||
		    dbl_net_canceled(j->ctx.cancel) ||
		    !sibling_failed(jobs, n, j))
			continue;
		int rc = j->probe->ops->revisit(&j->ctx, j->out);
		if (rc < 0)
			return rc;
		any = true;
	}
	for (size_t i = 0; any && i < n; i++)
		if (jobs[i].source)
			take_outcome(&jobs[i], jobs[i].source);
	return 0;
}

static void cleanup_probes(const bool *inited)
{
	for (size_t i = 0; dbl_probes[i]; i++)
		if (inited[i] && dbl_probes[i]->ops->global_cleanup)
			dbl_probes[i]->ops->global_cleanup();
}

/* A probe thread's stack: libpq, libmariadb (whose non-blocking calls run
 * on a stack of their own) and OpenSSL need far less than the 8 MiB
 * default, which only inflates the address space. */
#define PROBE_STACK_SIZE (512 * 1024)

static bool probe_used(const struct probe_job *jobs, size_t n,
		       const struct dbl_probe *p)
{
	for (size_t k = 0; k < n; k++)
		if (jobs[k].probe == p)
			return true;
	return false;
}

/* The threads of probe p's jobs. */
static int start_jobs_of(struct probe_job *jobs, size_t n,
			 const struct dbl_probe *p, const pthread_attr_t *attr)
{
	for (size_t i = 0; i < n; i++) {
		if (jobs[i].probe != p)
			continue;
		if (!p->ops) {
			result_not_built(p, jobs[i].out);
			continue;
		}
		if (pthread_create(&jobs[i].tid, attr, probe_thread,
				   &jobs[i]) != 0)
			return -DBL_ENOMEM;
		jobs[i].started = true;
	}
	return 0;
}

/* Probe by probe in the table's order (PostgreSQL first: its SCRAM logins
 * take longest), its global_init, once, then its jobs' threads; so the
 * next probe's global_init (mysql_library_init, which must come before
 * that probe's threads) runs while they log in. */
static int start_jobs(struct probe_job *jobs, size_t n, bool *inited)
{
	pthread_attr_t attr;
	int rc = 0;

	if (pthread_attr_init(&attr) != 0)
		return -DBL_ENOMEM;
	pthread_attr_setstacksize(&attr, PROBE_STACK_SIZE);
	for (size_t i = 0; rc == 0 && dbl_probes[i]; i++) {
		const struct dbl_probe *p = dbl_probes[i];
		if (!probe_used(jobs, n, p))
			continue;
		if (p->ops && p->ops->global_init) {
			rc = p->ops->global_init();
			inited[i] = rc == 0;
		}
		if (rc == 0)
			rc = start_jobs_of(jobs, n, p, &attr);
	}
	pthread_attr_destroy(&attr);
	return rc;
}

int dbl_run_probes(struct dbl_target *const *targets, size_t n_targets,
		   const volatile int *cancel, struct dbl_result *results,
		   size_t n_results, size_t *n_out)
{
	struct probe_job *jobs =
		calloc(n_results ? n_results : 1, sizeof(*jobs));
	bool inited[DBL_ENGINE__COUNT + 1] = {0};
	long n;
	int rc = 0;

	*n_out = 0;
	if (!jobs)
		return -DBL_ENOMEM;
	n = plan_jobs(targets, n_targets, cancel, results, n_results, jobs,
		      dbl_now_ms());
	if (n < 0) {
		free(jobs);
		return (int)n;
	}
	link_siblings(jobs, (size_t)n);
	rc = start_jobs(jobs, (size_t)n, inited);
	for (long i = 0; i < n; i++) {
		if (!jobs[i].started)
			continue;
		pthread_join(jobs[i].tid, NULL);
		if (rc == 0 && jobs[i].rc < 0)
			rc = jobs[i].rc;
	}
	if (rc == 0)
		rc = revisit_jobs(jobs, (size_t)n);
	cleanup_probes(inited);
	free(jobs);
	*n_out = (size_t)n;
	if (rc == 0 && dbl_net_canceled(cancel))
		rc = -DBL_ECANCELED;
	return rc;
}
