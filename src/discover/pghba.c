/* pg_hba.conf: tokenising as hba.c does (quotes, comma lists, continued
 * lines), include directives, and a pure first-match evaluator. */
#include <arpa/inet.h>
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbloop/common.h"
#include "discover/includes.h"
#include "discover/pghba.h"
#include "util/space.h"
#include "util/textfile.h"

#define MAX_FIELDS 16

struct hba_line {
	const char *path;
	int lineno;
	char *fields[MAX_FIELDS];
	int n;
};

/* One dbl_hba_read: where rules go, and the include guard. */
struct hba_reading {
	struct dbl_pg_server_conf *c;
	struct dbl_includes includes;
};

/* Splits a line into fields in place. A field is a run of non-blank
 * characters; quotes keep blanks and '#'; a trailing comma joins the next
 * token into the same list. */
static void tokenise(char *line, struct hba_line *hl)
{
	char *in = line, *out = line;
	hl->n = 0;
	while (*in && hl->n < MAX_FIELDS) {
		in += dbl_space_span(in);
		if (!*in || *in == '#')
			break;
		char *start = out;
		bool quoted = false;
		/* Every turn consumes exactly the byte at in: a blank after
		 * a comma is dropped one byte at a time, never stepped over
		 * with a count that could be 0. */
		for (; *in; in++) {
			if (*in == '"')
				quoted = !quoted;
			else if (!quoted && *in == '#')
				break;
			else if (!quoted && dbl_is_space((unsigned char)*in)) {
				if (out > start && out[-1] == ',')
					continue; /* "a, b" is the list "a,b" */
				break;
			}
			*out++ = *in;
		}
		bool at_comment = *in == '#';
		if (*in && !at_comment)
			in++;
		*out++ = '\0';
		hl->fields[hl->n++] = start;
		if (at_comment)
			break;
	}
}

static const char *const hba_types[] = {
	"local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc"};

static bool known_type(const char *t)
{
	for (size_t i = 0; i < sizeof(hba_types) / sizeof(hba_types[0]); i++)
		if (strcmp(t, hba_types[i]) == 0)
			return true;
	return false;
}

static bool looks_like_mask(const char *s)
{
	unsigned char buf[16];
	return inet_pton(AF_INET, s, buf) == 1 ||
	       inet_pton(AF_INET6, s, buf) == 1;
}

static int add_rule(struct dbl_pg_server_conf *c, const struct hba_line *hl,
		    const char *raw)
{
	bool local = strcmp(hl->fields[0], "local") == 0;
	int addr_fields = local ? 0 : 1;
	if (!local && hl->n > 4 && !strchr(hl->fields[3], '/') &&
	    looks_like_mask(hl->fields[4]) && hl->n > 5)
		addr_fields = 2; /* "127.0.0.1 255.255.255.255" */
	int method_at = 3 + addr_fields;
	if (hl->n <= method_at)
		return 1;
	struct dbl_hba_rule *rules =
		realloc(c->hba, (c->n_hba + 1) * sizeof(*rules));
	if (!rules)
		return -DBL_ENOMEM;
	c->hba = rules;
	struct dbl_hba_rule *r = &rules[c->n_hba++];
	memset(r, 0, sizeof(*r));
	r->file = strdup(hl->path);
	r->line = hl->lineno;
	r->type = strdup(hl->fields[0]);
	r->database = strdup(hl->fields[1]);
	r->user = strdup(hl->fields[2]);
	if (addr_fields == 2)
		r->address =
			dbl_asprintf("%s %s", hl->fields[3], hl->fields[4]);
	else if (addr_fields == 1)
		r->address = strdup(hl->fields[3]);
	r->method = strdup(hl->fields[method_at]);
	r->raw = strdup(raw);
	if (!r->file || !r->type || !r->database || !r->user ||
	    (addr_fields && !r->address) || !r->method || !r->raw)
		return -DBL_ENOMEM;
	return 0;
}

static int read_hba(void *ctx, const char *path, struct dbl_strlist *w);

