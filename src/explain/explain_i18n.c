/* dbloop explain: the translated messages of the PostgreSQL server, libpq,
 * glibc's strerror, the MariaDB server and PgJDBC, from the table generated
 * out of Debian's catalogues and PgJDBC's bundles (explain_phrases_i18n.c).
 * A row matches when all its fixed parts occur in order, each within a
 * placeholder's reach of the one before; each key weighs once, however
 * many locales match. What a key means is here, in one place: the class
 * it proves (the weight of its English phrase in explain_phrases.c), the
 * errno a strerror text is, or what a libpq frame says about the
 * transport. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain_i18n.h"
#include "explain/explain_int.h"

#define PART_GAP 160 /* bytes a placeholder's value may take */

#define PG DBL_ENGINE_POSTGRES
#define MY DBL_ENGINE_MYSQL

enum hint { H_NONE, H_UNIX, H_TCP, H_SEVERITY, H_EAI };

struct action {
	const char *key;
	enum dbl_class cls; /* DBL_CLASS_UNKNOWN: none */
	int weight;
	int engine; /* -1 either */
	int err;    /* a strerror text: its errno (Linux numbering) */
	enum hint hint;
	enum dbl_class cls2; /* a second class the text also supports */
	int weight2;
};

#define U DBL_CLASS_UNKNOWN
static const struct action actions[] = {
	{"pg_password", DBL_CLASS_ACCESS_DENIED, 100, PG, 0, H_NONE, U, 0},
	{"pg_db_missing", DBL_CLASS_DATABASE_MISSING, 90, PG, 0, H_NONE, U, 0},
	{"pg_role_missing", DBL_CLASS_ACCESS_DENIED, 80, PG, 0, H_NONE, U, 0},
	{"pg_hba", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG, 0, H_NONE, U, 0},
	{"pg_hba_rejects", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG, 0, H_NONE, U, 0},
	{"pg_peer", DBL_CLASS_AUTH_METHOD_MISMATCH, 110, PG, 0, H_UNIX, U, 0},
	{"pg_ident", DBL_CLASS_AUTH_METHOD_MISMATCH, 110, PG, 0, H_NONE, U, 0},
	{"pg_pam", DBL_CLASS_ACCESS_DENIED, 100, PG, 0, H_NONE, U, 0},
	{"pg_ldap", DBL_CLASS_ACCESS_DENIED, 100, PG, 0, H_NONE, U, 0},
	{"pg_radius", DBL_CLASS_ACCESS_DENIED, 100, PG, 0, H_NONE, U, 0},
	{"pg_bsd", DBL_CLASS_ACCESS_DENIED, 100, PG, 0, H_NONE, U, 0},
	{"pg_cert", DBL_CLASS_ACCESS_DENIED, 100, PG, 0, H_NONE, U, 0},
	{"pg_gssapi", DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG, 0, H_NONE, U, 0},
	{"pg_sspi", DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG, 0, H_NONE, U, 0},
	{"pg_bad_method", DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG, 0, H_NONE, U,
	 0},
	{"pg_host_rejected", DBL_CLASS_HOST_NOT_ALLOWED, 100, PG, 0, H_NONE, U,
	 0},
	{"pg_ldap_login", DBL_CLASS_ACCESS_DENIED, 100, PG, 0, H_NONE, U, 0},
	{"pg_no_usermap", DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG, 0, H_NONE, U,
	 0},
	{"pg_name_mismatch", DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG, 0, H_NONE,
	 U, 0},
	{"pg_auth_timeout", DBL_CLASS_TIMEOUT, 100, PG, 0, H_NONE, U, 0},
	{"pg_walsender", DBL_CLASS_ACCOUNT_UNUSABLE, 90, PG, 0, H_NONE, U, 0},
	{"pg_invalid_db", DBL_CLASS_DATABASE_MISSING, 90, PG, 0, H_NONE, U, 0},
	{"pg_admin_stop", DBL_CLASS_SERVER_STARTING, 70, PG, 0, H_NONE, U, 0},
	{"pg_crash", DBL_CLASS_SERVER_STARTING, 80, PG, 0, H_NONE, U, 0},
	{"pg_idle_session", DBL_CLASS_TIMEOUT, 70, PG, 0, H_NONE, U, 0},
	{"pg_idle_xact", DBL_CLASS_TIMEOUT, 70, PG, 0, H_NONE, U, 0},
	{"pg_nologin", DBL_CLASS_ACCOUNT_UNUSABLE, 110, PG, 0, H_NONE, U, 0},
	{"pg_role_limit", DBL_CLASS_ACCOUNT_UNUSABLE, 120, PG, 0, H_NONE, U, 0},
	{"pg_too_many", DBL_CLASS_TOO_MANY_CONNECTIONS, 100, PG, 0, H_NONE, U,
	 0},
	{"pg_reserved", DBL_CLASS_TOO_MANY_CONNECTIONS, 100, PG, 0, H_NONE, U,
	 0},
	{"pg_starting", DBL_CLASS_SERVER_STARTING, 100, PG, 0, H_NONE, U, 0},
	{"pg_shutting", DBL_CLASS_SERVER_STARTING, 90, PG, 0, H_NONE, U, 0},
	{"pg_recovery", DBL_CLASS_SERVER_STARTING, 90, PG, 0, H_NONE, U, 0},
	{"pg_not_accepting", DBL_CLASS_SERVER_STARTING, 90, PG, 0, H_NONE, U,
	 0},
	{"pg_not_yet", DBL_CLASS_SERVER_STARTING, 90, PG, 0, H_NONE, U, 0},
	{"pg_perm_db", DBL_CLASS_ACCESS_DENIED, 80, PG, 0, H_NONE, U, 0},
	{"pg_client_cert", DBL_CLASS_TLS_MISMATCH, 100, PG, 0, H_NONE, U, 0},
	/* the DETAIL under "password authentication failed" decides over it
	 * and over the older hand-written phrase for it, which add up */
	{"pg_expired", DBL_CLASS_ACCOUNT_UNUSABLE, 200, PG, 0, H_NONE, U, 0},
	{"pg_no_password", DBL_CLASS_ACCESS_DENIED, 200, PG, 0, H_NONE, U, 0},
	{"pg_no_scram", DBL_CLASS_AUTH_METHOD_MISMATCH, 200, PG, 0, H_NONE, U,
	 0},
	{"pg_no_md5", DBL_CLASS_AUTH_METHOD_MISMATCH, 200, PG, 0, H_NONE, U, 0},
	{"pg_pw_mismatch", DBL_CLASS_ACCESS_DENIED, 105, PG, 0, H_NONE, U, 0},
	{"sev_fatal", U, 0, PG, 0, H_SEVERITY, U, 0},
	{"sev_error", U, 0, PG, 0, H_SEVERITY, U, 0},
	{"sev_panic", U, 0, PG, 0, H_SEVERITY, U, 0},
	{"pq_on_socket", U, 0, PG, 0, H_UNIX, U, 0},
	{"pq_at_host_addr", U, 0, PG, 0, H_TCP, U, 0},
	{"pq_at_host", U, 0, PG, 0, H_TCP, U, 0},
	{"pq_running_socket", DBL_CLASS_SOCKET_MISSING, 20, PG, 0, H_UNIX, U,
	 0},
	{"pq_running_host", DBL_CLASS_CONNECTION_REFUSED, 20, PG, 0, H_TCP, U,
	 0},
	{"pq_closed", DBL_CLASS_SERVER_STARTING, 25, PG, 0, H_NONE, U, 0},
	{"pq_timeout", U, 0, PG, 110, H_NONE, U, 0},
	{"pq_dns", DBL_CLASS_DNS_FAILURE, 100, PG, 0, H_NONE, U, 0},
	{"pq_nossl", DBL_CLASS_TLS_MISMATCH, 100, PG, 0, H_NONE, U, 0},
	{"pq_nopw", DBL_CLASS_ACCESS_DENIED, 90, PG, 0, H_NONE, U, 0},
	{"libc_refused", U, 0, -1, 111, H_NONE, U, 0},
	{"libc_enoent", U, 0, -1, 2, H_NONE, U, 0},
	{"libc_eacces", U, 0, -1, 13, H_NONE, U, 0},
	{"libc_timedout", U, 0, -1, 110, H_NONE, U, 0},
	{"libc_hostunreach", U, 0, -1, 113, H_NONE, U, 0},
	{"libc_netunreach", U, 0, -1, 101, H_NONE, U, 0},
	{"libc_reset", U, 0, -1, 104, H_NONE, U, 0},
	{"libc_addrnotavail", U, 0, -1, 99, H_NONE, U, 0},
	{"libc_noname", U, 0, -1, 0, H_EAI, U, 0},
	{"libc_again", U, 0, -1, 0, H_EAI, U, 0},
	/* MariaDB's texts weigh as their English ones; the code, when the
	 * text has it, decides anyway */
	{"my_1045", DBL_CLASS_ACCESS_DENIED, 60, MY, 0, H_NONE, U, 0},
	{"my_1044", DBL_CLASS_ACCESS_DENIED, 60, MY, 0, H_NONE,
	 DBL_CLASS_DATABASE_MISSING, 40},
	{"my_1049", DBL_CLASS_DATABASE_MISSING, 100, MY, 0, H_NONE, U, 0},
	{"my_1698", DBL_CLASS_ACCESS_DENIED, 60, MY, 0, H_NONE, U, 0},
	{"my_1130", DBL_CLASS_HOST_NOT_ALLOWED, 100, MY, 0, H_NONE, U, 0},
	{"my_1040", DBL_CLASS_TOO_MANY_CONNECTIONS, 90, MY, 0, H_NONE, U, 0},
	{"my_1129", DBL_CLASS_HOST_BLOCKED, 100, MY, 0, H_NONE, U, 0},
	/* PgJDBC's own messages (its translation bundles): a refusal and a
	 * timeout are their errnos, the rest weigh as the English phrases */
	{"jdbc_refused", U, 0, PG, 111, H_TCP, U, 0},
	{"jdbc_nossl", DBL_CLASS_TLS_MISMATCH, 100, PG, 0, H_NONE, U, 0},
	{"jdbc_nopw", DBL_CLASS_ACCESS_DENIED, 90, PG, 0, H_NONE, U, 0},
	{"jdbc_timeout", U, 0, PG, 110, H_NONE, U, 0},
	{"jdbc_ssl_setup", DBL_CLASS_TLS_MISMATCH, 60, PG, 0, H_NONE, U, 0},
	{"jdbc_auth_type", DBL_CLASS_AUTH_METHOD_MISMATCH, 90, PG, 0, H_NONE, U,
	 0},
};
#undef U

