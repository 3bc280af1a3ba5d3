/* dbloop explain: places a pasted error message from what its parts mean.
 * The scanners (explain_scan.c, explain_names.c, explain_errno.c,
 * explain_codes.c, explain_phrases.c) add weight to classes; this file
 * picks the heaviest, words it (explain_text.c), lists the other classes
 * the text supports or is known to arise from, and writes the dbloop
 * diagnose command that settles them with the names the text gave. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain_i18n.h"
#include "explain/explain_int.h"

static int guess_engine(const struct dbl_xscan *s)
{
	if (s->pg == 0 && s->my == 0)
		return -1;
	return s->pg >= s->my ? DBL_ENGINE_POSTGRES : DBL_ENGINE_MYSQL;
}

static int guess_transport(const struct dbl_xscan *s)
{
	bool named = s->host[0] && !dbl_xloopback(s->host);
	if (s->unix_sock)
		return DBL_TRANSPORT_UNIX;
	if (named)
		return DBL_TRANSPORT_HOST;
	if ((s->v6 && s->v4) || (s->localhost && (s->v6 || s->v4)))
		return DBL_TRANSPORT_LOCALHOST;
	if (s->v6)
		return DBL_TRANSPORT_TCP6;
	if (s->v4)
		return DBL_TRANSPORT_TCP4;
	if (s->localhost)
		return DBL_TRANSPORT_LOCALHOST;
	return s->err || s->port || s->eai ? DBL_TRANSPORT_HOST : -1;
}

/* Appends " opt value", single-quoting a value the shell would split or
 * expand (the text is untrusted). */
static void put_opt(struct dbl_buf *b, const char *opt, const char *value)
{
	bool plain = value[0] != '\0';
	for (const char *c = value; *c && plain; c++)
		plain = strchr("abcdefghijklmnopqrstuvwxyz"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:@%+=,-",
			       *c) != NULL;
	if (plain) {
		dbl_buf_printf(b, " %s %s", opt, value);
		return;
	}
	dbl_buf_printf(b, " %s '", opt);
	for (const char *c = value; *c; c++) {
		if (*c == '\'')
			dbl_buf_puts(b, "'\\''");
		else
			dbl_buf_append(b, c, 1);
	}
	dbl_buf_puts(b, "'");
}

/* The dbloop diagnose command that settles it, from what the text gave.
 * A loopback address becomes -H localhost: that probes all four local
 * transports, which is what tells the local classes apart. */
static char *settle_cmd(const struct dbl_xscan *s, int engine)
{
	struct dbl_buf b = {0};
	dbl_buf_puts(&b, "dbloop diagnose");
	if (engine >= 0)
		put_opt(&b, "-e", dbl_engine_name((enum dbl_engine)engine));
	if (s->client) /* the app's own path, first (explain_client.c) */
		put_opt(&b, "--client", s->client->name);
	if (s->host[0])
		put_opt(&b, "-H",
			dbl_xloopback(s->host) ? "localhost" : s->host);
	if (s->port)
		dbl_buf_printf(&b, " -P %d", s->port);
	if (s->sock[0])
		put_opt(&b, "-S", s->sock);
	if (s->user[0])
		put_opt(&b, "-u", s->user);
	if (s->db[0])
		put_opt(&b, "-d", s->db);
	return dbl_buf_detach(&b);
}

static void sort_hits(struct dbl_xscan *s)
{
	for (size_t i = 1; i < s->n_hits; i++)
		for (size_t j = i;
		     j > 0 && s->hits[j].weight > s->hits[j - 1].weight; j--) {
			struct dbl_xhit t = s->hits[j];
			s->hits[j] = s->hits[j - 1];
			s->hits[j - 1] = t;
		}
}

static bool alt_known(const struct dbl_explanation *e, enum dbl_class c)
{
	if (c == e->cls || c == DBL_CLASS_UNKNOWN)
		return true;
	for (size_t i = 0; i < e->n_alts; i++)
		if (e->alts[i].cls == c)
			return true;
	return false;
}