static int include(struct hba_reading *rd, const struct hba_line *hl,
		   struct dbl_strlist *w)
{
	char *arg = hl->fields[1];
	size_t len = strlen(arg);
	if (len > 1 && arg[0] == '"' && arg[len - 1] == '"') {
		arg[len - 1] = '\0';
		arg++;
	}
	struct dbl_includes_reader r = {read_hba, rd, &rd->includes};
	return dbl_includes_pg_directive(&r, hl->fields[0], arg, hl->path,
					 hl->lineno, w);
}

static int hba_line(struct hba_reading *rd, struct hba_line *hl, char *line,
		    struct dbl_strlist *w)
{
	char raw[512];
	char *hash = strchr(line, '#');
	size_t rawlen = hash ? (size_t)(hash - line) : strlen(line);
	if (rawlen >= sizeof(raw))
		rawlen = sizeof(raw) - 1;
	memcpy(raw, line, rawlen);
	raw[rawlen] = '\0';
	tokenise(line, hl);
	if (hl->n == 0)
		return 0;
	if (hl->n == 2 && (strcmp(hl->fields[0], "include") == 0 ||
			   strcmp(hl->fields[0], "include_if_exists") == 0 ||
			   strcmp(hl->fields[0], "include_dir") == 0))
		return include(rd, hl, w);
	int rc = known_type(hl->fields[0]) ? add_rule(rd->c, hl, dbl_trim(raw))
					   : 1;
	if (rc == 1)
		return dbl_warn(w, "%s line %d: malformed line ignored",
				hl->path, hl->lineno);
	return rc;
}

static int read_hba(void *ctx, const char *path, struct dbl_strlist *w)
{
	struct hba_reading *rd = ctx;
	char *text = NULL;
	int rc = dbl_textfile_read(path, w, &text, NULL);
	if (rc < 0)
		return rc;
	struct hba_line hl = {.path = path};
	struct dbl_buf joined = {0};
	char *cursor = text, *line;
	int lineno = 0;
	while (rc == 0 && (line = dbl_textfile_next_line(&cursor))) {
		lineno++;
		if (!joined.len)
			hl.lineno = lineno;
		size_t len = strlen(line);
		bool more = len && line[len - 1] == '\\';
		dbl_buf_append(&joined, line, more ? len - 1 : len);
		if (more && *cursor)
			continue;
		if (joined.oom)
			rc = -DBL_ENOMEM;
		else if (joined.len)
			rc = hba_line(rd, &hl, joined.data, w);
		joined.len = 0;
	}
	dbl_buf_release(&joined);
	free(text);
	return rc;
}

int dbl_hba_read(struct dbl_pg_server_conf *c, const char *path,
		 struct dbl_strlist *warnings)
{
	struct hba_reading rd = {.c = c};
	struct dbl_includes_reader r = {read_hba, &rd, &rd.includes};
	return dbl_includes_read_top(&r, path, warnings);
}

/* Next element of a comma list; *quoted tells a literal "all" from the
 * keyword. Modifies the copy in place. */
static char *next_elem(char **p, bool *quoted)
{
	char *s = *p;
	if (!s || !*s)
		return NULL;
	*quoted = *s == '"';
	char *out = s, *in = s;
	bool inq = false;
	for (; *in; in++) {
		if (*in == '"') {
			inq = !inq;
			continue;
		}
		if (!inq && *in == ',')
			break;
		*out++ = *in;
	}
	*p = *in ? in + 1 : NULL;
	*out = '\0';
	return s;
}

static bool regex_matches(const char *pattern, const char *s)
{
	regex_t re;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	bool m = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return m;
}

/* kind 'd': database field, 'u': user field. */
static bool list_matches(const char *field, char kind, const char *name,
			 const char *user)
{
	char copy[512];
	if (!name || dbl_strlcpy(copy, field, sizeof(copy)) >= sizeof(copy))
		return false;
	char *p = copy, *e;
	bool quoted;
	while ((e = next_elem(&p, &quoted))) {
		if (quoted) {
			if (strcmp(e, name) == 0)
				return true;
		} else if (strcmp(e, "all") == 0) {
			return true;
		} else if (kind == 'd' && strcmp(e, "sameuser") == 0) {
			if (user && strcmp(name, user) == 0)
				return true;
		} else if (e[0] == '/' && e[1]) {
			if (regex_matches(e + 1, name))
				return true;
		} else if (e[0] == '+' || e[0] == '@' ||
			   strcmp(e, "samerole") == 0 ||
			   strcmp(e, "samegroup") == 0 ||
			   strcmp(e, "replication") == 0) {
			continue; /* unknowable here, or not this connection */
		} else if (strcmp(e, name) == 0) {
			return true;
		}
	}
	return false;
}

