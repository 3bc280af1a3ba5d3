/* The app's own way to connect (--client, --app): its configuration
 * becomes the settings dbloop probes with, its driver's rules (the client
 * table) decide which transports and addresses it takes, and the verdict
 * on that path leads the target's report and decides its exit status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dbloop/clients.h"
#include "discover/appconf.h"
#include "discover/phpini.h"
#include "session/session.h"

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *app_value(const struct dbl_appconf *a, enum dbl_app_key k)
{
	const struct dbl_app_value *v = &a->v[k];
	return v->value && !v->unknown ? v->value : NULL;
}

int dbl_session_app_options(struct dbl_session *d, char *err, size_t errlen)
{
	const struct dbl_options *o = d->o;
	const char *dir = o->app_dir;
	if (dir && !is_dir(dir)) {
		snprintf(err, errlen, "cannot read --app '%s': %s", dir,
			 errno == ENOENT ? "no such directory"
					 : "not a directory");
		return -DBL_EUSAGE;
	}
	if (!dir && dbl_appconf_is_project("."))
		dir = ".";
	if (!dir && !o->client)
		return 0;
	d->app_options = malloc(sizeof(*d->app_options));
	d->appconf = malloc(sizeof(*d->appconf));
	if (!d->app_options || !d->appconf)
		return -DBL_ENOMEM;
	*d->app_options = *o;
	dbl_appconf_init(d->appconf);
	d->o = d->app_options;
	struct dbl_options *mo = d->app_options;
	struct dbl_appconf *a = d->appconf;
	if (dir) {
		int rc = dbl_appconf_read(dir, a, &d->facts->warnings);
		if (rc < 0)
			return rc;
	}
	/* What the command line says wins over the app's files. */
	if (!mo->host)
		mo->host = app_value(a, DBL_APP_HOST);
	if (!mo->port && app_value(a, DBL_APP_PORT) &&
	    dbl_parse_port(app_value(a, DBL_APP_PORT), &mo->port) < 0)
		mo->port = 0;
	if (!mo->socket)
		mo->socket = app_value(a, DBL_APP_SOCKET);
	if (!mo->user)
		mo->user = app_value(a, DBL_APP_USER);
	if (!mo->database)
		mo->database = app_value(a, DBL_APP_DATABASE);
	const struct dbl_client *c = dbl_client_find(mo->client);
	if (!c && !mo->client && a->client) {
		c = dbl_client_find(a->client);
		if (c)
			mo->client = c->name;
		else if (dbl_strlist_pushf(&d->facts->warnings,
					   "the app uses %s (%s), which is not "
					   "in dbloop's verified driver table: "
					   "its own path is not predicted",
					   a->client, a->client_source) < 0)
			return -DBL_ENOMEM;
	}
	if (!mo->engines && c)
		mo->engines = 1u << c->engine;
	else if (!mo->engines && a->engine >= 0)
		mo->engines = 1u << a->engine;
	return 0;
}

static int note_config(struct dbl_app_path *ap, const struct dbl_appconf *a,
		       const struct dbl_options *o, const char *client_from)
{
	static const char *const names[DBL_APP__COUNT] = {
		"host", "port", "socket", "user", "database"};
	int rc = 0;
	if (client_from)
		rc = dbl_strlist_pushf(&ap->config, "client %s from %s",
				       ap->client, client_from);
	for (int k = 0; a && rc == 0 && k < DBL_APP__COUNT; k++)
		if (a->v[k].value && !a->v[k].unknown)
			rc = dbl_strlist_pushf(&ap->config, "%s=%s from %s",
					       names[k], a->v[k].value,
					       a->v[k].source);
	for (size_t i = 0; a && rc == 0 && i < a->notes.n; i++)
		rc = dbl_strlist_push(&ap->config, a->notes.items[i]);
	(void)o;
	return rc;
}

