/* The readers of the app's configuration files (appconf.h): line-based,
 * bounded, nothing evaluated. Every byte comes from a file the user does
 * not necessarily control; values are copied, never trusted as paths to
 * open. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbloop/clients.h"
#include "discover/appconf.h"
#include "util/textfile.h"

#define LINE_MAX_LEN 4096

static const char *const key_names[DBL_APP__COUNT] = {"host", "port", "socket",
						      "user", "database"};

void dbl_appconf_init(struct dbl_appconf *a)
{
	memset(a, 0, sizeof(*a));
	a->engine = -1;
}

void dbl_appconf_release(struct dbl_appconf *a)
{
	for (int k = 0; k < DBL_APP__COUNT; k++) {
		free(a->v[k].value);
		free(a->v[k].source);
	}
	free(a->engine_source);
	free(a->client);
	free(a->client_source);
	dbl_strlist_release(&a->notes);
	dbl_strlist_release(&a->files);
	dbl_appconf_init(a);
}

static bool is_expr(const char *v)
{
	return strstr(v, "<%") || strstr(v, "${") || strstr(v, "env(") ||
	       strstr(v, "getenv(") || strstr(v, "ENV[");
}

static int set_value(struct dbl_appconf *a, enum dbl_app_key k,
		     const char *value, const char *name, int line)
{
	if (a->v[k].value || !value)
		return 0;
	char *v = strdup(value), *src = dbl_asprintf("%s line %d", name, line);
	if (!v || !src) {
		free(v);
		free(src);
		return -DBL_ENOMEM;
	}
	a->v[k].value = v;
	a->v[k].source = src;
	a->v[k].unknown = is_expr(value);
	if (a->v[k].unknown) {
		char shown[160];
		dbl_line_escape(shown, sizeof(shown), value);
		return dbl_strlist_pushf(&a->notes,
					 "%s line %d: %s is %s, not evaluated",
					 name, line, key_names[k], shown);
	}
	return 0;
}

static int set_engine(struct dbl_appconf *a, int engine, const char *name,
		      int line)
{
	if (a->engine >= 0 || engine < 0)
		return 0;
	a->engine = engine;
	a->engine_source = dbl_asprintf("%s line %d", name, line);
	return a->engine_source ? 0 : -DBL_ENOMEM;
}

/* "mysql2", "pgsql", "postgresql" ... -> engine; -1 when none. */
static int engine_of(const char *s)
{
	static const char *const my[] = {"mysql",     "mysql2",	   "mysqli",
					 "pdo_mysql", "pdo-mysql", "mariadb",
					 "trilogy",   NULL};
	static const char *const pg[] = {"postgres",  "postgresql", "pgsql",
					 "pdo_pgsql", "postgis",    "pg",
					 NULL};
	for (int i = 0; my[i]; i++)
		if (strcasecmp(s, my[i]) == 0)
			return DBL_ENGINE_MYSQL;
	for (int i = 0; pg[i]; i++)
		if (strcasecmp(s, pg[i]) == 0)
			return DBL_ENGINE_POSTGRES;
	return -1;
}

/* Strips one pair of matching quotes and a trailing comment of an unquoted
 * value, in place. */
static char *unquote(char *v)
{
	v = dbl_trim(v);
	size_t n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v[n - 1] = '\0';
		return v + 1;
	}
	if (v[0] != '"' && v[0] != '\'') {
		char *hash = strstr(v, " #");
		if (hash)
			*hash = '\0';
	}
	return dbl_trim(v);
}

