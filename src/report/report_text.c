/* Text report for a person at a terminal: the answer first (one line per
 * target: its verdict and the first command to run), then per target a
 * short header (status, server, where each setting came from), the
 * transport x stage matrix, then the findings worst first with their fixes
 * and the commands ready to paste. -q gives one line per finding, -v adds
 * the per-probe evidence lines, every address tried, per-stage timings and
 * the raw driver messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_common.h"

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

struct tw {
	const struct dbl_render_opts *ro;
	struct dbl_buf *out;
	enum dbl_stage last; /* last matrix column */
};

static const char *col(const struct tw *w, const char *code)
{
	return w->ro->color ? code : "";
}

static const char *sev_color(enum dbl_severity s)
{
	return s == DBL_SEV_ERROR     ? C_RED
	       : s == DBL_SEV_WARNING ? C_YELLOW
				      : C_CYAN;
}

/* Untrusted text cleaned for this terminal; caller frees. */
static char *clean(const struct tw *w, const char *s)
{
	struct dbl_buf b = {0};
	dbl_rc_clean(&b, s, dbl_rc_display_mode(w->ro->utf8));
	return dbl_buf_detach(&b);
}

/* Wraps cleaned text under a label: "    fix: text..." */
static void wrapped(const struct tw *w, const char *prefix1,
		    const char *prefix2, const char *text)
{
	char *c = clean(w, text);
	dbl_rc_wrap(w->out, c ? c : "", prefix1, prefix2, w->ro->width);
	free(c);
}

/* "  label     " padded to n columns from the left margin. */
static void labelled(const struct tw *w, const char *label, size_t n,
		     const char *text)
{
	char p1[64], p2[64];
	snprintf(p1, sizeof(p1), "%-*s", (int)n, label);
	snprintf(p2, sizeof(p2), "%-*s", (int)n, "");
	wrapped(w, p1, p2, text);
}

static void put_status(const struct tw *w, const struct dbl_target_report *tr)
{
	int count[DBL_SEV__COUNT] = {0};
	bool all_ok = true, healthy = dbl_rc_target_healthy(tr);
	for (size_t i = 0; i < tr->n_findings; i++)
		if (tr->findings[i].severity < DBL_SEV__COUNT)
			count[tr->findings[i].severity]++;
	for (size_t i = 0; i < tr->n_probes; i++)
		all_ok = all_ok && tr->probes[i].r.ok;
	dbl_buf_printf(w->out, "  status    %s%s %s",
		       col(w, healthy ? C_GREEN : C_RED),
		       dbl_rc_cell_glyph(healthy ? DBL_CELL_OK : DBL_CELL_FAIL,
					 w->ro->utf8),
		       healthy ? "ok" : "problems found");
	dbl_buf_puts(w->out, col(w, C_RESET));
	if (healthy && all_ok && tr->n_probes)
		dbl_buf_puts(w->out, ": every transport works");
	else if (healthy && tr->n_probes)
		dbl_buf_puts(w->out, ": the required transports work");
	static const char *const names[] = {"info", "warning", "error"};
	for (int s = DBL_SEV__COUNT - 1; s >= 0; s--)
		if (count[s])
			dbl_buf_printf(w->out, ", %d %s%s", count[s], names[s],
				       count[s] > 1 && s ? "s" : "");
	dbl_buf_puts(w->out, "\n");
}

static void put_header(const struct tw *w, const struct dbl_target_report *tr)
{
	char *label = clean(w, tr->target ? tr->target : "discovered");
	struct dbl_buf first = {0};
	dbl_buf_printf(&first, "%s%s%s  ", col(w, C_BOLD),
		       dbl_engine_name(tr->engine), col(w, C_RESET));
	dbl_rc_wrap(w->out, label ? label : "", first.data ? first.data : "",
		    "  ", w->ro->width);
	dbl_buf_release(&first);
	free(label);
	put_status(w, tr);
	char *server = dbl_rc_server_name(tr);
	labelled(w, "  server", 12, server ? server : "none reached");
	free(server);
	for (size_t i = 0; i < tr->settings.n; i++)
		labelled(w, i ? "" : "  settings", 12, tr->settings.items[i]);
}

