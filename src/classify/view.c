/* The helpers view.h declares: queries over one target's probes and facts
 * that the probe classifier, the finding rules and the fix writers share,
 * and the parsers of the server texts they look into. Pure: no I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "classify/view.h"

/* ---- shared helpers ---------------------------------------------------- */

bool dbl_transport_is_tcp(enum dbl_transport t)
{
	return t == DBL_TRANSPORT_TCP4 || t == DBL_TRANSPORT_TCP6 ||
	       t == DBL_TRANSPORT_LOCALHOST || t == DBL_TRANSPORT_HOST;
}

bool dbl_setting_is_on(const char *v)
{
	return v && (strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0 ||
		     strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0);
}

const char *dbl_results_setting(const struct dbl_result *all, size_t n,
				const char *name)
{
	for (size_t i = 0; all && i < n; i++) {
		const char *v = dbl_result_setting(&all[i], name);
		if (v)
			return v;
	}
	return NULL;
}

bool dbl_copy_until_quote(const char *s, char quote, char *out, size_t len)
{
	const char *end = strchr(s, quote);
	if (!end || (size_t)(end - s) >= len)
		return false;
	memcpy(out, s, (size_t)(end - s));
	out[end - s] = '\0';
	return true;
}

bool dbl_mysql_msg_account(const char *msg, char *user, size_t ulen, char *host,
			   size_t hlen)
{
	const char *p = msg ? strstr(msg, "for user '") : NULL;
	if (!p)
		return false;
	p += strlen("for user '");
	if (!dbl_copy_until_quote(p, '\'', user, ulen))
		return false;
	const char *at = strstr(p, "'@'");
	return at && dbl_copy_until_quote(at + 3, '\'', host, hlen);
}

bool dbl_source_split(const char *source, char *file, size_t flen, int *line)
{
	const char *p = source ? strstr(source, " line ") : NULL;
	if (!p || (size_t)(p - source) >= flen || source[0] != '/')
		return false;
	memcpy(file, source, (size_t)(p - source));
	file[p - source] = '\0';
	*line = atoi(p + 6);
	return *line > 0;
}

/* "2026-11-22 01:54:27.215324+00" (ISO DateStyle, offset [+-]HH[:MM[:SS]])
 * to seconds since the epoch; -1 when it has another shape. */
static time_t pg_timestamp(const char *s)
{
	struct tm tm = {0};
	int used = 0;
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
		   &used) != 6)
		return -1;
	const char *p = s + used;
	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	int sign = *p == '+' ? 1 : *p == '-' ? -1 : 0, oh = 0, om = 0, os = 0;
	if (!sign || sscanf(p + 1, "%2d:%2d:%2d", &oh, &om, &os) < 1)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	return t == (time_t)-1 ? -1 : t - sign * (oh * 3600 + om * 60 + os);
}

double dbl_server_uptime(const struct dbl_result *all, size_t n, time_t now)
{
	const char *u = dbl_results_setting(all, n, "uptime");
	if (u && *u)
		return strtod(u, NULL);
	/* PostgreSQL has no uptime setting: its start time against now. */
	const char *st =
		dbl_results_setting(all, n, "pg_postmaster_start_time");
	time_t at = st ? pg_timestamp(st) : -1;
	return at < 0 || at > now + 5 ? -1 : (double)(now - at);
}

int dbl_tcp_setting(const struct dbl_result *all, size_t n)
{
	const char *skip = dbl_results_setting(all, n, "@@skip_networking");
	if (skip && *skip)
		return dbl_setting_is_on(skip) ? 0 : 1;
	const char *la = dbl_results_setting(all, n, "listen_addresses");
	if (la) {
		/* '' and a list of blanks both mean no TCP socket. */
		return la[strspn(la, " \t'\"")] ? 1 : 0;
	}
	return -1;
}

/* ---- per target ------------------------------------------------------- */