static void percent_decode(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '%' && isxdigit((unsigned char)r[1]) &&
		    isxdigit((unsigned char)r[2])) {
			char hex[3] = {r[1], r[2], 0};
			*w++ = (char)strtol(hex, NULL, 16);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* One query parameter of a URL into the settings. */
static int url_param(struct dbl_appconf *a, char *kv, const char *name,
		     int line)
{
	char *eq = strchr(kv, '=');
	if (!eq)
		return 0;
	*eq = '\0';
	char *v = eq + 1;
	percent_decode(v);
	if (!strcasecmp(kv, "socket") || !strcasecmp(kv, "unix_socket") ||
	    !strcasecmp(kv, "localSocket"))
		return set_value(a, DBL_APP_SOCKET, v, name, line);
	if (!strcasecmp(kv, "host"))
		return set_value(a, DBL_APP_HOST, v, name, line);
	if (!strcasecmp(kv, "port"))
		return set_value(a, DBL_APP_PORT, v, name, line);
	if (!strcasecmp(kv, "user") || !strcasecmp(kv, "username"))
		return set_value(a, DBL_APP_USER, v, name, line);
	return 0;
}

/* A connection URL: scheme://[user[:password]@]host[:port][/db][?params],
 * jdbc:-prefixed ones included. The password is never kept. */
static int url_into(struct dbl_appconf *a, const char *url, const char *name,
		    int line, const char *what)
{
	if (is_expr(url))
		return set_value(a, DBL_APP_HOST, url, name, line);
	char buf[LINE_MAX_LEN];
	dbl_strlcpy(buf, url, sizeof(buf));
	char *s = buf;
	bool jdbc = strncasecmp(s, "jdbc:", 5) == 0;
	if (jdbc)
		s += 5;
	char *colon = strchr(s, ':');
	if (!colon)
		return 0;
	*colon = '\0';
	char *scheme = s;
	int engine = engine_of(scheme);
	if (engine < 0)
		return 0;
	int rc = set_engine(a, engine, name, line);
	if (rc == 0 && jdbc && !a->client) {
		const char *c = !strcasecmp(scheme, "mariadb") ? "jdbc-mariadb"
				: !strcasecmp(scheme, "mysql")
					? "jdbc-mysql"
					: "jdbc-postgresql";
		a->client = strdup(c);
		a->client_source =
			dbl_asprintf("%s line %d (%s)", name, line, what);
		if (!a->client || !a->client_source)
			return -DBL_ENOMEM;
	}
	s = colon + 1;
	if (strncmp(s, "//", 2) != 0) /* jdbc:postgresql:db */
		return rc ? rc : set_value(a, DBL_APP_DATABASE, s, name, line);
	s += 2;
	char *query = strchr(s, '?');
	if (query)
		*query++ = '\0';
	char *path = strchr(s, '/');
	if (path)
		*path++ = '\0';
	char *at = strrchr(s, '@');
	char *hostport = s;
	if (at) {
		*at = '\0';
		hostport = at + 1;
		char *pw = strchr(s, ':');
		if (pw)
			*pw = '\0';
		percent_decode(s);
		if (*s && rc == 0)
			rc = set_value(a, DBL_APP_USER, s, name, line);
	}
	char *comma = strchr(hostport, ','); /* several hosts: the first */
	if (comma)
		*comma = '\0';
	char *port = NULL;
	if (hostport[0] == '[') {
		char *end = strchr(hostport, ']');
		if (end) {
			*end = '\0';
			hostport++;
			if (end[1] == ':')
				port = end + 2;
		}
	} else if ((port = strrchr(hostport, ':'))) {
		*port++ = '\0';
	}
	percent_decode(hostport);
	if (rc == 0 && *hostport)
		rc = set_value(a, DBL_APP_HOST, hostport, name, line);
	if (rc == 0 && port && *port)
		rc = set_value(a, DBL_APP_PORT, port, name, line);
	if (rc == 0 && path && *path) {
		percent_decode(path);
		rc = set_value(a, DBL_APP_DATABASE, path, name, line);
	}
	char *save = NULL;
	for (char *kv = query ? strtok_r(query, "&;", &save) : NULL;
	     rc == 0 && kv; kv = strtok_r(NULL, "&;", &save))
		rc = url_param(a, kv, name, line);
	return rc;
}

/* The keys of .env files and compose environments. */
static int env_pair(struct dbl_appconf *a, const char *key, const char *v,
		    const char *name, int line)
{
	static const struct {
		const char *key;
		int k;
	} keys[] = {
		{"DB_HOST", DBL_APP_HOST},
		{"DATABASE_HOST", DBL_APP_HOST},
		{"MYSQL_HOST", DBL_APP_HOST},
		{"PGHOST", DBL_APP_HOST},
		{"POSTGRES_HOST", DBL_APP_HOST},
		{"WORDPRESS_DB_HOST", -2},
		{"DB_PORT", DBL_APP_PORT},
		{"DATABASE_PORT", DBL_APP_PORT},
		{"MYSQL_PORT", DBL_APP_PORT},
		{"PGPORT", DBL_APP_PORT},
		{"POSTGRES_PORT", DBL_APP_PORT},
		{"DB_SOCKET", DBL_APP_SOCKET},
		{"MYSQL_SOCKET", DBL_APP_SOCKET},
		{"DB_DATABASE", DBL_APP_DATABASE},
		{"DB_NAME", DBL_APP_DATABASE},
		{"PGDATABASE", DBL_APP_DATABASE},
		{"DB_USERNAME", DBL_APP_USER},
		{"DB_USER", DBL_APP_USER},
		{"PGUSER", DBL_APP_USER},
	};
	if (!strcmp(key, "DATABASE_URL") || !strcmp(key, "DB_URL") ||
	    !strcmp(key, "SPRING_DATASOURCE_URL"))
		return url_into(a, v, name, line, key);
	if (!strcmp(key, "DB_CONNECTION") || !strcmp(key, "DB_DRIVER"))
		return set_engine(a, engine_of(v), name, line);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(key, keys[i].key) != 0)
			continue;
		if (keys[i].k == -2) { /* WordPress's DB_HOST forms */
			char buf[LINE_MAX_LEN];
			dbl_strlcpy(buf, v, sizeof(buf));
			char *c = strchr(buf, ':');
			int rc = set_engine(a, DBL_ENGINE_MYSQL, name, line);
			if (c && !is_expr(buf)) {
				*c++ = '\0';
				enum dbl_app_key k = *c == '/' ? DBL_APP_SOCKET
							       : DBL_APP_PORT;
				if (rc == 0 && *c)
					rc = set_value(a, k, c, name, line);
			}
			return rc ? rc
				  : set_value(a, DBL_APP_HOST,
					      *buf ? buf : "localhost", name,
					      line);
		}
		return set_value(a, keys[i].k, v, name, line);
	}
	return 0;
}

