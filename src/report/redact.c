/* --redact: user names, database names, host names other than the
 * loopback ones, and filesystem paths become stable placeholders (<user1>,
 * <db1>, <host1>, <path1>) across the whole report.
 *
 * Two passes. The first collects the sensitive values from the places
 * that say what they are (the target URL, the settings' provenance,
 * current_user read over a working transport, the quoted names in server
 * messages, every path-looking token); the second rewrites every string of
 * the report, trying the longest value first at each position, so "appdb"
 * is not half-replaced by "app" and a placeholder is never rewritten. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/report_common.h"

enum kind { K_USER, K_DB, K_HOST, K_PATH, K__COUNT };

struct secret {
	char *value;
	size_t len;
	enum kind kind;
	char placeholder[24];
};

struct redactor {
	struct secret *v;
	size_t n, cap;
	int count[K__COUNT];
	bool oom;
};

static bool is_loopback(const char *s, size_t n)
{
	static const char *const names[] = {"localhost", "::1", "%",
					    "localhost.localdomain",
					    "ip6-localhost"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncasecmp(s, names[i], n) == 0)
			return true;
	return (n >= 4 && strncmp(s, "127.", 4) == 0) ||
	       (n >= 11 && strncmp(s, "::ffff:127.", 11) == 0);
}

/* Records value s (n bytes) of kind k, once. */
static void add(struct redactor *rd, enum kind k, const char *s, size_t n)
{
	if (n && s[0] == '/' && k != K_PATH)
		k = K_PATH; /* a host= or socket that is a directory */
	if (n < 2 || (s[0] == '<' && s[n - 1] == '>') ||
	    (k == K_HOST && is_loopback(s, n)))
		return;
	for (size_t i = 0; i < rd->n; i++)
		if (rd->v[i].len == n && memcmp(rd->v[i].value, s, n) == 0)
			return;
	if (rd->n == rd->cap) {
		size_t cap = rd->cap ? rd->cap * 2 : 16;
		struct secret *v = realloc(rd->v, cap * sizeof(*v));
		if (!v) {
			rd->oom = true;
			return;
		}
		rd->v = v, rd->cap = cap;
	}
	static const char *const names[] = {"user", "db", "host", "path"};
	struct secret *sec = &rd->v[rd->n];
	sec->value = strndup(s, n);
	if (!sec->value) {
		rd->oom = true;
		return;
	}
	sec->len = n;
	sec->kind = k;
	snprintf(sec->placeholder, sizeof(sec->placeholder), "<%s%d>", names[k],
		 ++rd->count[k]);
	rd->n++;
}

static void add_str(struct redactor *rd, enum kind k, const char *s)
{
	if (s)
		add(rd, k, s, strlen(s));
}

/* A host list "h1,[::1]:5433,h2" as URLs write it. */
static void add_hosts(struct redactor *rd, const char *s, size_t n)
{
	while (n > 0) {
		size_t len = 0;
		while (len < n && s[len] != ',')
			len++;
		const char *h = s;
		size_t hl = len;
		if (hl && h[0] == '[') {
			const char *end = memchr(h, ']', hl);
			hl = end ? (size_t)(end - h - 1) : hl - 1;
			h++;
		} else {
			const char *colon = memchr(h, ':', hl);
			if (colon)
				hl = (size_t)(colon - h);
		}
		add(rd, K_HOST, h, hl);
		s += len, n -= len;
		if (n)
			s++, n--;
	}
}

/* key=value pairs of a URL query or a conninfo string. */
static void add_param(struct redactor *rd, const char *kv, size_t n)
{
	static const struct {
		const char *key;
		enum kind kind;
	} keys[] = {{"user", K_USER}, {"dbname", K_DB},	    {"database", K_DB},
		    {"host", K_HOST}, {"hostaddr", K_HOST}, {"socket", K_PATH},
		    {"service", K_DB}};
	const char *eq = memchr(kv, '=', n);
	if (!eq)
		return;
	size_t kl = (size_t)(eq - kv), vl = n - kl - 1;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strlen(keys[i].key) != kl || strncmp(kv, keys[i].key, kl))
			continue;
		if (keys[i].kind == K_HOST)
			add_hosts(rd, eq + 1, vl);
		else
			add(rd, keys[i].kind, eq + 1, vl);
	}
}

