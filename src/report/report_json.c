/* JSON report writer: the shape of ../shared/spec/report.md, keys in a
 * fixed order, null where a value is unknown, times in ms rounded to 0.1.
 * The tree is built with cJSON and printed by json_print below (two-space
 * indent, one value per line), so the bytes are stable across cJSON
 * versions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/report_common.h"

/* A string as valid UTF-8, or null for NULL / "". */
static cJSON *str_or_null(const char *s)
{
	if (!s || !*s)
		return cJSON_CreateNull();
	struct dbl_buf b = {0};
	dbl_rc_clean(&b, s, DBL_CLEAN_UTF8);
	cJSON *j = b.oom ? NULL : cJSON_CreateString(b.data);
	dbl_buf_release(&b);
	return j;
}

/* Adds item under key; a NULL item (allocation failed) marks the tree. */
static void put(cJSON *obj, const char *key, cJSON *item, bool *oom)
{
	if (!item || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		*oom = true;
	}
}

static cJSON *ms(double v)
{
	return cJSON_CreateNumber(dbl_rc_round_ms(v));
}

static cJSON *int_or_null(long v)
{
	return v ? cJSON_CreateNumber((double)v) : cJSON_CreateNull();
}

static cJSON *strlist(const struct dbl_strlist *l, bool *oom)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < l->n; i++) {
		cJSON *s = str_or_null(l->items[i]);
		if (s && cJSON_IsNull(s)) {
			cJSON_Delete(s);
			s = cJSON_CreateString("");
		}
		if (!s || !cJSON_AddItemToArray(a, s)) {
			cJSON_Delete(s);
			*oom = true;
		}
	}
	if (!a)
		*oom = true;
	return a;
}

static cJSON *server_obj(const char *product, const char *version,
			 const char *instance, bool with_instance, bool *oom)
{
	if (!(product && *product) && !(version && *version) &&
	    !(instance && *instance))
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "product", str_or_null(product), oom);
	put(o, "version", str_or_null(version), oom);
	if (with_instance)
		put(o, "instance", str_or_null(instance), oom);
	return o;
}

static cJSON *array_of(size_t n, cJSON *(*make)(const void *, size_t, bool *),
		       const void *base, bool *oom);

static cJSON *attempt_at(const void *base, size_t i, bool *oom)
{
	const struct dbl_attempt *at = &((const struct dbl_attempt *)base)[i];
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "address", str_or_null(at->address), oom);
	put(o, "errno", str_or_null(dbl_errno_name(at->err)), oom);
	put(o, "elapsed_ms", ms(at->elapsed_ms), oom);
	return o;
}

static cJSON *stage_ms_obj(const struct dbl_result *r, bool *oom)
{
	cJSON *o = cJSON_CreateObject();
	for (int s = 0; o && s < DBL_STAGE__COUNT; s++)
		put(o, dbl_stage_name((enum dbl_stage)s), ms(r->stage_ms[s]),
		    oom);
	return o;
}

static cJSON *mysql_greeting_obj(const struct dbl_mysql_greeting *g, bool *oom)
{
	if (!g->seen && !g->error_code)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "seen", cJSON_CreateBool(g->seen), oom);
	put(o, "protocol_version", int_or_null(g->protocol_version), oom);
	put(o, "server_version", str_or_null(g->server_version), oom);
	put(o, "connection_id", cJSON_CreateNumber(g->connection_id), oom);
	put(o, "capabilities", cJSON_CreateNumber(g->capabilities), oom);
	put(o, "tls_offered", cJSON_CreateBool(g->tls_offered), oom);
	put(o, "auth_plugin", str_or_null(g->auth_plugin), oom);
	put(o, "error_code", int_or_null(g->error_code), oom);
	put(o, "error_message", str_or_null(g->error_message), oom);
	return o;
}

