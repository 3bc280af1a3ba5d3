/* The path a driver takes for the host, port and socket it is configured
 * with (dbl_client_plan), and the verdict on it from the probes
 * (dbl_app_path_judge). Pure functions of their inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbloop/clients.h"
#include "dbloop/report.h"

static bool is_localhost(const char *h)
{
	return !h || !*h || strcasecmp(h, "localhost") == 0;
}

static void add_step(struct dbl_app_path *ap, enum dbl_transport t,
		     const char *address)
{
	for (size_t i = 0; i < ap->n_steps; i++)
		if (ap->steps[i].transport == t &&
		    strcmp(ap->steps[i].address, address) == 0)
			return;
	if (ap->n_steps >= DBL_APP_MAX_STEPS)
		return;
	struct dbl_app_step *s = &ap->steps[ap->n_steps++];
	memset(s, 0, sizeof(*s));
	s->transport = t;
	dbl_strlcpy(s->address, address, sizeof(s->address));
	s->cls = DBL_CLASS_UNKNOWN;
}

static void add_ip(struct dbl_app_path *ap, const char *ip, int port)
{
	char addr[DBL_ADDR_MAX];
	if (strchr(ip, ':')) {
		snprintf(addr, sizeof(addr), "[%s]:%d", ip, port);
		add_step(ap, DBL_TRANSPORT_TCP6, addr);
	} else {
		snprintf(addr, sizeof(addr), "%s:%d", ip, port);
		add_step(ap, DBL_TRANSPORT_TCP4, addr);
	}
}

/* TCP steps for host in the order the driver tries them. */
static void tcp_steps(const struct dbl_client *c,
		      const struct dbl_client_in *in, struct dbl_app_path *ap)
{
	const char *h = in->host;
	char addr[DBL_ADDR_MAX];
	if (h && strcmp(h, "127.0.0.1") == 0) {
		add_ip(ap, h, in->port);
		return;
	}
	if (h && (strcmp(h, "::1") == 0 || strcmp(h, "[::1]") == 0)) {
		add_ip(ap, "::1", in->port);
		return;
	}
	if (!is_localhost(h)) {
		snprintf(addr, sizeof(addr), "%s:%d", h, in->port);
		add_step(ap, DBL_TRANSPORT_HOST, addr);
		return;
	}
	const struct dbl_strlist *l = in->localhost_addrs;
	if (!l || l->n == 0) {
		snprintf(addr, sizeof(addr), "localhost:%d", in->port);
		add_step(ap, DBL_TRANSPORT_LOCALHOST, addr);
		return;
	}
	if (c->addrs == DBL_ADDRS_FIRST_IPV4) {
		const char *pick = l->items[0];
		for (size_t i = 0; i < l->n; i++)
			if (!strchr(l->items[i], ':')) {
				pick = l->items[i];
				break;
			}
		add_ip(ap, pick, in->port);
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		add_ip(ap, l->items[i], in->port);
}

static int set(char **dst, const char *s)
{
	return dbl_set_str(dst, s);
}

static int socket_step(struct dbl_app_path *ap, const char *file,
		       const char *source)
{
	add_step(ap, DBL_TRANSPORT_UNIX, file);
	if (set(&ap->socket, file) < 0 || set(&ap->socket_source, source) < 0)
		return -DBL_ENOMEM;
	return 0;
}

static int pg_socket(struct dbl_app_path *ap, const char *dir, int port,
		     const char *source)
{
	char file[DBL_ADDR_MAX];
	snprintf(file, sizeof(file), "%s%s.s.PGSQL.%d", dir,
		 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", port);
	return socket_step(ap, file, source);
}

static int plan_mysql(const struct dbl_client *c,
		      const struct dbl_client_in *in, struct dbl_app_path *ap)
{
	bool sock = in->socket && *in->socket;
	if (c->socket_ignored) {
		tcp_steps(c, in, ap);
		return set(&ap->rule,
			   sock ? "always TCP: the socket setting is ignored"
				: "always TCP, localhost included");
	}
	if (sock && c->socket_any_host) {
		int rc = socket_step(ap, in->socket, "configured");
		return rc ? rc
			  : set(&ap->rule, "a configured socket is used "
					   "whatever the host");
	}
	if (c->localhost_socket && is_localhost(in->host)) {
		if (c->port_means_tcp && in->port_given && !sock) {
			tcp_steps(c, in, ap);
			return set(&ap->rule,
				   "localhost with a port and no socket means "
				   "TCP to this client");
		}
		const char *file = sock			? in->socket
				   : in->default_socket ? in->default_socket
							: c->default_socket;
		const char *src = sock		       ? "configured"
				  : in->default_socket ? in->default_source
						       : c->default_from;
		int rc = socket_step(ap, file, src ? src : "default");
		return rc ? rc
			  : set(&ap->rule, "localhost means the Unix socket, "
					   "the port is not used");
	}
	tcp_steps(c, in, ap);
	return set(&ap->rule, is_localhost(in->host)
				      ? "localhost means TCP to this driver"
				      : "a host name or address means TCP");
}

static int plan_pg(const struct dbl_client *c, const struct dbl_client_in *in,
		   struct dbl_app_path *ap)
{
	const char *h = in->host;
	bool none = !h || !*h;
	if (!none && h[0] == '/') {
		if (!c->slash_host_socket || c->socket_ignored)
			return set(&ap->rule, "this driver cannot use a Unix "
					      "socket directory as host");
		int rc = pg_socket(ap, h, in->port, "configured host");
		return rc ? rc
			  : set(&ap->rule, "a host starting with '/' is the "
					   "socket directory");
	}
	if (none && c->nohost == DBL_NOHOST_SOCKET) {
		const char *dir = in->default_socket ? in->default_socket
						     : c->default_socket;
		const char *src = in->default_socket ? in->default_source
						     : c->default_from;
		int rc = pg_socket(ap, dir, in->port, src ? src : "default");
		return rc ? rc
			  : set(&ap->rule,
				"no host means the default socket directory");
	}
	if (none && c->nohost == DBL_NOHOST_SOCKET_SEARCH && in->pgx_dir) {
		int rc = pg_socket(ap, in->pgx_dir, in->port, c->default_from);
		return rc ? rc
			  : set(&ap->rule, "no host means the first socket "
					   "directory of its search list");
	}
	tcp_steps(c, in, ap);
	return set(&ap->rule, none ? "no host means localhost over TCP"
				   : "a host name or address means TCP");
}

int dbl_client_plan(const struct dbl_client *c, const struct dbl_client_in *in,
		    struct dbl_app_path *ap)
{
	ap->via = -1;
	if (set(&ap->client, c->name) < 0 || set(&ap->driver, c->driver) < 0 ||
	    set(&ap->verified, c->verified) < 0 ||
	    set(&ap->host, in->host ? in->host : "") < 0)
		return -DBL_ENOMEM;
	ap->port = in->port;
	return c->engine == DBL_ENGINE_MYSQL ? plan_mysql(c, in, ap)
					     : plan_pg(c, in, ap);
}

unsigned dbl_app_path_transports(const struct dbl_app_path *ap)
{
	unsigned mask = 0;
	for (size_t i = 0; i < ap->n_steps; i++)
		mask |= DBL_TRANSPORT_BIT(ap->steps[i].transport);
	return mask;
}

void dbl_app_path_judge(struct dbl_app_path *ap,
			const struct dbl_probe_report *p, size_t n)
{
	ap->ok = false;
	ap->via = -1;
	for (size_t i = 0; i < ap->n_steps; i++)
		ap->steps[i].tried = false;
	for (size_t i = 0; i < ap->n_steps; i++) {
		struct dbl_app_step *s = &ap->steps[i];
		const struct dbl_result *hit = NULL;
		s->tried = true;
		s->ok = false;
		s->cls = DBL_CLASS_UNKNOWN;
		for (size_t k = 0; k < n; k++)
			if (p[k].r.transport == s->transport) {
				hit = &p[k].r;
				s->cls = p[k].cls;
				break;
			}
		if (hit && hit->ok) {
			s->ok = true;
			ap->ok = true;
			ap->via = (int)i;
			return;
		}
		/* Only a failed connect sends the driver to the next address:
		 * a server that answered and said no ends the attempt. */
		if (hit && hit->stage > DBL_STAGE_CONNECT)
			return;
	}
}

int dbl_app_path_copy(struct dbl_app_path *dst, const struct dbl_app_path *src)
{
	*dst = *src;
	dst->client = dst->driver = dst->verified = dst->rule = dst->host =
		dst->socket = dst->socket_source = NULL;
	memset(&dst->config, 0, sizeof(dst->config));
	if (set(&dst->client, src->client) < 0 ||
	    set(&dst->driver, src->driver) < 0 ||
	    set(&dst->verified, src->verified) < 0 ||
	    set(&dst->rule, src->rule) < 0 || set(&dst->host, src->host) < 0 ||
	    set(&dst->socket, src->socket) < 0 ||
	    set(&dst->socket_source, src->socket_source) < 0)
		return -DBL_ENOMEM;
	for (size_t i = 0; i < src->config.n; i++)
		if (dbl_strlist_push(&dst->config, src->config.items[i]) < 0)
			return -DBL_ENOMEM;
	return 0;
}

void dbl_app_path_release(struct dbl_app_path *ap)
{
	if (!ap)
		return;
	free(ap->client);
	free(ap->driver);
	free(ap->verified);
	free(ap->rule);
	free(ap->host);
	free(ap->socket);
	free(ap->socket_source);
	dbl_strlist_release(&ap->config);
	memset(ap, 0, sizeof(*ap));
}
