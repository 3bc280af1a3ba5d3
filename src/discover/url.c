/* Target URL parsing. PostgreSQL URLs go through PQconninfoParse, so
 * everything libpq accepts is accepted and means the same; the MySQL URL
 * form has no library parser, so it is parsed here. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef DBLOOP_WITH_LIBPQ
#include <libpq-fe.h>
#endif
#include "dbloop/clientlib.h"

#include "dbloop/util.h"
#include "util/space.h"
#include "util/textfile.h"
#include "discover/url.h"

#define ENGINE_BIT(e) (1u << (e))

static bool has_scheme(const char *text, const char *scheme)
{
	size_t len = strlen(scheme);
	return strncasecmp(text, scheme, len) == 0 &&
	       strncmp(text + len, "://", 3) == 0;
}

static bool is_pg_url(const char *text)
{
	return has_scheme(text, "postgres") || has_scheme(text, "postgresql");
}

static bool is_my_url(const char *text)
{
	return has_scheme(text, "mysql") || has_scheme(text, "mariadb");
}

static bool is_conninfo(const char *text)
{
	return !strstr(text, "://") && strchr(text, '=');
}

bool dbl_url_is_target(const char *text)
{
	return is_pg_url(text) || is_my_url(text) || has_scheme(text, "tcp") ||
	       is_conninfo(text);
}

int dbl_ssl_mode_from_text(const char *text, enum dbl_ssl_mode *out)
{
	static const struct {
		const char *name;
		enum dbl_ssl_mode mode;
	} names[] = {
		{"disable", DBL_SSL_DISABLE},
		{"disabled", DBL_SSL_DISABLE},
		{"allow", DBL_SSL_PREFER},
		{"prefer", DBL_SSL_PREFER},
		{"preferred", DBL_SSL_PREFER},
		{"require", DBL_SSL_REQUIRE},
		{"required", DBL_SSL_REQUIRE},
		{"verify-ca", DBL_SSL_VERIFY_CA},
		{"verify_ca", DBL_SSL_VERIFY_CA},
		{"verify-full", DBL_SSL_VERIFY_FULL},
		{"verify_identity", DBL_SSL_VERIFY_FULL},
	};
	for (size_t i = 0; text && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(text, names[i].name) == 0) {
			*out = names[i].mode;
			return 0;
		}
	return -DBL_EINVAL;
}

static void endpoint_release(struct dbl_url_endpoint *e)
{
	if (e->password) {
		dbl_secure_zero(e->password, strlen(e->password));
		free(e->password);
	}
	char **fields[] = {&e->host,	&e->hostaddr,	    &e->socket,
			   &e->user,	&e->database,	    &e->ssl_mode,
			   &e->ssl_ca,	&e->ssl_cert,	    &e->ssl_key,
			   &e->service, &e->connect_timeout};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		free(*fields[i]);
	memset(e, 0, sizeof(*e));
}

void dbl_url_release(struct dbl_url *u)
{
	for (size_t i = 0; i < u->n; i++)
		endpoint_release(&u->eps[i]);
	free(u->eps);
	free(u->label);
	memset(u, 0, sizeof(*u));
}

static struct dbl_url_endpoint *add_endpoint(struct dbl_url *u)
{
	struct dbl_url_endpoint *eps =
		realloc(u->eps, (u->n + 1) * sizeof(*eps));
	if (!eps)
		return NULL;
	u->eps = eps;
	memset(&eps[u->n], 0, sizeof(*eps));
	return &eps[u->n++];
}

/* text without its password, escaped and bounded for one line of a
 * message, into buf. */
static const char *shown_target(const char *text, char *buf, size_t len)
{
	char *redacted = dbl_url_redact(text);
	dbl_line_escape(buf, len, redacted ? redacted : "?");
	free(redacted);
	return buf;
}

