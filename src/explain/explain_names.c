/* dbloop explain: the server's host and port, the user and the database a
 * message names, in the forms the clients print them: libpq's
 * `server at "h", port p` and `for user "u"`, key=value DSNs (pgx, DBI),
 * MySQL's `server on 'h'` and `'u'@'h'`, Node's `ECONNREFUSED h:p`, Go's
 * `dial tcp h:p`, JDBC's `Connection to h:p refused`, Prisma's
 * `` `h`:`p` ``. Values are copied from the text as written. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain_int.h"

/* Copies the token at offset at of raw into out: a quoted value up to its
 * closing quote (JSON's \" included), else up to a space or punctuation. */
static void token_at(const struct dbl_xscan *s, size_t at, char *out,
		     size_t cap)
{
	const char *p = s->raw + at;
	while (*p == '\\')
		p++;
	char quote = (*p == '"' || *p == '\'' || *p == '`') ? *p++ : 0;
	size_t n = 0;
	while (p[n] && n + 1 < cap) {
		char c = p[n];
		if (quote ? (c == quote || c == '\\')
			  : (isspace((unsigned char)c) ||
			     strchr(",;)\"'`", c) ||
			     (unsigned char)c == 0xc2)) /* « » */
			break;
		n++;
	}
	while (!quote && n > 0 && (p[n - 1] == ':' || p[n - 1] == '.'))
		n--; /* "dial tcp h:p: connect", "refused at h." */
	memcpy(out, p, n);
	out[n] = '\0';
}

/* The token after the first marker of a list that occurs, or false. */
static bool value_after(const struct dbl_xscan *s, const char *const *marks,
			size_t n_marks, char *out, size_t cap)
{
	for (size_t i = 0; i < n_marks; i++) {
		const char *p = strstr(s->low, marks[i]);
		if (!p)
			continue;
		token_at(s, (size_t)(p - s->low) + strlen(marks[i]), out, cap);
		if (out[0])
			return true;
	}
	return false;
}

static int port_value(const char *p)
{
	if (!isdigit((unsigned char)*p))
		return 0;
	long v = strtol(p, NULL, 10);
	/* 53 is the resolver's port ("lookup db on 10.0.0.1:53"). */
	return v > 0 && v < 65536 && v != 53 ? (int)v : 0;
}

/* "h:p", "[v6]:p", "::1:p": moves the port out of host into s->port. */
static void split_port(struct dbl_xscan *s, char *host)
{
	char *colon = strrchr(host, ':');
	if (!colon || !port_value(colon + 1))
		return;
	if (strchr(host, ':') != colon && host[0] != '[' &&
	    strncmp(host, "::", 2) != 0)
		return; /* a bare IPv6 address, no port */
	if (!s->port)
		s->port = port_value(colon + 1);
	*colon = '\0';
	size_t n = strlen(host);
	if (host[0] == '[' && n > 1 && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
}

struct host_mark {
	const char *mark;
	bool needs_port; /* only an "h:p" token is a host after it */
};

static const struct host_mark host_marks[] = {
	{"server at \"", false},
	{"on host \"", false},
	{"`host=", false},
	{"'host=", false},
	{";host=", false},
	{" host=", false},
	{"server at `", false},
	{"server is running at `", false},
	{"server on '", false},
	{"server host '", false},
	{"resolve host '", false},
	{"host name \"", false},
	{"enotfound ", false},
	{"unknownhostexception: ", false},
	{"lookup ", false},
	{"econnrefused ", true},
	{"etimedout ", true},
	{"dial tcp ", true},
	{"connection to ", true},
	{"server auf \xc2\xbb", false},
	{"serveur \xc2\xab ", false},
};

/* The host after one mark, port split off; false when it does not fit. */
static bool host_after(struct dbl_xscan *s, const struct host_mark *m,
		       char *buf, size_t cap)
{
	const char *p = strstr(s->low, m->mark);
	if (!p)
		return false;
	token_at(s, (size_t)(p - s->low) + strlen(m->mark), buf, cap);
	int had = s->port;
	s->port = 0;
	split_port(s, buf);
	bool ported = s->port != 0;
	bool ok = buf[0] && !strchr(buf, '=') && (!m->needs_port || ported);
	if (had || !ok)
		s->port = had;
	return ok;
}

/* "h:p" elsewhere in the text gives the port of a host found bare. */
static void port_beside_host(struct dbl_xscan *s)
{
	char key[sizeof(s->host) + 2];
	size_t n = strlen(s->host);
	for (size_t i = 0; i < n; i++)
		key[i] = (char)tolower((unsigned char)s->host[i]);
	key[n] = ':';
	key[n + 1] = '\0';
	const char *p = strstr(s->low, key);
	if (p && !s->port)
		s->port = port_value(p + n + 1);
}

/* The port of an "h:p" after a mark that takes one, when the host came
 * from elsewhere ("host=db ... dial tcp 172.19.0.3:5432"). */
static void port_after_marks(struct dbl_xscan *s)
{
	char buf[sizeof(s->host)];
	for (size_t i = 0;
	     !s->port && i < sizeof(host_marks) / sizeof(host_marks[0]); i++)
		if (host_marks[i].needs_port)
			host_after(s, &host_marks[i], buf, sizeof(buf));
}

static void find_host(struct dbl_xscan *s)
{
	char buf[sizeof(s->host)];
	for (size_t i = 0; i < sizeof(host_marks) / sizeof(host_marks[0]);
	     i++) {
		if (host_after(s, &host_marks[i], buf, sizeof(buf))) {
			memcpy(s->host, buf, sizeof(buf));
			port_beside_host(s);
			return;
		}
	}
}

static const char *const port_marks[] = {
	"port ",      "port=",	    "port: ", "`:`", "]:",
	"127.0.0.1:", "localhost:", "::1:",   " -p", " -p ",
};

static void find_port(struct dbl_xscan *s)
{
	for (size_t i = 0;
	     !s->port && i < sizeof(port_marks) / sizeof(port_marks[0]); i++)
		for (const char *p = s->low;
		     !s->port && (p = strstr(p, port_marks[i])); p++)
			s->port = port_value(p + strlen(port_marks[i]));
}

static const char *const user_marks[] = {
	"for user \"",
	"for user \\\"",
	"user \"",
	"user=",
	"for user '",
	"access denied for user '",
	"credentials for `",
	"role \"",
	"role \\\"",
	" -u ",
	"user: ",
};

static void find_user(struct dbl_xscan *s)
{
	if (value_after(s, user_marks, sizeof(user_marks) / sizeof(*user_marks),
			s->user, sizeof(s->user)))
		return;
	/* Perl DBI: connect('dsn','user',...) */
	const char *p = strstr(s->low, "connect('");
	p = p ? strstr(p, "','") : NULL;
	if (p)
		token_at(s, (size_t)(p - s->low) + 2, s->user, sizeof(s->user));
}

static const char *const db_marks[] = {
	"database \"",	      "database=",     "dbname=",
	"unknown database '", "to database '",
};

static void find_db(struct dbl_xscan *s)
{
	value_after(s, db_marks, sizeof(db_marks) / sizeof(*db_marks), s->db,
		    sizeof(s->db));
}

void dbl_xscan_names(struct dbl_xscan *s)
{
	find_host(s);
	port_after_marks(s);
	find_port(s);
	find_user(s);
	find_db(s);
}