static void collect_url(struct redactor *rd, const char *url)
{
	const char *p = url ? strstr(url, "://") : NULL;
	if (!p) {
		/* A conninfo string: "host=/tmp user=app dbname=x". */
		for (const char *s = url ? url : ""; *s;) {
			size_t n = strcspn(s, " ");
			add_param(rd, s, n);
			s += n + (s[n] ? 1 : 0);
		}
		return;
	}
	p += 3;
	size_t auth = strcspn(p, "/?");
	const char *at = NULL;
	for (size_t i = 0; i < auth; i++)
		if (p[i] == '@')
			at = p + i;
	if (at) {
		add(rd, K_USER, p, strcspn(p, ":@"));
		auth -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	add_hosts(rd, p, auth);
	p += auth;
	if (*p == '/') {
		p++;
		add(rd, K_DB, p, strcspn(p, "?"));
		p += strcspn(p, "?");
	}
	for (p += *p == '?'; *p;) {
		size_t n = strcspn(p, "&");
		add_param(rd, p, n);
		p += n + (p[n] ? 1 : 0);
	}
}

/* "user=app from URL", "socket=/tmp/x from ~/.my.cnf line 3". */
static void collect_provenance(struct redactor *rd, const char *line)
{
	const char *from = strstr(line, " from ");
	size_t n = from ? (size_t)(from - line) : strlen(line);
	if (strncmp(line, "port=", 5) != 0 && strncmp(line, "sslmode=", 8))
		add_param(rd, line, n);
}

/* The quoted names servers put in their messages: user "app", role "app",
 * database "appdb", host "10.0.0.5", Host '10.0.0.5', 'app'@'host'. */
static void collect_message(struct redactor *rd, const char *msg)
{
	static const struct {
		const char *word;
		enum kind kind;
	} words[] = {{"user ", K_USER},
		     {"role ", K_USER},
		     {"database ", K_DB},
		     {"host ", K_HOST}};
	for (const char *s = msg; s && *s; s++) {
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			size_t wl = strlen(words[i].word);
			if (strncasecmp(s, words[i].word, wl) != 0 ||
			    (s > msg && isalnum((unsigned char)s[-1])))
				continue;
			char q = s[wl];
			const char *end = q == '"' || q == '\'' || q == '`'
						  ? strchr(s + wl + 1, q)
						  : NULL;
			if (end)
				add(rd, words[i].kind, s + wl + 1,
				    (size_t)(end - s - wl - 1));
		}
		if (strncmp(s, "'@'", 3) == 0) {
			const char *u = s;
			while (u > msg && u[-1] != '\'')
				u--;
			const char *h = s + 3, *end = strchr(h, '\'');
			if (u > msg)
				add(rd, K_USER, u, (size_t)(s - u));
			if (end)
				add(rd, K_HOST, h, (size_t)(end - h));
		}
	}
}

/* Introspection values that are names: current_user = app@localhost. */
static void collect_setting(struct redactor *rd, const struct dbl_setting *st)
{
	static const char *const users[] = {"current_user",   "session_user",
					    "user",	      "current_user()",
					    "session_user()", "user()",
					    "system_user()"};
	static const char *const dbs[] = {"current_database",
					  "current_database()", "database()"};
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		if (strcasecmp(st->name, users[i]) == 0) {
			size_t at = strcspn(st->value, "@");
			add(rd, K_USER, st->value, at);
			if (st->value[at])
				add_str(rd, K_HOST, st->value + at + 1);
		}
	for (size_t i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++)
		if (strcasecmp(st->name, dbs[i]) == 0)
			add_str(rd, K_DB, st->value);
	if (strcasecmp(st->name, "@@hostname") == 0 ||
	    strcasecmp(st->name, "hostname") == 0)
		add_str(rd, K_HOST, st->value);
}