/* An alternative worded for the other engine does not apply. */
static bool other_engine_words(const char *why, int engine)
{
	if (engine == DBL_ENGINE_MYSQL)
		return strstr(why, "pg_hba") || strstr(why, ".s.PGSQL") ||
		       strstr(why, "PostgreSQL server");
	if (engine == DBL_ENGINE_POSTGRES)
		return strstr(why, "MariaDB") || strstr(why, "MySQL") ||
		       strstr(why, "'@'") || /* a MySQL account name */
		       strstr(why, "unix_socket") ||
		       strstr(why, "caching_sha2");
	return false;
}

/* A refusal is what a TCP connect says: not a cause of a socket class. */
static bool symptom_only(const struct dbl_explanation *e, enum dbl_class c)
{
	return c == DBL_CLASS_CONNECTION_REFUSED &&
	       (e->cls == DBL_CLASS_SOCKET_MISSING ||
		e->cls == DBL_CLASS_SOCKET_PERMISSION ||
		e->cls == DBL_CLASS_SOCKET_STALE);
}

static void push_alt(struct dbl_xscan *s, struct dbl_explanation *e,
		     enum dbl_class c, const char *why)
{
	if (e->n_alts >= DBL_EXPLAIN_MAX_ALT || alt_known(e, c) ||
	    symptom_only(e, c) || other_engine_words(why, e->engine))
		return;
	struct dbl_explain_alt *a = &e->alts[e->n_alts];
	a->cls = c;
	a->why = dbl_strdup(why);
	a->settle = settle_cmd(s, e->engine);
	if (!a->why || !a->settle) {
		free(a->why);
		free(a->settle);
		a->why = a->settle = NULL;
		s->oom = true;
		return;
	}
	e->n_alts++;
}

/* High when a specific code or phrase decided, lower for a bare errno,
 * lower still when the runner-up is close. */
static double confidence(const struct dbl_xscan *s)
{
	int top = s->hits[0].weight;
	int second = s->n_hits > 1 ? s->hits[1].weight : 0;
	double c = top >= 100 ? 0.9 : top >= 70 ? 0.75 : top >= 50 ? 0.6 : 0.4;
	if (second * 10 >= top * 8)
		c -= 0.2;
	else if (second * 2 >= top)
		c -= 0.1;
	return c < 0.1 ? 0.1 : c;
}

/* Other classes the text itself supports come first, then what the same
 * text is known to arise from. */
static void list_alternatives(struct dbl_xscan *s, struct dbl_explanation *e,
			      const struct dbl_xtext *t)
{
	for (size_t i = e->cls == DBL_CLASS_UNKNOWN ? 0 : 1; i < s->n_hits;
	     i++) {
		const struct dbl_xtext *at = dbl_xtext_of(s->hits[i].cls);
		push_alt(s, e, s->hits[i].cls,
			 at ? at->cause : dbl_class_name(s->hits[i].cls));
	}
	for (size_t i = 0; t && i < DBL_XTEXT_ALTS; i++)
		if (t->alts[i].why && t->alts[i].why[0])
			push_alt(s, e, t->alts[i].cls, t->alts[i].why);
}

static void place(struct dbl_xscan *s, struct dbl_explanation *e)
{
	sort_hits(s);
	e->engine = guess_engine(s);
	e->transport = guess_transport(s);
	if (s->n_hits == 0)
		return;
	if (s->hits[0].weight < 15) {
		/* too weak to place, yet known to come from these causes: the
		 * class stays unknown and they are listed */
		e->cause = dbl_strdup("the text names no cause by itself: it "
				      "is known to arise from those below");
		e->fix = dbl_strdup("run dbloop diagnose on the machine");
		if (!e->cause || !e->fix)
			s->oom = true;
		list_alternatives(s, e, NULL);
		return;
	}
	e->cls = s->hits[0].cls;
	e->confidence = confidence(s);
	/* a code decided, or only words did: words alone stay below 0.6 */
	for (size_t i = 0; i < s->n_tokens; i++)
		if (s->tokens[i].kind != DBL_XTOK_PHRASE)
			e->by_code = true;
	if (!e->by_code && e->confidence > 0.55)
		e->confidence = 0.55;
	const struct dbl_xtext *t = dbl_xtext_of(e->cls);
	e->cause = dbl_strdup(t ? t->cause : dbl_class_name(e->cls));
	e->fix = dbl_strdup(!t ? "run dbloop diagnose on the machine"
			    : e->engine == DBL_ENGINE_MYSQL && t->fix_my
				    ? t->fix_my
				    : t->fix);
	if (!e->cause || !e->fix)
		s->oom = true;
	list_alternatives(s, e, t);
}

