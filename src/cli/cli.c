/* Option parser of `dbloop diagnose` and `dbloop wait`: their option
 * tables (parse_options.h) and what each option does.
 *
 * TARGETs may sit between options and a "--" is seen where it stands: for
 * wait, what follows it is the command to exec. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/parse_options.h"
#include "dbloop/common.h"
#include "dbloop/util.h"
#include "cli/prompt.h"
#include "util/signals.h"
#include "util/textfile.h"
#include "discover/url.h"
#include "dbloop/clients.h"

enum {
	OPT_PASSWORD_ENV = 256,
	OPT_PASSWORD_FILE,
	OPT_SSL_MODE,
	OPT_SSL_CA,
	OPT_SSL_CERT,
	OPT_SSL_KEY,
	OPT_DEFAULTS_FILE,
	OPT_DEFAULTS_EXTRA_FILE,
	OPT_NO_DEFAULTS,
	OPT_STAGE,
	OPT_TRANSPORTS,
	OPT_REQUIRE,
	OPT_REDACT,
	OPT_COLOR,
	OPT_INTERVAL,
	OPT_WAIT_TIMEOUT,
	OPT_HEALTHCHECK,
	OPT_CLIENT,
	OPT_APP,
};

#define N DBL_COMPLETE_NONE
#define C DBL_COMPLETE_CHOICES
#define F DBL_COMPLETE_FILE
#define TRANSPORT_WORDS "unix tcp4 tcp6 localhost host"

/* The options of diagnose and wait; then each one's own. */
static const struct dbl_opt common_opts[] = {
	DBL_OPT_GROUP("Target:"),
	{'e', 'e', "engine", "postgres|mysql|all",
	 "engine(s) when no URL says so", C, "postgres mysql all", DBL_OPT_LIST,
	 NULL},
	{'H', 'H', "host", "NAME", "default localhost (all local transports)",
	 N, NULL, 0, NULL},
	{'P', 'P', "port", "[ENGINE=]N",
	 "TCP port (5432 / 3306); or postgres=N, mysql=N", N, NULL, 0, NULL},
	{'S', 'S', "socket", "PATH",
	 "socket file or directory (twice: one per engine)", F, NULL, 0, NULL},
	{'u', 'u', "user", "NAME", "user to log in as", N, NULL, 0, NULL},
	{'d', 'd', "database", "NAME", "database to connect to", N, NULL, 0,
	 NULL},
	{'W', 'W', "password-prompt", NULL, "ask for the password (no echo)", N,
	 NULL, 0, NULL},
	{OPT_PASSWORD_ENV, 0, "password-env", "VAR",
	 "read the password from $VAR", DBL_COMPLETE_ENV, NULL, 0, NULL},
	{OPT_PASSWORD_FILE, 0, "password-file", "FILE",
	 "read the password from FILE (first line)", F, NULL, 0, NULL},
	{'p', 'p', NULL, NULL,
	 "use -P PORT for the port, -W to be asked for a "
	 "password",
	 N, NULL, DBL_OPT_HIDDEN | DBL_OPT_REFUSED, NULL},
	{OPT_SSL_MODE, 0, "ssl-mode", "MODE",
	 "disable|prefer|require|verify-ca|verify-full", C,
	 "disable prefer require verify-ca verify-full", 0, NULL},
	{OPT_SSL_CA, 0, "ssl-ca", "FILE", "CA certificate(s) for verify-ca", F,
	 NULL, 0, NULL},
	{OPT_SSL_CERT, 0, "ssl-cert", "FILE", "client certificate", F, NULL, 0,
	 NULL},
	{OPT_SSL_KEY, 0, "ssl-key", "FILE", "client key", F, NULL, 0, NULL},
	{OPT_DEFAULTS_FILE, 0, "defaults-file", "FILE",
	 "MySQL option file instead of the usual ones", F, NULL, 0, NULL},
	{OPT_DEFAULTS_EXTRA_FILE, 0, "defaults-extra-file", "FILE",
	 "MySQL option file read after the usual ones", F, NULL, 0, NULL},
	{OPT_NO_DEFAULTS, 0, "no-defaults", NULL, "read no MySQL option file",
	 N, NULL, 0, NULL},
	{OPT_CLIENT, 0, "client", "NAME",
	 "the app's driver: probe its path first (dbloop help clients)", C,
	 "libpq psql mysql php-mysqli php-pdo-mysql php-pdo-pgsql "
	 "jdbc-mariadb jdbc-postgresql node-mysql2 node-pg python-mysqlclient "
	 "python-pymysql python-psycopg go-mysql go-pgx go-pq ruby-mysql2 "
	 "ruby-pg",
	 0, NULL},
	{OPT_APP, 0, "app", "DIR",
	 "read the app's config files in DIR (default: . if a project)", F,
	 NULL, 0, NULL},
	DBL_OPT_GROUP("Probing:"),
	{OPT_STAGE, 0, "stage", "STAGE",
	 "connect|greet|auth|query (default query)", C,
	 "connect greet auth query", 0, NULL},
	{'t', 't', "timeout", "DURATION", "deadline of each probe (default 3s)",
	 N, NULL, 0, NULL},
	{OPT_TRANSPORTS, 0, "transports", "LIST",
	 "unix,tcp4,tcp6,localhost,host", C, TRANSPORT_WORDS, DBL_OPT_LIST,
	 NULL},
	{'4', '4', NULL, NULL, "probe 127.0.0.1 only (with -6: both)", N, NULL,
	 0, NULL},
	{'6', '6', NULL, NULL, "probe ::1 only (with -4: both)", N, NULL, 0,
	 NULL},
	{OPT_REQUIRE, 0, "require", "LIST|all|any",
	 "transports that must be ok", C, "all any " TRANSPORT_WORDS,
	 DBL_OPT_LIST, NULL},
	DBL_OPT_GROUP("Output:"),
	{'f', 'f', "format", "FORMAT", "text|json|markdown|junit", C,
	 "text json markdown junit", 0, NULL},
	{'o', 'o', "output", "FILE", "write the report to FILE (- = stdout)", F,
	 NULL, 0, NULL},
	{OPT_REDACT, 0, "redact", NULL,
	 "hide user, database, host names and paths", N, NULL, 0, NULL},
	{OPT_COLOR, 0, "color", "WHEN", "auto|always|never (honours NO_COLOR)",
	 C, "auto always never", 0, NULL},
	{OPT_COLOR, 0, "colour", "WHEN", "", C, "auto always never",
	 DBL_OPT_HIDDEN, NULL},
	{'q', 'q', "quiet", NULL, "less output", N, NULL, 0, NULL},
	{'v', 'v', "verbose", NULL, "more output (may be repeated)", N, NULL, 0,
	 NULL},
	{OPT_HEALTHCHECK, 0, "healthcheck", NULL,
	 "--stage greet --require tcp4, one line", N, NULL, 0, NULL},
	{'h', 'h', "help", NULL, "this help", N, NULL, 0, NULL},
	DBL_OPT_END,
};