static bool path_start(const char *text, const char *s)
{
	bool at_boundary = s == text || strchr(" \t\n\"'=(,[:;<`", s[-1]);
	if (!at_boundary)
		return false;
	if (s[0] == '/')
		return s[1] != '/' && s[1] && !strchr(" \t\n\"',;)", s[1]);
	return s[0] == '~' && s[1] == '/';
}

/* Every token that looks like a path: /x/y, ~/.my.cnf. */
static void collect_paths(struct redactor *rd, const char *text)
{
	for (const char *s = text; s && *s; s++) {
		if (!path_start(text, s))
			continue;
		size_t n = strcspn(s, " \t\n\"',;)]>&?`");
		while (n > 1 && strchr(".:", s[n - 1]))
			n--;
		add(rd, K_PATH, s, n);
		s += n - 1;
	}
}

/* Visits every string of the report that may hold a name or a path. */
struct visitor {
	void (*owned)(struct redactor *rd, char **s);
	void (*fixed)(struct redactor *rd, char *buf, size_t size);
};

static void visit_list(struct redactor *rd, const struct visitor *v,
		       struct dbl_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		v->owned(rd, &l->items[i]);
}

#define FIXED(field) v->fixed(rd, field, sizeof(field))

static void visit_result(struct redactor *rd, const struct visitor *v,
			 struct dbl_result *r)
{
	FIXED(r->address);
	FIXED(r->message);
	FIXED(r->instance);
	FIXED(r->mysql.error_message);
	FIXED(r->pg.message);
	FIXED(r->pg.detail);
	FIXED(r->pg.hint);
	for (int i = 0; i < r->n_attempts && i < DBL_MAX_ATTEMPTS; i++)
		FIXED(r->attempts[i].address);
	for (int i = 0; i < r->n_settings && i < DBL_MAX_SETTINGS; i++)
		FIXED(r->settings[i].value);
}

static void visit(struct redactor *rd, const struct visitor *v,
		  struct dbl_report *rep)
{
	visit_list(rd, v, &rep->localhost_resolves_to);
	visit_list(rd, v, &rep->warnings);
	for (size_t i = 0; i < rep->n_targets; i++) {
		struct dbl_target_report *tr = &rep->targets[i];
		v->owned(rd, &tr->target);
		visit_list(rd, v, &tr->settings);
		for (size_t j = 0; j < tr->n_probes; j++)
			visit_result(rd, v, &tr->probes[j].r);
		for (size_t j = 0; j < tr->n_findings; j++) {
			struct dbl_finding *f = &tr->findings[j];
			v->owned(rd, &f->summary);
			v->owned(rd, &f->fix);
			visit_list(rd, v, &f->evidence);
			visit_list(rd, v, &f->commands);
			for (size_t k = 0; k < f->n_steps; k++) {
				struct dbl_step *st = &f->steps[k];
				v->owned(rd, &st->text);
				v->owned(rd, &st->run_as);
				v->owned(rd, &st->client);
				v->owned(rd, &st->file);
				v->owned(rd, &st->value);
				v->owned(rd, &st->note);
			}
		}
	}
}

/* First pass over structured fields: values whose meaning is known. */
static void collect_structured(struct redactor *rd, struct dbl_report *rep)
{
	for (size_t i = 0; i < rep->n_targets; i++) {
		struct dbl_target_report *tr = &rep->targets[i];
		collect_url(rd, tr->target);
		for (size_t j = 0; j < tr->settings.n; j++)
			collect_provenance(rd, tr->settings.items[j]);
		for (size_t j = 0; j < tr->n_probes; j++) {
			struct dbl_result *r = &tr->probes[j].r;
			for (int k = 0;
			     k < r->n_settings && k < DBL_MAX_SETTINGS; k++)
				collect_setting(rd, &r->settings[k]);
			if (r->transport == DBL_TRANSPORT_HOST)
				add_hosts(rd, r->address, strlen(r->address));
			for (int k = 0;
			     r->transport == DBL_TRANSPORT_HOST &&
			     k < r->n_attempts && k < DBL_MAX_ATTEMPTS;
			     k++)
				add_hosts(rd, r->attempts[k].address,
					  strlen(r->attempts[k].address));
		}
	}
}