/* "invalid URL '<redacted>': <why>" into err. */
static int url_error(const char *text, char *err, size_t errlen,
		     const char *why)
{
	char shown[160], reason[200];
	shown_target(text, shown, sizeof(shown));
	/* libpq's reason may quote a piece of the input */
	dbl_line_escape(reason, sizeof(reason), why);
	snprintf(err, errlen, "invalid URL '%s': %s", shown, reason);
	return -DBL_EUSAGE;
}

/* What a password occupies in a target as typed, one mask byte per text
 * byte: SECRET for the password itself, WITH for what goes with it (its
 * key, '=', a separator), which redaction drops and scrubbing keeps. The
 * redactor and the argv scrubber share it, so what one hides the other
 * hides. Where the parsers could read a password more than one way, all
 * are marked: hiding too much is harmless. */
enum { PLAIN = 0, WITH = 1, SECRET = 2 };

static void mark(char *mask, size_t from, size_t to, char what)
{
	for (size_t i = from; i < to; i++)
		if (mask[i] < what)
			mask[i] = what;
}

static int hexval(char c);
static size_t authority_len(const char *auth);

/* libpq's blanks (isspace), which end conninfo keywords and values. */
static const char blanks[] = DBL_SPACE_CHARS;

/* Length of a conninfo value at p as libpq reads it: quoted with \
 * escapes, or a run of non-blanks where \ escapes the next character. */
static size_t conninfo_value_len(const char *p)
{
	const char *s = p;
	bool quoted = *s == '\'';
	for (s += quoted; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (quoted ? *s == '\'' : strchr(blanks, *s) != NULL)
			break;
	}
	return (size_t)(s - p) + (quoted && *s == '\'');
}

/* "password = value" pairs of a conninfo string. */
static void mark_conninfo(const char *text, char *mask)
{
	const char *p = text;
	for (;;) {
		p += strspn(p, blanks);
		if (!*p)
			return;
		size_t key = strcspn(p, DBL_SPACE_CHARS "=");
		const char *eq = p + key + strspn(p + key, blanks);
		if (*eq != '=') { /* not key=value: a word */
			p += key ? key : 1;
			continue;
		}
		const char *val = eq + 1 + strspn(eq + 1, blanks);
		size_t vlen = conninfo_value_len(val);
		if (key == 8 && strncasecmp(p, "password", 8) == 0) {
			mark(mask, (size_t)(p - text), (size_t)(val - text),
			     WITH);
			mark(mask, (size_t)(val - text),
			     (size_t)(val + vlen - text), SECRET);
		}
		p = val + vlen;
	}
}

/* Whether s starts with the key "password" (any case, %XX decoded as
 * libpq does) and '='; *value is what follows. */
static bool password_key(const char *s, const char **value)
{
	for (const char *want = "password"; *want; want++) {
		int c = (unsigned char)*s;
		if (c == '%' && s[1] && s[2] && hexval(s[1]) >= 0 &&
		    hexval(s[2]) >= 0) {
			c = hexval(s[1]) * 16 + hexval(s[2]);
			s += 3;
		} else if (c) {
			s++;
		}
		if (tolower(c) != *want)
			return false;
	}
	*value = s + 1;
	return *s == '=';
}

/* ?password=X and &password=X anywhere (the parsers disagree on where the
 * query starts when '(' or '@' are about), the parameter and one of its
 * separators with it. */
static void mark_query(const char *text, char *mask)
{
	for (const char *p = text; *p; p++) {
		const char *value;
		if ((*p != '?' && *p != '&') || !password_key(p + 1, &value))
			continue;
		size_t end = (size_t)(value - text) + strcspn(value, "&");
		bool first = *p == '?';
		/* "?password=x&a=b" -> "?a=b"; "x?password=y" -> "x" */
		size_t from = (size_t)(p - text) + (first && text[end]);
		size_t to = end + (first && text[end]);
		mark(mask, from, to, WITH);
		mark(mask, (size_t)(value - text), end, SECRET);
	}
}