static bool prefix_equal(const unsigned char *a, const unsigned char *b,
			 int bits)
{
	int bytes = bits / 8, rest = bits % 8;
	if (memcmp(a, b, (size_t)bytes) != 0)
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[bytes] & mask) == (b[bytes] & mask);
}

/* Prefix length of a netmask (255.255.255.0 -> 24); -1 if not contiguous. */
static int mask_bits(const unsigned char *m, int len)
{
	int bits = 0;
	for (int i = 0; i < len * 8; i++) {
		bool set = m[i / 8] & (0x80 >> (i % 8));
		if (set && bits != i)
			return -1;
		bits += set;
	}
	return bits;
}

static bool cidr_matches(const char *spec, int family,
			 const unsigned char *client)
{
	char net[128];
	if (dbl_strlcpy(net, spec, sizeof(net)) >= sizeof(net))
		return false;
	int len = family == AF_INET ? 4 : 16;
	char *slash = strchr(net, '/'), *space = strchr(net, ' ');
	char *sep = slash ? slash : space;
	if (sep)
		*sep = '\0';
	unsigned char addr[16], mask[16];
	if (inet_pton(family, net, addr) != 1)
		return false; /* other family, or a host name */
	int bits = len * 8;
	if (slash) {
		char *end;
		long b = strtol(slash + 1, &end, 10);
		if (*end || b < 0 || b > len * 8)
			return false;
		bits = (int)b;
	} else if (space) {
		if (inet_pton(family, space + 1, mask) != 1 ||
		    (bits = mask_bits(mask, len)) < 0)
			return false;
	}
	return prefix_equal(addr, client, bits);
}

static bool address_matches(const char *spec, const char *client)
{
	unsigned char raw[16];
	int family = inet_pton(AF_INET, client, raw) == 1    ? AF_INET
		     : inet_pton(AF_INET6, client, raw) == 1 ? AF_INET6
							     : 0;
	if (!family)
		return false;
	static const unsigned char v6_loop[16] = {[15] = 1};
	bool loopback = family == AF_INET ? raw[0] == 127
					  : memcmp(raw, v6_loop, 16) == 0;
	if (strcmp(spec, "all") == 0)
		return true;
	/* Loopback addresses are on this host and on lo's own network. */
	if (strcmp(spec, "samehost") == 0 || strcmp(spec, "samenet") == 0)
		return loopback;
	if (strcasecmp(spec, "localhost") == 0)
		return loopback; /* reverse and forward lookups agree on lo */
	return cidr_matches(spec, family, raw);
}

bool dbl_hba_type_matches(const char *type, bool local, bool ssl)
{
	if (!type)
		return false;
	if (strcmp(type, "local") == 0)
		return local;
	if (local)
		return false;
	if (strcmp(type, "host") == 0 || strcmp(type, "hostnogssenc") == 0)
		return true;
	if (strcmp(type, "hostssl") == 0)
		return ssl;
	if (strcmp(type, "hostnossl") == 0)
		return !ssl;
	return false; /* hostgssenc */
}

const struct dbl_hba_rule *dbl_hba_match(const struct dbl_pg_server_conf *c,
					 enum dbl_transport t,
					 const char *client_addr,
					 const char *user, const char *database,
					 bool ssl)
{
	if (!c || !user)
		return NULL;
	if (!database)
		database = user;
	if (!client_addr)
		client_addr = t == DBL_TRANSPORT_TCP6 ? "::1" : "127.0.0.1";
	for (size_t i = 0; i < c->n_hba; i++) {
		const struct dbl_hba_rule *r = &c->hba[i];
		if (!dbl_hba_type_matches(r->type, t == DBL_TRANSPORT_UNIX,
					  ssl) ||
		    !list_matches(r->database, 'd', database, user) ||
		    !list_matches(r->user, 'u', user, user))
			continue;
		if (t != DBL_TRANSPORT_UNIX &&
		    (!r->address || !address_matches(r->address, client_addr)))
			continue;
		return r;
	}
	return NULL;
}
