/* Shared pieces of the report writers: a leaf that the writers call and
 * that calls none of them (the dispatch is report.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "report/report_common.h"
#include "util/quote.h"

enum dbl_cell dbl_rc_cell(const struct dbl_result *r, enum dbl_stage s)
{
	if (s < r->stage)
		return DBL_CELL_OK;
	if (s == r->stage)
		return r->ok ? DBL_CELL_OK : DBL_CELL_FAIL;
	return DBL_CELL_NOT_REACHED;
}

const char *dbl_rc_cell_glyph(enum dbl_cell c, bool utf8)
{
	static const char *const u[] = {"\u2713", "\u2717", "\u00b7"};
	static const char *const a[] = {"+", "x", "."};
	return utf8 ? u[c] : a[c];
}

const char *dbl_rc_severity_glyph(enum dbl_severity s, bool utf8)
{
	if (s == DBL_SEV_ERROR)
		return utf8 ? "\u2717" : "x";
	return s == DBL_SEV_WARNING ? "!" : "i";
}

const char *dbl_rc_arrow(bool utf8)
{
	return utf8 ? "\u2192" : "->";
}

enum dbl_stage dbl_rc_last_stage(const struct dbl_report *rep)
{
	enum dbl_stage last = rep->max_stage;
	for (size_t i = 0; i < rep->n_targets; i++)
		for (size_t j = 0; j < rep->targets[i].n_probes; j++) {
			const struct dbl_result *r =
				&rep->targets[i].probes[j].r;
			if (r->stage > last)
				last = r->stage;
		}
	if ((int)last < 0 || last >= DBL_STAGE__COUNT)
		last = DBL_STAGE_QUERY;
	return last;
}

/* "[::1]:5432" -> "::1", "127.0.0.1:5432" -> "127.0.0.1". */
static void host_of(const char *addr, struct dbl_buf *out)
{
	const char *end;
	if (addr[0] == '[' && (end = strchr(addr, ']')) != NULL) {
		dbl_buf_append(out, addr + 1, (size_t)(end - addr - 1));
		return;
	}
	end = strrchr(addr, ':');
	if (end && strchr(addr, ':') == end)
		dbl_buf_append(out, addr, (size_t)(end - addr));
	else
		dbl_buf_puts(out, addr);
}

void dbl_rc_address(const struct dbl_result *r, bool utf8, struct dbl_buf *out)
{
	struct dbl_buf raw = {0};
	dbl_buf_puts(&raw, r->address[0] ? r->address : "?");
	bool by_name = r->transport == DBL_TRANSPORT_LOCALHOST ||
		       r->transport == DBL_TRANSPORT_HOST;
	for (int i = 0; by_name && i < r->n_attempts && i < DBL_MAX_ATTEMPTS;
	     i++) {
		dbl_buf_puts(&raw, i ? ", " : " ");
		if (!i)
			dbl_buf_printf(&raw, "%s ", dbl_rc_arrow(utf8));
		host_of(r->attempts[i].address, &raw);
	}
	dbl_rc_clean(out, raw.data ? raw.data : "", dbl_rc_display_mode(utf8));
	dbl_buf_release(&raw);
}

double dbl_rc_round_ms(double ms)
{
	if (!isfinite(ms) || ms < 0)
		return 0;
	if (ms > 1e12)
		return 1e12;
	/* Half up, without libm: ms is in [0, 1e12] here. */
	return (double)(long long)(ms * 10 + 0.5) / 10;
}

void dbl_rc_put_ms(struct dbl_buf *out, double ms)
{
	dbl_buf_printf(out, "%.1f", dbl_rc_round_ms(ms));
}

bool dbl_rc_target_healthy(const struct dbl_target_report *tr)
{
	for (size_t i = 0; i < tr->n_findings; i++)
		if (tr->findings[i].severity == DBL_SEV_ERROR)
			return false;
	return tr->ok;
}

bool dbl_rc_transport_explained(const struct dbl_target_report *tr,
				enum dbl_transport t)
{
	for (size_t i = 0; i < tr->n_findings; i++)
		if (tr->findings[i].transports & DBL_TRANSPORT_BIT(t))
			return true;
	return false;
}

size_t *dbl_rc_findings_order(const struct dbl_target_report *tr)
{
	size_t *idx = malloc((tr->n_findings + 1) * sizeof(*idx));
	size_t n = 0;
	if (!idx)
		return NULL;
	for (int sev = DBL_SEV__COUNT - 1; sev >= 0; sev--)
		for (size_t i = 0; i < tr->n_findings; i++)
			if ((int)tr->findings[i].severity == sev)
				idx[n++] = i;
	/* A severity out of range still shows, last. */
	for (size_t i = 0; i < tr->n_findings; i++)
		if ((int)tr->findings[i].severity < 0 ||
		    tr->findings[i].severity >= DBL_SEV__COUNT)
			idx[n++] = i;
	return idx;
}

