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