static bool too_long(const char *line)
{
	return strlen(line) > LINE_MAX_LEN - 1;
}

static int parse_dotenv(struct dbl_appconf *a, const char *name, char *text)
{
	char *cur = text, *line;
	int n = 0, rc = 0;
	while (rc == 0 && (line = dbl_textfile_next_line(&cur))) {
		n++;
		line = dbl_trim(line);
		if (!*line || *line == '#' || too_long(line))
			continue;
		if (!strncmp(line, "export ", 7))
			line = dbl_trim(line + 7);
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		rc = env_pair(a, dbl_trim(line), unquote(eq + 1), name, n);
	}
	return rc;
}

/* -- Rails config/database.yml ------------------------------------------- */

struct yml_entry {
	char section[64];
	char anchor[64]; /* the section's &anchor */
	char merge[64];	 /* its <<: *merge */
	int line;
	char key[32];
	char value[512];
};

static int rails_apply(struct dbl_appconf *a, const char *name,
		       const struct yml_entry *e)
{
	if (!strcmp(e->key, "adapter"))
		return set_engine(a, engine_of(e->value), name, e->line);
	if (!strcmp(e->key, "url"))
		return url_into(a, e->value, name, e->line, "url");
	static const char *const keys[DBL_APP__COUNT] = {
		"host", "port", "socket", "username", "database"};
	for (int k = 0; k < DBL_APP__COUNT; k++)
		if (!strcmp(e->key, keys[k]))
			return set_value(a, k, e->value, name, e->line);
	return 0;
}