/* scheme://user:PASSWORD@...: libpq takes the user info up to an '@'
 * before the first '/', our MySQL parser up to the last '@' of an
 * authority in which "(socket)" may hold a '/'; the password from the
 * first ':'. Marks from that ':' to the last '@' of either. */
static void mark_userinfo(const char *text, const char *auth, char *mask)
{
	size_t pg = strcspn(auth, "/"), my = authority_len(auth);
	size_t len = pg > my ? pg : my;
	const char *at = NULL;
	for (const char *p = auth; p < auth + len; p++)
		if (*p == '@')
			at = p;
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (!colon)
		return;
	mark(mask, (size_t)(colon - text), (size_t)(colon + 1 - text), WITH);
	mark(mask, (size_t)(colon + 1 - text), (size_t)(at - text), SECRET);
}

/* The mask of text (caller frees), NULL when out of memory. A string with
 * "://" but no scheme we know is marked both ways: it is shown in an
 * error only. */
static char *secret_mask(const char *text)
{
	size_t len = strlen(text);
	char *mask = calloc(len + 1, 1);
	if (!mask)
		return NULL;
	const char *sep = strstr(text, "://");
	bool url = sep && dbl_url_is_target(text);
	if (sep)
		mark_userinfo(text, sep + 3, mask);
	if (!url)
		mark_conninfo(text, mask);
	mark_query(text, mask);
	return mask;
}

char *dbl_url_redact(const char *text)
{
	char *mask = secret_mask(text);
	if (!mask)
		return NULL;
	struct dbl_buf b = {0};
	for (size_t i = 0, run; text[i]; i += run) {
		run = 1;
		while (text[i + run] && mask[i + run] == mask[i])
			run++;
		if (mask[i] == PLAIN)
			dbl_buf_append(&b, text + i, run);
	}
	free(mask);
	return b.oom ? NULL : b.data ? dbl_buf_detach(&b) : strdup("");
}

int dbl_url_scrub(char *text)
{
	char *mask = secret_mask(text);
	int found = 0;
	if (!mask) { /* cannot tell where: wipe it all */
		memset(text, '*', strlen(text));
		return 1;
	}
	for (size_t i = 0; text[i]; i++) {
		found += mask[i] == SECRET && (i == 0 || mask[i - 1] != SECRET);
		if (mask[i] == SECRET)
			text[i] = '*';
	}
	free(mask);
	return found;
}

bool dbl_url_has_password(const char *text)
{
	char *r = dbl_url_redact(text);
	bool has = r && strcmp(r, text) != 0;
	free(r);
	return has;
}

#ifdef DBLOOP_WITH_LIBPQ
/* Splits a libpq comma list ("h1,h2") into item i of n; NULL for an empty
 * item. Caller frees. */
static char *list_item(const char *list, size_t i)
{
	for (size_t k = 0; list && k < i; k++) {
		list = strchr(list, ',');
		list = list ? list + 1 : NULL;
	}
	if (!list)
		return NULL;
	size_t len = strcspn(list, ",");
	return len ? strndup(list, len) : NULL;
}

static size_t list_count(const char *list)
{
	size_t n = 1;
	for (; list && *list; list++)
		n += *list == ',';
	return n;
}

static const char *opt_value(const PQconninfoOption *opts, const char *key)
{
	for (const PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, key) == 0)
			return o->val && *o->val ? o->val : NULL;
	return NULL;
}

