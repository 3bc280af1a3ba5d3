/* dbloop explain's client block: php.ini read for PHP's default socket
 * (discover/phpini.c), and the block in text and JSON. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "cli/explain_client_out.h"
#include "discover/phpini.h"
#include "util/textfile.h"

int dbl_explain_php_ini(void *ctx, const char *key, char **value, char **source)
{
	return dbl_phpini_lookup((const char *)ctx, key, value, source);
}

static const char *host_said(const struct dbl_explain_client *c)
{
	return c->host_in_text ? c->path.host : "none in the message";
}

void dbl_explain_client_print(FILE *out, const struct dbl_explanation *e)
{
	const struct dbl_explain_client *c = &e->client;
	if (!c->found)
		return;
	const struct dbl_app_path *p = &c->path;
	char esc[DBL_ADDR_MAX * 4];
	fprintf(out, "client: %s, %s (named by %s)\n", c->named, c->driver,
		c->by);
	if (strcmp(c->named, p->client) != 0)
		fprintf(out,
			"  not in dbloop's verified table: read as %s, "
			"the verified driver nearest to it\n",
			p->client);
	fprintf(out, "  host: %s: %s\n",
		dbl_line_escape(esc, sizeof(esc), host_said(c)), p->rule);
	for (size_t i = 0; i < p->n_steps; i++)
		fprintf(out, "%s %s %s\n", i ? "  then:" : "  path:",
			dbl_transport_name(p->steps[i].transport),
			dbl_line_escape(esc, sizeof(esc), p->steps[i].address));
	if (p->socket && p->socket_source)
		fprintf(out, "  socket from %s\n",
			dbl_line_escape(esc, sizeof(esc), p->socket_source));
	if (c->settle)
		fprintf(out, "  check: %s\n", c->settle);
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

cJSON *dbl_explain_client_json(const struct dbl_explanation *e)
{
	const struct dbl_explain_client *c = &e->client;
	if (!c->found)
		return cJSON_CreateNull();
	const struct dbl_app_path *p = &c->path;
	cJSON *o = cJSON_CreateObject();
	cJSON *steps = cJSON_CreateArray();
	if (!o || !steps) {
		cJSON_Delete(o);
		cJSON_Delete(steps);
		return NULL;
	}
	cJSON_AddStringToObject(o, "name", c->named);
	cJSON_AddStringToObject(o, "row", p->client);
	cJSON_AddStringToObject(o, "driver", c->driver);
	cJSON_AddItemToObject(o, "verified",
			      str_or_null(strcmp(c->named, p->client) == 0
						  ? p->verified
						  : NULL));
	cJSON_AddStringToObject(o, "by", c->by);
	cJSON_AddItemToObject(o, "host",
			      str_or_null(c->host_in_text ? p->host : NULL));
	cJSON_AddItemToObject(
		o, "transport",
		str_or_null(p->n_steps
				    ? dbl_transport_name(p->steps[0].transport)
				    : NULL));
	cJSON_AddItemToObject(
		o, "address",
		str_or_null(p->n_steps ? p->steps[0].address : NULL));
	cJSON_AddItemToObject(o, "socket", str_or_null(p->socket));
	cJSON_AddItemToObject(o, "source", str_or_null(p->socket_source));
	cJSON_AddStringToObject(o, "rule", p->rule ? p->rule : "");
	for (size_t i = 0; i < p->n_steps; i++) {
		cJSON *s = cJSON_CreateObject();
		if (!s)
			break;
		cJSON_AddStringToObject(
			s, "transport",
			dbl_transport_name(p->steps[i].transport));
		cJSON_AddStringToObject(s, "address", p->steps[i].address);
		cJSON_AddItemToArray(steps, s);
	}
	cJSON_AddItemToObject(o, "steps", steps);
	cJSON_AddItemToObject(o, "fix", str_or_null(c->fix[0] ? c->fix : NULL));
	cJSON_AddItemToObject(o, "settle", str_or_null(c->settle));
	return o;
}
