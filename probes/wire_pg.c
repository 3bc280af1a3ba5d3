/* PostgreSQL greeting messages: build SSLRequest and StartupMessage, parse
 * AuthenticationRequest and ErrorResponse. No I/O here. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dbloop/common.h"
#include "dbloop/util.h"
#include "probes/wire_pg.h"

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

void dbl_pg_build_ssl_request(uint8_t out[DBL_PG_SSLREQUEST_LEN])
{
	put_be32(out, 8);
	put_be32(out + 4, 80877103); /* 1234 << 16 | 5679 */
}

/* Appends a NUL-terminated string at *pos; false when it does not fit. */
static bool put_cstr(uint8_t *out, size_t cap, size_t *pos, const char *s)
{
	size_t len = strlen(s) + 1;

	if (len > cap - *pos)
		return false;
	memcpy(out + *pos, s, len);
	*pos += len;
	return true;
}

int dbl_pg_build_startup(uint8_t *out, size_t cap, const char *user,
			 const char *database, const char *application_name)
{
	size_t pos = 8;
	bool fits = cap > pos && user;

	fits = fits && put_cstr(out, cap, &pos, "user") &&
	       put_cstr(out, cap, &pos, user);
	if (fits && database)
		fits = put_cstr(out, cap, &pos, "database") &&
		       put_cstr(out, cap, &pos, database);
	if (fits && application_name)
		fits = put_cstr(out, cap, &pos, "application_name") &&
		       put_cstr(out, cap, &pos, application_name);
	fits = fits && put_cstr(out, cap, &pos, "");
	if (!fits)
		return -DBL_EINVAL;
	put_be32(out, (uint32_t)pos);
	put_be32(out + 4, 196608); /* protocol 3.0 */
	return (int)pos;
}

long dbl_pg_parse_header(const uint8_t *buf, size_t n, char *type,
			 size_t max_body)
{
	if (n < 5)
		return -DBL_EINVAL;
	uint32_t len = get_be32(buf + 1);
	if (len < 4 || len - 4 > max_body)
		return -DBL_EINVAL;
	*type = (char)buf[0];
	return (long)(len - 4);
}

int dbl_pg_parse_auth(const uint8_t *body, size_t n, struct dbl_pg_greeting *g)
{
	size_t pos = 4, out = 0;

	if (n < 4)
		return -DBL_EINVAL;
	g->auth_request = (int)get_be32(body);
	g->sasl_mechanisms[0] = '\0';
	if (g->auth_request != DBL_PG_AUTH_SASL)
		return 0;
	/* A list of NUL-terminated names ended by an empty one. */
	while (pos < n && body[pos] != '\0') {
		const uint8_t *end = memchr(body + pos, '\0', n - pos);
		if (!end)
			return -DBL_EINVAL;
		size_t len = (size_t)(end - (body + pos));
		if (out && out + 1 < sizeof(g->sasl_mechanisms))
			g->sasl_mechanisms[out++] = ',';
		for (size_t i = 0; i < len; i++)
			if (out + 1 < sizeof(g->sasl_mechanisms))
				g->sasl_mechanisms[out++] = (char)body[pos + i];
		g->sasl_mechanisms[out] = '\0';
		pos += len + 1;
	}
	return pos < n ? 0 : -DBL_EINVAL;
}

int dbl_pg_build_sasl_initial(uint8_t *out, size_t cap, const char *nonce)
{
	static const char mech[] = "SCRAM-SHA-256";
	char first[128];
	int flen = snprintf(first, sizeof(first), "n,,n=,r=%s", nonce);
	size_t len = 1 + 4 + sizeof(mech) + 4 + (size_t)(flen > 0 ? flen : 0);

	if (flen <= 0 || (size_t)flen >= sizeof(first) || len > cap ||
	    strchr(nonce, ','))
		return -DBL_EINVAL;
	out[0] = 'p';
	put_be32(out + 1, (uint32_t)(len - 1));
	memcpy(out + 5, mech, sizeof(mech));
	put_be32(out + 5 + sizeof(mech), (uint32_t)flen);
	memcpy(out + 9 + sizeof(mech), first, (size_t)flen);
	return (int)len;
}

/* The value of attribute a ("s", "i") of a SCRAM message, copied into
 * out; false when absent or too long. */
static bool scram_attr(const char *msg, size_t n, char a, char *out, size_t len)
{
	size_t pos = 0;
	while (pos + 1 < n) {
		const char *comma = memchr(msg + pos, ',', n - pos);
		size_t end = comma ? (size_t)(comma - msg) : n;
		if (msg[pos] == a && msg[pos + 1] == '=') {
			size_t vlen = end - pos - 2;
			if (vlen == 0 || vlen >= len)
				return false;
			memcpy(out, msg + pos + 2, vlen);
			out[vlen] = '\0';
			return true;
		}
		pos = end + 1;
	}
	return false;
}

int dbl_pg_parse_sasl_continue(const uint8_t *body, size_t n,
			       struct dbl_pg_greeting *g)
{
	char salt[sizeof(g->scram_salt)], iter[16];