#define YML_MAX 256

static int parse_rails(struct dbl_appconf *a, const char *name, char *text)
{
	struct yml_entry *ents = calloc(YML_MAX, sizeof(*ents));
	if (!ents)
		return -DBL_ENOMEM;
	char section[64] = "", anchor[64] = "", merge[64] = "";
	size_t n = 0;
	int lineno = 0, rc = 0;
	char *cur = text, *line;
	while ((line = dbl_textfile_next_line(&cur)) && n < YML_MAX) {
		lineno++;
		if (too_long(line))
			continue;
		char *hash = strstr(line, " #");
		if (hash && !strstr(line, "<%"))
			*hash = '\0';
		bool top = line[0] && !isspace((unsigned char)line[0]);
		char *t = dbl_trim(line);
		if (!*t || *t == '#')
			continue;
		char *colon = strchr(t, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *v = dbl_trim(colon + 1);
		if (top) {
			dbl_strlcpy(section, t, sizeof(section));
			anchor[0] = merge[0] = '\0';
			if (v[0] == '&')
				dbl_strlcpy(anchor, v + 1, sizeof(anchor));
			continue;
		}
		if (!strcmp(t, "<<") && v[0] == '*') {
			dbl_strlcpy(merge, v + 1, sizeof(merge));
			continue;
		}
		struct yml_entry *e = &ents[n++];
		dbl_strlcpy(e->section, section, sizeof(e->section));
		dbl_strlcpy(e->anchor, anchor, sizeof(e->anchor));
		dbl_strlcpy(e->key, t, sizeof(e->key));
		dbl_strlcpy(e->value, unquote(v), sizeof(e->value));
		e->line = lineno;
		/* a later <<: in the same section applies to all of it */
		for (size_t i = 0; i < n; i++)
			if (!strcmp(ents[i].section, section) && merge[0])
				dbl_strlcpy(ents[i].merge, merge,
					    sizeof(ents[i].merge));
	}
	/* The development section (RAILS_ENV is not known here), then what
	 * it merges from its anchor. */
	const char *want = "development";
	char from[64] = "";
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!strcmp(ents[i].section, want)) {
			rc = rails_apply(a, name, &ents[i]);
			if (ents[i].merge[0])
				dbl_strlcpy(from, ents[i].merge, sizeof(from));
		}
	for (size_t i = 0; rc == 0 && from[0] && i < n; i++)
		if (!strcmp(ents[i].anchor, from))
			rc = rails_apply(a, name, &ents[i]);
	if (rc == 0 && n > 0)
		rc = dbl_strlist_pushf(&a->notes,
				       "%s: the development section was read "
				       "(RAILS_ENV is not known to dbloop)",
				       name);
	free(ents);
	return rc;
}

/* -- wp-config.php ----------------------------------------------------------- */

/* The quoted literal starting at *p (after blanks); NULL when p does not
 * start with one. Advances *p past it. */
static char *php_string(char **p)
{
	char *s = *p;
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '\'' && *s != '"')
		return NULL;
	char q = *s++;
	char *end = strchr(s, q);
	if (!end)
		return NULL;
	*end = '\0';
	*p = end + 1;
	return s;
}