/* "tcp4  127.0.0.1:5432": the row label of a probe. Caller frees. */
static char *row_label(const struct tw *w, const struct dbl_result *r,
		       size_t tw)
{
	struct dbl_buf b = {0};
	dbl_buf_printf(&b, "%-*s  ", (int)tw, dbl_transport_name(r->transport));
	dbl_rc_address(r, w->ro->utf8, &b);
	return dbl_buf_detach(&b);
}

static size_t stage_block_width(enum dbl_stage last)
{
	size_t n = 0;
	for (int s = 0; s <= (int)last; s++)
		n += strlen(dbl_stage_name((enum dbl_stage)s)) + (s ? 1 : 0);
	return n;
}

static void put_cells(const struct tw *w, const struct dbl_probe_report *p)
{
	static const char *const colors[] = {C_GREEN, C_RED, C_DIM};
	for (int s = 0; s <= (int)w->last; s++) {
		size_t hw = strlen(dbl_stage_name((enum dbl_stage)s));
		enum dbl_cell c = dbl_rc_cell(&p->r, (enum dbl_stage)s);
		dbl_rc_pad(w->out, (s ? 1 : 0) + (hw - 1) / 2);
		dbl_buf_printf(w->out, "%s%s%s", col(w, colors[c]),
			       dbl_rc_cell_glyph(c, w->ro->utf8),
			       col(w, C_RESET));
		dbl_rc_pad(w->out, hw - 1 - (hw - 1) / 2);
	}
	const char *cls = dbl_class_name(p->cls);
	dbl_buf_printf(
		w->out, "  %s%s%s\n",
		col(w, p->r.ok && p->cls == DBL_CLASS_OK ? C_GREEN : C_RED),
		cls, col(w, C_RESET));
}

struct matrix_dims {
	size_t tw;    /* transport name column */
	size_t label; /* label column: "tcp4  127.0.0.1:5432" */
	bool fits;    /* every label fits: one line per row */
};

static struct matrix_dims matrix_dims(const struct tw *w,
				      const struct dbl_target_report *tr)
{
	struct matrix_dims d = {4, 0, true};
	size_t cls = 6; /* "result" */
	for (size_t i = 0; i < tr->n_probes; i++) {
		size_t n =
			strlen(dbl_transport_name(tr->probes[i].r.transport));
		size_t c = strlen(dbl_class_name(tr->probes[i].cls));
		d.tw = n > d.tw ? n : d.tw;
		cls = c > cls ? c : cls;
	}
	for (size_t i = 0; i < tr->n_probes; i++) {
		char *l = row_label(w, &tr->probes[i].r, d.tw);
		size_t n = l ? dbl_rc_width(l, strlen(l)) : 0;
		d.label = n > d.label ? n : d.label;
		free(l);
	}
	size_t fixed = 2 + 2 + stage_block_width(w->last) + 2 + cls;
	size_t width = (size_t)(w->ro->width > 0 ? w->ro->width : 80);
	if (fixed + d.label > width) {
		/* Addresses go on a line of their own under each row. */
		d.fits = false;
		d.label = d.tw;
	}
	return d;
}

static void put_matrix(const struct tw *w, const struct dbl_target_report *tr)
{
	struct matrix_dims d = matrix_dims(w, tr);
	dbl_rc_pad(w->out, 2 + d.label + 2);
	for (int s = 0; s <= (int)w->last; s++)
		dbl_buf_printf(w->out, "%s%s", s ? " " : "",
			       dbl_stage_name((enum dbl_stage)s));
	dbl_buf_puts(w->out, "  result\n");
	for (size_t i = 0; i < tr->n_probes; i++) {
		const struct dbl_result *r = &tr->probes[i].r;
		char *l = d.fits ? row_label(w, r, d.tw)
				 : dbl_strdup(dbl_transport_name(r->transport));
		size_t n = l ? dbl_rc_width(l, strlen(l)) : 0;
		dbl_buf_printf(w->out, "  %s", l ? l : "");
		dbl_rc_pad(w->out, d.label - n + 2);
		free(l);
		put_cells(w, &tr->probes[i]);
		if (d.fits)
			continue;
		struct dbl_buf a = {0};
		dbl_rc_address(r, w->ro->utf8, &a);
		dbl_rc_wrap(w->out, a.data ? a.data : "", "    ", "    ",
			    w->ro->width);
		dbl_buf_release(&a);
	}
}

