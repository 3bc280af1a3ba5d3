/* MySQL/MariaDB greeting parsers and the first-bytes protocol sniff. No
 * I/O here; a cursor walks the payload and refuses to step past its end. */
#include <string.h>

#include "dbloop/util.h"
#include "probes/wire_mysql.h"

#define CLIENT_SECURE_CONNECTION 0x8000u
#define CLIENT_PLUGIN_AUTH 0x80000u

struct cursor {
	const uint8_t *p;
	size_t left;
};

static bool take(struct cursor *c, size_t n, const uint8_t **out)
{
	if (c->left < n)
		return false;
	if (out)
		*out = c->p;
	c->p += n;
	c->left -= n;
	return true;
}

/* A NUL-terminated string; at the very end of the payload the NUL may be
 * missing (old servers omit it after the plugin name). */
static bool take_cstr(struct cursor *c, char *dst, size_t dst_size,
		      bool nul_optional)
{
	const uint8_t *end = memchr(c->p, '\0', c->left);
	size_t len = end ? (size_t)(end - c->p) : c->left;

	if (!end && !nul_optional)
		return false;
	if (dst_size) {
		size_t k = len < dst_size - 1 ? len : dst_size - 1;
		memcpy(dst, c->p, k);
		dst[k] = '\0';
	}
	return take(c, end ? len + 1 : len, NULL);
}

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

int dbl_mysql_parse_header(const uint8_t *buf, size_t n, uint32_t *len,
			   uint8_t *seq)
{
	if (n < DBL_MYSQL_HEADER_LEN)
		return -DBL_EINVAL;
	*len = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 |
	       (uint32_t)buf[2] << 16;
	*seq = buf[3];
	return 0;
}

/* The part after the lower capability flags, present on every server
 * since 4.1. */
static bool parse_handshake_tail(struct cursor *c, struct dbl_mysql_greeting *g)
{
	const uint8_t *f;
	uint8_t auth_len;

	if (!take(c, 1 + 2, NULL) || !take(c, 2, &f)) /* charset, status */
		return false;
	g->capabilities |= le16(f) << 16;
	g->tls_offered = (g->capabilities & DBL_MYSQL_CLIENT_SSL) != 0;
	if (!take(c, 1, &f) || !take(c, 10, NULL)) /* reserved / MariaDB caps */
		return false;
	auth_len = f[0];
	if (g->capabilities & CLIENT_SECURE_CONNECTION) {
		size_t part2 = auth_len > 8 ? (size_t)auth_len - 8 : 0;
		if (!take(c, part2 > 13 ? part2 : 13, NULL))
			return false;
	}
	if ((g->capabilities & CLIENT_PLUGIN_AUTH) && c->left)
		return take_cstr(c, g->auth_plugin, sizeof(g->auth_plugin),
				 true);
	return true;
}

int dbl_mysql_parse_handshake(const uint8_t *payload, size_t n,
			      struct dbl_mysql_greeting *g)
{
	struct cursor c = {payload, n};
	const uint8_t *f;
	char version[sizeof(g->server_version)];

	if (!take(&c, 1, &f) || f[0] != 10)
		return -DBL_EINVAL;
	if (!take_cstr(&c, version, sizeof(version), false) || !version[0])
		return -DBL_EINVAL;
	g->protocol_version = 10;
	/* MariaDB 10+ prefixes "5.5.5-" for old clients: drop it. */
	dbl_strlcpy(g->server_version,
		    strncmp(version, "5.5.5-", 6) == 0 ? version + 6 : version,
		    sizeof(g->server_version));
	if (!take(&c, 4, &f))
		return -DBL_EINVAL;
	g->connection_id = le16(f) | le16(f + 2) << 16;
	if (!take(&c, 8 + 1, NULL) || !take(&c, 2, &f)) /* scramble, filler */
		return -DBL_EINVAL;
	g->capabilities = le16(f);
	g->tls_offered = (g->capabilities & DBL_MYSQL_CLIENT_SSL) != 0;
	if (c.left && !parse_handshake_tail(&c, g))
		return -DBL_EINVAL;
	g->seen = true;
	return 0;
}

int dbl_mysql_parse_error(const uint8_t *payload, size_t n,
			  struct dbl_mysql_greeting *g, char *sqlstate)
{
	struct cursor c = {payload, n};
	const uint8_t *f;
	size_t k;