#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

static const struct action *action_of(const char *key)
{
	for (size_t i = 0; i < N_ACTIONS; i++)
		if (strcmp(actions[i].key, key) == 0)
			return &actions[i];
	return NULL;
}

/* The action of each catalogue row, looked up once: a long log asks for
 * every row on every line (5,000 lines took 0.6 s in strcmp alone). */
#define ROW_CACHE_MAX 4096
static const struct action *row_actions[ROW_CACHE_MAX];
static pthread_once_t row_actions_once = PTHREAD_ONCE_INIT;

static void row_actions_fill(void)
{
	for (size_t i = 0; i < dbl_xi18n_n_rows && i < ROW_CACHE_MAX; i++)
		row_actions[i] = action_of(dbl_xi18n_rows[i].key);
}

static const struct action *row_action(size_t i)
{
	pthread_once(&row_actions_once, row_actions_fill);
	return i < ROW_CACHE_MAX ? row_actions[i]
				 : action_of(dbl_xi18n_rows[i].key);
}

/* A severity stands before a colon (ASCII or full-width), not inside a
 * word: "FEHLER:  ", "ВАЖНО:  ", "致命错误:  ". */
static bool severity_at(const char *low, const char *end, const char *p,
			size_t n)
{
	if (p > low && isalnum((unsigned char)p[-1]))
		return false;
	const char *a = p + n;
	return (a < end && *a == ':') ||
	       (end - a >= 3 && memcmp(a, "\xef\xbc\x9a", 3) == 0);
}