	if (n < 4 || get_be32(body) != 11)
		return -DBL_EINVAL;
	const char *msg = (const char *)body + 4;
	size_t len = n - 4;
	if (!scram_attr(msg, len, 's', salt, sizeof(salt)) ||
	    !scram_attr(msg, len, 'i', iter, sizeof(iter)))
		return -DBL_EINVAL;
	int it = 0;
	for (const char *p = iter; *p; p++) {
		if (*p < '0' || *p > '9' || it > 100000000)
			return -DBL_EINVAL;
		it = it * 10 + (*p - '0');
	}
	for (const char *p = salt; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '+' || *p == '/' ||
		      *p == '='))
			return -DBL_EINVAL;
	dbl_strlcpy(g->scram_salt, salt, sizeof(g->scram_salt));
	g->scram_iterations = it;
	return 0;
}

/* Copies one ErrorResponse field into its slot of g, if it has one. */
static void store_field(struct dbl_pg_greeting *g, char code, const char *v)
{
	switch (code) {
	case 'V': /* non-localised severity (9.6+): preferred */
		dbl_strlcpy(g->severity, v, sizeof(g->severity));
		break;
	case 'S':
		if (!g->severity[0])
			dbl_strlcpy(g->severity, v, sizeof(g->severity));
		break;
	case 'C':
		dbl_strlcpy(g->sqlstate, v, sizeof(g->sqlstate));
		break;
	case 'M':
		dbl_strlcpy(g->message, v, sizeof(g->message));
		break;
	case 'D':
		dbl_strlcpy(g->detail, v, sizeof(g->detail));
		break;
	case 'H':
		dbl_strlcpy(g->hint, v, sizeof(g->hint));
		break;
	default:
		break;
	}
}

int dbl_pg_parse_error(const uint8_t *body, size_t n, struct dbl_pg_greeting *g)
{
	size_t pos = 0;

	g->severity[0] = g->sqlstate[0] = g->message[0] = '\0';
	g->detail[0] = g->hint[0] = '\0';
	while (pos < n && body[pos] != '\0') {
		char code = (char)body[pos++];
		const uint8_t *end = memchr(body + pos, '\0', n - pos);
		if (!end)
			return -DBL_EINVAL;
		store_field(g, code, (const char *)body + pos);
		pos = (size_t)(end - body) + 1;
	}
	if (pos >= n || strlen(g->sqlstate) != 5)
		return -DBL_EINVAL;
	return 0;
}

int dbl_pg_parse_message(const uint8_t *buf, size_t n,
			 struct dbl_pg_greeting *g)
{
	char type = 0;
	long body_len;

	if (n >= 1 && buf[0] != 'R' && buf[0] != 'E')
		return -DBL_EINVAL;
	if (n < 5)
		return 0;
	body_len = dbl_pg_parse_header(buf, n, &type, DBL_PG_GREET_MAX);
	if (body_len < 0 || (type != 'R' && type != 'E'))
		return -DBL_EINVAL;
	if (n - 5 < (size_t)body_len)
		return 0;
	if (type == 'R')
		return dbl_pg_parse_auth(buf + 5, (size_t)body_len, g) < 0
			       ? -DBL_EINVAL
			       : DBL_PG_MSG_AUTH;
	return dbl_pg_parse_error(buf + 5, (size_t)body_len, g) < 0
		       ? -DBL_EINVAL
		       : DBL_PG_MSG_ERROR;
}

/* One trace line's direction ("F"/"B"), length and text: the fields after
 * an optional timestamp. false for a line of another shape (libpq's
 * "mismatched message length" notes). */
static bool trace_line(const char *line, size_t n, char *dir, long *len,
		       const char **text, size_t *text_len)
{
	const char *end = line + n, *p = line;

	for (int skip = 0; skip < 2; skip++) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		if (!tab)
			return false;
		if (tab - p == 1 && (*p == 'F' || *p == 'B')) {
			*dir = *p;
			p = tab + 1;
			tab = memchr(p, '\t', (size_t)(end - p));
			if (!tab || tab == p || tab - p > 9)
				return false;
			*len = 0;
			for (const char *d = p; d < tab; d++) {
				if (*d < '0' || *d > '9')
					return false;
				*len = *len * 10 + (*d - '0');
			}
			*text = tab + 1;
			*text_len = (size_t)(end - *text);
			return true;
		}
		p = tab + 1; /* the timestamp */
	}
	return false;
}

int dbl_pg_auth_from_trace(const char *trace, size_t n, long pw_len)
{
	static const char password_message[] = "Unknown message: 70";
	const size_t pm_len = sizeof(password_message) - 1;
	const char *p = trace, *end = trace ? trace + n : NULL;
	long first_len = -1;
	int count = 0;

	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t line_len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *text;
		size_t text_len;
		long len;
		char dir;

		if (trace_line(p, line_len, &dir, &len, &text, &text_len)) {
			if (dir == 'B')
				break;
			if (text_len == pm_len &&
			    memcmp(text, password_message, pm_len) == 0) {
				if (count++ == 0)
					first_len = len;
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (count >= 2)
		return DBL_PG_AUTH_SASL;
	if (count == 0)
		return DBL_PG_AUTH_NONE;
	if (first_len != 40)
		return DBL_PG_AUTH_CLEARTEXT;
	return pw_len >= 0 && pw_len != 35 ? DBL_PG_AUTH_MD5 : DBL_PG_AUTH_NONE;
}