/* diagnose knows wait's options, to say they are wait's */
static const struct dbl_opt diagnose_opts[] = {
	{OPT_INTERVAL, 0, "interval", "DURATION", "", N, NULL, DBL_OPT_HIDDEN,
	 NULL},
	{OPT_WAIT_TIMEOUT, 0, "wait-timeout", "DURATION", "", N, NULL,
	 DBL_OPT_HIDDEN, NULL},
	DBL_OPT_END,
};

static const struct dbl_opt wait_opts[] = {
	DBL_OPT_GROUP("Waiting:"),
	{OPT_INTERVAL, 0, "interval", "DURATION",
	 "cap of the backoff between attempts (default 1s)", N, NULL, 0, NULL},
	{OPT_WAIT_TIMEOUT, 0, "wait-timeout", "DURATION",
	 "total time (default 60s)", N, NULL, 0, NULL},
	DBL_OPT_END,
};

#undef N
#undef C
#undef F

const struct dbl_cmd_spec dbl_diagnose_spec = {
	.name = "diagnose",
	.synopsis = "[OPTIONS] [TARGET...]",
	.about =
		"Probe the local PostgreSQL and MySQL/MariaDB servers over the "
		"Unix\n"
		"socket, 127.0.0.1, ::1 and the name localhost, tell why a "
		"connection\n"
		"fails and how to fix it. TARGET: postgres://, postgresql://,\n"
		"mysql://, mariadb://, tcp://HOST:PORT or a conninfo string.\n",
	.epilogue = "Exit status: 0 every required transport ok, 1 problems "
		    "found,\n"
		    "2 usage error, 3 internal error.\n",
	.tables = (const struct dbl_opt *const[]){common_opts, diagnose_opts,
						  NULL},
	.operands = DBL_OPERANDS_ANYWHERE,
};

