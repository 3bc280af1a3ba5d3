/* Markdown report, ready to paste into a ticket: a summary line, per target
 * the matrix as a table and the findings with their fixes (commands in
 * fenced blocks), and the raw details (messages, versions, timings) in a
 * collapsible <details> block. Everything that came from outside is
 * escaped: a server message cannot open a link or close the block. */
#include <stdlib.h>
#include <string.h>

#include "report/report_common.h"

struct mw {
	const struct dbl_render_opts *ro;
	struct dbl_buf *out;
	enum dbl_stage last;
};

/* Cleaned text on one line (new lines become spaces). Caller frees. */
static char *one_line(const struct mw *w, const char *s)
{
	struct dbl_buf b = {0};
	dbl_rc_clean(&b, s ? s : "", dbl_rc_display_mode(w->ro->utf8));
	char *c = dbl_buf_detach(&b);
	for (char *p = c; p && *p; p++)
		if (*p == '\n')
			*p = ' ';
	return c;
}

/* Prose: markdown punctuation escaped so it shows as written. */
static void md_text(const struct mw *w, const char *s)
{
	char *c = one_line(w, s);
	for (const char *p = c ? c : ""; *p; p++) {
		if (strchr("\\`*_[]<>|#&!~", *p))
			dbl_buf_append(w->out, "\\", 1);
		dbl_buf_append(w->out, p, 1);
	}
	free(c);
}

/* An inline code span; in_table escapes '|' as GFM tables need. */
static void md_code(const struct mw *w, const char *s, bool in_table)
{
	char *c = one_line(w, s);
	const char *t = c ? c : "";
	bool tick = strchr(t, '`') != NULL;
	dbl_buf_puts(w->out, tick ? "`` " : "`");
	for (const char *p = t; *p; p++) {
		if (in_table && *p == '|')
			dbl_buf_append(w->out, "\\", 1);
		dbl_buf_append(w->out, p, 1);
	}
	dbl_buf_puts(w->out, tick ? " ``" : "`");
	free(c);
}