/* Second pass over free text: quoted names in messages, then paths. */
static void collect_owned_text(struct redactor *rd, char **s)
{
	collect_message(rd, *s);
}

static void collect_fixed_text(struct redactor *rd, char *buf, size_t size)
{
	(void)size;
	collect_message(rd, buf);
}

static void collect_owned_paths(struct redactor *rd, char **s)
{
	collect_paths(rd, *s);
}

static void collect_fixed_paths(struct redactor *rd, char *buf, size_t size)
{
	(void)size;
	collect_paths(rd, buf);
}

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* A value matches only as a whole name: not inside a longer word, a dotted
 * or dashed name, a URL scheme ("postgres://") or a longer path. */
static bool starts_name(const char *text, const char *p)
{
	if (p == text)
		return true;
	if (is_word(p[-1]))
		return false;
	return !(strchr(".-", p[-1]) && p - 1 > text && is_word(p[-2]));
}

static bool ends_name(const struct secret *sec, const char *end)
{
	if (is_word(end[0]) || (sec->kind == K_PATH && end[0] == '/'))
		return false;
	if (strchr(".-", end[0]) && end[0] && is_word(end[1]))
		return false;
	return strncmp(end, "://", 3) != 0;
}

/* s rewritten with every value replaced; caller frees. NULL on OOM. */
static char *rewrite(const struct redactor *rd, const char *s)
{
	struct dbl_buf b = {0};
	for (const char *p = s; *p;) {
		const struct secret *hit = NULL;
		for (size_t i = 0; starts_name(s, p) && !hit && i < rd->n;
		     i++) {
			const struct secret *sec = &rd->v[i];
			if (strncmp(p, sec->value, sec->len) == 0 &&
			    ends_name(sec, p + sec->len))
				hit = sec;
		}
		if (hit) {
			dbl_buf_puts(&b, hit->placeholder);
			p += hit->len;
		} else {
			dbl_buf_append(&b, p++, 1);
		}
	}
	if (!b.data)
		dbl_buf_puts(&b, "");
	return dbl_buf_detach(&b);
}

static void rewrite_owned(struct redactor *rd, char **s)
{
	if (!*s)
		return;
	char *r = rewrite(rd, *s);
	if (!r) {
		rd->oom = true;
		return;
	}
	free(*s);
	*s = r;
}

static void rewrite_fixed(struct redactor *rd, char *buf, size_t size)
{
	char *r = rewrite(rd, buf);
	if (!r) {
		rd->oom = true;
		return;
	}
	dbl_strlcpy(buf, r, size);
	free(r);
}

static int by_length(const void *a, const void *b)
{
	const struct secret *x = a, *y = b;
	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return strcmp(x->value, y->value);
}

int dbl_report_redact(struct dbl_report *rep)
{
	static const struct visitor messages = {collect_owned_text,
						collect_fixed_text};
	static const struct visitor paths = {collect_owned_paths,
					     collect_fixed_paths};
	static const struct visitor rewriter = {rewrite_owned, rewrite_fixed};
	struct redactor rd = {0};
	collect_structured(&rd, rep);
	visit(&rd, &messages, rep);
	visit(&rd, &paths, rep);
	/* Placeholders are numbered in discovery order; matching goes
	 * longest first. */
	if (rd.n)
		qsort(rd.v, rd.n, sizeof(*rd.v), by_length);
	if (!rd.oom)
		visit(&rd, &rewriter, rep);
	for (size_t i = 0; i < rd.n; i++)
		free(rd.v[i].value);
	free(rd.v);
	if (rd.oom)
		return -DBL_ENOMEM;
	rep->redacted = true;
	return 0;
}