/* A localhost probe that took the tcp4/tcp6 probe's outcome says so. */
static void put_reused(const struct tw *w, const struct dbl_target_report *tr)
{
	for (size_t i = 0; i < tr->n_probes; i++) {
		const struct dbl_result *r = &tr->probes[i].r;
		if (!r->reused)
			continue;
		struct dbl_buf b = {0};
		dbl_buf_printf(&b,
			       "%s: the %s result, reused (localhost resolves "
			       "first to its address; same port, user, "
			       "database and TLS mode)",
			       dbl_transport_name(r->transport),
			       dbl_transport_name(r->reused_from));
		wrapped(w, "  ", "    ", b.data ? b.data : "");
		dbl_buf_release(&b);
	}
}

/* Lines of cleaned text after indent, never wrapped: a command must
 * paste as one line. */
static void put_verbatim(const struct tw *w, const char *indent,
			 const char *text)
{
	char *c = clean(w, text);
	for (char *line = c, *nl; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		else
			nl = line + strlen(line);
		dbl_buf_printf(w->out, "%s%s\n", indent, line);
	}
	free(c);
}

/* The typed steps: where each goes, then what to paste there. */
static void put_steps(const struct tw *w, const struct dbl_finding *f)
{
	dbl_buf_puts(w->out, "    steps:\n");
	for (size_t i = 0; i < f->n_steps; i++) {
		struct dbl_buf where = {0};
		char num[40];
		dbl_rc_step_where(&where, &f->steps[i], false);
		snprintf(num, sizeof(num), "      %zu. ", i + 1);
		wrapped(w, num, "         ", where.data ? where.data : "");
		dbl_buf_release(&where);
		put_verbatim(w, "           ", f->steps[i].text);
		/* What opens the place to paste into, pasteable too. */
		struct dbl_buf edit = {0};
		dbl_rc_step_edit(&edit, &f->steps[i]);
		if (edit.data)
			dbl_buf_puts(w->out,
				     "         editing it needs root:\n");
		else if (f->steps[i].kind == DBL_STEP_SQL &&
			 f->steps[i].client) {
			dbl_buf_puts(w->out, "         in the client:\n");
			dbl_buf_puts(&edit, f->steps[i].client);
		}
		if (edit.data)
			put_verbatim(w, "           ", edit.data);
		dbl_buf_release(&edit);
	}
}

static void put_finding(const struct tw *w, const struct dbl_finding *f)
{
	struct dbl_buf head = {0};
	dbl_buf_printf(&head, "  %s%s %s%s  %s", col(w, sev_color(f->severity)),
		       dbl_rc_severity_glyph(f->severity, w->ro->utf8),
		       dbl_severity_name(f->severity), col(w, C_RESET),
		       dbl_class_name(f->cls));
	if (f->transports) {
		dbl_buf_puts(&head, " (");
		dbl_rc_transports(&head, f->transports, ", ");
		dbl_buf_puts(&head, ")");
	}
	dbl_buf_puts(&head, "\n");
	dbl_buf_puts(w->out, head.data ? head.data : "");
	dbl_buf_release(&head);
	if (f->summary && *f->summary)
		wrapped(w, "    ", "    ", f->summary);
	/* The per-probe lines repeat the matrix: shown under -v only. */
	size_t from = w->ro->verbosity > 0 ? 0 : f->n_probe_evidence;
	if (f->evidence.n > from)
		dbl_buf_puts(w->out, "    evidence:\n");
	for (size_t i = from; i < f->evidence.n; i++)
		wrapped(w, "      - ", "        ", f->evidence.items[i]);
	if (f->fix && *f->fix)
		wrapped(w, "    fix: ", "         ", f->fix);
	if (f->n_steps) {
		put_steps(w, f);
		return;
	}
	if (f->commands.n)
		dbl_buf_puts(w->out, "    commands:\n");
	for (size_t i = 0; i < f->commands.n; i++) {
		/* Never wrapped: a command must paste as one line. */
		char *c = clean(w, f->commands.items[i]);
		for (char *line = c, *nl; line && *line; line = nl) {
			nl = strchr(line, '\n');
			if (nl)
				*nl++ = '\0';
			else
				nl = line + strlen(line);
			dbl_buf_printf(w->out, "      %s\n", line);
		}
		free(c);
	}
}