static int pg_endpoint(struct dbl_url *u, const PQconninfoOption *opts,
		       size_t i, size_t n_hosts)
{
	struct dbl_url_endpoint *e = add_endpoint(u);
	if (!e)
		return -DBL_ENOMEM;
	e->engines = ENGINE_BIT(DBL_ENGINE_POSTGRES);
	e->host = list_item(opt_value(opts, "host"), i);
	e->hostaddr = list_item(opt_value(opts, "hostaddr"), i);
	const char *ports = opt_value(opts, "port");
	char *port = list_item(ports, list_count(ports) == 1 ? 0 : i);
	if (port && dbl_parse_port(port, &e->port) < 0) {
		free(port);
		return -DBL_EINVAL;
	}
	free(port);
	static const struct {
		const char *key;
		size_t off;
	} copies[] = {
		{"user", offsetof(struct dbl_url_endpoint, user)},
		{"password", offsetof(struct dbl_url_endpoint, password)},
		{"dbname", offsetof(struct dbl_url_endpoint, database)},
		{"sslmode", offsetof(struct dbl_url_endpoint, ssl_mode)},
		{"sslrootcert", offsetof(struct dbl_url_endpoint, ssl_ca)},
		{"sslcert", offsetof(struct dbl_url_endpoint, ssl_cert)},
		{"sslkey", offsetof(struct dbl_url_endpoint, ssl_key)},
		{"service", offsetof(struct dbl_url_endpoint, service)},
		{"connect_timeout",
		 offsetof(struct dbl_url_endpoint, connect_timeout)},
	};
	for (size_t k = 0; k < sizeof(copies) / sizeof(copies[0]); k++) {
		const char *v = opt_value(opts, copies[k].key);
		char **dst = (char **)((char *)e + copies[k].off);
		if (v && !(*dst = strdup(v)))
			return -DBL_ENOMEM;
	}
	(void)n_hosts;
	return 0;
}

/* libpq's message without its trailing newline and without the quoted URI
 * it may repeat (which could hold a password). */
static void pg_why(const char *msg, char *why, size_t len)
{
	dbl_strlcpy(why, msg ? msg : "cannot parse", len);
	why[strcspn(why, "\n")] = '\0';
	char *quoted = strstr(why, ": \"");
	if (quoted)
		*quoted = '\0';
	char *in_uri = strstr(why, " in URI");
	if (in_uri)
		*in_uri = '\0';
}

static int parse_pg(const char *text, struct dbl_url *u, char *err,
		    size_t errlen)
{
	char *msg = NULL;
	char why_load[256];
	if (dbl_libpq_load(why_load, sizeof(why_load)) < 0)
		return url_error(text, err, errlen, why_load);
	PQconninfoOption *opts = PQconninfoParse(text, &msg);
	if (!opts) {
		char why[256];
		pg_why(msg, why, sizeof(why));
		PQfreemem(msg);
		return url_error(text, err, errlen, why);
	}
	const char *hosts = opt_value(opts, "host");
	const char *addrs = opt_value(opts, "hostaddr");
	const char *ports = opt_value(opts, "port");
	size_t n = list_count(hosts ? hosts : addrs);
	int rc = 0;
	if (ports && list_count(ports) != 1 && list_count(ports) != n)
		rc = url_error(text, err, errlen,
			       "the number of ports does not match the hosts");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = pg_endpoint(u, opts, i, n);
		if (rc == -DBL_EINVAL)
			rc = url_error(text, err, errlen, "invalid port");
	}
	PQconninfoFree(opts);
	return rc;
}
#else
static int parse_pg(const char *text, struct dbl_url *u, char *err,
		    size_t errlen)
{
	(void)u;
	return url_error(text, err, errlen,
			 "PostgreSQL URLs need libpq, which is not built in");
}
#endif

static int hexval(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s[0..len) into a new string; NULL with *bad set when an
 * escape is malformed or decodes to NUL. */
static char *pct_decode(const char *s, size_t len, bool *bad)
{
	char *out = malloc(len + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '%') {
			*o++ = s[i];
			continue;
		}
		int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
		int lo = i + 2 < len ? hexval(s[i + 2]) : -1;
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			*bad = true;
			free(out);
			return NULL;
		}
		*o++ = (char)(hi * 16 + lo);
		i += 2;
	}
	*o = '\0';
	return out;
}

/* Sets *dst to the decoded s[0..len). -DBL_EINVAL for bad escapes. */
static int set_decoded(char **dst, const char *s, size_t len)
{
	bool bad = false;
	free(*dst);
	*dst = pct_decode(s, len, &bad);
	return *dst ? 0 : bad ? -DBL_EINVAL : -DBL_ENOMEM;
}

