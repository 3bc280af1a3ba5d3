/* Reads a saved JSON report back into struct dbl_report (`dbloop show`).
 *
 * The file is untrusted: size, nesting, types, enum names and counts are
 * all checked, and the first problem is named with its place in the
 * document ("targets[0].probes[2]: missing \"transport\""). Fields that
 * report.md requires must be present; the fields dbloop adds are optional,
 * but must have the right type when present. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/report_common.h"
#include "util/textfile.h"

#define MAX_TARGETS 64
#define MAX_PROBES_PER_TARGET 64
#define MAX_FINDINGS_PER_TARGET 64

enum jtype { T_STR = 1, T_NUM = 2, T_BOOL = 4, T_ARR = 8, T_OBJ = 16 };
#define T_NULL 32 /* null is accepted (the item comes back as NULL) */

struct rd {
	char *err;
	size_t errlen;
};

/* A JSON path for messages ("targets[0].probes[2].server"): a deep path
 * that does not fit is cut, which only shortens an error message. Through
 * vsnprintf so gcc's -Wformat-truncation (on in Release builds) does not
 * flag the cut it cannot rule out. */
__attribute__((format(printf, 3, 4))) static void
json_path(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, size, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4))) static int
fail(struct rd *rd, const char *path, const char *fmt, ...)
{
	char msg[256], line[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* msg may quote values of the file: the error stays one line */
	snprintf(line, sizeof(line), "%s%s%s", path, *path ? ": " : "", msg);
	if (rd->errlen)
		dbl_line_escape(rd->err, rd->errlen, line);
	return -DBL_EINVAL;
}

static const char *type_name(const cJSON *j)
{
	if (cJSON_IsString(j))
		return "a string";
	if (cJSON_IsNumber(j))
		return "a number";
	if (cJSON_IsBool(j))
		return "a boolean";
	if (cJSON_IsArray(j))
		return "an array";
	if (cJSON_IsObject(j))
		return "an object";
	return "null";
}

static const char *want_name(int types)
{
	if (types & T_STR)
		return "a string";
	if (types & T_NUM)
		return "a number";
	if (types & T_BOOL)
		return "a boolean";
	if (types & T_ARR)
		return "an array";
	return "an object";
}

static bool type_ok(const cJSON *j, int types)
{
	return ((types & T_STR) && cJSON_IsString(j)) ||
	       ((types & T_NUM) && cJSON_IsNumber(j)) ||
	       ((types & T_BOOL) && cJSON_IsBool(j)) ||
	       ((types & T_ARR) && cJSON_IsArray(j)) ||
	       ((types & T_OBJ) && cJSON_IsObject(j));
}

/* Looks key up in obj: *out is the item, or NULL when null (allowed by
 * T_NULL) or absent (allowed when !required). */
static int field(struct rd *rd, const cJSON *obj, const char *path,
		 const char *key, int types, bool required, const cJSON **out)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);
	*out = NULL;
	if (!j)
		return required ? fail(rd, path, "missing \"%s\"", key) : 0;
	if (cJSON_IsNull(j)) {
		if (types & T_NULL)
			return 0;
		return fail(rd, path, "\"%s\" is null, expected %s", key,
			    want_name(types));
	}
	if (!type_ok(j, types))
		return fail(rd, path, "\"%s\" is %s, expected %s", key,
			    type_name(j), want_name(types));
	*out = j;
	return 0;
}

#define REQ(obj, key, types, out)                                              \
	do {                                                                   \
		int rc_ = field(rd, obj, path, key, types, true, out);         \
		if (rc_ < 0)                                                   \
			return rc_;                                            \
	} while (0)
#define OPT(obj, key, types, out)                                              \
	do {                                                                   \
		int rc_ = field(rd, obj, path, key, types, false, out);        \
		if (rc_ < 0)                                                   \
			return rc_;                                            \
	} while (0)

static const char *sval(const cJSON *j)
{
	return j && cJSON_IsString(j) && j->valuestring ? j->valuestring : "";
}

static double nval(const cJSON *j)
{
	double v = j ? j->valuedouble : 0;
	return v >= 0 && v < 1e12 ? v : 0;
}

