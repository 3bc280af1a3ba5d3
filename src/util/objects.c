/* Constructors and destructors of the shared structs. */
#include <stdlib.h>
#include <string.h>

#include "dbloop/facts.h"
#include "dbloop/options.h"
#include "dbloop/report.h"
#include "dbloop/result.h"

void dbl_options_init(struct dbl_options *o)
{
	memset(o, 0, sizeof(*o));
	o->ssl_mode = DBL_SSL_PREFER;
	o->max_stage = DBL_STAGE_QUERY;
	o->timeout_ms = 3000;
	o->require = DBL_REQUIRE_ALL;
	o->format = DBL_FORMAT_TEXT;
	o->color = DBL_COLOR_AUTO;
	o->interval_ms = 1000;
	o->wait_timeout_ms = 60000;
}

struct dbl_target *dbl_target_new(enum dbl_engine e)
{
	struct dbl_target *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->engine = e;
	t->ssl_mode = DBL_SSL_PREFER;
	t->max_stage = DBL_STAGE_QUERY;
	t->timeout_ms = 3000;
	t->transports = DBL_TRANSPORTS_LOCAL;
	return t;
}

void dbl_target_free(struct dbl_target *t)
{
	if (!t)
		return;
	if (t->password) {
		dbl_secure_zero(t->password, strlen(t->password));
		free(t->password);
	}
	free(t->label);
	free(t->host);
	free(t->socket_path);
	free(t->user);
	free(t->database);
	free(t->ssl_ca);
	free(t->ssl_cert);
	free(t->ssl_key);
	for (int i = 0; i < DBL_SET__COUNT; i++) {
		free(t->origin[i].value);
		free(t->origin[i].source);
	}
	free(t);
}

int dbl_target_set_origin(struct dbl_target *t, enum dbl_target_setting s,
			  const char *value, const char *source)
{
	if ((int)s < 0 || s >= DBL_SET__COUNT)
		return -DBL_EINVAL;
	if (dbl_set_str(&t->origin[s].value, value) < 0 ||
	    dbl_set_str(&t->origin[s].source, source) < 0)
		return -DBL_ENOMEM;
	return 0;
}

void dbl_result_init(struct dbl_result *r, enum dbl_engine e,
		     enum dbl_transport t, enum dbl_stage max_stage)
{
	memset(r, 0, sizeof(*r));
	r->engine = e;
	r->transport = t;
	r->max_stage = max_stage;
	r->stage = DBL_STAGE_RESOLVE;
	r->protocol = DBL_PROTO_NONE;
	r->pg.auth_request = DBL_PG_AUTH_NONE;
}

const char *dbl_result_setting(const struct dbl_result *r, const char *name)
{
	for (int i = 0; i < r->n_settings && i < DBL_MAX_SETTINGS; i++)
		if (!r->settings[i].denied &&
		    strcmp(r->settings[i].name, name) == 0)
			return r->settings[i].value;
	return NULL;
}

int dbl_result_add_setting(struct dbl_result *r, const char *name,
			   const char *value, bool denied)
{
	if (r->n_settings >= DBL_MAX_SETTINGS)
		return -DBL_ENOMEM;
	struct dbl_setting *s = &r->settings[r->n_settings++];
	dbl_strlcpy(s->name, name, sizeof(s->name));
	dbl_strlcpy(s->value, denied ? "" : value, sizeof(s->value));
	s->denied = denied;
	return 0;
}

void dbl_result_add_attempt(struct dbl_result *r, const char *address, int err,
			    double elapsed_ms)
{
	if (r->n_attempts >= DBL_MAX_ATTEMPTS)
		return;
	struct dbl_attempt *a = &r->attempts[r->n_attempts++];
	dbl_strlcpy(a->address, address, sizeof(a->address));
	a->err = err;
	a->elapsed_ms = elapsed_ms;
}

void dbl_hba_clear(struct dbl_pg_server_conf *c)
{
	for (size_t i = 0; i < c->n_hba; i++) {
		struct dbl_hba_rule *h = &c->hba[i];
		free(h->file);
		free(h->type);
		free(h->database);
		free(h->user);
		free(h->address);
		free(h->method);
		free(h->raw);
	}
	free(c->hba);
	c->hba = NULL;
	c->n_hba = 0;
}

static void conf_value_release(struct dbl_conf_value *v)
{
	free(v->value);
	free(v->source);
	v->value = v->source = NULL;
}

struct dbl_facts *dbl_facts_new(void)
{
	struct dbl_facts *f = calloc(1, sizeof(*f));
	if (f)
		dbl_strlcpy(f->host.os, "linux", sizeof(f->host.os));
	return f;
}

