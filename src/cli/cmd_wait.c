/* dbloop wait: retry every target with exponential backoff until each is
 * ready or the deadline passes; on timeout print the diagnosis of the last
 * attempt. Targets are probed together, each on its own schedule. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "session/session.h"
#include "util/signals.h"

#define FIRST_DELAY_MS 100

struct wait_target {
	bool ready;
	int attempts;
	int delay_ms;	   /* next pause after a failed attempt */
	double next_ms;	   /* when the next attempt is due */
	double ready_ms;   /* time it took, once ready */
	const char *state; /* class of the last attempt (static string) */
};

struct waiter {
	const struct dbl_cli *c;
	struct dbl_session s;
	struct dbl_probe_set *res;
	struct wait_target *w;
	bool *due;
	struct dbl_report *last; /* report of the latest attempt */
	double start_ms, deadline_ms;
	bool tty; /* stderr is a terminal: one line redrawn */
	bool line_drawn;
};

/* How a target is named in wait's lines: its URL as given (password
 * removed, redacted with --redact), or its engine when discovered. */
static const char *label_of(const struct waiter *wt, size_t i)
{
	const char *label = wt->s.targets[i]->label;
	if (wt->last && i < wt->last->n_targets)
		label = wt->last->targets[i].target;
	if (!label || strcmp(label, "discovered") == 0)
		return dbl_engine_name(wt->s.targets[i]->engine);
	return label;
}

static double elapsed_s(const struct waiter *wt)
{
	return (dbl_now_ms() - wt->start_ms) / 1000.0;
}

static void clear_line(struct waiter *wt)
{
	if (wt->line_drawn)
		fputs("\r\033[K", stderr);
	wt->line_drawn = false;
}

/* Terminal: the first pending target's line, redrawn in place. */
static void draw_line(struct waiter *wt)
{
	size_t pending = 0, first = 0;
	for (size_t i = wt->s.n_targets; i-- > 0;)
		if (!wt->w[i].ready) {
			pending++;
			first = i;
		}
	if (!pending)
		return;
	char line[256];
	int n = snprintf(line, sizeof(line),
			 "waiting for %s: attempt %d, %s, %.1fs",
			 label_of(wt, first), wt->w[first].attempts,
			 wt->w[first].state, elapsed_s(wt));
	if (pending > 1 && n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, " (+%zu more)",
			 pending - 1);
	fprintf(stderr, "\r\033[K%.79s", line);
	fflush(stderr);
	wt->line_drawn = true;
}

/* Not a terminal: one line per change of state, nothing per attempt. */
static void note_change(struct waiter *wt, size_t i, const char *old)
{
	if (wt->c->o.verbosity < 0 || wt->tty)
		return;
	if (old && strcmp(old, wt->w[i].state) == 0)
		return;
	fprintf(stderr, "dbloop: %s: %s (attempt %d, %.1fs)\n", label_of(wt, i),
		wt->w[i].state, wt->w[i].attempts, elapsed_s(wt));
}

/* Marks which targets are due now; returns how many. */
static size_t mark_due(struct waiter *wt)
{
	size_t n = 0;
	double now = dbl_now_ms();
	for (size_t i = 0; i < wt->s.n_targets; i++) {
		wt->due[i] = !wt->w[i].ready && wt->w[i].next_ms <= now;
		n += wt->due[i];
	}
	return n;
}

static void after_attempt(struct waiter *wt, size_t i)
{
	struct wait_target *w = &wt->w[i];
	const struct dbl_target_report *tr = &wt->last->targets[i];
	const char *old = w->attempts ? w->state : NULL;
	w->attempts++;
	w->ready = dbl_session_target_ready(tr, &wt->c->o, true);
	w->state = w->ready ? "ready" : dbl_session_target_state(tr);
	double now = dbl_now_ms();
	if (w->ready) {
		w->ready_ms = now - wt->start_ms;
	} else {
		w->next_ms = now + w->delay_ms;
		w->delay_ms = w->delay_ms * 2 > wt->c->o.interval_ms
				      ? wt->c->o.interval_ms
				      : w->delay_ms * 2;
	}
	note_change(wt, i, old);
}

/* Probes the due targets and rebuilds the report of the latest results. */
static int attempt(struct waiter *wt)
{
	struct dbl_report *rep = NULL;
	int rc = dbl_session_probe(&wt->s, wt->due, wt->res, wt->deadline_ms);
	if (rc == 0)
		rc = dbl_session_report(&wt->s, wt->res, false, &rep);
	if (rc < 0)
		return rc;
	dbl_report_free(wt->last);
	wt->last = rep;
	for (size_t i = 0; i < wt->s.n_targets && i < rep->n_targets; i++)
		if (wt->due[i])
			after_attempt(wt, i);
	if (wt->tty && wt->c->o.verbosity >= 0)
		draw_line(wt);
	return 0;
}

static bool all_ready(const struct waiter *wt)
{
	for (size_t i = 0; i < wt->s.n_targets; i++)
		if (!wt->w[i].ready)
			return false;
	return true;
}

/* Sleeps until the next target is due or the deadline; on a terminal the
 * progress line keeps ticking. -DBL_ECANCELED on a signal. */
static int pause_until_due(struct waiter *wt)
{
	double next = wt->deadline_ms;
	for (size_t i = 0; i < wt->s.n_targets; i++)
		if (!wt->w[i].ready && wt->w[i].next_ms < next)
			next = wt->w[i].next_ms;
	while (dbl_now_ms() < next) {
		int ms = dbl_ms_left(next);
		if (wt->tty && ms > 250)
			ms = 250;
		if (dbl_signals_sleep_ms(ms))
			return -DBL_ECANCELED;
		if (wt->tty && wt->c->o.verbosity >= 0)
			draw_line(wt);
	}
	return 0;
}

