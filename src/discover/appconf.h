/* The app's own configuration, read the way its framework would, without
 * executing anything: .env, config/database.yml, wp-config.php, Spring
 * application.properties/.yml, docker-compose.yml/compose.yaml; and the
 * driver guessed from the project's dependency files. Every value keeps
 * the file and line it came from; what cannot be read statically (ERB,
 * ${VAR}, env("...")) is kept as a named unknown. */
#ifndef DBLOOP_APPCONF_H
#define DBLOOP_APPCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/common.h"
#include "dbloop/util.h"

enum dbl_app_key {
	DBL_APP_HOST,
	DBL_APP_PORT,
	DBL_APP_SOCKET,
	DBL_APP_USER,
	DBL_APP_DATABASE,
	DBL_APP__COUNT
};

struct dbl_app_value {
	char *value;  /* as written; NULL when no file said */
	char *source; /* "config/database.yml line 12" */
	bool unknown; /* an expression we do not evaluate: value holds it */
};

struct dbl_appconf {
	struct dbl_app_value v[DBL_APP__COUNT];
	int engine; /* enum dbl_engine, -1 when no file said */
	char *engine_source;
	char *client; /* a driver name of the table, NULL when no guess */
	char *client_source;
	/* "config/database.yml line 7: host is ERB (<%= ENV['DB_HOST'] %>),
	 * not evaluated" and other things worth saying, one sentence each. */
	struct dbl_strlist notes;
	struct dbl_strlist files; /* the files read, in order */
};

/* The formats the readers know. */
enum dbl_appconf_kind {
	DBL_APPCONF_DOTENV,
	DBL_APPCONF_RAILS_YML,
	DBL_APPCONF_WP_CONFIG,
	DBL_APPCONF_SPRING_PROPERTIES,
	DBL_APPCONF_SPRING_YML,
	DBL_APPCONF_COMPOSE,
	DBL_APPCONF_DEPS, /* composer.json, package.json, go.mod, ... */
	DBL_APPCONF__KINDS
};

void dbl_appconf_init(struct dbl_appconf *a);
void dbl_appconf_release(struct dbl_appconf *a);

/* Parses text (modified in place) of one file of kind; name is the file
 * as shown in sources. A value already set by an earlier file is kept
 * (the files are read in precedence order). 0 or -DBL_ENOMEM. */
int dbl_appconf_parse(struct dbl_appconf *a, enum dbl_appconf_kind kind,
		      const char *name, char *text);

/* True when dir holds any file the readers or the guesser know. */
bool dbl_appconf_is_project(const char *dir);

/* Reads every known file of dir. Unreadable files become warnings. 0 or
 * -DBL_ENOMEM. */
int dbl_appconf_read(const char *dir, struct dbl_appconf *a,
		     struct dbl_strlist *warnings);

#endif