static cJSON *pg_greeting_obj(const struct dbl_pg_greeting *g, bool *oom)
{
	if (!g->ssl_answer && g->auth_request == DBL_PG_AUTH_NONE &&
	    !g->severity[0] && !g->sqlstate[0] && !g->message[0])
		return cJSON_CreateNull();
	char ssl[2] = {g->ssl_answer, '\0'};
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "ssl_answer", str_or_null(ssl), oom);
	put(o, "auth_request",
	    g->auth_request == DBL_PG_AUTH_NONE
		    ? cJSON_CreateNull()
		    : cJSON_CreateNumber(g->auth_request),
	    oom);
	put(o, "sasl_mechanisms", str_or_null(g->sasl_mechanisms), oom);
	if (g->scram_salt[0]) { /* only when asked and answered */
		put(o, "scram_salt", cJSON_CreateString(g->scram_salt), oom);
		put(o, "scram_iterations",
		    cJSON_CreateNumber(g->scram_iterations), oom);
	}
	put(o, "severity", str_or_null(g->severity), oom);
	put(o, "sqlstate", str_or_null(g->sqlstate), oom);
	put(o, "message", str_or_null(g->message), oom);
	put(o, "detail", str_or_null(g->detail), oom);
	put(o, "hint", str_or_null(g->hint), oom);
	return o;
}

static cJSON *greeting_obj(const struct dbl_result *r, bool *oom)
{
	cJSON *my = mysql_greeting_obj(&r->mysql, oom);
	cJSON *pg = pg_greeting_obj(&r->pg, oom);
	if (my && pg && cJSON_IsNull(my) && cJSON_IsNull(pg)) {
		cJSON_Delete(my);
		cJSON_Delete(pg);
		return cJSON_CreateNull();
	}
	cJSON *o = cJSON_CreateObject();
	if (!o) {
		cJSON_Delete(my);
		cJSON_Delete(pg);
		return NULL;
	}
	put(o, "mysql", my, oom);
	put(o, "postgres", pg, oom);
	return o;
}

static cJSON *setting_at(const void *base, size_t i, bool *oom)
{
	const struct dbl_setting *st = &((const struct dbl_setting *)base)[i];
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "name", str_or_null(st->name), oom);
	put(o, "value",
	    st->denied ? cJSON_CreateNull() : cJSON_CreateString(st->value),
	    oom);
	put(o, "denied", cJSON_CreateBool(st->denied), oom);
	return o;
}

/* min(n, cap) entries of a result's fixed array; n may be anything a
 * hostile report or a bug left there. */
static size_t bounded(int n, int cap)
{
	return n <= 0 ? 0 : (size_t)(n < cap ? n : cap);
}

/* The fields report.md requires, in its order. */
static void probe_core(cJSON *o, const struct dbl_probe_report *p, bool *oom)
{
	const struct dbl_result *r = &p->r;
	put(o, "transport",
	    cJSON_CreateString(dbl_transport_name(r->transport)), oom);
	put(o, "address", str_or_null(r->address), oom);
	put(o, "stage", cJSON_CreateString(dbl_stage_name(r->stage)), oom);
	put(o, "class", cJSON_CreateString(dbl_class_name(p->cls)), oom);
	put(o, "ok", cJSON_CreateBool(r->ok), oom);
	put(o, "elapsed_ms", ms(r->elapsed_ms), oom);
	put(o, "errno", str_or_null(dbl_errno_name(r->sys_errno)), oom);
	put(o, "sqlstate", str_or_null(r->sqlstate), oom);
	put(o, "server_error_code", int_or_null(r->server_error), oom);
	put(o, "message", str_or_null(r->message), oom);
	put(o, "server",
	    server_obj(r->product, r->version, r->instance, true, oom), oom);
	put(o, "attempts",
	    array_of(bounded(r->n_attempts, DBL_MAX_ATTEMPTS), attempt_at,
		     r->attempts, oom),
	    oom);
}