	if (!take(&c, 1, &f) || f[0] != 0xff || !take(&c, 2, &f))
		return -DBL_EINVAL;
	g->error_code = (int)le16(f);
	if (c.left >= 6 && c.p[0] == '#') {
		if (sqlstate) {
			memcpy(sqlstate, c.p + 1, 5);
			sqlstate[5] = '\0';
		}
		take(&c, 6, NULL);
	}
	k = c.left < sizeof(g->error_message) - 1
		    ? c.left
		    : sizeof(g->error_message) - 1;
	memcpy(g->error_message, c.p, k);
	g->error_message[k] = '\0';
	return 0;
}

int dbl_mysql_parse_greeting(const uint8_t *buf, size_t n,
			     struct dbl_mysql_greeting *g, char *sqlstate)
{
	uint32_t len;
	uint8_t seq;

	if (n < DBL_MYSQL_HEADER_LEN + 1)
		return 0;
	dbl_mysql_parse_header(buf, n, &len, &seq);
	if (seq != 0 || len == 0 || len > DBL_MYSQL_GREET_MAX ||
	    (buf[4] != 10 && buf[4] != 0xff))
		return -DBL_EINVAL;
	if (n - DBL_MYSQL_HEADER_LEN < len)
		return 0;
	if (buf[4] == 0xff)
		return dbl_mysql_parse_error(buf + 4, len, g, sqlstate) < 0
			       ? -DBL_EINVAL
			       : 0xff;
	return dbl_mysql_parse_handshake(buf + 4, len, g) < 0 ? -DBL_EINVAL
							      : 10;
}

/* A MySQL packet header with sequence 0 whose payload starts like a
 * handshake v10 or an error packet. */
static bool looks_mysql(const uint8_t *b, size_t n)
{
	return n >= 5 && b[3] == 0 && (b[4] == 10 || b[4] == 0xff) &&
	       (b[0] | b[1] | b[2]) != 0;
}

/* 'E' or 'R' followed by a plausible int32 length. */
static bool looks_pg_message(const uint8_t *b, size_t n)
{
	if (n < 5 || (b[0] != 'E' && b[0] != 'R'))
		return false;
	uint32_t len = (uint32_t)b[1] << 24 | (uint32_t)b[2] << 16 |
		       (uint32_t)b[3] << 8 | b[4];
	return len >= 8 && len <= 65536;
}

enum dbl_protocol dbl_wire_sniff(const uint8_t *b, size_t n)
{
	if (n == 0)
		return DBL_PROTO_CLOSED;
	if (looks_mysql(b, n))
		return DBL_PROTO_MYSQL;
	if (n == 1 && (b[0] == 'S' || b[0] == 'N'))
		return DBL_PROTO_POSTGRES;
	if (looks_pg_message(b, n))
		return DBL_PROTO_POSTGRES;
	if (n >= 2 && b[0] >= 0x14 && b[0] <= 0x17 && b[1] == 0x03)
		return DBL_PROTO_TLS;
	if (n >= 5 && memcmp(b, "HTTP/", 5) == 0)
		return DBL_PROTO_HTTP;
	return DBL_PROTO_UNKNOWN;
}

int dbl_mysql_wrapped_error(const char *msg)
{
	for (const char *p = msg; p && (p = strstr(p, " - ")) != NULL; p++) {
		const char *d = p;
		while (d > msg && d[-1] >= '0' && d[-1] <= '9')
			d--;
		if (p - d == 4 && (d == msg || d[-1] == ' '))
			return (d[0] - '0') * 1000 + (d[1] - '0') * 100 +
			       (d[2] - '0') * 10 + (d[3] - '0');
	}
	return 0;
}

int dbl_mysql_trailing_errno(const char *msg)
{
	const char *open = msg ? strrchr(msg, '(') : NULL;
	long v = 0;
	const char *d = open ? open + 1 : NULL;

	for (; d && *d >= '0' && *d <= '9' && v < 4096; d++)
		v = v * 10 + (*d - '0');
	if (!d || d == open + 1 || d[0] != ')' || d[1] != '\0')
		return 0;
	return v > 0 && v < 4096 ? (int)v : 0;
}