static long ival(const cJSON *j)
{
	double v = j ? j->valuedouble : 0;
	return v >= -2147483647.0 && v <= 4294967295.0 ? (long)v : 0;
}

/* A string field copied into a fixed buffer. */
static int get_fixed(struct rd *rd, const cJSON *obj, const char *path,
		     const char *key, bool required, char *dst, size_t size)
{
	const cJSON *j;
	int rc = field(rd, obj, path, key, T_STR | T_NULL, required, &j);
	if (rc == 0)
		dbl_strlcpy(dst, sval(j), size);
	return rc;
}

/* A string field into an owned pointer (NULL for null). */
static int get_owned(struct rd *rd, const cJSON *obj, const char *path,
		     const char *key, bool required, char **dst)
{
	const cJSON *j;
	int rc = field(rd, obj, path, key, T_STR | T_NULL, required, &j);
	if (rc < 0)
		return rc;
	free(*dst);
	*dst = j ? strdup(sval(j)) : NULL;
	return j && !*dst ? -DBL_ENOMEM : 0;
}

/* Parses an enum name with one of dbl_*_parse. */
#define GET_ENUM(obj, key, kind, dst, required)                                \
	do {                                                                   \
		const cJSON *j_;                                               \
		int rc_ = field(rd, obj, path, key, T_STR, required, &j_);     \
		if (rc_ < 0)                                                   \
			return rc_;                                            \
		if (j_ && dbl_##kind##_parse(sval(j_), dst) < 0)               \
			return fail(rd, path, "unknown " #kind " '%.40s'",     \
				    sval(j_));                                 \
	} while (0)

static int get_strlist(struct rd *rd, const cJSON *obj, const char *path,
		       const char *key, bool required, struct dbl_strlist *l)
{
	const cJSON *a, *it;
	int rc = field(rd, obj, path, key, T_ARR | T_NULL, required, &a);
	if (rc < 0 || !a)
		return rc;
	int i = 0;
	cJSON_ArrayForEach(it, a)
	{
		if (!cJSON_IsString(it))
			return fail(rd, path, "%s[%d] is %s, expected a string",
				    key, i, type_name(it));
		if (dbl_strlist_push(l, sval(it)) < 0)
			return -DBL_ENOMEM;
		i++;
	}
	return 0;
}

static int get_errno(struct rd *rd, const cJSON *obj, const char *path,
		     int *dst)
{
	const cJSON *j;
	REQ(obj, "errno", T_STR | T_NULL, &j);
	*dst = 0;
	if (j && !(*dst = dbl_errno_from_name(sval(j))))
		return fail(rd, path, "unknown errno '%.40s'", sval(j));
	return 0;
}

static int read_attempts(struct rd *rd, const cJSON *obj, const char *ppath,
			 struct dbl_result *r)
{
	const cJSON *a, *it;
	char path[160];
	int rc = field(rd, obj, ppath, "attempts", T_ARR, true, &a);
	if (rc < 0)
		return rc;
	cJSON_ArrayForEach(it, a)
	{
		json_path(path, sizeof(path), "%s.attempts[%d]", ppath,
			  r->n_attempts);
		if (!cJSON_IsObject(it))
			return fail(rd, path, "is %s, expected an object",
				    type_name(it));
		if (r->n_attempts >= DBL_MAX_ATTEMPTS)
			return fail(rd, path, "more than %d attempts",
				    DBL_MAX_ATTEMPTS);
		struct dbl_attempt *at = &r->attempts[r->n_attempts++];
		const cJSON *j;
		if ((rc = get_fixed(rd, it, path, "address", true, at->address,
				    sizeof(at->address))) < 0 ||
		    (rc = get_errno(rd, it, path, &at->err)) < 0)
			return rc;
		REQ(it, "elapsed_ms", T_NUM, &j);
		at->elapsed_ms = nval(j);
	}
	return 0;
}

static int read_probe_server(struct rd *rd, const cJSON *obj, const char *ppath,
			     struct dbl_result *r)
{
	const cJSON *s;
	char path[160];
	int rc = field(rd, obj, ppath, "server", T_OBJ | T_NULL, true, &s);
	if (rc < 0 || !s)
		return rc;
	json_path(path, sizeof(path), "%s.server", ppath);
	if ((rc = get_fixed(rd, s, path, "product", true, r->product,
			    sizeof(r->product))) < 0 ||
	    (rc = get_fixed(rd, s, path, "version", true, r->version,
			    sizeof(r->version))) < 0)
		return rc;
	return get_fixed(rd, s, path, "instance", false, r->instance,
			 sizeof(r->instance));
}

static int read_stage_ms(struct rd *rd, const cJSON *obj, const char *ppath,
			 struct dbl_result *r)
{
	const cJSON *o, *j;
	char path[160];
	int rc = field(rd, obj, ppath, "stage_ms", T_OBJ | T_NULL, false, &o);
	if (rc < 0 || !o)
		return rc;
	json_path(path, sizeof(path), "%s.stage_ms", ppath);
	for (int s = 0; s < DBL_STAGE__COUNT; s++) {
		OPT(o, dbl_stage_name((enum dbl_stage)s), T_NUM | T_NULL, &j);
		r->stage_ms[s] = nval(j);
	}
	return 0;
}

static int read_mysql_greeting(struct rd *rd, const cJSON *g, const char *path,
			       struct dbl_mysql_greeting *m)
{
	const cJSON *j;
	int rc;
	OPT(g, "seen", T_BOOL, &j);
	m->seen = cJSON_IsTrue(j);
	OPT(g, "protocol_version", T_NUM | T_NULL, &j);
	m->protocol_version = (int)ival(j);
	OPT(g, "connection_id", T_NUM | T_NULL, &j);
	m->connection_id = (uint32_t)ival(j);
	OPT(g, "capabilities", T_NUM | T_NULL, &j);
	m->capabilities = (uint32_t)ival(j);
	OPT(g, "tls_offered", T_BOOL, &j);
	m->tls_offered = cJSON_IsTrue(j);
	OPT(g, "error_code", T_NUM | T_NULL, &j);
	m->error_code = (int)ival(j);
	if ((rc = get_fixed(rd, g, path, "server_version", false,
			    m->server_version, sizeof(m->server_version))) <
		    0 ||
	    (rc = get_fixed(rd, g, path, "auth_plugin", false, m->auth_plugin,
			    sizeof(m->auth_plugin))) < 0)
		return rc;
	return get_fixed(rd, g, path, "error_message", false, m->error_message,
			 sizeof(m->error_message));
}

static int read_pg_greeting(struct rd *rd, const cJSON *g, const char *path,
			    struct dbl_pg_greeting *p)
{
	const cJSON *j;
	char ssl[2] = "";
	int rc;
	OPT(g, "auth_request", T_NUM | T_NULL, &j);
	p->auth_request = j ? (int)ival(j) : DBL_PG_AUTH_NONE;
	OPT(g, "scram_iterations", T_NUM | T_NULL, &j);
	p->scram_iterations = (int)ival(j);
	if ((rc = get_fixed(rd, g, path, "scram_salt", false, p->scram_salt,
			    sizeof(p->scram_salt))) < 0)
		return rc;
	if ((rc = get_fixed(rd, g, path, "ssl_answer", false, ssl,
			    sizeof(ssl))) < 0 ||
	    (rc = get_fixed(rd, g, path, "sasl_mechanisms", false,
			    p->sasl_mechanisms, sizeof(p->sasl_mechanisms))) <
		    0 ||
	    (rc = get_fixed(rd, g, path, "severity", false, p->severity,
			    sizeof(p->severity))) < 0 ||
	    (rc = get_fixed(rd, g, path, "sqlstate", false, p->sqlstate,
			    sizeof(p->sqlstate))) < 0 ||
	    (rc = get_fixed(rd, g, path, "message", false, p->message,
			    sizeof(p->message))) < 0 ||
	    (rc = get_fixed(rd, g, path, "detail", false, p->detail,
			    sizeof(p->detail))) < 0)
		return rc;
	p->ssl_answer = ssl[0];
	return get_fixed(rd, g, path, "hint", false, p->hint, sizeof(p->hint));
}

static int read_greeting(struct rd *rd, const cJSON *obj, const char *ppath,
			 struct dbl_result *r)
{
	const cJSON *g, *m, *p;
	char path[160];
	int rc = field(rd, obj, ppath, "greeting", T_OBJ | T_NULL, false, &g);
	if (rc < 0 || !g)
		return rc;
	json_path(path, sizeof(path), "%s.greeting", ppath);
	OPT(g, "mysql", T_OBJ | T_NULL, &m);
	OPT(g, "postgres", T_OBJ | T_NULL, &p);
	if (m) {
		json_path(path, sizeof(path), "%s.greeting.mysql", ppath);
		if ((rc = read_mysql_greeting(rd, m, path, &r->mysql)) < 0)
			return rc;
	}
	if (p) {
		json_path(path, sizeof(path), "%s.greeting.postgres", ppath);
		rc = read_pg_greeting(rd, p, path, &r->pg);
	}
	return rc;
}

static int read_settings(struct rd *rd, const cJSON *obj, const char *ppath,
			 struct dbl_result *r)
{
	const cJSON *a, *it, *j;
	char path[160];
	int rc = field(rd, obj, ppath, "settings", T_ARR | T_NULL, false, &a);
	if (rc < 0 || !a)
		return rc;
	cJSON_ArrayForEach(it, a)
	{
		json_path(path, sizeof(path), "%s.settings[%d]", ppath,
			  r->n_settings);
		if (!cJSON_IsObject(it))
			return fail(rd, path, "is %s, expected an object",
				    type_name(it));
		if (r->n_settings >= DBL_MAX_SETTINGS)
			return fail(rd, path, "more than %d settings",
				    DBL_MAX_SETTINGS);
		struct dbl_setting *s = &r->settings[r->n_settings++];
		if ((rc = get_fixed(rd, it, path, "name", true, s->name,
				    sizeof(s->name))) < 0 ||
		    (rc = get_fixed(rd, it, path, "value", true, s->value,
				    sizeof(s->value))) < 0)
			return rc;
		OPT(it, "denied", T_BOOL, &j);
		s->denied = cJSON_IsTrue(j);
	}
	return 0;
}

/* The number fields of a probe that are optional extras. */
static int read_probe_extras(struct rd *rd, const cJSON *o, const char *path,
			     struct dbl_result *r)
{
	const cJSON *j;
	int rc;
	GET_ENUM(o, "max_stage", stage, &r->max_stage, false);
	GET_ENUM(o, "protocol", protocol, &r->protocol, false);
	OPT(o, "timed_out", T_BOOL, &j);
	r->timed_out = cJSON_IsTrue(j);
	OPT(o, "tls_used", T_BOOL, &j);
	r->tls_used = cJSON_IsTrue(j);
	OPT(o, "eai_error", T_NUM | T_NULL, &j);
	r->eai_error = (int)ival(j);
	OPT(o, "client_error", T_NUM | T_NULL, &j);
	r->client_error = (int)ival(j);
	OPT(o, "wrapped_error", T_NUM | T_NULL, &j);
	r->wrapped_error = (int)ival(j);
	if ((rc = get_fixed(rd, o, path, "auth_method", false, r->auth_method,
			    sizeof(r->auth_method))) < 0 ||
	    (rc = read_stage_ms(rd, o, path, r)) < 0 ||
	    (rc = read_greeting(rd, o, path, r)) < 0)
		return rc;
	return read_settings(rd, o, path, r);
}

static int read_probe(struct rd *rd, const cJSON *o, const char *path,
		      enum dbl_engine engine, struct dbl_probe_report *p)
{
	struct dbl_result *r = &p->r;
	const cJSON *j;
	int rc;
	enum dbl_transport t = DBL_TRANSPORT_UNIX;
	GET_ENUM(o, "transport", transport, &t, true);
	dbl_result_init(r, engine, t, DBL_STAGE_QUERY);
	GET_ENUM(o, "stage", stage, &r->stage, true);
	GET_ENUM(o, "class", class, &p->cls, true);
	REQ(o, "ok", T_BOOL, &j);
	r->ok = cJSON_IsTrue(j);
	REQ(o, "elapsed_ms", T_NUM, &j);
	r->elapsed_ms = nval(j);
	REQ(o, "server_error_code", T_NUM | T_NULL, &j);
	r->server_error = (int)ival(j);
	if ((rc = get_fixed(rd, o, path, "address", true, r->address,
			    sizeof(r->address))) < 0 ||
	    (rc = get_errno(rd, o, path, &r->sys_errno)) < 0 ||
	    (rc = get_fixed(rd, o, path, "sqlstate", true, r->sqlstate,
			    sizeof(r->sqlstate))) < 0 ||
	    (rc = get_fixed(rd, o, path, "message", true, r->message,
			    sizeof(r->message))) < 0 ||
	    (rc = read_probe_server(rd, o, path, r)) < 0 ||
	    (rc = read_attempts(rd, o, path, r)) < 0)
		return rc;
	const cJSON *reused;
	OPT(o, "reused_from", T_STR | T_NULL, &reused);
	if (reused && dbl_transport_parse(sval(reused), &r->reused_from) < 0)
		return fail(rd, path, "unknown transport '%.40s'",
			    sval(reused));
	r->reused = reused != NULL;
	return read_probe_extras(rd, o, path, r);
}

static int read_transports(struct rd *rd, const cJSON *o, const char *path,
			   unsigned *mask)
{
	const cJSON *a, *it;
	int i = 0;
	REQ(o, "transports", T_ARR, &a);
	cJSON_ArrayForEach(it, a)
	{
		enum dbl_transport t;
		if (!cJSON_IsString(it) ||
		    dbl_transport_parse(sval(it), &t) < 0)
			return fail(rd, path,
				    "transports[%d] is not a transport", i);
		*mask |= DBL_TRANSPORT_BIT(t);
		i++;
	}
	return 0;
}

#define MAX_STEPS_PER_FINDING 64

static int read_step(struct rd *rd, const cJSON *o, const char *path,
		     struct dbl_step *st)
{
	int rc;
	if (!cJSON_IsObject(o))
		return fail(rd, path, "is not an object");
	GET_ENUM(o, "kind", step_kind, &st->kind, true);
	if ((rc = get_owned(rd, o, path, "text", true, &st->text)) < 0)
		return rc;
	if (!st->text)
		return fail(rd, path, "\"text\" is null");
	const cJSON *j;
	OPT(o, "needs_root", T_BOOL, &j);
	st->needs_root = j && cJSON_IsTrue(j);
	if (st->kind == DBL_STEP_SQL) {
		GET_ENUM(o, "engine", engine, &st->engine, true);
		if ((rc = get_owned(rd, o, path, "as", false, &st->run_as)) <
			    0 ||
		    (rc = get_owned(rd, o, path, "client", false,
				    &st->client)) < 0)
			return rc;
	} else if (st->kind == DBL_STEP_CONFIG) {
		GET_ENUM(o, "action", conf_action, &st->action, true);
		OPT(o, "line", T_NUM | T_NULL, &j);
		long line = ival(j);
		st->line = line > 0 && line < 100000000 ? (int)line : 0;
		if ((rc = get_owned(rd, o, path, "file", false, &st->file)) <
			    0 ||
		    (rc = get_owned(rd, o, path, "group", false, &st->group)) <
			    0 ||
		    (rc = get_owned(rd, o, path, "note", false, &st->note)) < 0)
			return rc;
	} else if (st->kind == DBL_STEP_ENV) {
		if ((rc = get_owned(rd, o, path, "name", true, &st->name)) <
			    0 ||
		    (rc = get_owned(rd, o, path, "value", false, &st->value)) <
			    0)
			return rc;
		if (!st->name)
			return fail(rd, path, "\"name\" is null");
	}
	return 0;
}

/* findings[].steps (schema minor 1); absent in older reports. */
static int read_steps(struct rd *rd, const cJSON *o, const char *ppath,
		      struct dbl_finding *f)
{
	const char *path = ppath;
	const cJSON *a, *it;
	OPT(o, "steps", T_ARR | T_NULL, &a);
	int count = a ? cJSON_GetArraySize(a) : 0;
	if (count <= 0)
		return 0;
	if (count > MAX_STEPS_PER_FINDING)
		return fail(rd, path, "more than %d steps",
			    MAX_STEPS_PER_FINDING);
	f->steps = calloc((size_t)count, sizeof(*f->steps));
	if (!f->steps)
		return -DBL_ENOMEM;
	int i = 0;
	cJSON_ArrayForEach(it, a)
	{
		char sp[200];
		json_path(sp, sizeof(sp), "%s.steps[%d]", ppath, i);
		f->n_steps = (size_t)i + 1;
		int rc = read_step(rd, it, sp, &f->steps[i]);
		if (rc < 0)
			return rc;
		i++;
	}
	return 0;
}

static int read_finding(struct rd *rd, const cJSON *o, const char *path,
			struct dbl_finding *f)
{
	int rc;
	GET_ENUM(o, "class", class, &f->cls, true);
	GET_ENUM(o, "severity", severity, &f->severity, true);
	if ((rc = read_transports(rd, o, path, &f->transports)) < 0 ||
	    (rc = get_owned(rd, o, path, "summary", true, &f->summary)) < 0 ||
	    (rc = get_strlist(rd, o, path, "evidence", true, &f->evidence)) <
		    0 ||
	    (rc = get_owned(rd, o, path, "fix", true, &f->fix)) < 0)
		return rc;
	/* Reports written before the field existed: every line is a fact. */
	const cJSON *pe;
	OPT(o, "probe_evidence", T_NUM, &pe);
	long npe = ival(pe);
	f->n_probe_evidence =
		npe > 0 ? ((size_t)npe < f->evidence.n ? (size_t)npe
						       : f->evidence.n)
			: 0;
	if ((rc = get_strlist(rd, o, path, "commands", true, &f->commands)) < 0)
		return rc;
	return read_steps(rd, o, path, f);
}

/* Reads the array key of o into a new array of n elements of size sz, each
 * filled by one(); the items are zeroed first. */
static int read_array(struct rd *rd, const cJSON *o, const char *ppath,
		      const char *key, size_t max, size_t sz, void **items,
		      size_t *n,
		      int (*one)(struct rd *, const cJSON *, const char *,
				 void *, const void *),
		      const void *ctx)
{
	const cJSON *a, *it;
	char path[160];
	int rc = field(rd, o, ppath, key, T_ARR, true, &a);
	if (rc < 0)
		return rc;
	size_t count = (size_t)cJSON_GetArraySize(a);
	if (count > max)
		return fail(rd, ppath, "more than %zu %s", max, key);
	*items = calloc(count ? count : 1, sz);
	if (!*items)
		return -DBL_ENOMEM;
	cJSON_ArrayForEach(it, a)
	{
		json_path(path, sizeof(path), "%s%s%s[%zu]", ppath,
			  *ppath ? "." : "", key, *n);
		if (!cJSON_IsObject(it))
			return fail(rd, path, "is %s, expected an object",
				    type_name(it));
		void *item = (char *)*items + *n * sz;
		(*n)++;
		if ((rc = one(rd, it, path, item, ctx)) < 0)
			return rc;
	}
	return 0;
}

static int probe_one(struct rd *rd, const cJSON *o, const char *path,
		     void *item, const void *ctx)
{
	return read_probe(rd, o, path, *(const enum dbl_engine *)ctx, item);
}

static int finding_one(struct rd *rd, const cJSON *o, const char *path,
		       void *item, const void *ctx)
{
	(void)ctx;
	return read_finding(rd, o, path, item);
}

/* One attempt of the app's driver: steps[i] of "app". */
static int read_app_step(struct rd *rd, const cJSON *o, const char *path,
			 struct dbl_app_step *st)
{
	const cJSON *j;
	enum dbl_transport t = DBL_TRANSPORT_UNIX;
	GET_ENUM(o, "transport", transport, &t, true);
	st->transport = t;
	int rc = get_fixed(rd, o, path, "address", true, st->address,
			   sizeof(st->address));
	if (rc < 0)
		return rc;
	OPT(o, "tried", T_BOOL, &j);
	st->tried = cJSON_IsTrue(j);
	OPT(o, "ok", T_BOOL, &j);
	st->ok = cJSON_IsTrue(j);
	st->cls = DBL_CLASS_UNKNOWN;
	OPT(o, "class", T_STR | T_NULL, &j); /* null: not tried */
	if (j && dbl_class_parse(sval(j), &st->cls) < 0)
		return fail(rd, path, "unknown class '%.40s'", sval(j));
	return 0;
}

/* "app" of a target (--client / --app): optional, null when absent. */
static int read_app(struct rd *rd, const cJSON *t, const char *tpath,
		    struct dbl_target_report *tr)
{
	const cJSON *o, *j, *a, *it;
	char path[160];
	int rc = field(rd, t, tpath, "app", T_OBJ | T_NULL, false, &o);
	if (rc < 0 || !o)
		return rc;
	json_path(path, sizeof(path), "%s.app", tpath);
	struct dbl_app_path *ap = calloc(1, sizeof(*ap));
	if (!ap)
		return -DBL_ENOMEM;
	tr->app = ap;
	ap->via = -1;
	if ((rc = get_owned(rd, o, path, "client", true, &ap->client)) < 0 ||
	    (rc = get_owned(rd, o, path, "driver", false, &ap->driver)) < 0 ||
	    (rc = get_owned(rd, o, path, "verified_with", false,
			    &ap->verified)) < 0 ||
	    (rc = get_owned(rd, o, path, "rule", false, &ap->rule)) < 0 ||
	    (rc = get_owned(rd, o, path, "host", false, &ap->host)) < 0 ||
	    (rc = get_owned(rd, o, path, "socket", false, &ap->socket)) < 0 ||
	    (rc = get_owned(rd, o, path, "socket_source", false,
			    &ap->socket_source)) < 0 ||
	    (rc = get_strlist(rd, o, path, "config", false, &ap->config)) < 0)
		return rc;
	if (!ap->client)
		return fail(rd, path, "\"client\" is null");
	OPT(o, "port", T_NUM, &j);
	ap->port = (int)ival(j);
	OPT(o, "ok", T_BOOL, &j);
	ap->ok = cJSON_IsTrue(j);
	OPT(o, "via", T_NUM | T_NULL, &j);
	ap->via = j ? (int)ival(j) : -1;
	OPT(o, "steps", T_ARR, &a);
	cJSON_ArrayForEach(it, a)
	{
		char spath[192];
		json_path(spath, sizeof(spath), "%s.steps[%zu]", path,
			  ap->n_steps);
		if (ap->n_steps >= DBL_APP_MAX_STEPS)
			return fail(rd, path, "more than %d steps",
				    DBL_APP_MAX_STEPS);
		if (!cJSON_IsObject(it))
			return fail(rd, spath, "is %s, expected an object",
				    type_name(it));
		if ((rc = read_app_step(rd, it, spath,
					&ap->steps[ap->n_steps++])) < 0)
			return rc;
	}
	if (ap->via >= (int)ap->n_steps || ap->via < -1)
		return fail(rd, path, "\"via\" %d is not a step", ap->via);
	return 0;
}

static int read_target(struct rd *rd, const cJSON *o, const char *path,
		       struct dbl_target_report *tr)
{
	const cJSON *j, *s;
	int rc;
	if ((rc = get_owned(rd, o, path, "target", true, &tr->target)) < 0)
		return rc;
	GET_ENUM(o, "engine", engine, &tr->engine, true);
	REQ(o, "server", T_OBJ | T_NULL, &s);
	if (s) {
		char spath[160];
		json_path(spath, sizeof(spath), "%s.server", path);
		if ((rc = get_owned(rd, s, spath, "product", true,
				    &tr->product)) < 0 ||
		    (rc = get_owned(rd, s, spath, "version", true,
				    &tr->version)) < 0)
			return rc;
	}
	OPT(o, "ok", T_BOOL, &j);
	if ((rc = get_strlist(rd, o, path, "settings", false, &tr->settings)) <
		    0 ||
	    (rc = read_array(rd, o, path, "probes", MAX_PROBES_PER_TARGET,
			     sizeof(*tr->probes), (void **)&tr->probes,
			     &tr->n_probes, probe_one, &tr->engine)) < 0 ||
	    (rc = read_array(rd, o, path, "findings", MAX_FINDINGS_PER_TARGET,
			     sizeof(*tr->findings), (void **)&tr->findings,
			     &tr->n_findings, finding_one, NULL)) < 0 ||
	    (rc = read_app(rd, o, path, tr)) < 0)
		return rc;
	/* Older writers may leave "ok" out: a target is ok when no finding
	 * is an error. */
	tr->ok = j ? cJSON_IsTrue(j) : true;
	for (size_t i = 0; !j && i < tr->n_findings; i++)
		if (tr->findings[i].severity == DBL_SEV_ERROR)
			tr->ok = false;
	return 0;
}

static int target_one(struct rd *rd, const cJSON *o, const char *path,
		      void *item, const void *ctx)
{
	(void)ctx;
	return read_target(rd, o, path, item);
}

static int read_host(struct rd *rd, const cJSON *root, struct dbl_report *rep)
{
	const cJSON *h, *j;
	const char *path = "";
	int rc;
	REQ(root, "host", T_OBJ, &h);
	path = "host";
	if ((rc = get_owned(rd, h, path, "os", true, &rep->os)) < 0 ||
	    (rc = get_strlist(rd, h, path, "localhost_resolves_to", true,
			      &rep->localhost_resolves_to)) < 0)
		return rc;
	REQ(h, "in_container", T_BOOL, &j);
	rep->in_container = cJSON_IsTrue(j);
	REQ(h, "ipv6_loopback", T_BOOL, &j);
	rep->ipv6_loopback = cJSON_IsTrue(j);
	return 0;
}

static int check_schema(struct rd *rd, const cJSON *root)
{
	const cJSON *j;
	const char *path = "";
	if (!cJSON_IsObject(root))
		return fail(rd, "", "not a dbloop report: the document is %s",
			    type_name(root));
	REQ(root, "schema", T_STR, &j);
	const char *s = sval(j);
	if (strcmp(s, DBL_REPORT_SCHEMA) == 0)
		return 0;
	if (strncmp(s, "dbloop.report/", 14) == 0)
		return fail(rd, "",
			    "unsupported schema '%.40s' (this dbloop reads "
			    "%s)",
			    s, DBL_REPORT_SCHEMA);
	return fail(rd, "", "not a dbloop report: schema is '%.40s'", s);
}

static int read_report(struct rd *rd, const cJSON *root, struct dbl_report *rep)
{
	const cJSON *j;
	const char *path = "";
	int rc;
	if ((rc = check_schema(rd, root)) < 0 ||
	    (rc = get_owned(rd, root, path, "dbloop_version", true,
			    &rep->dbloop_version)) < 0 ||
	    (rc = get_owned(rd, root, path, "generated_at", true,
			    &rep->generated_at)) < 0)
		return rc;
	REQ(root, "duration_ms", T_NUM, &j);
	rep->duration_ms = nval(j);
	OPT(root, "redacted", T_BOOL, &j);
	rep->redacted = cJSON_IsTrue(j);
	GET_ENUM(root, "max_stage", stage, &rep->max_stage, false);
	if ((rc = read_host(rd, root, rep)) < 0 ||
	    (rc = get_strlist(rd, root, path, "warnings", false,
			      &rep->warnings)) < 0 ||
	    (rc = read_array(rd, root, path, "targets", MAX_TARGETS,
			     sizeof(*rep->targets), (void **)&rep->targets,
			     &rep->n_targets, target_one, NULL)) < 0)
		return rc;
	REQ(root, "ok", T_BOOL, &j);
	rep->ok = cJSON_IsTrue(j);
	return 0;
}

int dbl_report_read_json(const char *text, size_t len, struct dbl_report **out,
			 char *err, size_t errlen)
{
	struct rd rd = {err, errlen};
	struct dbl_report *rep = NULL;
	cJSON *root = NULL;
	int rc;
	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (len > DBL_REPORT_MAX_BYTES) {
		rc = fail(&rd, "", "too large (%zu bytes, at most %u)", len,
			  DBL_REPORT_MAX_BYTES);
		goto out;
	}
	root = cJSON_ParseWithLength(text, len);
	if (!root) {
		rc = fail(&rd, "", "not JSON (syntax error near byte %td)",
			  cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - text
					      : (ptrdiff_t)0);
		goto out;
	}
	rep = dbl_report_new();
	if (!rep) {
		rc = -DBL_ENOMEM;
		goto out;
	}
	rc = read_report(&rd, root, rep);
	if (rc == 0) {
		*out = rep;
		rep = NULL;
	} else if (rc == -DBL_ENOMEM && errlen) {
		snprintf(err, errlen, "out of memory");
	}
out:
	cJSON_Delete(root);
	dbl_report_free(rep);
	return rc;
}