/* The first occurrence of needle in [from, end), NULL when none. */
static const char *find_in(const char *from, const char *end,
			   const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = from; p + n <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p));
		if (!p || p + n > end)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
	}
	return NULL;
}

/* A row's parts: NUL-terminated strings one after the other, an empty one
 * after the last (dbl_xi18n_text's form; strip_row writes the same). */
static const char *row_parts(const struct dbl_xi18n_row *r)
{
	return r->text < dbl_xi18n_text_len ? dbl_xi18n_text + r->text : "";
}

/* The part after p, NULL after the last. */
static const char *next_part(const char *p)
{
	p += strlen(p) + 1;
	return *p ? p : NULL;
}

/* Whether the parts occur in [low, end) in order, each within PART_GAP
 * bytes of the end of the one before; *span and *span_end are where the
 * match starts and ends. */
static bool row_matches(const char *parts, const struct action *a,
			const char *low, const char *end, const char **span,
			const char **span_end)
{
	const char *first = parts;
	if (!*first)
		return false;
	size_t n0 = strlen(first);
	for (const char *p = low; (p = find_in(p, end, first)) != NULL; p++) {
		*span = p;
		if (a && a->hint == H_SEVERITY) {
			*span_end = p + n0;
			if (severity_at(low, end, p, n0))
				return true;
			continue;
		}
		const char *at = p + n0;
		const char *part = next_part(first);
		for (size_t k = 1; part && k < DBL_XI18N_PARTS;
		     k++, part = next_part(part)) {
			const char *q = find_in(at, end, part);
			if (!q || q - at > PART_GAP)
				break;
			at = q + strlen(part);
		}
		*span_end = at;
		if (!part)
			return true;
	}
	return false;
}