static int plan_target(struct dbl_session *d, const struct dbl_client *c,
		       struct dbl_target *t, struct dbl_app_path *ap)
{
	const struct dbl_options *o = d->o;
	struct dbl_client_in in = {0};
	bool cli_row = !strcmp(c->name, "mysql") || !strcmp(c->name, "psql") ||
		       !strcmp(c->name, "libpq");
	in.host = o->host;
	in.port_given = o->port != 0;
	in.port = o->port			  ? o->port
		  : cli_row			  ? t->port
		  : c->engine == DBL_ENGINE_MYSQL ? 3306
						  : 5432;
	in.socket = c->engine == DBL_ENGINE_MYSQL ? o->socket : NULL;
	if (c->engine == DBL_ENGINE_POSTGRES && o->socket && !in.host)
		in.host = o->socket; /* a socket directory is a host to libpq */
	in.localhost_addrs = &d->facts->host.localhost_addrs;
	char *ini_value = NULL, *ini_source = NULL;
	if (c->ini_key) {
		int rc = dbl_phpini_lookup(NULL, c->ini_key, &ini_value,
					   &ini_source);
		if (rc < 0)
			return rc;
		if (ini_value) {
			in.default_socket = ini_value;
			in.default_source = ini_source;
		} else if (ini_source) {
			in.default_socket = c->default_socket;
			in.default_source = ini_source;
		}
	} else if (!strcmp(c->name, "mysql") && t->socket_path) {
		/* the client reads the option files: discovery's socket */
		in.default_socket = t->socket_path;
		in.default_source = t->origin[DBL_SET_SOCKET].source;
	}
	for (int i = 0;
	     c->nohost == DBL_NOHOST_SOCKET_SEARCH && dbl_pgx_socket_dirs[i];
	     i++)
		if (is_dir(dbl_pgx_socket_dirs[i])) {
			in.pgx_dir = dbl_pgx_socket_dirs[i];
			break;
		}
	int rc = dbl_client_plan(c, &in, ap);
	free(ini_value);
	free(ini_source);
	if (rc < 0)
		return rc;
	/* Probe exactly that: the driver's socket file and port. */
	for (size_t i = 0; i < ap->n_steps; i++)
		if (ap->steps[i].transport == DBL_TRANSPORT_UNIX) {
			if (dbl_set_str(&t->socket_path, ap->steps[i].address) <
				    0 ||
			    dbl_target_set_origin(t, DBL_SET_SOCKET,
						  ap->steps[i].address,
						  ap->socket_source) < 0)
				return -DBL_ENOMEM;
		}
	t->port = in.port;
	t->transports |= dbl_app_path_transports(ap);
	return 0;
}

static int origin_from_app(struct dbl_session *d, struct dbl_target *t)
{
	static const enum dbl_target_setting map[DBL_APP__COUNT] = {
		DBL_SET_HOST, DBL_SET_PORT, DBL_SET_SOCKET, DBL_SET_USER,
		DBL_SET_DATABASE};
	const struct dbl_options *cli = d->app_options;
	const char *given[DBL_APP__COUNT] = {NULL};
	/* values the app supplied (not the command line) get its source */
	for (int k = 0; k < DBL_APP__COUNT; k++) {
		const struct dbl_app_value *v = &d->appconf->v[k];
		if (!v->value || v->unknown)
			continue;
		given[k] = v->value;
	}
	for (int k = 0; k < DBL_APP__COUNT; k++) {
		const char *now = k == DBL_APP_HOST	  ? cli->host
				  : k == DBL_APP_SOCKET	  ? cli->socket
				  : k == DBL_APP_USER	  ? cli->user
				  : k == DBL_APP_DATABASE ? cli->database
							  : NULL;
		bool from_app =
			given[k] && (k == DBL_APP_PORT || now == given[k]);
		if (k == DBL_APP_PORT && cli->port && given[k]) {
			int p = 0;
			from_app = dbl_parse_port(given[k], &p) == 0 &&
				   p == cli->port;
		}
		if (from_app &&
		    dbl_target_set_origin(t, map[k], given[k],
					  d->appconf->v[k].source) < 0)
			return -DBL_ENOMEM;
	}
	return 0;
}

int dbl_session_app_plan(struct dbl_session *d, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	if (!d->app_options)
		return 0;
	const struct dbl_client *c = dbl_client_find(d->o->client);
	d->app = calloc(d->n_targets + 1, sizeof(*d->app));
	if (!d->app)
		return -DBL_ENOMEM;
	for (size_t i = 0; i < d->n_targets; i++) {
		struct dbl_target *t = d->targets[i];
		int rc = d->appconf ? origin_from_app(d, t) : 0;
		if (rc < 0)
			return rc;
		if (!c || t->engine != c->engine)
			continue;
		if (!(d->app[i] = calloc(1, sizeof(*d->app[i]))))
			return -DBL_ENOMEM;
		const char *from = "--client";
		if (d->appconf && d->appconf->client &&
		    !strcmp(d->appconf->client, c->name))
			from = d->appconf->client_source;
		rc = plan_target(d, c, t, d->app[i]);
		if (rc == 0)
			rc = note_config(d->app[i], d->appconf, d->o, from);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int dbl_session_app_judge(struct dbl_session *d, size_t i,
			  struct dbl_target_report *tr)
{
	if (!d->app || !d->app[i])
		return 0;
	struct dbl_app_path *ap = calloc(1, sizeof(*ap));
	if (!ap || dbl_app_path_copy(ap, d->app[i]) < 0) {
		dbl_app_path_release(ap);
		free(ap);
		return -DBL_ENOMEM;
	}
	dbl_app_path_judge(ap, tr->probes, tr->n_probes);
	tr->app = ap;
	tr->ok = ap->ok; /* the other transports stay as evidence */
	return 0;
}

void dbl_session_app_release(struct dbl_session *d)
{
	for (size_t i = 0; d->app && i < d->n_targets; i++) {
		dbl_app_path_release(d->app[i]);
		free(d->app[i]);
	}
	free(d->app);
	if (d->appconf)
		dbl_appconf_release(d->appconf);
	free(d->appconf);
	free(d->app_options);
	d->app = NULL;
	d->appconf = NULL;
	d->app_options = NULL;
}
