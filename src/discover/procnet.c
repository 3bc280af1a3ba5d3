/* /proc/net/{tcp,tcp6,unix} parsing, owner lookup and engine tagging. */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbloop/common.h"
#include "discover/procnet.h"
#include "util/textfile.h"

#define TCP_LISTEN 0x0A
#define UNIX_ACCEPTCON 0x00010000UL /* __SO_ACCEPTCON in the Flags column */
#define MAX_PIDS 8192
#define MAX_FDS_PER_PID 4096

static struct dbl_listener *listener_add(struct dbl_listener_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct dbl_listener *items =
			realloc(l->items, cap * sizeof(*items));
		if (!items)
			return NULL;
		l->items = items;
		l->cap = cap;
	}
	struct dbl_listener *x = &l->items[l->n++];
	memset(x, 0, sizeof(*x));
	x->engine = -1;
	return x;
}

/* The kernel prints each 32-bit word of the address as the native integer
 * in hex, so copying the parsed integer back restores network order. */
static int parse_hex_addr(const char *hex, size_t hexlen, int family, char *out,
			  size_t outlen)
{
	unsigned char raw[16];
	size_t words = family == AF_INET ? 1 : 4;
	if (hexlen != words * 8)
		return -1;
	for (size_t i = 0; i < words; i++) {
		char word[9];
		memcpy(word, hex + i * 8, 8);
		word[8] = '\0';
		char *end;
		unsigned long v = strtoul(word, &end, 16);
		if (*end)
			return -1;
		uint32_t w = (uint32_t)v;
		memcpy(raw + i * 4, &w, 4);
	}
	return inet_ntop(family, raw, out, (socklen_t)outlen) ? 0 : -1;
}

/* "0100007F:C27F" -> address text and port. */
static int parse_endpoint(const char *field, int family, char *addr,
			  size_t addrlen, int *port)
{
	const char *colon = strchr(field, ':');
	if (!colon)
		return -1;
	if (parse_hex_addr(field, (size_t)(colon - field), family, addr,
			   addrlen) < 0)
		return -1;
	char *end;
	unsigned long p = strtoul(colon + 1, &end, 16);
	if (*end || end == colon + 1 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

static int tcp_row(char *line, int family, struct dbl_listener_list *out)
{
	char local[64], remote[64];
	unsigned state;
	unsigned long inode;
	/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
	if (sscanf(line, " %*[0-9]: %63s %63s %x %*s %*s %*s %*u %*u %lu",
		   local, remote, &state, &inode) != 4)
		return -1;
	if (state != TCP_LISTEN)
		return 0;
	char addr[64];
	int port;
	if (parse_endpoint(local, family, addr, sizeof(addr), &port) < 0)
		return -1;
	struct dbl_listener *x = listener_add(out);
	if (!x)
		return -DBL_ENOMEM;
	x->family = family;
	dbl_strlcpy(x->address, addr, sizeof(x->address));
	x->port = port;
	x->inode = inode;
	return 0;
}

/* Every row of a /proc/net table but its header through ROW; a malformed
 * row is a warning, not the end of the table. */
static int parse_rows(char *text, const char *name, int family,
		      int (*row)(char *, int, struct dbl_listener_list *),
		      struct dbl_listener_list *out,
		      struct dbl_strlist *warnings)
{
	char *cursor = text, *line;
	int lineno = 0;
	while ((line = dbl_textfile_next_line(&cursor))) {
		if (++lineno == 1 || line[strspn(line, " \t\r")] == '\0')
			continue; /* the header, or a blank line */
		int rc = row(line, family, out);
		if (rc == -DBL_ENOMEM)
			return rc;
		if (rc < 0)
			dbl_warn(warnings, "%s line %d: malformed row ignored",
				 name, lineno);
	}
	return 0;
}

int dbl_procnet_parse_tcp(char *text, int family, const char *name,
			  struct dbl_listener_list *out,
			  struct dbl_strlist *warnings)
{
	return parse_rows(text, name, family, tcp_row, out, warnings);
}

static int unix_row(char *line, int family, struct dbl_listener_list *out)
{
	unsigned long flags, inode;
	unsigned type, st;
	int path_at = -1;
	/* Num RefCount Protocol Flags Type St Inode Path */
	if (sscanf(line, "%*[0-9a-fA-F]: %*x %*x %lx %x %x %lu %n", &flags,
		   &type, &st, &inode, &path_at) != 4)
		return -1;
	if (!(flags & UNIX_ACCEPTCON) || path_at < 0 || !line[path_at])
		return 0; /* not listening, or unnamed */
	struct dbl_listener *x = listener_add(out);
	if (!x)
		return -DBL_ENOMEM;
	x->family = family;
	x->inode = inode;
	if (dbl_strlcpy(x->path, line + path_at, sizeof(x->path)) >=
	    sizeof(x->path))
		out->n--; /* longer than any sun_path: not a real row */
	return 0;
}

int dbl_procnet_parse_unix(char *text, const char *name,
			   struct dbl_listener_list *out,
			   struct dbl_strlist *warnings)
{
	return parse_rows(text, name, AF_UNIX, unix_row, out, warnings);
}

static struct dbl_listener *by_inode(struct dbl_listener_list *l,
				     unsigned long inode)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].inode == inode)
			return &l->items[i];
	return NULL;
}

