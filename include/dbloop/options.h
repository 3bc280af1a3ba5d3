/* Parsed command line of diagnose and wait (../shared/spec/cli.md), and the
 * targets built from it plus discovery. */
#ifndef DBLOOP_OPTIONS_H
#define DBLOOP_OPTIONS_H

#include <stdbool.h>

#include "dbloop/common.h"

enum dbl_format {
	DBL_FORMAT_TEXT,
	DBL_FORMAT_JSON,
	DBL_FORMAT_MARKDOWN,
	DBL_FORMAT_JUNIT,
};

enum dbl_color { DBL_COLOR_AUTO, DBL_COLOR_ALWAYS, DBL_COLOR_NEVER };

/* --require: a transport mask, or one of these two words. */
enum dbl_require { DBL_REQUIRE_LIST, DBL_REQUIRE_ALL, DBL_REQUIRE_ANY };

/* Everything the user said. Strings are borrowed from argv (or from the
 * environment), never freed here. A field left unset is 0/NULL/false and
 * its *_set flag, where there is one, stays false. */
struct dbl_options {
	unsigned engines; /* bitmask of 1u << enum dbl_engine; 0 = all */
	const char *host; /* -H */
	int port;	  /* -P N (every engine), 0 when not given */
	/* -P ENGINE=N: the port of one engine, 0 when not given; wins over
	 * port for that engine. */
	int engine_port[DBL_ENGINE__COUNT];
	/* -S, once or twice: a directory applies to both engines, a file to
	 * the engine its name matches (.s.PGSQL.N: PostgreSQL). */
	const char *socket;
	const char *socket2;
	const char *user;	   /* -u */
	const char *database;	   /* -d */
	bool password_prompt;	   /* -W */
	const char *password_env;  /* --password-env VAR */
	const char *password_file; /* --password-file FILE */
	/* -W: the password read from the terminal by the command before
	 * discovery runs; owned and wiped by the command. */
	char *prompted_password;
	enum dbl_ssl_mode ssl_mode;
	bool ssl_mode_set;
	const char *ssl_ca, *ssl_cert, *ssl_key;
	const char *defaults_file, *defaults_extra_file;
	bool no_defaults;
	enum dbl_stage max_stage; /* default DBL_STAGE_QUERY */
	int timeout_ms;		  /* default 3000 */
	bool timeout_set;
	unsigned transports; /* mask; 0 = what the host implies */
	enum dbl_require require;
	unsigned require_mask; /* with DBL_REQUIRE_LIST */
	bool require_set;
	enum dbl_format format;
	bool format_set;
	const char *output; /* -o, NULL = stdout */
	bool redact;
	enum dbl_color color;
	int verbosity;	     /* -1 quiet, 0 normal, 1+ verbose */
	int interval_ms;     /* wait: default 1000 */
	int wait_timeout_ms; /* wait: default 60000 */
	/* --client NAME: the app's driver (include/dbloop/clients.h);
	 * --app DIR: the app's configuration files (NULL: the current
	 * directory when it looks like a project). */
	const char *client;
	const char *app_dir;

	const char **targets; /* TARGET... (borrowed argv slice) */
	int n_targets;
	char **exec_argv; /* wait: after "--", NULL-terminated, or NULL */
};

/* Sets every default of cli.md. */
void dbl_options_init(struct dbl_options *o);

/* Where a setting of a target came from, for "socket=/tmp/mysql.sock from
 * ~/.my.cnf line 3". source is owned by the target. */
struct dbl_origin {
	char *value; /* as shown to the user; NULL when unset */
	char *source; /* "--socket", "PGHOST", "/root/.my.cnf line 3", "default", "URL" */
};

enum dbl_target_setting {
	DBL_SET_HOST,
	DBL_SET_PORT,
	DBL_SET_SOCKET,
	DBL_SET_USER,
	DBL_SET_DATABASE,
	DBL_SET_SSLMODE,
	DBL_SET_PASSWORD, /* value is only "set", never the password */
	DBL_SET__COUNT
};

/* One thing to diagnose: an engine at a set of endpoints, with the
 * credentials to try. Heap object: dbl_target_new / dbl_target_free. */
struct dbl_target {
	char *label; /* as given (password removed), or "discovered" */
	enum dbl_engine engine;
	char *host; /* "localhost" by default */
	int port;
	char *socket_path; /* full path of the socket file to probe */
	char *user;
	char *database; /* NULL: the engine's default */
	char *password; /* secret: never printed; wiped by _free */
	enum dbl_ssl_mode ssl_mode;
	char *ssl_ca, *ssl_cert, *ssl_key;
	unsigned transports; /* mask of transports to probe */
	enum dbl_stage max_stage;
	int timeout_ms;
	struct dbl_origin origin[DBL_SET__COUNT];
};

struct dbl_target *dbl_target_new(enum dbl_engine e);
/* Wipes the password and frees everything. NULL is fine. */
void dbl_target_free(struct dbl_target *t);
/* Sets a setting's shown value and where it came from (both copied). */
int dbl_target_set_origin(struct dbl_target *t, enum dbl_target_setting s,
			  const char *value, const char *source);

#endif