/* "[::1]:3307", "db:3306", "%2Ftmp%2Fmysql.sock", "(/tmp/mysql.sock)" */
static const char *parse_hostport(struct dbl_url_endpoint *e, const char *s,
				  size_t len)
{
	const char *end = s + len, *port = NULL;
	int rc;
	if (len && *s == '[') {
		const char *close = memchr(s, ']', len);
		if (!close)
			return "unterminated IPv6 address";
		rc = set_decoded(&e->host, s + 1, (size_t)(close - s - 1));
		if (close + 1 < end && close[1] != ':')
			return "junk after IPv6 address";
		port = close + 1 < end ? close + 2 : NULL;
	} else if (len && *s == '(') {
		const char *close = memchr(s, ')', len);
		if (!close)
			return "unterminated socket path";
		rc = set_decoded(&e->socket, s + 1, (size_t)(close - s - 1));
	} else {
		const char *colon = memchr(s, ':', len);
		size_t hlen = colon ? (size_t)(colon - s) : len;
		rc = hlen ? set_decoded(&e->host, s, hlen) : 0;
		port = colon ? colon + 1 : NULL;
	}
	if (rc == -DBL_EINVAL)
		return "invalid percent-encoding";
	if (rc < 0)
		return "out of memory";
	if (e->host && e->host[0] == '/') { /* a percent-encoded socket path */
		free(e->socket);
		e->socket = e->host;
		e->host = NULL;
	}
	if (port) {
		char buf[16];
		size_t plen = (size_t)(end - port);
		if (!plen || plen >= sizeof(buf))
			return "invalid port";
		memcpy(buf, port, plen);
		buf[plen] = '\0';
		if (dbl_parse_port(buf, &e->port) < 0)
			return "invalid port";
	}
	return NULL;
}

static const char *parse_userinfo(struct dbl_url_endpoint *e, const char *s,
				  size_t len)
{
	const char *colon = memchr(s, ':', len);
	size_t ulen = colon ? (size_t)(colon - s) : len;
	int rc = ulen ? set_decoded(&e->user, s, ulen) : 0;
	if (rc == 0 && colon)
		rc = set_decoded(&e->password, colon + 1,
				 (size_t)(s + len - colon - 1));
	return rc == 0 ? NULL : "invalid percent-encoding in the user part";
}

static char **param_slot(struct dbl_url_endpoint *e, const char *key,
			 size_t klen)
{
	static const struct {
		const char *key;
		size_t off;
	} params[] = {
		{"socket", offsetof(struct dbl_url_endpoint, socket)},
		{"ssl-mode", offsetof(struct dbl_url_endpoint, ssl_mode)},
		{"ssl_mode", offsetof(struct dbl_url_endpoint, ssl_mode)},
		{"sslmode", offsetof(struct dbl_url_endpoint, ssl_mode)},
		{"ssl-ca", offsetof(struct dbl_url_endpoint, ssl_ca)},
		{"ssl-cert", offsetof(struct dbl_url_endpoint, ssl_cert)},
		{"ssl-key", offsetof(struct dbl_url_endpoint, ssl_key)},
		{"user", offsetof(struct dbl_url_endpoint, user)},
		{"password", offsetof(struct dbl_url_endpoint, password)},
		{"connect-timeout",
		 offsetof(struct dbl_url_endpoint, connect_timeout)},
	};
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (strlen(params[i].key) == klen &&
		    strncasecmp(params[i].key, key, klen) == 0)
			return (char **)((char *)e + params[i].off);
	return NULL;
}

static const char *parse_query(struct dbl_url_endpoint *e, const char *q)
{
	while (*q) {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);
		if (!eq)
			return "query parameter without a value";
		char **slot = param_slot(e, q, (size_t)(eq - q));
		/* Unknown parameters belong to drivers; ignore them. */
		if (slot &&
		    set_decoded(slot, eq + 1, (size_t)(q + len - eq - 1)) < 0)
			return "invalid percent-encoding in a parameter";
		q += len + (q[len] == '&');
	}
	return NULL;
}