static void put_findings(const struct tw *w, const struct dbl_target_report *tr)
{
	size_t *order = dbl_rc_findings_order(tr);
	for (size_t i = 0; order && i < tr->n_findings; i++) {
		dbl_buf_puts(w->out, "\n");
		put_finding(w, &tr->findings[order[i]]);
	}
	free(order);
}

/* A failing probe that no finding explains still shows what it heard. */
static void put_unexplained(const struct tw *w,
			    const struct dbl_target_report *tr)
{
	bool first = true;
	for (size_t i = 0; i < tr->n_probes; i++) {
		const struct dbl_result *r = &tr->probes[i].r;
		if (r->ok || !r->message[0] ||
		    dbl_rc_transport_explained(tr, r->transport))
			continue;
		if (first)
			dbl_buf_puts(w->out, "\n");
		first = false;
		char p1[32];
		snprintf(p1, sizeof(p1),
			 "  %s: ", dbl_transport_name(r->transport));
		wrapped(w, p1, "    ", r->message);
	}
}

static void detail_times(const struct tw *w, const struct dbl_result *r)
{
	struct dbl_buf b = {0};
	dbl_rc_put_times(&b, r);
	labelled(w, "      time", 16, b.data ? b.data : "");
	dbl_buf_release(&b);
	for (int i = 0; i < r->n_attempts && i < DBL_MAX_ATTEMPTS; i++) {
		const struct dbl_attempt *a = &r->attempts[i];
		const char *e = dbl_errno_name(a->err);
		struct dbl_buf t = {0};
		dbl_buf_printf(&t, "%s: %s, ", a->address,
			       a->err ? (e ? e : "error") : "connected");
		dbl_rc_put_ms(&t, a->elapsed_ms);
		dbl_buf_puts(&t, " ms");
		labelled(w, i ? "" : "      tried", 16, t.data ? t.data : "");
		dbl_buf_release(&t);
	}
}

static void detail_errors(const struct tw *w, const struct dbl_result *r)
{
	struct dbl_buf b = {0};
	const char *e = dbl_errno_name(r->sys_errno);
	if (r->sys_errno)
		dbl_buf_printf(&b, "; errno %s", e ? e : "?");
	if (r->timed_out)
		dbl_buf_puts(&b, "; deadline reached");
	if (r->eai_error)
		dbl_buf_printf(&b, "; getaddrinfo error %d", r->eai_error);
	if (r->sqlstate[0])
		dbl_buf_printf(&b, "; sqlstate %s", r->sqlstate);
	if (r->server_error)
		dbl_buf_printf(&b, "; server error %d", r->server_error);
	if (r->client_error)
		dbl_buf_printf(&b, "; client error %d", r->client_error);
	if (r->wrapped_error)
		dbl_buf_printf(&b, " (wrapping %d)", r->wrapped_error);
	if (b.len)
		labelled(w, "      error", 16, b.data + 2);
	dbl_buf_release(&b);
	if (r->message[0])
		labelled(w, "      message", 16, r->message);
}

