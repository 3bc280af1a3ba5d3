/* Connection URL targets: postgres:// and postgresql:// (and conninfo
 * strings) through libpq's own parser, mysql:// and mariadb://, tcp://. */
#ifndef DBLOOP_URL_H
#define DBLOOP_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "dbloop/common.h"

/* One endpoint of a URL (a libpq multi-host URL has several). Strings are
 * owned, NULL when the URL does not say. */
struct dbl_url_endpoint {
	unsigned engines; /* 1u << enum dbl_engine; both for tcp:// */
	bool tcp_only;	  /* tcp://: no socket to probe */
	char *host;	  /* name, address, or (PostgreSQL) socket directory */
	char *hostaddr;	  /* PostgreSQL hostaddr= */
	int port;	  /* 0 when not given */
	char *socket;	  /* MySQL socket= (or a socket path as the host) */
	char *user, *database;
	char *password; /* secret: wiped by dbl_url_release */
	char *ssl_mode; /* as written: "require", "REQUIRED" */
	char *ssl_ca, *ssl_cert, *ssl_key;
	char *service;	       /* PostgreSQL service= */
	char *connect_timeout; /* seconds, as written */
};

struct dbl_url {
	char *label; /* the URL as given, password removed */
	struct dbl_url_endpoint *eps;
	size_t n;
};

/* True when text looks like a target we parse (a known scheme, or a libpq
 * "key=value" conninfo string). */
bool dbl_url_is_target(const char *text);

/* Parses a TARGET. On error returns -DBL_EUSAGE with one line in err, in
 * git style ("invalid URL 'postgres://[::1': unterminated IPv6 address"),
 * never showing a password; -DBL_ENOMEM. Release with dbl_url_release. */
int dbl_url_parse(const char *text, struct dbl_url *out, char *err,
		  size_t errlen);

void dbl_url_release(struct dbl_url *u);

/* The URL or conninfo string with any password removed. Caller frees;
 * NULL on allocation failure. */
char *dbl_url_redact(const char *text);

/* Overwrites with '*' every password in a target as typed (URL user info,
 * password= query parameters, conninfo password=), in place, the same
 * places dbl_url_redact drops. Returns how many were found. */
int dbl_url_scrub(char *text);

/* True when the URL or conninfo string carries a password. */
bool dbl_url_has_password(const char *text);

/* sslmode (PostgreSQL) or ssl-mode (MySQL) text to the enum: disable,
 * allow, prefer, require, verify-ca, verify-full, DISABLED, PREFERRED,
 * REQUIRED, VERIFY_CA, VERIFY_IDENTITY (any case). 0 or -DBL_EINVAL. */
int dbl_ssl_mode_from_text(const char *text, enum dbl_ssl_mode *out);

#endif