const struct dbl_cmd_spec dbl_wait_spec = {
	.name = "wait",
	.synopsis = "[OPTIONS] [TARGET...] [-- CMD ARGS...]",
	.about = "Retry until every target is ready (a real login and SELECT "
		 "1, or\n"
		 "--stage greet), then exit 0 or exec CMD. On timeout print "
		 "the full\n"
		 "diagnosis of the last attempt and exit 1.\n",
	.epilogue = "--require defaults to any. Exit status: 0 ready, 1 timed "
		    "out,\n"
		    "2 usage error, 3 internal error, or CMD's own (126/127 "
		    "when it\n"
		    "cannot be run).\n",
	.tables = (const struct dbl_opt *const[]){common_opts, wait_opts, NULL},
	.operands = DBL_OPERANDS_ANYWHERE,
};

struct parse_state {
	struct dbl_cli *c;
	enum dbl_cli_cmd cmd;
	char *err;
	size_t errlen;
	unsigned trans_list, trans_v46; /* --transports, -4/-6 */
	bool trans_list_set, quiet, stage_set;
	int verbose;
	const char *wait_only; /* a wait-only option given to diagnose */
	const char *no_defaults_conflict;
	size_t n_targets, cap_targets;
};

static const struct dbl_cmd_spec *spec_of(enum dbl_cli_cmd cmd)
{
	return cmd == DBL_CLI_WAIT ? &dbl_wait_spec : &dbl_diagnose_spec;
}

/* "--port" for a code, as the user would write it. */
static const char *opt_name(int code)
{
	static char buf[32];
	return dbl_opt_name(&dbl_diagnose_spec, code, buf, sizeof(buf));
}

static int fail(struct parse_state *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parse_state *ps, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	return -DBL_EUSAGE;
}

static int bad_value(struct parse_state *ps, int code, const char *arg,
		     const char *expected)
{
	return fail(ps, "invalid value '%s' for '%s': expected %s", arg,
		    opt_name(code), expected);
}

static int parse_engine_word(const char *w, size_t n, unsigned *mask)
{
	static const struct {
		const char *name;
		unsigned bits;
	} words[] = {
		{"postgres", 1u << DBL_ENGINE_POSTGRES},
		{"postgresql", 1u << DBL_ENGINE_POSTGRES},
		{"pg", 1u << DBL_ENGINE_POSTGRES},
		{"mysql", 1u << DBL_ENGINE_MYSQL},
		{"mariadb", 1u << DBL_ENGINE_MYSQL},
		{"all", (1u << DBL_ENGINE__COUNT) - 1},
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].name) == n &&
		    strncmp(words[i].name, w, n) == 0) {
			*mask |= words[i].bits;
			return 0;
		}
	return -DBL_EINVAL;
}

static int parse_transport_word(const char *w, size_t n, unsigned *mask)
{
	char name[16];
	if (n == 0 || n >= sizeof(name))
		return -DBL_EINVAL;
	memcpy(name, w, n);
	name[n] = '\0';
	enum dbl_transport t;
	if (dbl_transport_parse(name, &t) < 0)
		return -DBL_EINVAL;
	*mask |= DBL_TRANSPORT_BIT(t);
	return 0;
}

/* A comma-separated list, no empty items; each word through fn. */
static int parse_list(const char *s, unsigned *mask,
		      int (*fn)(const char *, size_t, unsigned *))
{
	*mask = 0;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		if (n == 0 || fn(s, n, mask) < 0)
			return -DBL_EINVAL;
		if (!comma)
			return 0;
		s = comma + 1;
	}
}