static void detail_greeting(const struct tw *w, const struct dbl_result *r)
{
	struct dbl_buf b = {0};
	if (r->protocol != DBL_PROTO_NONE)
		dbl_buf_printf(&b, "; answered %s",
			       dbl_protocol_name(r->protocol));
	if (r->mysql.seen)
		dbl_buf_printf(&b, "; handshake v%d %s, connection %u, %s%s",
			       r->mysql.protocol_version,
			       r->mysql.server_version, r->mysql.connection_id,
			       r->mysql.auth_plugin,
			       r->mysql.tls_offered ? ", TLS offered" : "");
	if (r->mysql.error_code)
		dbl_buf_printf(&b, "; error packet %d %s", r->mysql.error_code,
			       r->mysql.error_message);
	if (r->pg.ssl_answer)
		dbl_buf_printf(&b, "; SSLRequest answered '%c'",
			       r->pg.ssl_answer);
	if (r->pg.auth_request != DBL_PG_AUTH_NONE)
		dbl_buf_printf(&b, "; auth request %d%s%s", r->pg.auth_request,
			       r->pg.sasl_mechanisms[0] ? " " : "",
			       r->pg.sasl_mechanisms);
	if (r->pg.severity[0] || r->pg.message[0])
		dbl_buf_printf(&b, "; %s %s %s%s%s%s%s", r->pg.severity,
			       r->pg.sqlstate, r->pg.message,
			       r->pg.detail[0] ? " DETAIL: " : "", r->pg.detail,
			       r->pg.hint[0] ? " HINT: " : "", r->pg.hint);
	if (r->auth_method[0])
		dbl_buf_printf(&b, "; auth %s", r->auth_method);
	if (r->stage >= DBL_STAGE_AUTH)
		dbl_buf_printf(&b, "; TLS %s",
			       r->tls_used ? "used" : "not used");
	if (b.len)
		labelled(w, "      greeting", 16, b.data + 2);
	dbl_buf_release(&b);
}

static void detail_server(const struct tw *w, const struct dbl_result *r)
{
	struct dbl_buf b = {0};
	if (r->product[0] || r->version[0])
		dbl_buf_printf(&b, "%s %s", r->product, r->version);
	if (r->instance[0])
		dbl_buf_printf(&b, "%s(%s)", b.len ? " " : "", r->instance);
	if (b.len)
		labelled(w, "      reached", 16, b.data);
	dbl_buf_release(&b);
	b = (struct dbl_buf){0};
	for (int i = 0; i < r->n_settings && i < DBL_MAX_SETTINGS; i++) {
		const struct dbl_setting *s = &r->settings[i];
		dbl_buf_printf(&b, "%s%s=%s", i ? ", " : "", s->name,
			       s->denied ? "(denied)" : s->value);
	}
	if (b.len)
		labelled(w, "      settings", 16, b.data);
	dbl_buf_release(&b);
}

static void put_details(const struct tw *w, const struct dbl_target_report *tr)
{
	dbl_buf_puts(w->out, "\n  details\n");
	for (size_t i = 0; i < tr->n_probes; i++) {
		const struct dbl_result *r = &tr->probes[i].r;
		struct dbl_buf p = {0};
		dbl_buf_printf(&p, "    %s  ",
			       dbl_transport_name(r->transport));
		wrapped(w, p.data ? p.data : "", "      ",
			r->address[0] ? r->address : "?");
		dbl_buf_release(&p);
		detail_times(w, r);
		detail_errors(w, r);
		detail_greeting(w, r);
		detail_server(w, r);
	}
}

/* -q: one line per finding, "postgres tcp6 ipv6_not_listening: summary";
 * a failing probe no finding explains gets a line of its own. */
static void put_quiet(const struct tw *w, const struct dbl_target_report *tr)
{
	size_t *order = dbl_rc_findings_order(tr);
	for (size_t i = 0; order && i < tr->n_findings; i++) {
		const struct dbl_finding *f = &tr->findings[order[i]];
		struct dbl_buf b = {0};
		dbl_buf_printf(&b, "%s ", dbl_engine_name(tr->engine));
		if (f->transports) {
			dbl_rc_transports(&b, f->transports, ",");
			dbl_buf_puts(&b, " ");
		}
		dbl_buf_printf(&b, "%s: ", dbl_class_name(f->cls));
		char *s = clean(w, f->summary ? f->summary : "");
		/* One line, whatever the summary holds. */
		for (char *c = s; c && *c; c++)
			if (*c == '\n')
				*c = ' ';
		dbl_buf_printf(w->out, "%s%s\n", b.data ? b.data : "",
			       s ? s : "");
		free(s);
		dbl_buf_release(&b);
	}
	free(order);
	for (size_t i = 0; i < tr->n_probes; i++) {
		const struct dbl_probe_report *p = &tr->probes[i];
		if (p->r.ok || dbl_rc_transport_explained(tr, p->r.transport))
			continue;
		char *m = clean(w, p->r.message);
		char *nl = m ? strchr(m, '\n') : NULL;
		if (nl)
			*nl = '\0';
		dbl_buf_printf(w->out, "%s %s %s: %s\n",
			       dbl_engine_name(tr->engine),
			       dbl_transport_name(p->r.transport),
			       dbl_class_name(p->cls), m ? m : "");
		free(m);
	}
}

