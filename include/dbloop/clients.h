/* The drivers an app connects with (`--client NAME`), each one's own
 * meaning of host, port and socket, and the path it takes: the table lives
 * in src/clients/clients.c, every row checked against the real driver by
 * tests/integration/test_clients.py (docs/clients.md). */
#ifndef DBLOOP_CLIENTS_H
#define DBLOOP_CLIENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/common.h"
#include "dbloop/result.h"
#include "dbloop/util.h"

/* What a driver does with an empty host (PostgreSQL drivers). */
enum dbl_client_nohost {
	DBL_NOHOST_LOCALHOST,	  /* as if "localhost" */
	DBL_NOHOST_SOCKET,	  /* the default socket (libpq's directory) */
	DBL_NOHOST_SOCKET_SEARCH, /* first existing of a list of directories */
};

/* The order a driver tries the addresses a name resolves to. */
enum dbl_client_addrs {
	DBL_ADDRS_ALL, /* each in the resolver's order until one connects */
	DBL_ADDRS_FIRST_IPV4, /* only the first, IPv4 sorted first (Java) */
};

/* One row of the driver table. */
struct dbl_client {
	const char *name; /* "php-mysqli" */
	enum dbl_engine engine;
	const char *driver;    /* "PHP mysqli (mysqlnd)" */
	const char *verified;  /* the version the row was checked against */
	bool localhost_socket; /* host "localhost" (or none) means the socket */
	bool port_means_tcp;   /* ... unless a port was given (mysql client) */
	bool socket_any_host;  /* a configured socket wins whatever the host */
	bool socket_ignored;   /* no Unix socket support at all */
	bool slash_host_socket; /* a host starting with '/' is the socket dir */
	enum dbl_client_nohost nohost;
	enum dbl_client_addrs addrs;
	/* The socket used when none is configured: a file (MySQL) or a
	 * directory (PostgreSQL), and where that default comes from. */
	const char *default_socket;
	const char *default_from;
	const char *ini_key; /* PHP: the php.ini setting that overrides it */
	const char *rules;   /* the row in one paragraph, for `help clients` */
};

/* The table, in the order `dbloop help clients` lists it. */
const struct dbl_client *dbl_client_at(size_t i);
size_t dbl_client_count(void);
/* The row named name, NULL when none. */
const struct dbl_client *dbl_client_find(const char *name);

/* Directories pgx searches for a socket when no host is given. */
extern const char *const dbl_pgx_socket_dirs[];

#define DBL_APP_MAX_STEPS 6

/* One connection attempt of the app's driver, in the order it makes them. */
struct dbl_app_step {
	enum dbl_transport transport; /* the probe that checks it */
	char address[DBL_ADDR_MAX];   /* socket path or "127.0.0.1:3306" */
	bool tried;		      /* the driver gets this far */
	bool ok;
	enum dbl_class cls; /* the probe's class on this transport */
};

/* The path the app's own driver takes, and whether it works. Part of a
 * target report; every string owned. */
struct dbl_app_path {
	char *client;	/* "php-mysqli" */
	char *driver;	/* "PHP mysqli (mysqlnd)" */
	char *verified; /* "php8.2-mysql 8.2.36 (Debian 12)" */
	char *rule;	/* the sentence of the row that decided the path */
	char *host;	/* as configured ("" when none) */
	int port;
	char *socket;	     /* the socket file it uses, NULL when none */
	char *socket_source; /* "php.ini /etc/php/8.2/cli/php.ini line 1188" */
	/* Where the app's settings came from ("host=localhost from .env line
	 * 3"), and what could not be read statically. */
	struct dbl_strlist config;
	struct dbl_app_step steps[DBL_APP_MAX_STEPS];
	size_t n_steps;
	bool ok;
	int via; /* the step that connected, -1 when none */
};

/* What the planner needs besides the row. */
struct dbl_client_in {
	const char *host;   /* as configured; NULL or "" = none */
	int port;	    /* the port the driver will use */
	bool port_given;    /* a port was configured (not a default) */
	const char *socket; /* configured socket file (MySQL), NULL = none */
	/* The socket to use when none is configured, and where it comes
	 * from, when something other than the row's default decides it
	 * (php.ini, an option file); NULL: the row's default. */
	const char *default_socket, *default_source;
	const struct dbl_strlist *localhost_addrs; /* resolver order */
	/* pgx without a host: the first of dbl_pgx_socket_dirs that exists,
	 * NULL when none does. */
	const char *pgx_dir;
};

/* Fills ap (zeroed by the caller) with the steps client c takes. 0, or
 * -DBL_ENOMEM. A driver that cannot take the configured path (JDBC and a
 * socket directory) gets no step and a rule saying why. */
int dbl_client_plan(const struct dbl_client *c, const struct dbl_client_in *in,
		    struct dbl_app_path *ap);

/* The transports the steps of ap need probed. */
unsigned dbl_app_path_transports(const struct dbl_app_path *ap);

struct dbl_probe_report;
/* Marks each step from the classified probes (one per transport): the
 * driver moves to the next address only when a connect fails; the verdict
 * is the first step that works. */
void dbl_app_path_judge(struct dbl_app_path *ap,
			const struct dbl_probe_report *p, size_t n);

/* A deep copy of src into dst (zeroed by the caller). 0 or -DBL_ENOMEM. */
int dbl_app_path_copy(struct dbl_app_path *dst, const struct dbl_app_path *src);

void dbl_app_path_release(struct dbl_app_path *ap);

#endif