/* The names read from the text, for the reader of the explanation. */
static void name_evidence(struct dbl_xscan *s)
{
	char ev[320];
	if (s->host[0]) {
		snprintf(ev, sizeof(ev), "server host %s", s->host);
		dbl_xevidence(s, ev);
	}
	if (s->port) {
		snprintf(ev, sizeof(ev), "port %d", s->port);
		dbl_xevidence(s, ev);
	}
	if (s->sock[0]) {
		snprintf(ev, sizeof(ev), "socket %s", s->sock);
		dbl_xevidence(s, ev);
	}
	if (s->user[0]) {
		snprintf(ev, sizeof(ev), "user %s", s->user);
		dbl_xevidence(s, ev);
	}
}

/* A line worth scanning alone: it carries an error's words. */
static bool error_line(const char *low, size_t n)
{
	static const char *const marks[] = {
		"error",     "fatal",	  "refused", "denied",	 "failed",
		"exception", "timed out", "econn",   "sqlstate", "could not",
		"can't",     "unable",	  "p1001",   "nxdomain"};
	char buf[512];
	size_t k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;
	memcpy(buf, low, k);
	buf[k] = '\0';
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(buf, marks[i]))
			return true;
	return dbl_xi18n_error_line(buf, k);
}

#define LINE_SCAN_MAX 200 /* lines scanned alone, at most */

/* Copies the n bytes at p into dst (size cap), cut before a UTF-8
 * continuation byte. */
static void copy_line(char *dst, size_t cap, const char *p, size_t n)
{
	size_t k = n < cap - 1 ? n : cap - 1;
	while (k < n && k > 0 && ((unsigned char)p[k] & 0xc0) == 0x80)
		k--;
	memcpy(dst, p, k);
	dst[k] = '\0';
}

#define LINE_LIST_CONFIDENCE                                                   \
	0.5 /* a hint line ("Is the server running")
				    alone stays below */

/* Every line that places alone, for a log with several errors. */
static void list_line(struct dbl_explanation *out, size_t no,
		      const struct dbl_explanation *one, const char *p,
		      size_t n)
{
	if (one->cls == DBL_CLASS_UNKNOWN ||
	    one->confidence < LINE_LIST_CONFIDENCE)
		return;
	if (out->n_lines >= DBL_EXPLAIN_MAX_LINES) {
		out->n_lines_more++;
		return;
	}
	struct dbl_explain_line *l = &out->lines[out->n_lines++];
	l->number = no;
	l->cls = one->cls;
	copy_line(l->text, sizeof(l->text), p, n);
}

/* Which line of a pasted log the class comes from, and every line that
 * places alone. */