static int wait_loop(struct waiter *wt)
{
	for (;;) {
		int rc = 0;
		if (mark_due(wt) > 0)
			rc = attempt(wt);
		if (rc == 0 && dbl_cancel)
			rc = -DBL_ECANCELED;
		if (rc < 0 || all_ready(wt))
			return rc;
		if (dbl_now_ms() >= wt->deadline_ms)
			return 1;
		if ((rc = pause_until_due(wt)) < 0)
			return rc;
	}
}

/* Ready: one line per target with the time it took; the report too when
 * -o asks for one (CI keeps it as an artifact). */
static int on_ready(struct waiter *wt)
{
	const struct dbl_options *o = &wt->c->o;
	/* with a command to run, keep its stdout for its own output */
	FILE *out = o->exec_argv ? stderr : stdout;
	char err[512] = "";
	if (o->verbosity >= 0)
		for (size_t i = 0; i < wt->s.n_targets; i++)
			fprintf(out, "%s: ready after %.2fs (%d attempt%s)\n",
				label_of(wt, i), wt->w[i].ready_ms / 1000.0,
				wt->w[i].attempts,
				wt->w[i].attempts == 1 ? "" : "s");
	fflush(out);
	if (o->output && strcmp(o->output, "-") != 0) {
		int rc = dbl_session_output(wt->last, o, false, err,
					    sizeof(err));
		if (rc < 0)
			return dbl_session_fail(rc, err);
	}
	return 0;
}

/* Timed out: the full diagnosis of the last attempt, in the chosen
 * format, with the servers' configuration read this time. */
static int on_timeout(struct waiter *wt)
{
	struct dbl_report *rep = NULL;
	char err[512] = "";
	fprintf(stderr, "dbloop: timed out after %.1fs waiting for ",
		elapsed_s(wt));
	for (size_t i = 0, k = 0; i < wt->s.n_targets; i++)
		if (!wt->w[i].ready)
			fprintf(stderr, "%s%s (%s)", k++ ? ", " : "",
				label_of(wt, i), wt->w[i].state);
	fputc('\n', stderr);
	int rc = dbl_session_report(&wt->s, wt->res, true, &rep);
	if (rc == 0 && dbl_cancel)
		rc = -DBL_ECANCELED;
	if (rc == 0)
		rc = dbl_session_output(rep, &wt->c->o, wt->c->healthcheck, err,
					sizeof(err));
	dbl_report_free(rep);
	return rc < 0 ? dbl_session_fail(rc, err) : 1;
}

/* Replaces dbloop with the command, as a shell would: 127 when it is not
 * found, 126 when it cannot be run. */
static int exec_command(char **argv)
{
	dbl_signals_restore();
	fflush(NULL);
	execvp(argv[0], argv);
	int err = errno;
	fprintf(stderr, "dbloop: cannot run '%s': %s\n", argv[0],
		strerror(err));
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

static int waiter_init(struct waiter *wt, const struct dbl_cli *c, char *err,
		       size_t errlen)
{
	memset(wt, 0, sizeof(*wt));
	wt->c = c;
	wt->start_ms = dbl_now_ms();
	wt->deadline_ms = wt->start_ms + c->o.wait_timeout_ms;
	wt->tty = isatty(STDERR_FILENO) != 0;
	int rc = dbl_session_init(&wt->s, &c->o, &dbl_cancel, err, errlen);
	if (rc < 0)
		return rc;
	size_t n = wt->s.n_targets + 1;
	wt->res = calloc(n, sizeof(*wt->res));
	wt->w = calloc(n, sizeof(*wt->w));
	wt->due = calloc(n, sizeof(*wt->due));
	if (!wt->res || !wt->w || !wt->due)
		return -DBL_ENOMEM;
	int first = c->o.interval_ms < FIRST_DELAY_MS ? c->o.interval_ms
						      : FIRST_DELAY_MS;
	for (size_t i = 0; i < wt->s.n_targets; i++) {
		wt->w[i].delay_ms = first;
		wt->w[i].state = "not_probed";
	}
	return 0;
}

static void waiter_release(struct waiter *wt)
{
	dbl_report_free(wt->last);
	if (wt->res)
		dbl_probe_sets_release(wt->res, wt->s.n_targets);
	free(wt->res);
	free(wt->w);
	free(wt->due);
	dbl_session_release(&wt->s);
}

static int wait_for(const struct dbl_cli *c)
{
	struct waiter wt;
	char err[512] = "";
	int rc = waiter_init(&wt, c, err, sizeof(err));
	if (rc == 0 && wt.s.n_targets == 0) {
		fprintf(stderr, "dbloop: nothing to wait for: no target was "
				"found\n");
		waiter_release(&wt);
		return 1;
	}
	if (rc == 0)
		rc = wait_loop(&wt);
	clear_line(&wt);
	int status = rc < 0    ? dbl_session_fail(rc, err)
		     : rc == 1 ? on_timeout(&wt)
			       : on_ready(&wt);
	waiter_release(&wt);
	if (rc == 0 && status == 0 && c->o.exec_argv)
		return exec_command(c->o.exec_argv);
	return status;
}

int dbl_cmd_wait(int argc, char **argv)
{
	struct dbl_cli c;
	int status = 0;
	if (dbl_cli_start(&c, DBL_CLI_WAIT, argc, argv, &status))
		status = wait_for(&c);
	dbl_cli_release(&c);
	return status;
}
