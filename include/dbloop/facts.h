/* What discovery found out about this machine, the client configuration
 * and the servers, independent of any probe. Filled by discover*.c, read by
 * the classifier and fixes. Heap object: dbl_facts_new / dbl_facts_free. */
#ifndef DBLOOP_FACTS_H
#define DBLOOP_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/common.h"
#include "dbloop/options.h"
#include "dbloop/result.h"
#include "dbloop/util.h"

/* A listening socket of this machine (from /proc/net or known paths). */
struct dbl_listener {
	int family; /* AF_UNIX, AF_INET, AF_INET6 */
	char address
		[64]; /* "127.0.0.1", "0.0.0.0", "::1", "::"; "" for AF_UNIX */
	int port;     /* 0 for AF_UNIX */
	char path[DBL_ADDR_MAX]; /* AF_UNIX socket path */
	int engine;		 /* enum dbl_engine, or -1 when unknown */
	char why[64]; /* how the engine was told: "port 5432", "name .s.PGSQL.5433", "greeting" */
	char version
		[128]; /* server version when a greeting was read, else "" */
	unsigned long inode; /* socket inode from /proc/net, 0 when unknown */
	char process
		[32]; /* comm of the owning process when readable, else "" */
	int pid;      /* the owning process, 0 when not readable */
	char cmdline[1024]; /* its command line, arguments joined by spaces */
};

/* One parsed pg_hba.conf line. Strings owned. */
struct dbl_hba_rule {
	char *file;
	int line;
	char *type; /* local, host, hostssl, hostnossl, hostgssenc, hostnogssenc */
	char *database; /* as written: "all", "appdb,other", "sameuser" */
	char *user;
	char *address; /* "127.0.0.1/32", "::1/128", "all", "samehost"; NULL for local */
	char *method; /* peer, scram-sha-256, md5, trust, reject, ident, ... */
	char *raw;    /* the line as written (comments stripped) */
};

/* A server-side setting and the file and line it came from. */
struct dbl_conf_value {
	char *value;  /* NULL when not set anywhere we could read */
	char *source; /* "/etc/postgresql/15/main/postgresql.conf line 60" */
};

struct dbl_pg_server_conf {
	char *data_dir;	 /* NULL when unknown */
	char *conf_file; /* postgresql.conf that was read, NULL when none */
	char *hba_file;	 /* pg_hba.conf that was read, NULL when none */
	/* The files named (by the server, its conf or the distribution's
	 * layout) whether or not they could be read: a fix names them. */
	char *conf_path, *hba_path;
	/* The systemd unit whose Environment=PGDATA= is the data directory
	 * (Red Hat's postgresql, PGDG's postgresql-15), NULL when none. */
	char *unit;
	/* The server's files belong to the user who runs dbloop (a Homebrew
	 * install): editing them and pg_ctl need no sudo, and the user's
	 * login name (owner) is the cluster's superuser, initdb's default. */
	bool files_owned;
	char *owner;
	struct dbl_conf_value listen_addresses, port, unix_socket_directories,
		ssl, password_encryption;
	struct dbl_hba_rule *hba;
	size_t n_hba;
};

struct dbl_my_server_conf {
	char *conf_file; /* first server option file that was read */
	/* The file that holds the server's groups ([mysqld], [mariadb]):
	 * where a server line goes; NULL when none does. */
	char *server_file;
	/* The option files read, in order (/etc/my.cnf, its !includedir
	 * files): a fix names only these. */
	struct dbl_strlist files;
	/* server_file belongs to the user who runs dbloop (Homebrew). */
	bool files_owned;
	struct dbl_conf_value bind_address, skip_networking, socket, port,
		skip_name_resolve, require_secure_transport;
};

/* Whether a .pgpass line would supply a password for one transport. */
struct dbl_pgpass_facts {
	char *file;   /* path libpq would read, NULL when none exists */
	bool ignored; /* libpq ignores it (group/other permissions) */
	int mode;     /* st_mode & 0777 */
	int match_line
		[DBL_TRANSPORT__COUNT]; /* matching line per transport, 0 = none */
};

/* What starts services here; unknown in facts not read from a machine. */
enum dbl_init { DBL_INIT_UNKNOWN, DBL_INIT_SYSTEMD, DBL_INIT_OTHER };