static void read_comm(const char *proc_root, const char *pid, char *out,
		      size_t outlen)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s/comm", proc_root, pid);
	FILE *fp = fopen(path, "re");
	if (!fp)
		return;
	if (fgets(out, (int)outlen, fp))
		out[strcspn(out, "\n")] = '\0';
	fclose(fp);
}

/* /proc/PID/cmdline with its NULs as spaces ("" when unreadable). */
static void read_cmdline(const char *proc_root, const char *pid, char *out,
			 size_t outlen)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s/cmdline", proc_root, pid);
	out[0] = '\0';
	FILE *fp = fopen(path, "re");
	if (!fp)
		return;
	size_t n = fread(out, 1, outlen - 1, fp);
	fclose(fp);
	while (n > 0 && out[n - 1] == '\0')
		n--;
	for (size_t i = 0; i < n; i++)
		if (out[i] == '\0' || (unsigned char)out[i] < 0x20)
			out[i] = ' ';
	out[n] = '\0';
}

/* Marks every listener whose inode one of pid's descriptors holds. */
static void scan_pid(struct dbl_listener_list *l, const char *proc_root,
		     const char *pid)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s/fd", proc_root, pid);
	DIR *d = opendir(path);
	if (!d)
		return;
	char comm[32] = "", cmdline[1024] = "";
	struct dirent *e;
	int seen = 0;
	while ((e = readdir(d)) && seen++ < MAX_FDS_PER_PID) {
		char target[64];
		ssize_t len = readlinkat(dirfd(d), e->d_name, target,
					 sizeof(target) - 1);
		unsigned long inode;
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (sscanf(target, "socket:[%lu]", &inode) != 1)
			continue;
		struct dbl_listener *x = by_inode(l, inode);
		if (!x || x->process[0])
			continue;
		if (!comm[0]) {
			read_comm(proc_root, pid, comm, sizeof(comm));
			read_cmdline(proc_root, pid, cmdline, sizeof(cmdline));
		}
		dbl_strlcpy(x->process, comm, sizeof(x->process));
		dbl_strlcpy(x->cmdline, cmdline, sizeof(x->cmdline));
		x->pid = atoi(pid);
	}
	closedir(d);
}

void dbl_procnet_find_owners(struct dbl_listener_list *l, const char *proc_root)
{
	if (!l->n)
		return;
	DIR *d = opendir(proc_root ? proc_root : "/proc");
	if (!d)
		return;
	struct dirent *e;
	int pids = 0;
	while ((e = readdir(d)) && pids < MAX_PIDS) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pids++;
		scan_pid(l, proc_root ? proc_root : "/proc", e->d_name);
	}
	closedir(d);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* ".s.PGSQL.5433" -> 5433; 0 when the name is not a PostgreSQL socket. */
static int pg_socket_port(const char *path)
{
	const char *b = base_name(path);
	if (strncmp(b, ".s.PGSQL.", 9) != 0)
		return 0;
	int port = 0;
	if (dbl_parse_port(b + 9, &port) < 0)
		return 0;
	return port;
}

static bool is_mysql_socket_name(const char *path)
{
	const char *b = base_name(path);
	return strcmp(b, "mysqld.sock") == 0 || strcmp(b, "mysql.sock") == 0 ||
	       strcmp(b, "mariadb.sock") == 0;
}