static cJSON *probe_obj(const struct dbl_probe_report *p, bool *oom)
{
	const struct dbl_result *r = &p->r;
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	probe_core(o, p, oom);
	put(o, "max_stage", cJSON_CreateString(dbl_stage_name(r->max_stage)),
	    oom);
	put(o, "timed_out", cJSON_CreateBool(r->timed_out), oom);
	put(o, "stage_ms", stage_ms_obj(r, oom), oom);
	put(o, "protocol", cJSON_CreateString(dbl_protocol_name(r->protocol)),
	    oom);
	put(o, "eai_error", int_or_null(r->eai_error), oom);
	put(o, "client_error", int_or_null(r->client_error), oom);
	put(o, "wrapped_error", int_or_null(r->wrapped_error), oom);
	put(o, "tls_used", cJSON_CreateBool(r->tls_used), oom);
	put(o, "auth_method", str_or_null(r->auth_method), oom);
	put(o, "greeting", greeting_obj(r, oom), oom);
	put(o, "settings",
	    array_of(bounded(r->n_settings, DBL_MAX_SETTINGS), setting_at,
		     r->settings, oom),
	    oom);
	put(o, "reused_from",
	    r->reused ? cJSON_CreateString(dbl_transport_name(r->reused_from))
		      : cJSON_CreateNull(),
	    oom);
	return o;
}

/* A step: its kind and text, and the fields of that kind (null where
 * unknown). */
static cJSON *step_obj(const struct dbl_step *st, bool *oom)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "kind", cJSON_CreateString(dbl_step_kind_name(st->kind)), oom);
	put(o, "text", str_or_null(st->text), oom);
	switch (st->kind) {
	case DBL_STEP_SHELL:
		put(o, "needs_root", cJSON_CreateBool(st->needs_root), oom);
		break;
	case DBL_STEP_SQL:
		put(o, "engine",
		    cJSON_CreateString(dbl_engine_name(st->engine)), oom);
		put(o, "as", str_or_null(st->run_as), oom);
		put(o, "client", str_or_null(st->client), oom);
		break;
	case DBL_STEP_CONFIG:
		put(o, "file", str_or_null(st->file), oom);
		put(o, "line", int_or_null(st->line), oom);
		put(o, "action",
		    cJSON_CreateString(dbl_conf_action_name(st->action)), oom);
		put(o, "group", str_or_null(st->group), oom);
		put(o, "needs_root", cJSON_CreateBool(st->needs_root), oom);
		put(o, "note", str_or_null(st->note), oom);
		break;
	case DBL_STEP_ENV:
		put(o, "name", str_or_null(st->name), oom);
		put(o, "value",
		    st->value ? cJSON_CreateString(st->value)
			      : cJSON_CreateNull(),
		    oom);
		break;
	default:
		break;
	}
	return o;
}

static cJSON *step_at(const void *base, size_t i, bool *oom)
{
	return step_obj(&((const struct dbl_step *)base)[i], oom);
}

static cJSON *array_of(size_t n, cJSON *(*make)(const void *, size_t, bool *),
		       const void *base, bool *oom);

static cJSON *finding_obj(const struct dbl_finding *f, bool *oom)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "class", cJSON_CreateString(dbl_class_name(f->cls)), oom);
	put(o, "severity", cJSON_CreateString(dbl_severity_name(f->severity)),
	    oom);
	cJSON *ts = cJSON_CreateArray();
	for (int t = 0; ts && t < DBL_TRANSPORT__COUNT; t++)
		if (f->transports & DBL_TRANSPORT_BIT(t))
			cJSON_AddItemToArray(
				ts, cJSON_CreateString(dbl_transport_name(
					    (enum dbl_transport)t)));
	put(o, "transports", ts, oom);
	put(o, "summary", str_or_null(f->summary), oom);
	put(o, "evidence", strlist(&f->evidence, oom), oom);
	put(o, "probe_evidence",
	    cJSON_CreateNumber((double)(f->n_probe_evidence < f->evidence.n
						? f->n_probe_evidence
						: f->evidence.n)),
	    oom);
	put(o, "fix", str_or_null(f->fix), oom);
	put(o, "commands", strlist(&f->commands, oom), oom);
	if (f->n_steps)
		put(o, "steps", array_of(f->n_steps, step_at, f->steps, oom),
		    oom);
	return o;
}