static void weigh(struct dbl_xscan *s, const struct dbl_xi18n_row *r,
		  const char *parts, const struct action *a)
{
	if (a->cls != DBL_CLASS_UNKNOWN)
		dbl_xadd(s, a->cls, a->weight);
	if (a->cls2 != DBL_CLASS_UNKNOWN)
		dbl_xadd(s, a->cls2, a->weight2);
	if (a->engine == PG)
		s->pg += 3;
	else if (a->engine == MY)
		s->my += 3;
	if (a->hint == H_UNIX)
		s->unix_sock = true;
	if (a->hint == H_EAI)
		s->eai = true;
	if (a->err && !s->err)
		s->err = a->err; /* dbl_xscan_errno words the evidence */
	if (a->cls != DBL_CLASS_UNKNOWN) {
		char text[64];
		const char *best = parts;
		for (const char *q = parts; q; q = next_part(q))
			if (strlen(q) > strlen(best))
				best = q;
		size_t room = sizeof(text) - strlen(r->lang) - 4;
		size_t n = strlen(best);
		if (n > room) /* cut before a UTF-8 continuation byte */
			for (n = room;
			     n > 0 && ((unsigned char)best[n] & 0xc0) == 0x80;
			     n--)
				;
		snprintf(text, sizeof(text), "%.*s (%s)", (int)n, best,
			 r->lang);
		dbl_xtoken(s, DBL_XTOK_PHRASE, 0, text);
		char ev[160];
		snprintf(ev, sizeof(ev), "translated message (%s, %s): %s",
			 r->lang, r->source, a->key);
		dbl_xevidence(s, ev);
	}
}

static bool has_utf8(const char *p, const char *end)
{
	for (; p < end; p++)
		if ((unsigned char)*p >= 0x80)
			return true;
	return false;
}

/* A row of a Latin-script locale with its non-ASCII letters dropped, as a
 * console in another code page shows it: "la autentificacin password fall
 * para el usuario" for "la autentificación password falló ...". False when
 * the row has no non-ASCII letter (it was tried as it is), is mostly
 * another script, or keeps too little to tell. */