static int parse_format(const char *s, enum dbl_format *out)
{
	if (strcmp(s, "text") == 0)
		*out = DBL_FORMAT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = DBL_FORMAT_JSON;
	else if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0)
		*out = DBL_FORMAT_MARKDOWN;
	else if (strcmp(s, "junit") == 0)
		*out = DBL_FORMAT_JUNIT;
	else
		return -DBL_EINVAL;
	return 0;
}

static int parse_color(const char *s, enum dbl_color *out)
{
	if (strcmp(s, "auto") == 0)
		*out = DBL_COLOR_AUTO;
	else if (strcmp(s, "always") == 0)
		*out = DBL_COLOR_ALWAYS;
	else if (strcmp(s, "never") == 0)
		*out = DBL_COLOR_NEVER;
	else
		return -DBL_EINVAL;
	return 0;
}

static int parse_stage(const char *s, enum dbl_stage *out)
{
	if (dbl_stage_parse(s, out) < 0 || *out == DBL_STAGE_RESOLVE)
		return -DBL_EINVAL;
	return 0;
}

static int parse_require(struct dbl_options *o, const char *s)
{
	if (strcmp(s, "all") == 0) {
		o->require = DBL_REQUIRE_ALL;
	} else if (strcmp(s, "any") == 0) {
		o->require = DBL_REQUIRE_ANY;
	} else {
		if (parse_list(s, &o->require_mask, parse_transport_word) < 0)
			return -DBL_EINVAL;
		o->require = DBL_REQUIRE_LIST;
	}
	o->require_set = true;
	return 0;
}

/* Schemes a TARGET may use; a conninfo string ("host=... dbname=...") is
 * recognised by its '='. */
static int check_target(struct parse_state *ps, const char *t)
{
	static const char *const schemes[] = {"postgres", "postgresql", "mysql",
					      "mariadb", "tcp"};
	if (!*t)
		return fail(ps, "empty target");
	const char *sep = strstr(t, "://");
	if (!sep) {
		if (strchr(t, '='))
			return 0;
		return fail(ps,
			    "'%s' is not a target: use a URL (postgres://, "
			    "mysql://, tcp://HOST:PORT) or a conninfo string",
			    t);
	}
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strlen(schemes[i]) == (size_t)(sep - t) &&
		    strncmp(schemes[i], t, (size_t)(sep - t)) == 0)
			return 0;
	/* what precedes "://" may be a conninfo string with a password */
	char *shown = dbl_url_redact(t);
	const char *end = shown ? strstr(shown, "://") : NULL;
	int len = end ? (int)(end - shown) : 0;
	int rc = fail(ps,
		      "unsupported URL scheme '%.*s': use postgres://, "
		      "postgresql://, mysql://, mariadb:// or tcp://",
		      len > 32 ? 32 : len, shown ? shown : "");
	free(shown);
	return rc;
}

static int add_target(struct parse_state *ps, char *arg)
{
	struct dbl_cli *c = ps->c;
	int rc = check_target(ps, arg);
	if (rc < 0)
		return rc;
	if (ps->n_targets + 2 > ps->cap_targets) {
		size_t cap = ps->cap_targets ? ps->cap_targets * 2 : 8;
		const char **t = realloc(c->o.targets, cap * sizeof(*t));
		if (!t)
			return -DBL_ENOMEM;
		c->o.targets = t;
		char **a = realloc(c->target_args, cap * sizeof(*a));
		if (!a)
			return -DBL_ENOMEM;
		c->target_args = a;
		ps->cap_targets = cap;
	}
	char *copy = strdup(arg);
	if (!copy)
		return -DBL_ENOMEM;
	c->o.targets[ps->n_targets] = copy;
	c->target_args[ps->n_targets++] = arg;
	c->o.targets[ps->n_targets] = NULL;
	c->target_args[ps->n_targets] = NULL;
	c->o.n_targets = (int)ps->n_targets;
	return 0;
}