/* A fenced block longer than any run of backticks inside it. */
static void md_block(const struct mw *w, const char *info,
		     const struct dbl_strlist *lines, const char *one)
{
	struct dbl_buf body = {0};
	for (size_t i = 0; lines && i < lines->n; i++) {
		dbl_rc_clean(&body, lines->items[i],
			     dbl_rc_display_mode(w->ro->utf8));
		dbl_buf_puts(&body, "\n");
	}
	if (one) {
		dbl_rc_clean(&body, one, dbl_rc_display_mode(w->ro->utf8));
		dbl_buf_puts(&body, "\n");
	}
	size_t run = 0, longest = 0;
	for (size_t i = 0; i < body.len; i++) {
		run = body.data[i] == '`' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	char fence[16] = "```";
	for (size_t i = 3; i <= longest && i < sizeof(fence) - 1; i++)
		fence[i] = '`', fence[i + 1] = '\0';
	dbl_buf_printf(w->out, "%s%s\n%s%s\n\n", fence, info,
		       body.data ? body.data : "", fence);
	dbl_buf_release(&body);
}

static void summary_line(const struct mw *w, const struct dbl_report *rep)
{
	size_t bad = 0;
	for (size_t i = 0; i < rep->n_targets; i++)
		bad += !dbl_rc_target_healthy(&rep->targets[i]);
	if (!bad && rep->ok) {
		dbl_buf_printf(w->out,
			       "**%s ok**: every target works (%zu).\n\n",
			       dbl_rc_cell_glyph(DBL_CELL_OK, w->ro->utf8),
			       rep->n_targets);
		return;
	}
	dbl_buf_printf(w->out, "**%s problems found** in %zu of %zu targets",
		       dbl_rc_cell_glyph(DBL_CELL_FAIL, w->ro->utf8), bad,
		       rep->n_targets);
	const char *sep = ": ";
	for (size_t i = 0; i < rep->n_targets; i++) {
		const struct dbl_target_report *tr = &rep->targets[i];
		for (size_t j = 0; j < tr->n_findings; j++) {
			if (tr->findings[j].severity != DBL_SEV_ERROR)
				continue;
			dbl_buf_printf(w->out, "%s%s `%s`", sep,
				       dbl_engine_name(tr->engine),
				       dbl_class_name(tr->findings[j].cls));
			if (tr->findings[j].transports) {
				dbl_buf_puts(w->out, " (");
				dbl_rc_transports(w->out,
						  tr->findings[j].transports,
						  ", ");
				dbl_buf_puts(w->out, ")");
			}
			sep = "; ";
		}
	}
	dbl_buf_puts(w->out, ".\n\n");
}

static void table(const struct mw *w, const struct dbl_target_report *tr)
{
	dbl_buf_puts(w->out, "| transport | address |");
	for (int s = 0; s <= (int)w->last; s++)
		dbl_buf_printf(w->out, " %s |",
			       dbl_stage_name((enum dbl_stage)s));
	dbl_buf_puts(w->out, " result |\n|---|---|");
	for (int s = 0; s <= (int)w->last; s++)
		dbl_buf_puts(w->out, ":-:|");
	dbl_buf_puts(w->out, "---|\n");
	for (size_t i = 0; i < tr->n_probes; i++) {
		const struct dbl_probe_report *p = &tr->probes[i];
		struct dbl_buf a = {0};
		dbl_rc_address(&p->r, w->ro->utf8, &a);
		dbl_buf_printf(w->out, "| %s | ",
			       dbl_transport_name(p->r.transport));
		md_code(w, a.data ? a.data : "", true);
		dbl_buf_release(&a);
		dbl_buf_puts(w->out, " |");
		for (int s = 0; s <= (int)w->last; s++)
			dbl_buf_printf(
				w->out, " %s |",
				dbl_rc_cell_glyph(
					dbl_rc_cell(&p->r, (enum dbl_stage)s),
					w->ro->utf8));
		dbl_buf_printf(w->out, " `%s` |\n", dbl_class_name(p->cls));
	}
	dbl_buf_puts(w->out, "\n");
}

static void finding(const struct mw *w, const struct dbl_finding *f)
{
	dbl_buf_printf(w->out, "### %s %s: `%s`",
		       dbl_rc_severity_glyph(f->severity, w->ro->utf8),
		       dbl_severity_name(f->severity), dbl_class_name(f->cls));
	if (f->transports) {
		dbl_buf_puts(w->out, " (");
		dbl_rc_transports(w->out, f->transports, ", ");
		dbl_buf_puts(w->out, ")");
	}
	dbl_buf_puts(w->out, "\n\n");
	if (f->summary && *f->summary) {
		md_text(w, f->summary);
		dbl_buf_puts(w->out, "\n\n");
	}
	for (size_t i = 0; i < f->evidence.n; i++) {
		dbl_buf_puts(w->out, "- ");
		md_text(w, f->evidence.items[i]);
		dbl_buf_puts(w->out, "\n");
	}
	if (f->evidence.n)
		dbl_buf_puts(w->out, "\n");
	if (f->fix && *f->fix) {
		dbl_buf_puts(w->out, "**Fix:** ");
		md_text(w, f->fix);
		dbl_buf_puts(w->out, "\n\n");
	}
	for (size_t i = 0; i < f->n_steps; i++) {
		struct dbl_buf where = {0};
		dbl_rc_step_where(&where, &f->steps[i], true);
		dbl_buf_printf(w->out, "%zu. ", i + 1);
		md_text(w, where.data ? where.data : "");
		dbl_buf_puts(w->out, "\n\n");
		dbl_buf_release(&where);
		md_block(w, dbl_rc_step_lang(&f->steps[i]), NULL,
			 f->steps[i].text);
	}
	if (f->commands.n && !f->n_steps)
		md_block(w, "sh", &f->commands, NULL);
}

/* "- label: text" with text escaped. */
static void item(const struct mw *w, const char *label, const char *text)
{
	dbl_buf_printf(w->out, "- %s: ", label);
	md_text(w, text);
	dbl_buf_puts(w->out, "\n");
}

static void probe_details(const struct mw *w, const struct dbl_result *r)
{
	struct dbl_buf b = {0};
	dbl_buf_printf(w->out, "#### %s ", dbl_transport_name(r->transport));
	md_code(w, r->address[0] ? r->address : "?", false);
	dbl_buf_puts(w->out, "\n\n");
	dbl_rc_put_times(&b, r);
	item(w, "time", b.data);
	dbl_buf_release(&b);
	for (int i = 0; i < r->n_attempts && i < DBL_MAX_ATTEMPTS; i++) {
		const char *e = dbl_errno_name(r->attempts[i].err);
		dbl_buf_puts(w->out, "- tried ");
		md_code(w, r->attempts[i].address, false);
		dbl_buf_printf(w->out, ": %s, ",
			       r->attempts[i].err ? (e ? e : "error")
						  : "connected");
		dbl_rc_put_ms(w->out, r->attempts[i].elapsed_ms);
		dbl_buf_puts(w->out, " ms\n");
	}
	b = (struct dbl_buf){0};
	if (r->sys_errno)
		dbl_buf_printf(&b, "errno %s; ",
			       dbl_errno_name(r->sys_errno)
				       ? dbl_errno_name(r->sys_errno)
				       : "?");
	if (r->sqlstate[0])
		dbl_buf_printf(&b, "sqlstate %s; ", r->sqlstate);
	if (r->server_error)
		dbl_buf_printf(&b, "server error %d; ", r->server_error);
	if (r->client_error)
		dbl_buf_printf(&b, "client error %d; ", r->client_error);
	if (r->product[0] || r->version[0])
		dbl_buf_printf(&b, "reached %s %s; ", r->product, r->version);
	if (r->instance[0])
		dbl_buf_printf(&b, "instance %s; ", r->instance);
	if (r->auth_method[0])
		dbl_buf_printf(&b, "auth %s; ", r->auth_method);
	if (b.len > 2) {
		b.data[b.len - 2] = '\0';
		item(w, "facts", b.data);
	}
	dbl_buf_release(&b);
	b = (struct dbl_buf){0};
	for (int i = 0; i < r->n_settings && i < DBL_MAX_SETTINGS; i++)
		dbl_buf_printf(&b, "%s%s=%s", i ? ", " : "",
			       r->settings[i].name,
			       r->settings[i].denied ? "(denied)"
						     : r->settings[i].value);
	if (b.len)
		item(w, "settings", b.data);
	dbl_buf_release(&b);
	dbl_buf_puts(w->out, "\n");
	if (r->message[0])
		md_block(w, "text", NULL, r->message);
}

static void details(const struct mw *w, const struct dbl_report *rep,
		    const struct dbl_target_report *tr)
{
	dbl_buf_puts(w->out, "<details>\n<summary>Details</summary>\n\n");
	struct dbl_buf b = {0};
	dbl_buf_printf(&b, "dbloop %s, %s, ",
		       rep->dbloop_version ? rep->dbloop_version : "?",
		       rep->generated_at ? rep->generated_at : "?");
	dbl_rc_put_ms(&b, rep->duration_ms);
	dbl_buf_printf(&b, " ms%s", rep->redacted ? ", redacted" : "");
	item(w, "run", b.data);
	dbl_buf_release(&b);
	b = (struct dbl_buf){0};
	dbl_buf_printf(&b, "%s%s; localhost %s ", rep->os ? rep->os : "?",
		       rep->in_container ? " (container)" : "",
		       dbl_rc_arrow(w->ro->utf8));
	for (size_t i = 0; i < rep->localhost_resolves_to.n; i++)
		dbl_buf_printf(&b, "%s%s", i ? ", " : "",
			       rep->localhost_resolves_to.items[i]);
	dbl_buf_printf(&b, "%s; ::1 %s",
		       rep->localhost_resolves_to.n ? "" : "nothing",
		       rep->ipv6_loopback ? "usable" : "not usable");
	item(w, "host", b.data);
	dbl_buf_release(&b);
	for (size_t i = 0; i < tr->settings.n; i++)
		item(w, "setting", tr->settings.items[i]);
	dbl_buf_puts(w->out, "\n");
	for (size_t i = 0; i < tr->n_probes; i++)
		probe_details(w, &tr->probes[i].r);
	dbl_buf_puts(w->out, "</details>\n\n");
}

/* The app's own path (--client / --app), before the matrix: its verdict,
 * each attempt in the driver's order, the rule, the socket and where the
 * settings came from. */
static void app_block(const struct mw *w, const struct dbl_app_path *ap)
{
	dbl_buf_puts(w->out, "### App path: ");
	md_code(w, ap->client, false);
	dbl_buf_puts(w->out, " (");
	md_text(w, ap->driver ? ap->driver : "?");
	dbl_buf_printf(w->out, ") %s %s\n\n",
		       dbl_rc_cell_glyph(ap->ok ? DBL_CELL_OK : DBL_CELL_FAIL,
					 w->ro->utf8),
		       ap->ok ? "the app's connection works"
			      : "the app's connection fails");
	if (ap->n_steps == 0)
		dbl_buf_puts(w->out, "No connection this driver can make.\n\n");
	else
		dbl_buf_puts(w->out, "| # | transport | address | result |\n"
				     "|--:|---|---|---|\n");
	for (size_t i = 0; i < ap->n_steps; i++) {
		const struct dbl_app_step *st = &ap->steps[i];
		dbl_buf_printf(w->out, "| %zu | %s | ", i + 1,
			       dbl_transport_name(st->transport));
		md_code(w, st->address, true);
		if (!st->tried)
			dbl_buf_printf(w->out, " | %s not tried |\n",
				       dbl_rc_cell_glyph(DBL_CELL_NOT_REACHED,
							 w->ro->utf8));
		else
			dbl_buf_printf(w->out, " | %s `%s` |\n",
				       dbl_rc_cell_glyph(st->ok ? DBL_CELL_OK
								: DBL_CELL_FAIL,
							 w->ro->utf8),
				       st->ok ? "ok" : dbl_class_name(st->cls));
	}
	if (ap->n_steps)
		dbl_buf_puts(w->out, "\n");
	if (ap->rule)
		item(w, "rule", ap->rule);
	if (ap->socket) {
		dbl_buf_puts(w->out, "- socket: ");
		md_code(w, ap->socket, false);
		dbl_buf_puts(w->out, " from ");
		md_text(w, ap->socket_source ? ap->socket_source : "default");
		dbl_buf_puts(w->out, "\n");
	}
	for (size_t i = 0; i < ap->config.n; i++)
		item(w, "config", ap->config.items[i]);
	if (ap->verified)
		item(w, "verified against", ap->verified);
	dbl_buf_puts(w->out, "\n");
}

static void target(const struct mw *w, const struct dbl_report *rep,
		   const struct dbl_target_report *tr)
{
	bool healthy = dbl_rc_target_healthy(tr);
	dbl_buf_printf(w->out, "## %s ", dbl_engine_name(tr->engine));
	md_code(w, tr->target ? tr->target : "discovered", false);
	dbl_buf_printf(w->out, "\n\n**Status:** %s %s",
		       dbl_rc_cell_glyph(healthy ? DBL_CELL_OK : DBL_CELL_FAIL,
					 w->ro->utf8),
		       healthy ? "ok" : "problems found");
	char *server = dbl_rc_server_name(tr);
	dbl_buf_printf(w->out, " %s **Server:** ",
		       w->ro->utf8 ? "\u00b7" : "-");
	md_text(w, server ? server : "none reached");
	free(server);
	dbl_buf_puts(w->out, "\n\n");
	if (tr->app)
		app_block(w, tr->app);
	if (tr->n_probes)
		table(w, tr);
	size_t *order = dbl_rc_findings_order(tr);
	for (size_t i = 0; order && i < tr->n_findings; i++)
		finding(w, &tr->findings[order[i]]);
	free(order);
	details(w, rep, tr);
}

int dbl_report_write_markdown(const struct dbl_report *rep,
			      const struct dbl_render_opts *ro,
			      struct dbl_buf *out)
{
	struct mw w = {ro, out, dbl_rc_last_stage(rep)};
	dbl_buf_puts(out, "# dbloop report\n\n");
	summary_line(&w, rep);
	for (size_t i = 0; i < rep->warnings.n; i++) {
		dbl_buf_puts(out, "> **Warning:** ");
		md_text(&w, rep->warnings.items[i]);
		dbl_buf_puts(out, "\n\n");
	}
	for (size_t i = 0; i < rep->n_targets; i++)
		target(&w, rep, &rep->targets[i]);
	/* One trailing new line, not two. */
	if (out->len >= 2 && out->data[out->len - 1] == '\n' &&
	    out->data[out->len - 2] == '\n')
		out->data[--out->len] = '\0';
	return out->oom ? -DBL_ENOMEM : 0;
}