static cJSON *array_of(size_t n, cJSON *(*make)(const void *, size_t, bool *),
		       const void *base, bool *oom)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < n; i++) {
		cJSON *o = make(base, i, oom);
		if (!o || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			*oom = true;
		}
	}
	if (!a)
		*oom = true;
	return a;
}

static cJSON *probe_at(const void *base, size_t i, bool *oom)
{
	return probe_obj(&((const struct dbl_probe_report *)base)[i], oom);
}

static cJSON *finding_at(const void *base, size_t i, bool *oom)
{
	return finding_obj(&((const struct dbl_finding *)base)[i], oom);
}

static cJSON *app_step_at(const void *base, size_t i, bool *oom)
{
	const struct dbl_app_step *s = &((const struct dbl_app_step *)base)[i];
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "transport",
	    cJSON_CreateString(dbl_transport_name(s->transport)), oom);
	put(o, "address", cJSON_CreateString(s->address), oom);
	put(o, "tried", cJSON_CreateBool(s->tried), oom);
	put(o, "ok", cJSON_CreateBool(s->ok), oom);
	put(o, "class",
	    s->tried ? cJSON_CreateString(dbl_class_name(s->cls))
		     : cJSON_CreateNull(),
	    oom);
	return o;
}

/* --client / --app: the path the app's own driver takes. */
static cJSON *app_obj(const struct dbl_app_path *ap, bool *oom)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "client", str_or_null(ap->client), oom);
	put(o, "driver", str_or_null(ap->driver), oom);
	put(o, "verified_with", str_or_null(ap->verified), oom);
	put(o, "rule", str_or_null(ap->rule), oom);
	put(o, "host", str_or_null(ap->host), oom);
	put(o, "port", cJSON_CreateNumber(ap->port), oom);
	put(o, "socket", str_or_null(ap->socket), oom);
	put(o, "socket_source", str_or_null(ap->socket_source), oom);
	put(o, "config", strlist(&ap->config, oom), oom);
	put(o, "steps", array_of(ap->n_steps, app_step_at, ap->steps, oom),
	    oom);
	put(o, "ok", cJSON_CreateBool(ap->ok), oom);
	put(o, "via",
	    ap->via >= 0 ? cJSON_CreateNumber(ap->via) : cJSON_CreateNull(),
	    oom);
	return o;
}

static cJSON *target_at(const void *base, size_t i, bool *oom)
{
	const struct dbl_target_report *tr =
		&((const struct dbl_target_report *)base)[i];
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "target", str_or_null(tr->target), oom);
	put(o, "engine", cJSON_CreateString(dbl_engine_name(tr->engine)), oom);
	put(o, "server", server_obj(tr->product, tr->version, NULL, false, oom),
	    oom);
	put(o, "ok", cJSON_CreateBool(tr->ok), oom);
	put(o, "settings", strlist(&tr->settings, oom), oom);
	put(o, "probes", array_of(tr->n_probes, probe_at, tr->probes, oom),
	    oom);
	put(o, "findings",
	    array_of(tr->n_findings, finding_at, tr->findings, oom), oom);
	if (tr->app)
		put(o, "app", app_obj(tr->app, oom), oom);
	return o;
}

static cJSON *host_obj(const struct dbl_report *rep, bool *oom)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "os", str_or_null(rep->os), oom);
	put(o, "in_container", cJSON_CreateBool(rep->in_container), oom);
	put(o, "localhost_resolves_to",
	    strlist(&rep->localhost_resolves_to, oom), oom);
	put(o, "ipv6_loopback", cJSON_CreateBool(rep->ipv6_loopback), oom);
	return o;
}