/* Options whose value is a plain string: borrowed, must not be empty. */
static const char **string_slot(struct dbl_options *o, int code)
{
	switch (code) {
	case 'H':
		return &o->host;
	case 'u':
		return &o->user;
	case 'd':
		return &o->database;
	case 'o':
		return &o->output;
	case OPT_PASSWORD_ENV:
		return &o->password_env;
	case OPT_PASSWORD_FILE:
		return &o->password_file;
	case OPT_SSL_CA:
		return &o->ssl_ca;
	case OPT_SSL_CERT:
		return &o->ssl_cert;
	case OPT_SSL_KEY:
		return &o->ssl_key;
	case OPT_DEFAULTS_FILE:
		return &o->defaults_file;
	case OPT_DEFAULTS_EXTRA_FILE:
		return &o->defaults_extra_file;
	case OPT_CLIENT:
		return &o->client;
	case OPT_APP:
		return &o->app_dir;
	default:
		return NULL;
	}
}

static int apply_duration(struct parse_state *ps, int code, const char *arg,
			  int *out)
{
	if (dbl_parse_duration_ms(arg, out) < 0)
		return bad_value(ps, code, arg,
				 "a duration greater than zero such as 500ms, "
				 "3s or 1m");
	if (code != 't' && ps->cmd != DBL_CLI_WAIT && !ps->wait_only)
		ps->wait_only =
			code == OPT_INTERVAL ? "--interval" : "--wait-timeout";
	return 0;
}

/* -S PATH, once or twice: which engine each is for, discovery decides
 * (a directory serves both, a file the engine its name matches). */
static int apply_socket(struct parse_state *ps, const char *arg)
{
	struct dbl_options *o = &ps->c->o;
	if (!o->socket)
		o->socket = arg;
	else if (!o->socket2)
		o->socket2 = arg;
	else
		return fail(ps,
			    "'--socket' given three times ('%s'): once "
			    "per engine at most",
			    arg);
	return 0;
}

/* -P N for every engine, or -P ENGINE=N (postgres=5433, mysql=3307). */
static int apply_port(struct parse_state *ps, const char *arg)
{
	struct dbl_options *o = &ps->c->o;
	const char *eq = strchr(arg, '=');
	if (!eq) {
		if (o->port)
			return fail(ps,
				    "'--port' given twice ('%d' and '%s'): "
				    "say which engine each is for, as in "
				    "-P postgres=5433 -P mysql=3307",
				    o->port, arg);
		if (dbl_parse_port(arg, &o->port) < 0)
			return bad_value(ps, 'P', arg,
					 "a port 1-65535, or ENGINE=PORT");
		return 0;
	}
	unsigned mask = 0;
	int port = 0;
	if (parse_engine_word(arg, (size_t)(eq - arg), &mask) < 0 ||
	    __builtin_popcount(mask) != 1)
		return fail(ps,
			    "cannot tell which engine '%s' is for: write "
			    "postgres=PORT or mysql=PORT",
			    arg);
	if (dbl_parse_port(eq + 1, &port) < 0)
		return bad_value(ps, 'P', arg, "a port 1-65535 after '='");
	enum dbl_engine e = (enum dbl_engine)__builtin_ctz(mask);
	if (o->engine_port[e])
		return fail(ps, "'--port' given twice for %s ('%d' and '%s')",
			    dbl_engine_name(e), o->engine_port[e], eq + 1);
	o->engine_port[e] = port;
	return 0;
}