static void put_target(const struct tw *w, const struct dbl_target_report *tr)
{
	if (tr->app)
		dbl_rc_app_text(w->out, tr->app, w->ro->utf8, w->ro->width);
	put_header(w, tr);
	dbl_buf_puts(w->out, "\n");
	if (tr->n_probes)
		put_matrix(w, tr);
	else
		dbl_buf_puts(w->out, "  no transport was probed\n");
	put_reused(w, tr);
	put_findings(w, tr);
	if (w->ro->verbosity > 0)
		put_details(w, tr);
	else
		put_unexplained(w, tr);
}

/* The first line of a finding's first command, or NULL. Caller frees. */
static char *first_command(const struct tw *w, const struct dbl_finding *f)
{
	if (!f->commands.n)
		return NULL;
	char *c = NULL;
	if (f->n_steps) {
		struct dbl_buf b = {0};
		dbl_rc_step_brief(&b, &f->steps[0]);
		c = clean(w, b.data ? b.data : "");
		dbl_buf_release(&b);
	} else {
		c = clean(w, f->commands.items[0]);
	}
	char *nl = c ? strchr(c, '\n') : NULL;
	if (nl)
		*nl = '\0';
	return c;
}

/* One target's line of the summary: "postgres  ✗ server_not_running →
 * sudo systemctl start postgresql", the most urgent finding and the first
 * line of its first step. Commands are never wrapped. */
static void put_verdict(const struct tw *w, const struct dbl_target_report *tr,
			size_t name_w, bool with_label)
{
	bool healthy = dbl_rc_target_healthy(tr) && tr->n_probes;
	struct dbl_buf b = {0};
	dbl_buf_printf(&b, "%-*s  ", (int)name_w, dbl_engine_name(tr->engine));
	if (with_label) {
		/* Enough to tell the targets apart; the section below has all. */
		char *label = clean(w, tr->target ? tr->target : "discovered");
		size_t n = label ? strlen(label) : 0;
		bool cut = n > 40;
		while (cut && n > 39)
			n--;
		while (cut && n && ((unsigned char)label[n] & 0xC0) == 0x80)
			n--;
		dbl_buf_printf(&b, "%.*s%s  ", (int)n, label ? label : "",
			       cut ? (w->ro->utf8 ? "\u2026" : "...") : "");
		free(label);
	}
	dbl_buf_printf(&b, "%s%s%s ", col(w, healthy ? C_GREEN : C_RED),
		       dbl_rc_cell_glyph(healthy ? DBL_CELL_OK : DBL_CELL_FAIL,
					 w->ro->utf8),
		       col(w, C_RESET));
	size_t *order = dbl_rc_findings_order(tr);
	const struct dbl_finding *top =
		order && tr->n_findings ? &tr->findings[order[0]] : NULL;
	free(order);
	bool all_ok = true;
	for (size_t i = 0; i < tr->n_probes; i++)
		all_ok = all_ok && tr->probes[i].r.ok;
	if (!tr->n_probes)
		dbl_buf_puts(&b, "no transport was probed");
	else if (healthy)
		dbl_buf_puts(&b, all_ok ? "ok: every transport works"
					: "ok: the required transports work");
	else
		dbl_buf_puts(&b,
			     top ? dbl_class_name(top->cls) : "problems found");
	char *cmd = !healthy && top ? first_command(w, top) : NULL;
	if (cmd)
		dbl_buf_printf(&b, " %s %s", dbl_rc_arrow(w->ro->utf8), cmd);
	else if (!healthy && top && top->fix && *top->fix)
		dbl_buf_puts(&b, "; see the fix below");
	free(cmd);
	dbl_buf_printf(w->out, "%s\n", b.data ? b.data : "");
	dbl_buf_release(&b);
}