static void pick_line(const struct dbl_xscan *s, struct dbl_explanation *out)
{
	if (out->cls == DBL_CLASS_UNKNOWN || !strchr(s->raw, '\n'))
		return;
	double best = -1;
	size_t no = 0, scanned = 0;
	for (const char *p = s->raw; *p && scanned < LINE_SCAN_MAX;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		no++;
		if (n > 0 && error_line(s->low + (p - s->raw), n)) {
			scanned++;
			struct dbl_explanation one;
			if (dbl_explain(p, n, &one) == 0) {
				if (one.cls == out->cls &&
				    one.confidence > best) {
					best = one.confidence;
					out->line = no;
					copy_line(out->line_text,
						  sizeof(out->line_text), p, n);
				}
				list_line(out, no, &one, p, n);
				dbl_explanation_release(&one);
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

int dbl_explain(const char *text, size_t len, struct dbl_explanation *out)
{
	return dbl_explain_with(text, len, NULL, out);
}

/* The error lines of a log longer than the scanner keeps, and the
 * original number of each (map[k]: line k + 1 of sel). */
struct log_pick {
	struct dbl_buf sel;
	size_t *map, n_map;
};

/* A log beyond DBL_XSCAN_MAX: its error lines, in order, up to that size,
 * rather than its head and tail alone (an error in the middle of a long
 * log was lost). False when it has none, or out of memory: the scanner
 * then keeps the head and the tail. */
static bool pick_error_lines(const char *text, size_t len, struct log_pick *pk)
{
	memset(pk, 0, sizeof(*pk));
	size_t cap = 0, no = 0;
	for (size_t at = 0; at < len;) {
		const char *p = text + at;
		const char *nl = memchr(p, '\n', len - at);
		size_t n = nl ? (size_t)(nl - p) : len - at;
		char low[512];
		size_t k = n < sizeof(low) - 1 ? n : sizeof(low) - 1;
		for (size_t i = 0; i < k; i++)
			low[i] = (char)tolower((unsigned char)p[i]);
		low[k] = '\0';
		no++;
		if (n > 0 && error_line(low, k)) {
			if (pk->sel.len + n + 1 > DBL_XSCAN_MAX)
				break;
			if (pk->n_map == cap) {
				size_t c = cap ? cap * 2 : 64;
				size_t *m = realloc(pk->map, c * sizeof(*m));
				if (!m)
					break;
				pk->map = m;
				cap = c;
			}
			pk->map[pk->n_map++] = no;
			dbl_buf_append(&pk->sel, p, n);
			dbl_buf_append(&pk->sel, "\n", 1);
		}
		at += n + 1;
	}
	if (pk->n_map && !pk->sel.oom)
		return true;
	dbl_buf_release(&pk->sel);
	free(pk->map);
	return false;
}

static size_t original_line(const struct log_pick *pk, size_t no)
{
	return no >= 1 && no <= pk->n_map ? pk->map[no - 1] : no;
}

static int explain_text(const char *text, size_t len,
			const struct dbl_explain_in *in,
			struct dbl_explanation *out);

int dbl_explain_with(const char *text, size_t len,
		     const struct dbl_explain_in *in,
		     struct dbl_explanation *out)
{
	struct log_pick pk;
	if (len <= DBL_XSCAN_MAX || !pick_error_lines(text, len, &pk))
		return explain_text(text, len, in, out);
	int rc = explain_text(pk.sel.data, pk.sel.len, in, out);
	if (rc == 0) {
		out->line = original_line(&pk, out->line);
		for (size_t i = 0; i < out->n_lines; i++)
			out->lines[i].number =
				original_line(&pk, out->lines[i].number);
	}
	dbl_buf_release(&pk.sel);
	free(pk.map);
	return rc;
}

static int explain_text(const char *text, size_t len,
			const struct dbl_explain_in *in,
			struct dbl_explanation *out)
{
	struct dbl_xscan s;
	memset(out, 0, sizeof(*out));
	out->cls = DBL_CLASS_UNKNOWN;
	out->engine = out->transport = -1;
	if (dbl_xscan_init(&s, text, len, &out->evidence) < 0)
		return -DBL_ENOMEM;
	dbl_xscan_hints(&s);
	dbl_xscan_names(&s);
	dbl_xscan_i18n(&s); /* before errno: a translated strerror is one */
	dbl_xscan_errno(&s);
	dbl_xscan_codes(&s);
	dbl_xscan_phrases(&s);
	dbl_xweigh_errno(&s);
	dbl_xscan_client(&s, in, &out->client);
	if (s.n_hits)
		name_evidence(&s);
	place(&s, out);
	dbl_xplace_client(&s, in, out);
	if (out->client.found &&
	    !(out->client.settle = settle_cmd(&s, out->engine)))
		s.oom = true;
	memcpy(out->tokens, s.tokens, sizeof(out->tokens));
	out->n_tokens = s.n_tokens;
	pick_line(&s, out);
	dbl_xscan_release(&s);
	if (s.oom) {
		dbl_explanation_release(out);
		return -DBL_ENOMEM;
	}
	return 0;
}

void dbl_explanation_release(struct dbl_explanation *e)
{
	if (!e)
		return;
	free(e->cause);
	free(e->fix);
	for (size_t i = 0; i < e->n_alts; i++) {
		free(e->alts[i].why);
		free(e->alts[i].settle);
	}
	dbl_strlist_release(&e->evidence);
	dbl_app_path_release(&e->client.path);
	free(e->client.settle);
	e->client.settle = NULL;
	e->cause = e->fix = NULL;
	e->n_alts = 0;
}
