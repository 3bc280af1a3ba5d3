/* dbloop explain: the working copy of a pasted message and the names in it
 * — which engine, which transport, the server's host and port, the user,
 * the database and the socket path — read from the forms the clients
 * print them in, never from whole messages. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain_int.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The code point of a JSON "\uXXXX" at p (the backslash), -1 if not one. */
static long json_u(const char *p, size_t avail)
{
	if (avail < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	long v = 0;
	for (int k = 2; k < 6; k++) {
		int d = hex_digit(p[k]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static size_t put_utf8(char *dst, unsigned long cp)
{
	if (cp < 0x80) {
		dst[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		dst[0] = (char)(0xc0 | (cp >> 6));
		dst[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		dst[0] = (char)(0xe0 | (cp >> 12));
		dst[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		dst[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	dst[0] = (char)(0xf0 | (cp >> 18));
	dst[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	dst[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	dst[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A JSON "\uXXXX" escape (a surrogate pair as one) at text[*i], written
 * to dst as UTF-8; 0 when there is none. A lone surrogate becomes '?'.
 * json.dumps and most JSON loggers escape every non-ASCII letter, so a
 * translated message logged as JSON has no word of its own left. */
static size_t json_escape_utf8(char *dst, const char *text, size_t len,
			       size_t *i)
{
	long hi = json_u(text + *i, len - *i);
	if (hi < 0)
		return 0;
	*i += 5;
	if (hi >= 0xd800 && hi <= 0xdbff) {
		long lo = json_u(text + *i + 1, len - *i - 1);
		if (lo >= 0xdc00 && lo <= 0xdfff) {
			*i += 6;
			return put_utf8(
				dst,
				0x10000 + (((unsigned long)hi - 0xd800) << 10) +
					((unsigned long)lo - 0xdc00));
		}
		hi = '?';
	} else if (hi >= 0xdc00 && hi <= 0xdfff) {
		hi = '?';
	}
	return put_utf8(dst, hi == 0 ? ' ' : (unsigned long)hi);
}

/* The byte an HTML entity at text[i] stands for, 0 when none; *m its
 * length. */
static char html_entity(const char *text, size_t len, size_t i, size_t *m)
{
	static const struct {
		const char *ent;
		char ch;
	} ents[] = {{"&quot;", '"'},  {"&#39;", '\''}, {"&#x27;", '\''},
		    {"&apos;", '\''}, {"&lt;", '<'},   {"&gt;", '>'},
		    {"&amp;", '&'},   {"&nbsp;", ' '}, {"&#34;", '"'}};
	for (size_t k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
		*m = strlen(ents[k].ent);
		if (i + *m <= len && memcmp(text + i, ents[k].ent, *m) == 0)
			return ents[k].ch;
	}
	return 0;
}

/* The byte a character of a mis-decoded paste stood for: U+0080..U+00BF
 * as Latin-1 read it, or what Windows-1252 made of 0x80..0x9F; -1 for
 * any other. c is the UTF-8 sequence at p (n bytes). */
static int cp1252_byte(const unsigned char *p, size_t avail, size_t *n)
{
	static const unsigned short w1252[32] = {
		0x20ac, 0,	0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,	0x017d, 0,
		0,	0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,	0x017e, 0x0178};
	unsigned long cp;
	if (avail >= 2 && (p[0] & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
		cp = ((unsigned long)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
		*n = 2;
	} else if (avail >= 3 && (p[0] & 0xf0) == 0xe0 &&
		   (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
		cp = ((unsigned long)(p[0] & 0x0f) << 12) |
		     ((unsigned long)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
		*n = 3;
	} else {
		return -1;
	}
	if (cp >= 0x80 && cp <= 0xbf)
		return (int)cp;
	for (int k = 0; k < 32; k++)
		if (w1252[k] && w1252[k] == cp)
			return 0x80 + k;
	return -1;
}

/* UTF-8 read as Windows-1252 or Latin-1 and written out again as UTF-8
 * (a Windows console's log pasted into a tracker: "fÃ¼r" for "für",
 * "Ð¿Ð°Ñ€Ð¾Ð»ÑŒ" for "пароль"): the bytes of one character at p put
 * back into dst; 0 when p starts none. Only a lead byte's character
 * (U+00C2..U+00F4) followed by as many characters of 0x80..0xBF as it
 * needs counts, which real text in those languages does not hold. */
static size_t undo_mojibake(char *dst, const char *p, size_t avail,
			    size_t *used)
{
	const unsigned char *u = (const unsigned char *)p;
	if (avail < 4 || u[0] != 0xc3 || u[1] < 0x82 || u[1] > 0xb4)
		return 0;
	unsigned char lead = (unsigned char)(0xc0 | (u[1] & 0x3f));
	size_t need = lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : 3;
	size_t at = 2;
	char out[4];
	out[0] = (char)lead;
	for (size_t k = 1; k <= need; k++) {
		size_t n = 0;
		int b = cp1252_byte(u + at, avail - at, &n);
		if (b < 0)
			return 0;
		out[k] = (char)b;
		at += n;
	}
	*used = at;
	memcpy(dst, out, need + 1);
	return need + 1;
}

/* The byte of a "\xhh" escape at p ("\\xhh" where a JSON log doubled
 * the backslash), -1 if none; *n is its length. */
static int hex_escape(const char *p, size_t avail, size_t *n)
{
	size_t at = avail > 1 && p[0] == '\\' && p[1] == '\\' ? 1 : 0;
	if (avail < at + 4 || p[at] != '\\' || p[at + 1] != 'x')
		return -1;
	int hi = hex_digit(p[at + 2]), lo = hex_digit(p[at + 3]);
	*n = at + 4;
	return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

/* A UTF-8 character written byte by byte as "\xhh" escapes (Apache's
 * error log escapes every byte above 0x7e so, a Python bytes repr
 * likewise: "autentificaci\xc3\xb3n" for "autentificación") put back
 * into dst; 0 unless p starts a whole, valid multi-byte sequence. *used
 * is the length of the escapes read. */
static size_t undo_hex_escapes(char *dst, const char *p, size_t avail,
			       size_t *used)
{
	size_t at = 0, n = 0;
	int lead = hex_escape(p, avail, &n);
	if (lead < 0xc2 || lead > 0xf4)
		return 0;
	size_t need = lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : 3;
	char out[4]; /* dst is written only for a whole sequence */
	out[0] = (char)lead;
	at += n;
	for (size_t k = 1; k <= need; k++) {
		int b = hex_escape(p + at, avail - at, &n);
		if (b < 0x80 || b > 0xbf)
			return 0;
		out[k] = (char)b;
		at += n;
	}
	*used = at;
	memcpy(dst, out, need + 1);
	return need + 1;
}

#define FOLD_DROP (-1)

/* What a typographic character at p stands for: curly quotes (a tracker,
 * a chat or a word processor turns ' and " into them, and 'root'@... or
 * database "x" must still be read), spaces of other widths, and the
 * invisible characters a web page carries along (dropped). 0 when p
 * holds none of them; *m is its length. */
static int typographic(const char *p, size_t avail, size_t *m)
{
	const unsigned char *u = (const unsigned char *)p;
	if (avail >= 2 && u[0] == 0xc2 && u[1] == 0xa0) {
		*m = 2;
		return ' '; /* U+00A0 no-break space */
	}
	if (avail < 3)
		return 0;
	*m = 3;
	if (u[0] == 0xe2 && u[1] == 0x80) {
		if (u[2] >= 0x98 && u[2] <= 0x9b)
			return '\''; /* U+2018..U+201B */
		if (u[2] >= 0x9c && u[2] <= 0x9f)
			return '"'; /* U+201C..U+201F */
		if (u[2] <= 0x8a || u[2] == 0xaf)
			return ' '; /* U+2000..U+200A, U+202F */
		if (u[2] >= 0x8b && u[2] <= 0x8d)
			return FOLD_DROP; /* zero-width space, (non-)joiner */
	}
	if (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0xa0)
		return FOLD_DROP; /* U+2060 word joiner */
	if (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		return FOLD_DROP; /* U+FEFF, a byte-order mark */
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return ' '; /* U+3000 ideographic space */
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ||
	       c == '\0';
}

/* Copies text without NULs and ANSI colour sequences (ESC [ ... letter),
 * which terminals paste along and which would split a phrase; decodes
 * JSON and HTML escapes; and folds every run of blanks within a line into
 * one space, dropping those at either end of a line, so that a phrase
 * matches however the paste spaced or wrapped it (a terminal's or a
 * tracker's wrapping, a log's column padding, an indented continuation,
 * a non-breaking space). Line breaks are all kept: line numbers are the
 * paste's own. The lower-cased copy reads them as spaces
 * (dbl_xscan_init). */
static size_t clean_copy(char *dst, const char *text, size_t len)
{
	size_t n = 0;
	bool ws = false, line_start = true;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		char one[4];
		size_t k = 1, used = 0, fixed = 0;
		if (c == 0x1b && i + 1 < len && text[i + 1] == '[') {
			i += 2;
			while (i < len && !isalpha((unsigned char)text[i]))
				i++;
			continue;
		}
		one[0] = (char)c;
		/* JSON-escaped logs ("\\n", "\\\"", "\\u00e9") and
		 * HTML-escaped quotes */
		if (c == '\\' && i + 1 < len &&
		    strchr("nrt\"'/", text[i + 1])) {
			char e = text[++i];
			one[0] = e == 'n'   ? '\n'
				 : e == 'r' ? '\r'
				 : e == 't' ? '\t'
					    : e;
		} else if (c == '\\' && i + 1 < len &&
			   (text[i + 1] == 'x' || text[i + 1] == '\\') &&
			   (fixed = undo_hex_escapes(one, text + i, len - i,
						     &used)) > 0) {
			k = fixed;
			i += used - 1;
		} else if (c == '\\' && i + 1 < len && text[i + 1] == '\\') {
			/* an escaped backslash: a JSON string of a text that
			 * was itself escaped ("database \\\"app\\\"") */
			i++;
		} else if (c == '\\' && i + 1 < len && text[i + 1] == 'u') {
			size_t at = i;
			k = json_escape_utf8(one, text, len, &i);
			if (k == 0) {
				i = at;
				k = 1;
			}
		} else if (c == '&') {
			size_t m = 0;
			char ch = html_entity(text, len, i, &m);
			if (ch) {
				one[0] = ch;
				i += m - 1;
			}
		} else if (c == 0xc3 &&
			   (fixed = undo_mojibake(one, text + i, len - i,
						  &used)) > 0) {
			k = fixed;
			i += used - 1;
		} else if (c >= 0xc2 && c <= 0xef) {
			size_t m = 0;
			int f = typographic(text + i, len - i, &m);
			if (f == FOLD_DROP) {
				i += m - 1;
				continue;
			}
			if (f) {
				one[0] = (char)f;
				i += m - 1;
			}
		}
		if (k == 1 && one[0] == '\n') {
			dst[n++] = '\n';
			ws = false;
			line_start = true;
			continue;
		}
		if (k == 1 && blank(one[0])) {
			ws = true;
			continue;
		}
		if (ws && !line_start)
			dst[n++] = ' ';
		ws = line_start = false;
		memcpy(dst + n, one, k);
		n += k;
	}
	dst[n] = '\0';
	return n;
}

int dbl_xscan_init(struct dbl_xscan *s, const char *text, size_t len,
		   struct dbl_strlist *evidence)
{
	memset(s, 0, sizeof(*s));
	s->evidence = evidence;
	size_t keep = len > DBL_XSCAN_MAX ? DBL_XSCAN_MAX : len;
	s->raw = malloc(keep + 2);
	s->low = malloc(keep + 2);
	if (!s->raw || !s->low) {
		dbl_xscan_release(s);
		return -DBL_ENOMEM;
	}
	/* A long log: its head and its tail, where the error usually is. */
	size_t head = len > keep ? keep / 2 : keep;
	s->len = clean_copy(s->raw, text, head);
	if (len > keep) {
		s->raw[s->len++] = '\n';
		s->len += clean_copy(s->raw + s->len,
				     text + len - (keep - head), keep - head);
	}
	/* same offsets as raw; a line break reads as the space it folds */
	for (size_t i = 0; i <= s->len; i++)
		s->low[i] = s->raw[i] == '\n'
				    ? ' '
				    : (char)tolower((unsigned char)s->raw[i]);
	return 0;
}

void dbl_xscan_release(struct dbl_xscan *s)
{
	free(s->raw);
	free(s->low);
	s->raw = s->low = NULL;
}

bool dbl_xhas(const struct dbl_xscan *s, const char *needle)
{
	return strstr(s->low, needle) != NULL;
}

bool dbl_xword_at(const char *base, const char *p)
{
	return p == base || !isalpha((unsigned char)p[-1]);
}

bool dbl_xhas_word(const struct dbl_xscan *s, const char *needle)
{
	for (const char *p = s->low; (p = strstr(p, needle)) != NULL; p++)
		if (dbl_xword_at(s->low, p))
			return true;
	return false;
}

void dbl_xadd(struct dbl_xscan *s, enum dbl_class c, int weight)
{
	for (size_t i = 0; i < s->n_hits; i++) {
		if (s->hits[i].cls == c) {
			s->hits[i].weight += weight;
			return;
		}
	}
	if (s->n_hits < DBL_XHITS_MAX)
		s->hits[s->n_hits++] = (struct dbl_xhit){c, weight};
}

void dbl_xevidence(struct dbl_xscan *s, const char *what)
{
	if (!dbl_strlist_contains(s->evidence, what) &&
	    dbl_strlist_push(s->evidence, what) < 0)
		s->oom = true;
}

void dbl_xtoken(struct dbl_xscan *s, enum dbl_xtok_kind kind, int value,
		const char *text)
{
	for (size_t i = 0; i < s->n_tokens; i++)
		if (s->tokens[i].kind == kind && s->tokens[i].value == value &&
		    strcmp(s->tokens[i].text, text ? text : "") == 0)
			return;
	if (s->n_tokens >= DBL_EXPLAIN_MAX_TOKENS)
		return;
	struct dbl_explain_token *t = &s->tokens[s->n_tokens++];
	t->kind = kind;
	t->value = value;
	dbl_strlcpy(t->text, text ? text : "", sizeof(t->text));
}

const char *dbl_xtok_kind_name(enum dbl_xtok_kind k)
{
	switch (k) {
	case DBL_XTOK_MYSQL_ERROR:
		return "mysql_error";
	case DBL_XTOK_SQLSTATE:
		return "sqlstate";
	case DBL_XTOK_ERRNO:
		return "errno";
	case DBL_XTOK_PRISMA:
		return "prisma";
	case DBL_XTOK_PHRASE:
		return "phrase";
	}
	return "unknown";
}

/* A code standing alone at p (n bytes): not part of an address, a port, a
 * longer number, a time, a date or a line:column. A colon after it counts as an
 * end ("1045: ...", "2054: ...") only when a space or quote follows. */
bool dbl_xlone(const char *low, const char *p, size_t n)
{
	if (p > low && (isalnum((unsigned char)p[-1]) || p[-1] == '.' ||
			p[-1] == ':' || p[-1] == '-' || p[-1] == '/'))
		return false;
	char after = p[n];
	if (after == ':')
		return p[n + 1] == ' ' || p[n + 1] == '"';
	if (after == '/' && isdigit((unsigned char)p[n + 1]))
		return false; /* a date: "2003/04/12 10:20:13" */
	return !isalnum((unsigned char)after) && after != '.' && after != '-';
}

/* ---- engine ------------------------------------------------------------ */

static const char *const pg_hints[] = {
	"postgres",
	"psql",
	"libpq",
	"pg_hba",
	"pq: ",
	"pgx",
	"psycopg",
	"pg::",
	".s.pgsql",
	":5432",
	"port 5432",
	"`5432`",
	"org.postgresql",
	"npgsql",
	"asyncpg",
	"pg_connect",
	"pgsql",
	"postmaster",
	"sslmode",
	"failed to connect to `host=",
	"failed to connect to `user=",
	"failed to resolve host",
	"could not connect to server:",
};
static const char *const my_hints[] = {
	"mysql",
	"mariadb",
	"mysqli",
	"pymysql",
	"mysqldb",
	":3306",
	"port 3306",
	"`3306`",
	"mysqld.sock",
	"mysql.sock",
	"er_",
	"access denied for user",
	"using password",
	"go-sql-driver",
	"can't connect to local server",
	"communications link failure",
	"initial communication packet",
	"protocol_connection_lost",
	"sqlstate[hy000] [20",
};

static void engine_hints(struct dbl_xscan *s)
{
	for (size_t i = 0; i < sizeof(pg_hints) / sizeof(pg_hints[0]); i++)
		if (dbl_xhas(s, pg_hints[i]))
			s->pg += 2;
	/* libpq's severity, upper case (its two spaces are folded) */
	if (strstr(s->raw, "FATAL: "))
		s->pg += 2;
	for (size_t i = 0; i < sizeof(my_hints) / sizeof(my_hints[0]); i++)
		if (dbl_xhas(s, my_hints[i]))
			s->my += 2;
}

/* ---- the socket path --------------------------------------------------- */

/* Whether c ends a path token: space, quote, bracket, or the UTF-8 bytes
 * of « » (the French quotes libpq prints). */
static bool path_edge(unsigned char c)
{
	return c <= ' ' || strchr("\"'`()[]<>,;", c) || c == 0xc2 ||
	       c == 0xab || c == 0xbb;
}

/* The path around the marker found at offset at, as written (case kept). */
static void path_around(struct dbl_xscan *s, size_t at, size_t mark_len)
{
	size_t start = at, end = at + mark_len;
	while (start > 0 && !path_edge((unsigned char)s->raw[start - 1]))
		start--;
	while (end < s->len && !path_edge((unsigned char)s->raw[end]) &&
	       s->raw[end] != ':')
		end++;
	if (s->raw[start] != '/' || end - start >= sizeof(s->sock))
		return;
	memcpy(s->sock, s->raw + start, end - start);
	s->sock[end - start] = '\0';
}

static void find_socket_path(struct dbl_xscan *s)
{
	static const char *const marks[] = {".s.pgsql.", "mysqld.sock",
					    "mysql.sock", ".sock"};
	for (size_t i = 0; !s->sock[0] && i < sizeof(marks) / sizeof(marks[0]);
	     i++) {
		const char *p = strstr(s->low, marks[i]);
		if (p)
			path_around(s, (size_t)(p - s->low), strlen(marks[i]));
	}
}

/* ---- transport --------------------------------------------------------- */

/* docker compose prefixes each line with the service: "api     | ...". */
static bool compose_prefix(const struct dbl_xscan *s)
{
	for (const char *p = s->raw; *p;) {
		const char *q = p;
		while (isalnum((unsigned char)*q) || *q == '_' || *q == '-' ||
		       *q == '.')
			q++;
		if (q > p && *q == ' ') {
			while (*q == ' ')
				q++;
			if (q[0] == '|' && q[1] == ' ')
				return true;
		}
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

/* An address of 172.16.0.0/12, Docker's default pool for its bridge and
 * compose networks. */
static bool docker_pool_address(const struct dbl_xscan *s)
{
	for (const char *p = s->low; (p = strstr(p, "172.")) != NULL; p++) {
		if (p > s->low &&
		    (isdigit((unsigned char)p[-1]) || p[-1] == '.'))
			continue;
		if (!isdigit((unsigned char)p[4]) ||
		    !isdigit((unsigned char)p[5]) || p[6] != '.')
			continue;
		int second = (p[4] - '0') * 10 + (p[5] - '0');
		if (second >= 16 && second <= 31)
			return true;
	}
	return false;
}

static void transport_hints(struct dbl_xscan *s)
{
	s->unix_sock =
		dbl_xhas(s, "unix domain socket") ||
		dbl_xhas(s, "through socket") || dbl_xhas(s, ".s.pgsql") ||
		dbl_xhas(s, "dial unix") || dbl_xhas(s, "mysqld.sock") ||
		dbl_xhas(s, "mysql.sock") || dbl_xhas(s, "server on socket") ||
		dbl_xhas(s, "sur le socket") || dbl_xhas(s, "auf socket") ||
		dbl_xhas(s, "connect enoent /") ||
		/* peer authentication exists only on the socket */
		dbl_xhas(s, "peer authentication failed");
	s->v6 = dbl_xhas(s, "::1");
	s->v4 = dbl_xhas(s, "127.0.0.1");
	s->localhost = dbl_xhas(s, "localhost");
	s->container = dbl_xhas(s, "docker") || dbl_xhas(s, "compose") ||
		       dbl_xhas(s, "container") || docker_pool_address(s) ||
		       dbl_xhas(s, "127.0.0.11") || dbl_xhas(s, "-1 | ") ||
		       dbl_xhas(s, "_1 | ") || compose_prefix(s);
	find_socket_path(s);
}

bool dbl_xloopback(const char *host)
{
	return strcmp(host, "localhost") == 0 ||
	       strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
	       strcmp(host, "[::1]") == 0;
}

/* Engine and transport hints; host, port, user and database come from
 * explain_names.c. */
void dbl_xscan_hints(struct dbl_xscan *s)
{
	engine_hints(s);
	transport_hints(s);
}