static int parse_wp(struct dbl_appconf *a, const char *name, char *text)
{
	char *cur = text, *line;
	int n = 0, rc = set_engine(a, DBL_ENGINE_MYSQL, name, 1);
	while (rc == 0 && (line = dbl_textfile_next_line(&cur))) {
		n++;
		if (too_long(line))
			continue;
		char *d = strstr(line, "define");
		if (!d || (d > line &&
			   (isalnum((unsigned char)d[-1]) || d[-1] == '_')))
			continue;
		char *p = strchr(d, '(');
		if (!p)
			continue;
		p++;
		char *key = php_string(&p);
		if (!key)
			continue;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != ',')
			continue;
		p++;
		char *raw = p;
		char *val = php_string(&p);
		if (!val) { /* getenv('X'), a constant: not evaluated */
			char *close = strrchr(raw, ')');
			if (close)
				*close = '\0';
			val = dbl_trim(raw);
			if (!strcmp(key, "DB_HOST") ||
			    !strcmp(key, "DB_NAME") ||
			    !strcmp(key, "DB_USER")) {
				char shown[160];
				dbl_line_escape(shown, sizeof(shown), val);
				rc = dbl_strlist_pushf(&a->notes,
						       "%s line %d: %s is %s, "
						       "not evaluated",
						       name, n, key, shown);
			}
			continue;
		}
		if (!strcmp(key, "DB_HOST"))
			rc = env_pair(a, "WORDPRESS_DB_HOST", val, name, n);
		else if (!strcmp(key, "DB_NAME"))
			rc = set_value(a, DBL_APP_DATABASE, val, name, n);
		else if (!strcmp(key, "DB_USER"))
			rc = set_value(a, DBL_APP_USER, val, name, n);
	}
	if (rc == 0 && !a->client) {
		a->client = strdup("php-mysqli");
		a->client_source =
			dbl_asprintf("%s (WordPress uses mysqli)", name);
		if (!a->client || !a->client_source)
			rc = -DBL_ENOMEM;
	}
	return rc;
}

/* -- Spring -------------------------------------------------------------------- */

static int parse_spring(struct dbl_appconf *a, const char *name, char *text,
			bool yml)
{
	char *cur = text, *line;
	int n = 0, rc = 0;
	bool in_datasource = !yml;
	while (rc == 0 && (line = dbl_textfile_next_line(&cur))) {
		n++;
		if (too_long(line))
			continue;
		char *t = dbl_trim(line);
		if (!*t || *t == '#' || *t == '!')
			continue;
		char *sep = strpbrk(t, yml ? ":" : "=:");
		if (!sep)
			continue;
		*sep = '\0';
		char *key = dbl_trim(t), *v = unquote(sep + 1);
		if (yml && !strcmp(key, "datasource"))
			in_datasource = true;
		bool url =
			yml ? !strcmp(key, "url") || !strcmp(key, "jdbc-url")
			    : !strcmp(key, "spring.datasource.url") ||
					!strcmp(key,
						"spring.datasource.jdbc-url");
		bool user = yml ? !strcmp(key, "username") && in_datasource
				: !strcmp(key, "spring.datasource.username");
		if (url && !strncasecmp(v, "jdbc:", 5))
			rc = url_into(a, v, name, n, "JDBC URL");
		else if (url && is_expr(v))
			rc = set_value(a, DBL_APP_HOST, v, name, n);
		else if (user)
			rc = set_value(a, DBL_APP_USER, v, name, n);
	}
	return rc;
}

/* -- docker-compose.yml / compose.yaml ------------------------------------------ */

static int parse_compose(struct dbl_appconf *a, const char *name, char *text)
{
	char *cur = text, *line;
	int n = 0, rc = 0, env_indent = -1, svc_indent = -1;
	char service[64] = "";
	bool in_services = false;
	while (rc == 0 && (line = dbl_textfile_next_line(&cur))) {
		n++;
		if (too_long(line))
			continue;
		int indent = 0;
		while (line[indent] == ' ')
			indent++;
		char *t = dbl_trim(line);
		if (!*t || *t == '#')
			continue;
		if (indent == 0) {
			in_services = !strncmp(t, "services:", 9);
			svc_indent = env_indent = -1;
			continue;
		}
		if (env_indent >= 0 && indent <= env_indent)
			env_indent = -1;
		if (in_services && (svc_indent < 0 || indent <= svc_indent) &&
		    t[strlen(t) - 1] == ':') {
			svc_indent = indent;
			dbl_strlcpy(service, t, sizeof(service));
			service[strlen(service) - 1] = '\0';
			env_indent = -1;
			continue;
		}
		if (!strncmp(t, "environment:", 12)) {
			env_indent = indent;
			continue;
		}
		if (env_indent < 0)
			continue;
		if (t[0] == '-')
			t = dbl_trim(t + 1);
		char *sep = strpbrk(t, "=:");
		if (!sep)
			continue;
		*sep = '\0';
		char src[200];
		snprintf(src, sizeof(src), "%s (service %s)", name,
			 service[0] ? service : "?");
		char *key = unquote(t);
		rc = env_pair(a, key, unquote(sep + 1), src, n);
	}
	return rc;
}