/* The answer first: one line per target. A target's label is shown when
 * another target has the same engine. */
static void put_summary(const struct tw *w, const struct dbl_report *rep)
{
	size_t name_w = 0;
	bool twice = false;
	for (size_t i = 0; i < rep->n_targets; i++) {
		size_t n = strlen(dbl_engine_name(rep->targets[i].engine));
		name_w = n > name_w ? n : name_w;
		for (size_t j = 0; j < i; j++)
			twice |= rep->targets[j].engine ==
				 rep->targets[i].engine;
	}
	for (size_t i = 0; i < rep->n_targets; i++)
		put_verdict(w, &rep->targets[i], name_w, twice);
	if (rep->n_targets)
		dbl_buf_puts(w->out, "\n");
}

static void put_preamble(const struct tw *w, const struct dbl_report *rep)
{
	if (w->ro->verbosity > 0) {
		struct dbl_buf b = {0};
		const char *dot = w->ro->utf8 ? " \u00b7 " : ", ";
		dbl_buf_printf(&b, "dbloop %s%s%s%s",
			       rep->dbloop_version ? rep->dbloop_version : "?",
			       dot, rep->generated_at ? rep->generated_at : "?",
			       dot);
		dbl_rc_put_ms(&b, rep->duration_ms);
		dbl_buf_printf(&b, " ms%s", rep->redacted ? dot : "");
		if (rep->redacted)
			dbl_buf_puts(&b, "names and paths redacted");
		wrapped(w, "", "  ", b.data ? b.data : "");
		dbl_buf_release(&b);
		b = (struct dbl_buf){0};
		dbl_buf_printf(&b, "%s%s; localhost %s ",
			       rep->os ? rep->os : "?",
			       rep->in_container ? " (container)" : "",
			       dbl_rc_arrow(w->ro->utf8));
		for (size_t i = 0; i < rep->localhost_resolves_to.n; i++)
			dbl_buf_printf(&b, "%s%s", i ? ", " : "",
				       rep->localhost_resolves_to.items[i]);
		if (!rep->localhost_resolves_to.n)
			dbl_buf_puts(&b, "nothing");
		dbl_buf_printf(&b, "; ::1 %s",
			       rep->ipv6_loopback ? "usable" : "not usable");
		labelled(w, "host", 6, b.data ? b.data : "");
		dbl_buf_release(&b);
	}
	for (size_t i = 0; i < rep->warnings.n; i++) {
		char p1[64];
		snprintf(p1, sizeof(p1), "%swarning:%s ", col(w, C_YELLOW),
			 col(w, C_RESET));
		wrapped(w, p1, "  ", rep->warnings.items[i]);
	}
	if (w->ro->verbosity > 0 || rep->warnings.n)
		dbl_buf_puts(w->out, "\n");
}

int dbl_report_write_text(const struct dbl_report *rep,
			  const struct dbl_render_opts *ro, struct dbl_buf *out)
{
	struct tw w = {ro, out, dbl_rc_last_stage(rep)};
	if (ro->verbosity < 0) {
		for (size_t i = 0; i < rep->n_targets; i++)
			put_quiet(&w, &rep->targets[i]);
		return out->oom ? -DBL_ENOMEM : 0;
	}
	put_summary(&w, rep);
	put_preamble(&w, rep);
	for (size_t i = 0; i < rep->n_targets; i++) {
		if (i)
			dbl_buf_puts(out, "\n");
		put_target(&w, &rep->targets[i]);
	}
	if (!rep->n_targets)
		dbl_buf_puts(out, "no target to diagnose\n");
	return out->oom ? -DBL_ENOMEM : 0;
}