/* Options with a checked value. */
static int apply_checked(struct parse_state *ps, int code, const char *arg)
{
	struct dbl_options *o = &ps->c->o;
	switch (code) {
	case 'e':
		if (parse_list(arg, &o->engines, parse_engine_word) < 0)
			return bad_value(ps, code, arg,
					 "postgres, mysql or all");
		if (o->engines == (1u << DBL_ENGINE__COUNT) - 1)
			o->engines = 0; /* 0 means all */
		return 0;
	case 'P':
		return apply_port(ps, arg);
	case 'S':
		return apply_socket(ps, arg);
	case 't':
		o->timeout_set = true;
		return apply_duration(ps, code, arg, &o->timeout_ms);
	case OPT_INTERVAL:
		return apply_duration(ps, code, arg, &o->interval_ms);
	case OPT_WAIT_TIMEOUT:
		return apply_duration(ps, code, arg, &o->wait_timeout_ms);
	case OPT_SSL_MODE:
		if (dbl_ssl_mode_parse(arg, &o->ssl_mode) < 0)
			return bad_value(ps, code, arg,
					 "disable, prefer, require, verify-ca "
					 "or verify-full");
		o->ssl_mode_set = true;
		return 0;
	case OPT_STAGE:
		if (parse_stage(arg, &o->max_stage) < 0)
			return bad_value(ps, code, arg,
					 "connect, greet, auth or query");
		ps->stage_set = true;
		return 0;
	default:
		return 1; /* not one of these */
	}
}

static int apply_checked2(struct parse_state *ps, int code, const char *arg)
{
	struct dbl_options *o = &ps->c->o;
	switch (code) {
	case OPT_TRANSPORTS:
		if (parse_list(arg, &ps->trans_list, parse_transport_word) < 0)
			return bad_value(
				ps, code, arg,
				"a list of unix, tcp4, tcp6, localhost, "
				"host");
		ps->trans_list_set = true;
		return 0;
	case OPT_REQUIRE:
		if (parse_require(o, arg) < 0)
			return bad_value(ps, code, arg,
					 "all, any or a list of unix, tcp4, "
					 "tcp6, localhost, host");
		return 0;
	case 'f':
		if (parse_format(arg, &o->format) < 0)
			return bad_value(ps, code, arg,
					 "text, json, markdown or junit");
		o->format_set = true;
		return 0;
	case OPT_COLOR:
		if (parse_color(arg, &o->color) < 0)
			return bad_value(ps, code, arg,
					 "auto, always or never");
		return 0;
	default:
		return 1;
	}
}

static int apply_flag(struct parse_state *ps, int code)
{
	struct dbl_options *o = &ps->c->o;
	switch (code) {
	case 'W':
		o->password_prompt = true;
		return 0;
	case '4':
		ps->trans_v46 |= DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4);
		return 0;
	case '6':
		ps->trans_v46 |= DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP6);
		return 0;
	case 'q':
		ps->quiet = true;
		return 0;
	case 'v':
		ps->verbose++;
		return 0;
	case OPT_NO_DEFAULTS:
		o->no_defaults = true;
		return 0;
	case OPT_REDACT:
		o->redact = true;
		return 0;
	case OPT_HEALTHCHECK:
		ps->c->healthcheck = true;
		return 0;
	default:
		return 1;
	}
}

static int apply(struct parse_state *ps, int code, const char *arg)
{
	const char **slot = string_slot(&ps->c->o, code);
	if (slot) {
		if (!*arg)
			return fail(ps, "option '%s' needs a non-empty value",
				    opt_name(code));
		if (code == OPT_CLIENT && !dbl_client_find(arg))
			return fail(ps,
				    "unknown client '%s' (see 'dbloop help "
				    "clients')",
				    arg);
		*slot = arg;
		return 0;
	}
	if (arg && !*arg)
		return fail(ps, "option '%s' needs a non-empty value",
			    opt_name(code));
	int rc = apply_checked(ps, code, arg);
	if (rc <= 0)
		return rc;
	rc = apply_checked2(ps, code, arg);
	if (rc <= 0)
		return rc;
	rc = apply_flag(ps, code);
	if (rc <= 0)
		return rc;
	return fail(ps, "internal: unhandled option %d", code);
}

static const char *format_from_extension(const char *path, bool *found)
{
	const char *dot = strrchr(path, '.');
	*found = true;
	if (dot && strchr(dot, '/') == NULL) {
		if (strcmp(dot, ".json") == 0)
			return "json";
		if (strcmp(dot, ".md") == 0 || strcmp(dot, ".markdown") == 0)
			return "markdown";
		if (strcmp(dot, ".xml") == 0)
			return "junit";
	}
	*found = false;
	return "text";
}