/* -- the driver from the dependency files --------------------------------------- */

static int parse_deps(struct dbl_appconf *a, const char *name, char *text)
{
	static const struct {
		const char *needle, *client;
	} guesses[] = {
		{"\"mysql2\"", "node-mysql2"},
		{"\"pg\"", "node-pg"},
		{"ext-mysqli", "php-mysqli"},
		{"ext-pdo_mysql", "php-pdo-mysql"},
		{"ext-pdo_pgsql", "php-pdo-pgsql"},
		{"laravel/framework", "php-pdo-mysql"},
		{"doctrine/dbal", "php-pdo-mysql"},
		{"doctrine/orm", "php-pdo-mysql"},
		{"mysqlclient", "python-mysqlclient"},
		{"pymysql", "python-pymysql"},
		{"psycopg", "python-psycopg"},
		{"github.com/go-sql-driver/mysql", "go-mysql"},
		{"github.com/jackc/pgx", "go-pgx"},
		{"github.com/lib/pq", "go-pq"},
		{"'mysql2'", "ruby-mysql2"},
		{"\"mysql2\"", "ruby-mysql2"},
		{"'pg'", "ruby-pg"},
		{"mariadb-java-client", "jdbc-mariadb"},
		{"mysql-connector", "jdbc-mysql"},
		{"org.postgresql", "jdbc-postgresql"},
	};
	bool ruby = strstr(name, "Gemfile") != NULL;
	char *cur = text, *line;
	int n = 0;
	while ((line = dbl_textfile_next_line(&cur))) {
		n++;
		if (too_long(line))
			continue;
		for (size_t i = 0; i < sizeof(guesses) / sizeof(guesses[0]);
		     i++) {
			const char *c = guesses[i].client;
			if (ruby != !strncmp(c, "ruby-", 5))
				continue;
			if (!strcasestr(line, guesses[i].needle))
				continue;
			const struct dbl_client *row = dbl_client_find(c);
			int e = row ? (int)row->engine
				: strncmp(c, "jdbc-mysql", 10) == 0
					? DBL_ENGINE_MYSQL
					: -1;
			if (a->engine >= 0 && e >= 0 && e != a->engine)
				continue;
			if (a->client)
				return 0;
			a->client = strdup(c);
			a->client_source = dbl_asprintf("%s line %d", name, n);
			return a->client && a->client_source ? 0 : -DBL_ENOMEM;
		}
	}
	return 0;
}

int dbl_appconf_parse(struct dbl_appconf *a, enum dbl_appconf_kind kind,
		      const char *name, char *text)
{
	switch (kind) {
	case DBL_APPCONF_DOTENV:
		return parse_dotenv(a, name, text);
	case DBL_APPCONF_RAILS_YML:
		return parse_rails(a, name, text);
	case DBL_APPCONF_WP_CONFIG:
		return parse_wp(a, name, text);
	case DBL_APPCONF_SPRING_PROPERTIES:
		return parse_spring(a, name, text, false);
	case DBL_APPCONF_SPRING_YML:
		return parse_spring(a, name, text, true);
	case DBL_APPCONF_COMPOSE:
		return parse_compose(a, name, text);
	case DBL_APPCONF_DEPS:
		return parse_deps(a, name, text);
	default:
		return 0;
	}
}