struct dbl_host_facts {
	char os[16]; /* "linux" */
	bool in_container;
	char container_evidence
		[128]; /* "/.dockerenv", "/run/.containerenv", "cgroup: docker" */
	struct dbl_strlist
		localhost_addrs; /* getaddrinfo("localhost") in order, as text */
	int localhost_eai;	 /* getaddrinfo error, 0 when it resolved */
	struct dbl_strlist
		hosts_lines; /* "/etc/hosts line 2: ::1 localhost ..." */
	bool ipv6_loopback;  /* ::1 can be bound/connected on this machine */
	/* Who runs dbloop and what runs the services, for commands that
	 * apply here: root needs no sudo; systemctl only under systemd. */
	bool is_root;
	enum dbl_init init;
	/* Service units installed ("postgresql@.service", "mariadb.service")
	 * and SysV scripts ("mariadb", "postgresql" in /etc/init.d). */
	struct dbl_strlist units, init_scripts;
	bool pg_ctlcluster; /* Debian's postgresql-common is installed */
	/* A compose file in the working directory, NULL when none. */
	char *compose_file;
	char *home; /* $HOME: files under it are the user's to edit */
};

/* A host the environment names for the database: an endpoint of
 * DATABASE_URL, or the value of a container image's *_HOST variable. */
enum dbl_env_host_kind { DBL_ENV_HOST_URL, DBL_ENV_HOST_VAR };
struct dbl_env_host {
	enum dbl_env_host_kind kind;
	char *host;
	int port;	  /* 0 when not given */
	unsigned engines; /* 1u << enum dbl_engine it is for */
	char *from;	  /* "DATABASE_URL" or the variable's name */
};

struct dbl_facts {
	struct dbl_host_facts host;
	struct dbl_listener *listeners;
	size_t n_listeners;
	struct dbl_pg_server_conf pg;
	struct dbl_my_server_conf my;
	struct dbl_pgpass_facts pgpass;
	char *mysql_default_socket; /* the client library's compiled-in path */
	char *mysql_client_version, *libpq_version;
	/* Client option files read, in order ("/etc/mysql/my.cnf", ...). */
	struct dbl_strlist option_files_read;
	/* Settings that are silently ignored or surprising, and unreadable or
	 * malformed input: one sentence each, naming file and line. */
	struct dbl_strlist warnings;
	/* Hints from the environment (DATABASE_URL, compose variables), as
	 * sentences for a writer; what the classifier reads is below. */
	struct dbl_strlist hints;
	/* The hosts the environment names, in the order found. */
	struct dbl_env_host *env_hosts;
	size_t n_env_hosts;
};

/* Appends a copy of host (owned by f); 0 or -DBL_ENOMEM (objects.c). */
int dbl_facts_add_env_host(struct dbl_facts *f, enum dbl_env_host_kind kind,
			   const char *host, size_t host_len, int port,
			   unsigned engines, const char *from);

/* Frees the pg_hba rules of c and empties the list (objects.c). */
void dbl_hba_clear(struct dbl_pg_server_conf *c);

/* The first pg_hba.conf rule of c that the server would apply to a
 * connection over transport t (DBL_TRANSPORT_UNIX: the "local" lines) from
 * client_addr ("127.0.0.1", "::1"; NULL: the loopback address of t) as
 * user to database, with or without TLS — as the server picks it: first
 * match wins. Rules whose match depends on what a file cannot tell (role
 * membership "+group", "samerole", "@file" lists, host names other than
 * localhost) are skipped. NULL when no rule matches (the server rejects
 * the connection: "no pg_hba.conf entry"). The rule is owned by c. */
const struct dbl_hba_rule *dbl_hba_match(const struct dbl_pg_server_conf *c,
					 enum dbl_transport t,
					 const char *client_addr,
					 const char *user, const char *database,
					 bool ssl);

/* Whether a pg_hba.conf line of connection type TYPE ("local", "host",
 * "hostssl", ...) applies to a connection over the socket (local) or TCP,
 * with or without TLS. hostgssenc never does: dbloop never negotiates GSS
 * encryption. */
bool dbl_hba_type_matches(const char *type, bool local, bool ssl);

struct dbl_facts *dbl_facts_new(void);
void dbl_facts_free(struct dbl_facts *f);

/* Listeners of one engine (engine < 0: every listener of a known engine).
 * Returns how many were written to out (at most max). */
size_t dbl_facts_listeners_of(const struct dbl_facts *f, int engine,
			      const struct dbl_listener **out, size_t max);

#endif