static int engine_of_process(const char *comm)
{
	if (strcmp(comm, "postgres") == 0 || strcmp(comm, "postmaster") == 0)
		return DBL_ENGINE_POSTGRES;
	if (strcmp(comm, "mysqld") == 0 || strcmp(comm, "mariadbd") == 0)
		return DBL_ENGINE_MYSQL;
	return -1;
}

static bool pg_socket_for_port(const struct dbl_listener_list *l, int port)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].family == AF_UNIX &&
		    pg_socket_port(l->items[i].path) == port)
			return true;
	return false;
}

static void tag_one(const struct dbl_listener_list *l, struct dbl_listener *x)
{
	int e = engine_of_process(x->process);
	if (e >= 0) {
		x->engine = e;
		snprintf(x->why, sizeof(x->why), "process %s", x->process);
	} else if (x->family == AF_UNIX && pg_socket_port(x->path)) {
		x->engine = DBL_ENGINE_POSTGRES;
		snprintf(x->why, sizeof(x->why), "name %.40s",
			 base_name(x->path));
	} else if (x->family == AF_UNIX && is_mysql_socket_name(x->path)) {
		x->engine = DBL_ENGINE_MYSQL;
		snprintf(x->why, sizeof(x->why), "name %.40s",
			 base_name(x->path));
	} else if (x->family != AF_UNIX && pg_socket_for_port(l, x->port)) {
		x->engine = DBL_ENGINE_POSTGRES;
		snprintf(x->why, sizeof(x->why), "socket .s.PGSQL.%d", x->port);
	} else if (x->family != AF_UNIX && x->port == 5432) {
		x->engine = DBL_ENGINE_POSTGRES;
		dbl_strlcpy(x->why, "port 5432", sizeof(x->why));
	} else if (x->family != AF_UNIX && x->port == 3306) {
		x->engine = DBL_ENGINE_MYSQL;
		dbl_strlcpy(x->why, "port 3306", sizeof(x->why));
	}
}

void dbl_procnet_tag(struct dbl_listener_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		tag_one(l, &l->items[i]);
}

/* Default socket locations of the common packagings. */
static const char *const known_sockets[] = {
	"/var/run/postgresql/.s.PGSQL.*", /* Debian, Ubuntu */
	"/run/postgresql/.s.PGSQL.*",	  /* Red Hat, Arch */
	"/tmp/.s.PGSQL.*",		  /* upstream, Homebrew, Postgres.app */
	"/run/mysqld/mysqld.sock",	  /* Debian */
	"/var/run/mysqld/mysqld.sock",	  /* Debian (old path) */
	"/var/lib/mysql/mysql.sock",	  /* Red Hat */
	"/tmp/mysql.sock",		  /* upstream, Homebrew */
	"/Applications/MAMP/tmp/mysql/mysql.sock", /* MAMP */
	"/opt/lampp/var/mysql/mysql.sock",	   /* XAMPP on Linux */
	"/Applications/XAMPP/xamppfiles/var/mysql/mysql.sock", /* XAMPP macOS */
	"/opt/homebrew/var/mysql/mysql.sock", /* Homebrew on Apple silicon */
};

static int add_existing_socket(struct dbl_listener_list *out, const char *root,
			       const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	const char *shown = path + (root ? strlen(root) : 0);
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->items[i].path, shown) == 0)
			return 0; /* /run and /var/run are often one dir */
	struct dbl_listener *x = listener_add(out);
	if (!x)
		return -DBL_ENOMEM;
	x->family = AF_UNIX;
	dbl_strlcpy(x->path, shown, sizeof(x->path));
	return 0;
}

int dbl_procnet_known_paths(struct dbl_listener_list *out, const char *root)
{
	size_t n = sizeof(known_sockets) / sizeof(known_sockets[0]);
	for (size_t i = 0; i < n; i++) {
		char *pattern = dbl_rooted_path(root, known_sockets[i]);
		if (!pattern)
			return -DBL_ENOMEM;
		glob_t g = {0};
		int rc = 0;
		if (glob(pattern, 0, NULL, &g) == 0)
			for (size_t j = 0; j < g.gl_pathc && rc == 0; j++)
				rc = add_existing_socket(out, root,
							 g.gl_pathv[j]);
		globfree(&g);
		free(pattern);
		if (rc < 0)
			return rc;
	}
	return 0;
}