/* The TLS files are handed to the drivers, which would only fail the
 * probes: a missing or unreadable one is a usage error, as a bad
 * --defaults-file is (the option and password files are read and checked
 * by discovery). */
static int check_files(struct parse_state *ps)
{
	const struct dbl_options *o = &ps->c->o;
	const struct {
		const char *path;
		int code;
	} files[] = {{o->ssl_ca, OPT_SSL_CA},
		     {o->ssl_cert, OPT_SSL_CERT},
		     {o->ssl_key, OPT_SSL_KEY}};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct stat st;
		const char *why = NULL;
		if (!files[i].path)
			continue;
		if (stat(files[i].path, &st) < 0 ||
		    access(files[i].path, R_OK) < 0)
			why = strerror(errno);
		else if (!S_ISREG(st.st_mode))
			why = S_ISDIR(st.st_mode) ? "is a directory"
						  : "not a regular file";
		if (why)
			return fail(ps, "cannot read %s '%s': %s",
				    opt_name(files[i].code), files[i].path,
				    why);
	}
	return 0;
}

/* Checks that need every option: conflicts, defaults that depend on the
 * command, values derived from others. */
static int finish(struct parse_state *ps)
{
	struct dbl_options *o = &ps->c->o;
	int rc;
	if (ps->quiet && ps->verbose)
		return fail(ps, "options '--quiet' and '--verbose' cannot be "
				"used together");
	o->verbosity = ps->quiet ? -1 : ps->verbose;
	if (ps->wait_only)
		return fail(ps, "option '%s' is for 'dbloop wait' only",
			    ps->wait_only);
	if (o->no_defaults && (o->defaults_file || o->defaults_extra_file))
		return fail(ps,
			    "option '--no-defaults' cannot be used with "
			    "'%s'",
			    o->defaults_file ? "--defaults-file"
					     : "--defaults-extra-file");
	o->transports = ps->trans_list | ps->trans_v46;
	if (o->require == DBL_REQUIRE_LIST && o->transports &&
	    (o->require_mask & ~o->transports))
		return fail(ps, "'--require' names a transport that "
				"'--transports'/-4/-6 leave out");
	if (ps->c->healthcheck) {
		if (!ps->stage_set)
			o->max_stage = DBL_STAGE_GREET;
		if (!o->require_set) {
			o->require = DBL_REQUIRE_LIST;
			o->require_mask = DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4);
			o->require_set = true;
		}
		if (!ps->verbose)
			o->verbosity = -1;
	}
	if ((rc = check_files(ps)) < 0)
		return rc;
	if (!o->require_set && ps->cmd == DBL_CLI_WAIT)
		o->require = DBL_REQUIRE_ANY;
	if (!o->format_set && o->output && strcmp(o->output, "-") != 0) {
		bool found;
		const char *f = format_from_extension(o->output, &found);
		if (found)
			parse_format(f, &o->format);
	}
	return 0;
}