/* mysql://, mariadb:// and tcp:// share the generic URL form:
 * scheme://[user[:password]@]host[:port][/database][?params] */
/* Length of the authority: up to the first '/', '?' or '#' outside a
 * parenthesised socket path. */
static size_t authority_len(const char *auth)
{
	size_t i = 0;
	bool paren = false;
	for (; auth[i]; i++) {
		if (auth[i] == '(' || auth[i] == ')')
			paren = auth[i] == '(';
		else if (!paren && strchr("/?#", auth[i]))
			break;
	}
	return i;
}

static const char *parse_generic(struct dbl_url_endpoint *e, const char *text)
{
	const char *auth = strstr(text, "://") + 3;
	size_t auth_len = authority_len(auth);
	const char *at = NULL;
	for (const char *p = auth; p < auth + auth_len; p++)
		if (*p == '@')
			at = p;
	const char *why = NULL;
	if (at)
		why = parse_userinfo(e, auth, (size_t)(at - auth));
	const char *hp = at ? at + 1 : auth;
	if (!why)
		why = parse_hostport(e, hp, (size_t)(auth + auth_len - hp));
	const char *rest = auth + auth_len;
	if (!why && *rest == '/') {
		size_t dlen = strcspn(rest + 1, "?#");
		if (dlen && set_decoded(&e->database, rest + 1, dlen) < 0)
			why = "invalid percent-encoding in the database";
		rest += 1 + dlen;
	}
	if (!why && *rest == '?')
		why = parse_query(e, rest + 1);
	return why;
}

static int parse_other(const char *text, struct dbl_url *u, char *err,
		       size_t errlen)
{
	struct dbl_url_endpoint *e = add_endpoint(u);
	if (!e)
		return -DBL_ENOMEM;
	bool tcp = has_scheme(text, "tcp");
	e->engines = tcp ? ENGINE_BIT(DBL_ENGINE_POSTGRES) |
				     ENGINE_BIT(DBL_ENGINE_MYSQL)
			 : ENGINE_BIT(DBL_ENGINE_MYSQL);
	e->tcp_only = tcp;
	const char *why = parse_generic(e, text);
	if (!why && tcp && (!e->host || !e->port))
		why = "expected tcp://HOST:PORT";
	if (!why && tcp && (e->user || e->database || e->socket))
		why = "tcp:// takes only HOST:PORT";
	return why ? url_error(text, err, errlen, why) : 0;
}

/* libpq's message for these is long; say what is wrong plainly. */
static const char *precheck(const char *text)
{
	const char *sep = strstr(text, "://");
	if (!sep)
		return NULL;
	const char *auth = sep + 3;
	size_t len = strcspn(auth, "/?#");
	const char *open = memchr(auth, '[', len);
	if (open && !memchr(open, ']', (size_t)(auth + len - open)))
		return "unterminated IPv6 address";
	return NULL;
}

int dbl_url_parse(const char *text, struct dbl_url *out, char *err,
		  size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (!dbl_url_is_target(text)) {
		char shown[160];
		snprintf(err, errlen,
			 "invalid target '%s': expected postgres://, "
			 "postgresql://, mysql://, mariadb:// or tcp://",
			 shown_target(text, shown, sizeof(shown)));
		return -DBL_EUSAGE;
	}
	const char *why = precheck(text);
	int rc = why ? url_error(text, err, errlen, why)
		 : is_pg_url(text) || is_conninfo(text)
			 ? parse_pg(text, out, err, errlen)
			 : parse_other(text, out, err, errlen);
	if (rc == 0 && !(out->label = dbl_url_redact(text)))
		rc = -DBL_ENOMEM;
	if (rc < 0)
		dbl_url_release(out);
	return rc;
}
