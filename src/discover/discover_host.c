/* Host facts (how localhost resolves, IPv6 on the loopback, containers)
 * and the listening sockets of this machine. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dbloop/discover.h"
#include "discover/hosts.h"
#include "discover/procnet.h"
#include "util/textfile.h"

static int resolve_localhost(struct dbl_host_facts *h)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	h->localhost_eai = getaddrinfo("localhost", NULL, &hints, &res);
	if (h->localhost_eai)
		return 0;
	int rc = 0;
	for (struct addrinfo *ai = res; ai && rc == 0; ai = ai->ai_next) {
		char text[INET6_ADDRSTRLEN] = "";
		const void *a =
			ai->ai_family == AF_INET6
				? (const void *)&(
					  (struct sockaddr_in6 *)ai->ai_addr)
					  ->sin6_addr
				: (const void *)&(
					  (struct sockaddr_in *)ai->ai_addr)
					  ->sin_addr;
		if (!inet_ntop(ai->ai_family, a, text, sizeof(text)))
			continue;
		if (!dbl_strlist_contains(&h->localhost_addrs, text))
			rc = dbl_strlist_push(&h->localhost_addrs, text);
	}
	freeaddrinfo(res);
	return rc;
}

/* Binding ::1 fails with EADDRNOTAVAIL when IPv6 is disabled on lo. */
static bool ipv6_loopback_usable(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	bool ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

static const char *cgroup_runtime(const char *text)
{
	static const char *const names[] = {"docker", "podman", "kubepods",
					    "containerd", "libpod"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strstr(text, names[i]))
			return names[i];
	return NULL;
}

static void detect_container(struct dbl_host_facts *h, const char *root)
{
	static const char *const marks[] = {"/.dockerenv",
					    "/run/.containerenv"};
	for (size_t i = 0; i < 2; i++) {
		char *path = dbl_rooted_path(root, marks[i]);
		bool found = path && access(path, F_OK) == 0;
		free(path);
		if (found) {
			h->in_container = true;
			dbl_strlcpy(h->container_evidence, marks[i],
				    sizeof(h->container_evidence));
			return;
		}
	}
	char *path = dbl_rooted_path(root, "/proc/1/cgroup");
	char *text = NULL;
	if (path && dbl_textfile_read(path, NULL, &text, NULL) == 0) {
		const char *rt = cgroup_runtime(text);
		if (rt) {
			h->in_container = true;
			snprintf(h->container_evidence,
				 sizeof(h->container_evidence), "cgroup: %s",
				 rt);
		}
	}
	free(text);
	free(path);
}

static bool exists_under(const char *root, const char *path)
{
	char *p = dbl_rooted_path(root, path);
	bool found = p && access(p, F_OK) == 0;
	free(p);
	return found;
}

/* systemd runs when /run/systemd/system exists (sd_booted's test); the
 * database units and SysV scripts installed; postgresql-common. */
static int detect_services(struct dbl_host_facts *h, const char *root)
{
	static const char *const dirs[] = {"/etc/systemd/system",
					   "/lib/systemd/system",
					   "/usr/lib/systemd/system"};
	static const char *const units[] = {
		"postgresql@.service", "postgresql.service", "mariadb.service",
		"mysql.service", "mysqld.service"};
	static const char *const scripts[] = {"postgresql", "mariadb", "mysql"};
	h->init = exists_under(root, "/run/systemd/system") ? DBL_INIT_SYSTEMD
							    : DBL_INIT_OTHER;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		for (size_t j = 0; j < sizeof(dirs) / sizeof(dirs[0]); j++) {
			char path[128];
			snprintf(path, sizeof(path), "%s/%s", dirs[j],
				 units[i]);
			if (exists_under(root, path) &&
			    !dbl_strlist_contains(&h->units, units[i])) {
				if (dbl_strlist_push(&h->units, units[i]) < 0)
					return -DBL_ENOMEM;
			}
		}
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/etc/init.d/%s", scripts[i]);
		if (exists_under(root, path) &&
		    dbl_strlist_push(&h->init_scripts, scripts[i]) < 0)
			return -DBL_ENOMEM;
	}
	h->pg_ctlcluster = exists_under(root, "/usr/bin/pg_ctlcluster");
	h->is_root = geteuid() == 0;
	const char *home = getenv("HOME");
	if (home && home[0] == '/' && !(h->home = dbl_strdup(home)))
		return -DBL_ENOMEM;
	static const char *const compose[] = {"compose.yaml", "compose.yml",
					      "docker-compose.yml",
					      "docker-compose.yaml"};
	for (size_t i = 0; i < 4 && !h->compose_file; i++)
		if (access(compose[i], F_OK) == 0 &&
		    !(h->compose_file = dbl_strdup(compose[i])))
			return -DBL_ENOMEM;
	return 0;
}

int dbl_discover_host(struct dbl_facts *f, const struct dbl_discover_paths *p)
{
	const char *hosts = p && p->etc_hosts ? p->etc_hosts : "/etc/hosts";
	if (resolve_localhost(&f->host) < 0)
		return -DBL_ENOMEM;
	int rc = dbl_hosts_localhost_lines(hosts, &f->host.hosts_lines,
					   &f->warnings);
	if (rc == -DBL_ENOMEM)
		return rc;
	f->host.ipv6_loopback = ipv6_loopback_usable();
	detect_container(&f->host, p ? p->root : NULL);
	return detect_services(&f->host, p ? p->root : NULL);
}

/* Reads one /proc/net table; a missing table (no IPv6) is not an error. */
static int read_table(const char *dir, const char *file, int family,
		      struct dbl_listener_list *l, struct dbl_strlist *w,
		      bool *read_any)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	char *text = NULL;
	if (dbl_textfile_read(path, w, &text, NULL) < 0)
		return 0;
	*read_any = true;
	int rc = family == AF_UNIX
			 ? dbl_procnet_parse_unix(text, path, l, w)
			 : dbl_procnet_parse_tcp(text, family, path, l, w);
	free(text);
	return rc;
}

int dbl_discover_listeners(struct dbl_facts *f,
			   const struct dbl_discover_paths *p)
{
	const char *dir = p && p->proc_net ? p->proc_net : "/proc/net";
	struct dbl_listener_list l = {0};
	bool read_any = false;
	int rc = read_table(dir, "tcp", AF_INET, &l, &f->warnings, &read_any);
	if (rc == 0)
		rc = read_table(dir, "tcp6", AF_INET6, &l, &f->warnings,
				&read_any);
	if (rc == 0)
		rc = read_table(dir, "unix", AF_UNIX, &l, &f->warnings,
				&read_any);
	/* Owners only for the live tables: fixtures have no processes. */
	if (rc == 0 && read_any && !(p && p->proc_net))
		dbl_procnet_find_owners(&l, "/proc");
	if (rc == 0 && !read_any)
		rc = dbl_procnet_known_paths(&l, p ? p->root : NULL);
	if (rc < 0) {
		free(l.items);
		return rc;
	}
	dbl_procnet_tag(&l);
	free(f->listeners);
	f->listeners = l.items;
	f->n_listeners = l.n;
	return 0;
}