#define STRIP_CAP (DBL_XI18N_PARTS * 192)
static bool strip_row(const struct dbl_xi18n_row *r, char out[STRIP_CAP])
{
	size_t ascii = 0, other = 0, longest = 0, at = 0;
	const char *part = row_parts(r);
	for (size_t k = 0; part && k < DBL_XI18N_PARTS;
	     k++, part = next_part(part)) {
		size_t n = 0;
		for (const char *c = part; *c; c++) {
			if ((unsigned char)*c >= 0x80) {
				other++;
				continue;
			}
			ascii++;
			if (at + n + 2 < STRIP_CAP)
				out[at + n++] = *c;
		}
		if (n == 0)
			return false;
		out[at + n] = '\0';
		at += n + 1;
		longest = n > longest ? n : longest;
	}
	out[at] = '\0';
	return other > 0 && other * 6 <= ascii && longest >= 12;
}

/* The messages first, blanking what they matched in work, then the
 * strerror texts in what is left: Danish "Adgang nægtet" is EACCES alone,
 * but inside "Adgang nægtet bruger: 'app'@'localhost'" it is MariaDB's
 * 1045. A text without UTF-8 (U+FFFD aside) is also tried against the
 * messages with their non-ASCII letters dropped (strip_row). */
void dbl_xscan_i18n(struct dbl_xscan *s)
{
	bool done[N_ACTIONS] = {false};
	/* rows in a script other than Latin need UTF-8 in the text */
	bool utf8 = has_utf8(s->low, s->low + s->len);
	char *work = malloc(s->len + 1);
	if (!work) {
		s->oom = true;
		return;
	}
	memcpy(work, s->low, s->len + 1);
	/* U+FFFD, where a UTF-8 decoder met a byte of another code page,
	 * stands for a dropped letter: "autentificaci<U+FFFD>n" */
	size_t n = 0;
	for (size_t k = 0; k < s->len; k++) {
		if (k + 2 < s->len &&
		    memcmp(work + k, "\357\277\275", 3) == 0) {
			k += 2;
			continue;
		}
		work[n++] = work[k];
	}
	work[n] = '\0';
	if (n < s->len)
		utf8 = has_utf8(work, work + n);
	const char *end = work + n;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < dbl_xi18n_n_rows; i++) {
			const struct dbl_xi18n_row *r = &dbl_xi18n_rows[i];
			const struct action *a = row_action(i);
			const char *parts = row_parts(r), *from, *to;
			if (!a || done[a - actions] ||
			    (strcmp(r->source, "libc") == 0) != (pass == 1) ||
			    (!utf8 && has_utf8(parts, parts + strlen(parts))) ||
			    !row_matches(parts, a, work, end, &from, &to))
				continue;
			done[a - actions] = true;
			if (a->hint != H_SEVERITY)
				memset(work + (from - work), 1,
				       (size_t)(to - from));
			weigh(s, r, parts, a);
		}
	}
	for (size_t i = 0; !utf8 && i < dbl_xi18n_n_rows; i++) {
		const struct dbl_xi18n_row *r = &dbl_xi18n_rows[i];
		const struct action *a = row_action(i);
		char stripped[STRIP_CAP];
		const char *from, *to;
		if (!a || done[a - actions] || a->cls == DBL_CLASS_UNKNOWN ||
		    strcmp(r->source, "libc") == 0 || !strip_row(r, stripped) ||
		    !row_matches(stripped, a, work, end, &from, &to))
			continue;
		done[a - actions] = true;
		memset(work + (from - work), 1, (size_t)(to - from));
		weigh(s, r, stripped, a);
		dbl_xevidence(s, "its non-ASCII letters dropped");
	}
	free(work);
}

bool dbl_xi18n_error_line(const char *low, size_t n)
{
	const char *end = low + n;
	for (size_t i = 0; i < dbl_xi18n_n_rows; i++) {
		const struct dbl_xi18n_row *r = &dbl_xi18n_rows[i];
		const struct action *a = row_action(i);
		const char *from, *to;
		if (a &&
		    (a->cls != DBL_CLASS_UNKNOWN || a->err ||
		     a->hint == H_SEVERITY || a->hint == H_EAI) &&
		    row_matches(row_parts(r), a, low, end, &from, &to))
			return true;
	}
	return false;
}