void dbl_facts_free(struct dbl_facts *f)
{
	if (!f)
		return;
	dbl_strlist_release(&f->host.localhost_addrs);
	dbl_strlist_release(&f->host.hosts_lines);
	dbl_strlist_release(&f->host.units);
	dbl_strlist_release(&f->host.init_scripts);
	free(f->host.compose_file);
	free(f->host.home);
	free(f->listeners);
	free(f->pg.data_dir);
	free(f->pg.conf_file);
	free(f->pg.conf_path);
	free(f->pg.hba_path);
	free(f->pg.unit);
	free(f->pg.owner);
	free(f->pg.hba_file);
	conf_value_release(&f->pg.listen_addresses);
	conf_value_release(&f->pg.port);
	conf_value_release(&f->pg.unix_socket_directories);
	conf_value_release(&f->pg.ssl);
	conf_value_release(&f->pg.password_encryption);
	dbl_hba_clear(&f->pg);
	free(f->my.conf_file);
	free(f->my.server_file);
	dbl_strlist_release(&f->my.files);
	conf_value_release(&f->my.bind_address);
	conf_value_release(&f->my.skip_networking);
	conf_value_release(&f->my.socket);
	conf_value_release(&f->my.port);
	conf_value_release(&f->my.skip_name_resolve);
	conf_value_release(&f->my.require_secure_transport);
	free(f->pgpass.file);
	free(f->mysql_default_socket);
	free(f->mysql_client_version);
	free(f->libpq_version);
	dbl_strlist_release(&f->option_files_read);
	dbl_strlist_release(&f->warnings);
	dbl_strlist_release(&f->hints);
	for (size_t i = 0; i < f->n_env_hosts; i++) {
		free(f->env_hosts[i].host);
		free(f->env_hosts[i].from);
	}
	free(f->env_hosts);
	free(f);
}

int dbl_facts_add_env_host(struct dbl_facts *f, enum dbl_env_host_kind kind,
			   const char *host, size_t host_len, int port,
			   unsigned engines, const char *from)
{
	struct dbl_env_host *n =
		realloc(f->env_hosts, (f->n_env_hosts + 1) * sizeof(*n));
	if (!n)
		return -DBL_ENOMEM;
	f->env_hosts = n;
	struct dbl_env_host *h = &n[f->n_env_hosts];
	*h = (struct dbl_env_host){kind, strndup(host, host_len), port, engines,
				   strdup(from)};
	if (!h->host || !h->from) {
		free(h->host);
		free(h->from);
		return -DBL_ENOMEM;
	}
	f->n_env_hosts++;
	return 0;
}

size_t dbl_facts_listeners_of(const struct dbl_facts *f, int engine,
			      const struct dbl_listener **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n_listeners && n < max; i++) {
		const struct dbl_listener *l = &f->listeners[i];
		if ((engine < 0 && l->engine >= 0) || l->engine == engine)
			out[n++] = l;
	}
	return n;
}

static const char *const step_kinds[DBL_STEP__COUNT] = {"shell", "sql",
							"config", "env", "url"};
static const char *const conf_actions[DBL_CONF__COUNT] = {
	"replace", "insert_after", "append", "comment_out"};

const char *dbl_step_kind_name(enum dbl_step_kind k)
{
	return (unsigned)k < DBL_STEP__COUNT ? step_kinds[k] : NULL;
}

int dbl_step_kind_parse(const char *name, enum dbl_step_kind *out)
{
	for (int i = 0; name && i < DBL_STEP__COUNT; i++)
		if (strcmp(name, step_kinds[i]) == 0) {
			*out = (enum dbl_step_kind)i;
			return 0;
		}
	return -DBL_EINVAL;
}

const char *dbl_conf_action_name(enum dbl_conf_action a)
{
	return (unsigned)a < DBL_CONF__COUNT ? conf_actions[a] : NULL;
}

int dbl_conf_action_parse(const char *name, enum dbl_conf_action *out)
{
	for (int i = 0; name && i < DBL_CONF__COUNT; i++)
		if (strcmp(name, conf_actions[i]) == 0) {
			*out = (enum dbl_conf_action)i;
			return 0;
		}
	return -DBL_EINVAL;
}

void dbl_step_release(struct dbl_step *s)
{
	free(s->text);
	free(s->run_as);
	free(s->client);
	free(s->file);
	free(s->group);
	free(s->name);
	free(s->value);
	free(s->note);
	memset(s, 0, sizeof(*s));
}

void dbl_finding_release(struct dbl_finding *f)
{
	for (size_t i = 0; i < f->n_steps; i++)
		dbl_step_release(&f->steps[i]);
	free(f->steps);
	f->steps = NULL;
	f->n_steps = 0;
	free(f->summary);
	free(f->fix);
	dbl_strlist_release(&f->evidence);
	dbl_strlist_release(&f->commands);
	f->summary = f->fix = NULL;
}

struct dbl_report *dbl_report_new(void)
{
	struct dbl_report *rep = calloc(1, sizeof(*rep));
	if (rep)
		rep->max_stage = DBL_STAGE_QUERY;
	return rep;
}

static void target_report_release(struct dbl_target_report *tr)
{
	free(tr->target);
	free(tr->product);
	free(tr->version);
	dbl_strlist_release(&tr->settings);
	free(tr->probes);
	for (size_t i = 0; i < tr->n_findings; i++)
		dbl_finding_release(&tr->findings[i]);
	free(tr->findings);
	dbl_app_path_release(tr->app);
	free(tr->app);
}

void dbl_report_free(struct dbl_report *rep)
{
	if (!rep)
		return;
	free(rep->dbloop_version);
	free(rep->generated_at);
	free(rep->os);
	dbl_strlist_release(&rep->localhost_resolves_to);
	dbl_strlist_release(&rep->warnings);
	for (size_t i = 0; i < rep->n_targets; i++)
		target_report_release(&rep->targets[i]);
	free(rep->targets);
	free(rep);
}

struct dbl_target_report *dbl_report_add_target(struct dbl_report *rep)
{
	struct dbl_target_report *t =
		realloc(rep->targets, (rep->n_targets + 1) * sizeof(*t));
	if (!t)
		return NULL;
	rep->targets = t;
	memset(&t[rep->n_targets], 0, sizeof(*t));
	return &t[rep->n_targets++];
}