/* After "--": wait's command, or for diagnose more targets. */
static int rest_args(struct parse_state *ps, int argc, char **argv, int from)
{
	if (ps->cmd == DBL_CLI_WAIT) {
		if (from >= argc)
			return fail(ps, "missing command after '--'");
		ps->c->o.exec_argv = &argv[from];
		return 0;
	}
	for (int i = from; i < argc; i++) {
		int rc = add_target(ps, argv[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int parse(struct dbl_cli *c, enum dbl_cli_cmd cmd, int argc, char **argv,
		 char *err, size_t errlen)
{
	struct parse_state ps = {
		.c = c, .cmd = cmd, .err = err, .errlen = errlen};
	struct dbl_opt_iter it;
	const char *arg;
	int code, rc = 0;
	memset(c, 0, sizeof(*c));
	dbl_options_init(&c->o);
	dbl_opt_init(&it, spec_of(cmd), argc, argv, err, errlen);
	while ((code = dbl_opt_next(&it, &arg)) != DBL_OPT_DONE) {
		if (code == DBL_OPT_HELP) {
			c->help = true;
			return DBL_CLI_HELP;
		}
		if (code == DBL_OPT_ERROR)
			return -DBL_EUSAGE;
		rc = code == DBL_OPT_OPERAND ? add_target(&ps, (char *)arg)
					     : apply(&ps, code, arg);
		if (rc < 0)
			return rc;
	}
	if (it.dashdash && (rc = rest_args(&ps, argc, argv, it.rest)) < 0)
		return rc;
	return finish(&ps);
}

int dbl_cli_parse(struct dbl_cli *c, enum dbl_cli_cmd cmd, int argc,
		  char **argv, char *err, size_t errlen)
{
	int rc = parse(c, cmd, argc, argv, err, errlen);
	if (rc == -DBL_EUSAGE && errlen) {
		/* the line quotes what was typed: keep it one line */
		char *raw = strdup(err);
		if (raw)
			dbl_line_escape(err, errlen, raw);
		free(raw);
	}
	return rc;
}

void dbl_cli_release(struct dbl_cli *c)
{
	if (c->o.targets) {
		for (int i = 0; i < c->o.n_targets; i++) {
			char *t = (char *)c->o.targets[i];
			dbl_secure_zero(t, strlen(t));
			free(t);
		}
		free(c->o.targets);
	}
	free(c->target_args);
	if (c->o.prompted_password) {
		dbl_secure_zero(c->o.prompted_password,
				strlen(c->o.prompted_password));
		free(c->o.prompted_password);
	}
	c->o.targets = NULL;
	c->target_args = NULL;
	c->o.prompted_password = NULL;
	c->o.n_targets = 0;
}

/* --- argv scrubbing ------------------------------------------------------ */

int dbl_cli_scrub_target(char *target)
{
	return dbl_url_scrub(target);
}

int dbl_cli_scrub_argv(struct dbl_cli *c)
{
	int found = 0;
	for (int i = 0; c->target_args && i < c->o.n_targets; i++)
		found += dbl_cli_scrub_target(c->target_args[i]);
	return found;
}

/* --- usage ---------------------------------------------------------------- */

const char *dbl_cli_usage(enum dbl_cli_cmd cmd)
{
	static char *text[2];
	int i = cmd == DBL_CLI_WAIT;
	if (!text[i]) {
		struct dbl_buf b = {0};
		dbl_opt_usage(spec_of(cmd), &b);
		text[i] = dbl_buf_detach(&b);
	}
	return text[i] ? text[i] : "dbloop: out of memory\n";
}

/* --- the start of diagnose and wait ----------------------------------- */

bool dbl_cli_start(struct dbl_cli *c, enum dbl_cli_cmd cmd, int argc,
		   char **argv, int *status)
{
	char err[512];
	int rc = dbl_cli_parse(c, cmd, argc, argv, err, sizeof(err));
	if (rc == DBL_CLI_HELP) {
		fputs(dbl_cli_usage(cmd), stdout);
		*status = 0;
		return false;
	}
	if (rc < 0) {
		fprintf(stderr, "dbloop: %s\n",
			rc == -DBL_ENOMEM ? "out of memory" : err);
		*status = rc == -DBL_EUSAGE ? 2 : 3;
		return false;
	}
	if (dbl_cli_scrub_argv(c) > 0)
		fprintf(stderr,
			"dbloop: warning: a password on the command line is "
			"visible to other users; use --password-env, "
			"--password-file or -W\n");
	if (dbl_signals_install() < 0) {
		fprintf(stderr, "dbloop: cannot install signal handlers\n");
		*status = 3;
		return false;
	}
	if (!c->o.password_prompt)
		return true;
	rc = dbl_prompt_password("Password: ", &c->o.prompted_password, err,
				 sizeof(err));
	if (rc == 0)
		return true;
	if (rc == -DBL_ECANCELED)
		*status =
			dbl_signals_exit_code() ? dbl_signals_exit_code() : 130;
	else
		fprintf(stderr, "dbloop: %s\n",
			rc == -DBL_ENOMEM ? "out of memory" : err);
	if (rc != -DBL_ECANCELED)
		*status = rc == -DBL_EUSAGE ? 2 : 3;
	return false;
}