void dbl_rc_transports(struct dbl_buf *out, unsigned mask, const char *sep)
{
	bool first = true;
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++) {
		if (!(mask & DBL_TRANSPORT_BIT(t)))
			continue;
		dbl_buf_printf(out, "%s%s", first ? "" : sep,
			       dbl_transport_name((enum dbl_transport)t));
		first = false;
	}
}

char *dbl_rc_server_name(const struct dbl_target_report *tr)
{
	bool p = tr->product && tr->product[0];
	bool v = tr->version && tr->version[0];
	if (!p && !v)
		return NULL;
	return dbl_asprintf("%s%s%s", p ? tr->product : "", p && v ? " " : "",
			    v ? tr->version : "");
}

void dbl_rc_put_times(struct dbl_buf *out, const struct dbl_result *r)
{
	dbl_rc_put_ms(out, r->elapsed_ms);
	dbl_buf_puts(out, " ms (");
	for (int s = 0; s < DBL_STAGE__COUNT; s++) {
		dbl_buf_printf(out, "%s%s ", s ? ", " : "",
			       dbl_stage_name((enum dbl_stage)s));
		dbl_rc_put_ms(out, r->stage_ms[s]);
	}
	dbl_buf_puts(out, ")");
}

void dbl_rc_step_where(struct dbl_buf *out, const struct dbl_step *st,
		       bool edit_hint)
{
	const char *file = st->file ? st->file : "the server's config file";
	switch (st->kind) {
	case DBL_STEP_SHELL:
		dbl_buf_puts(out, st->needs_root ? "In a shell (it uses sudo):"
						 : "In a shell:");
		return;
	case DBL_STEP_SQL:
		dbl_buf_printf(out, "SQL for %s, run as %s",
			       st->engine == DBL_ENGINE_POSTGRES
				       ? "PostgreSQL"
				       : "MySQL/MariaDB",
			       st->run_as ? st->run_as : "an administrator");
		if (edit_hint && st->client)
			dbl_buf_printf(out, " (open the client with: %s)",
				       st->client);
		dbl_buf_puts(out, ":");
		return;
	case DBL_STEP_CONFIG:
		switch (st->action) {
		case DBL_CONF_REPLACE:
			dbl_buf_printf(out, "In %s, line %d becomes", file,
				       st->line);
			break;
		case DBL_CONF_INSERT_AFTER:
			dbl_buf_printf(out, "In %s, after line %d, add", file,
				       st->line);
			break;
		case DBL_CONF_COMMENT_OUT:
			dbl_buf_printf(out, "In %s, comment out line %d", file,
				       st->line);
			break;
		default:
			dbl_buf_printf(out, "In %s%s%s%s, add", file,
				       st->group ? ", under [" : "",
				       st->group ? st->group : "",
				       st->group ? "]" : "");
			break;
		}
		if (st->note)
			dbl_buf_printf(out, " (%s)", st->note);
		if (edit_hint && st->needs_root && st->file) {
			dbl_buf_puts(out, "; editing it needs root: sudoedit ");
			dbl_q_shell(out, st->file);
		}
		dbl_buf_puts(out, ":");
		return;
	case DBL_STEP_ENV:
		dbl_buf_puts(out, "In the client's environment (the shell or "
				  "the service that starts it):");
		return;
	case DBL_STEP_URL:
		dbl_buf_puts(out, "As the client's connection string:");
		return;
	default:
		return;
	}
}

const char *dbl_rc_step_lang(const struct dbl_step *st)
{
	switch (st->kind) {
	case DBL_STEP_SQL:
		return "sql";
	case DBL_STEP_CONFIG:
		return "ini";
	case DBL_STEP_URL:
		return "text";
	default:
		return "sh";
	}
}

void dbl_rc_step_edit(struct dbl_buf *out, const struct dbl_step *st)
{
	if (st->kind != DBL_STEP_CONFIG || !st->needs_root || !st->file)
		return;
	dbl_buf_puts(out, "sudoedit ");
	dbl_q_shell(out, st->file);
}

void dbl_rc_step_brief(struct dbl_buf *out, const struct dbl_step *st)
{
	if (st->kind != DBL_STEP_CONFIG) {
		dbl_buf_puts(out, st->text);
		return;
	}
	dbl_buf_puts(out, st->file ? st->file : "the server's config file");
	if (st->line > 0)
		dbl_buf_printf(out, " line %d", st->line);
	dbl_buf_printf(out, ": %s%s",
		       st->action == DBL_CONF_COMMENT_OUT ? "# " : "",
		       st->text);
}