unsigned dbl_diag_class_mask(const struct dbl_diag *d, enum dbl_class c)
{
	unsigned m = 0;
	for (int t = 0; t < DBL_TRANSPORT__COUNT; t++)
		if (d->by[t] && d->by[t]->cls == c)
			m |= DBL_TRANSPORT_BIT(t);
	return m;
}

const char *dbl_diag_setting(const struct dbl_diag *d, const char *name)
{
	for (size_t i = 0; i < d->tr->n_probes; i++) {
		const char *v = dbl_result_setting(&d->tr->probes[i].r, name);
		if (v)
			return v;
	}
	return NULL;
}

int dbl_diag_port(const struct dbl_diag *d)
{
	if (d->t->port > 0)
		return d->t->port;
	return d->t->engine == DBL_ENGINE_POSTGRES ? 5432 : 3306;
}

/* A port other than the target's on which a listener of the engine was
 * found (TCP, or a PostgreSQL socket name), or what the server reached
 * over the socket says it listens on; 0 when none. */
int dbl_diag_other_port(const struct dbl_diag *d)
{
	const struct dbl_listener *ls[32];
	size_t n = dbl_facts_listeners_of(d->f, (int)d->t->engine, ls, 32);
	int want = dbl_diag_port(d);
	for (size_t i = 0; i < n; i++)
		if (ls[i]->family != AF_UNIX && ls[i]->port > 0 &&
		    ls[i]->port != want)
			return ls[i]->port;
	for (size_t i = 0; i < n; i++) {
		const char *s = strstr(ls[i]->path, ".s.PGSQL.");
		if (ls[i]->family == AF_UNIX && s && atoi(s + 9) != want)
			return atoi(s + 9);
	}
	const char *p = dbl_diag_setting(
		d, d->t->engine == DBL_ENGINE_MYSQL ? "@@port" : "port");
	if (p && atoi(p) > 0 && atoi(p) != want && d->by[DBL_TRANSPORT_UNIX] &&
	    d->by[DBL_TRANSPORT_UNIX]->cls == DBL_CLASS_OK)
		return atoi(p);
	return 0;
}

double dbl_diag_uptime(const struct dbl_diag *d)
{
	time_t now = time(NULL);
	for (size_t i = 0; i < d->tr->n_probes; i++) {
		double up = dbl_server_uptime(&d->tr->probes[i].r, 1, now);
		if (up >= 0)
			return up;
	}
	return -1;
}

/* This machine as a client names it: no host, a socket directory, the
 * name localhost or a loopback address. */
static bool is_local_name(const char *h)
{
	return !h || !*h || h[0] == '/' || strcasecmp(h, "localhost") == 0 ||
	       strncasecmp(h, "localhost.", 10) == 0 ||
	       strncmp(h, "127.", 4) == 0 || strcmp(h, "::1") == 0 ||
	       strcmp(h, "[::1]") == 0;
}

bool dbl_diag_local_in_container(const struct dbl_diag *d)
{
	return d->f->host.in_container && is_local_name(d->t->host);
}

bool dbl_diag_service_host(const struct dbl_diag *d, char *host, size_t hlen,
			   int *port, char *from, size_t flen)
{
	/* DATABASE_URL first, for this engine; then a *_HOST variable */
	for (int kind = DBL_ENV_HOST_URL; kind <= DBL_ENV_HOST_VAR; kind++)
		for (size_t i = 0; i < d->f->n_env_hosts; i++) {
			const struct dbl_env_host *h = &d->f->env_hosts[i];
			if ((int)h->kind != kind ||
			    !(h->engines & (1u << d->t->engine)) ||
			    is_local_name(h->host) || strlen(h->host) >= hlen ||
			    strlen(h->from) >= flen)
				continue;
			strcpy(host, h->host);
			strcpy(from, h->from);
			*port = h->port;
			return true;
		}
	*port = 0;
	return false;
}