static cJSON *report_obj(const struct dbl_report *rep, bool *oom)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	put(o, "schema", cJSON_CreateString(DBL_REPORT_SCHEMA), oom);
	put(o, "schema_minor", cJSON_CreateNumber(DBL_REPORT_SCHEMA_MINOR),
	    oom);
	put(o, "dbloop_version",
	    cJSON_CreateString(rep->dbloop_version ? rep->dbloop_version
						   : DBL_VERSION),
	    oom);
	put(o, "generated_at", str_or_null(rep->generated_at), oom);
	put(o, "duration_ms", ms(rep->duration_ms), oom);
	put(o, "redacted", cJSON_CreateBool(rep->redacted), oom);
	put(o, "max_stage", cJSON_CreateString(dbl_stage_name(rep->max_stage)),
	    oom);
	put(o, "host", host_obj(rep, oom), oom);
	put(o, "warnings", strlist(&rep->warnings, oom), oom);
	put(o, "targets",
	    array_of(rep->n_targets, target_at, rep->targets, oom), oom);
	put(o, "ok", cJSON_CreateBool(rep->ok), oom);
	return o;
}

static void indent(struct dbl_buf *out, int depth)
{
	for (int i = 0; i < depth; i++)
		dbl_buf_puts(out, "  ");
}

static void print_string(struct dbl_buf *out, const char *s)
{
	dbl_buf_puts(out, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			dbl_buf_puts(out, "\\\"");
			break;
		case '\\':
			dbl_buf_puts(out, "\\\\");
			break;
		case '\n':
			dbl_buf_puts(out, "\\n");
			break;
		case '\t':
			dbl_buf_puts(out, "\\t");
			break;
		case '\r':
			dbl_buf_puts(out, "\\r");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				dbl_buf_printf(out, "\\u%04x", *p);
			else
				dbl_buf_append(out, (const char *)p, 1);
		}
	}
	dbl_buf_puts(out, "\"");
}

static void print_number(struct dbl_buf *out, double v)
{
	char tmp[40];
	if (!isfinite(v)) {
		dbl_buf_puts(out, "null");
		return;
	}
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
		dbl_buf_printf(out, "%.0f", v);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (strtod(tmp, NULL) != v)
		snprintf(tmp, sizeof(tmp), "%.17g", v);
	dbl_buf_puts(out, tmp);
}

static void print_value(struct dbl_buf *out, const cJSON *j, int depth);

static void print_container(struct dbl_buf *out, const cJSON *j, int depth,
			    bool is_object)
{
	const char *open = is_object ? "{" : "[",
		   *close = is_object ? "}" : "]";
	if (!j->child) {
		dbl_buf_printf(out, "%s%s", open, close);
		return;
	}
	dbl_buf_printf(out, "%s\n", open);
	for (const cJSON *c = j->child; c; c = c->next) {
		indent(out, depth + 1);
		if (is_object) {
			print_string(out, c->string ? c->string : "");
			dbl_buf_puts(out, ": ");
		}
		print_value(out, c, depth + 1);
		dbl_buf_puts(out, c->next ? ",\n" : "\n");
	}
	indent(out, depth);
	dbl_buf_puts(out, close);
}

static void print_value(struct dbl_buf *out, const cJSON *j, int depth)
{
	if (cJSON_IsObject(j) || cJSON_IsArray(j))
		print_container(out, j, depth, cJSON_IsObject(j));
	else if (cJSON_IsString(j))
		print_string(out, j->valuestring ? j->valuestring : "");
	else if (cJSON_IsNumber(j))
		print_number(out, j->valuedouble);
	else if (cJSON_IsBool(j))
		dbl_buf_puts(out, cJSON_IsTrue(j) ? "true" : "false");
	else
		dbl_buf_puts(out, "null");
}

int dbl_report_write_json(const struct dbl_report *rep, struct dbl_buf *out)
{
	bool oom = false;
	cJSON *root = report_obj(rep, &oom);
	if (!root || oom) {
		cJSON_Delete(root);
		return -DBL_ENOMEM;
	}
	print_value(out, root, 0);
	dbl_buf_puts(out, "\n");
	cJSON_Delete(root);
	return out->oom ? -DBL_ENOMEM : 0;
}
