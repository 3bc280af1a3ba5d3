/* The few PostgreSQL protocol messages a probe speaks before logging in.
 * Pure functions over byte buffers: every length is checked. */
#ifndef DBLOOP_WIRE_PG_H
#define DBLOOP_WIRE_PG_H

#include <stddef.h>
#include <stdint.h>

#include "dbloop/result.h"

#define DBL_PG_SSLREQUEST_LEN 8
/* Largest greeting-stage message we accept: an ErrorResponse with a long
 * hint is a few hundred bytes, a SASL list a few dozen. */
#define DBL_PG_GREET_MAX 8192

/* What a parsed backend message was. */
enum dbl_pg_msg {
	DBL_PG_MSG_AUTH = 'R',	/* AuthenticationRequest */
	DBL_PG_MSG_ERROR = 'E', /* ErrorResponse */
};

/* Writes the 8-byte SSLRequest into out. */
void dbl_pg_build_ssl_request(uint8_t out[DBL_PG_SSLREQUEST_LEN]);

/* Builds a protocol 3.0 StartupMessage with user, database (NULL: left
 * out, the server uses the user name) and application_name. Returns its
 * length, or -DBL_EINVAL when it does not fit in cap. */
int dbl_pg_build_startup(uint8_t *out, size_t cap, const char *user,
			 const char *database, const char *application_name);

/* Reads a backend message header (type byte + int32 length including
 * itself) from 5 bytes. Returns the body length, or -DBL_EINVAL when the
 * length is below 4 or above max_body (refused before any allocation). */
long dbl_pg_parse_header(const uint8_t *buf, size_t n, char *type,
			 size_t max_body);

/* Parses an AuthenticationRequest body into g->auth_request and, for SASL,
 * g->sasl_mechanisms ("A,B"). 0, or -DBL_EINVAL. */
int dbl_pg_parse_auth(const uint8_t *body, size_t n, struct dbl_pg_greeting *g);

/* Parses an ErrorResponse body: fields S (or V), C, M, D, H into g.
 * 0, or -DBL_EINVAL when malformed. */
int dbl_pg_parse_error(const uint8_t *body, size_t n,
		       struct dbl_pg_greeting *g);

/* Builds a SASLInitialResponse for SCRAM-SHA-256 with a client-first
 * message "n,,n=,r=<nonce>" (no channel binding, the user name from the
 * StartupMessage): it proves nothing and only asks the server for its
 * salt and iteration count. nonce is printable ASCII without ','.
 * Returns the length, or -DBL_EINVAL when it does not fit in cap. */
int dbl_pg_build_sasl_initial(uint8_t *out, size_t cap, const char *nonce);

/* Parses an AuthenticationSASLContinue body (code 11, then the SCRAM
 * server-first-message "r=...,s=SALT,i=N") into g->scram_salt and
 * g->scram_iterations. 0, or -DBL_EINVAL when it is not one. */
int dbl_pg_parse_sasl_continue(const uint8_t *body, size_t n,
			       struct dbl_pg_greeting *g);

/* Parses one whole message (header + body) of buf. Returns the message
 * type (enum dbl_pg_msg) when parsed, 0 when buf holds only part of it,
 * -DBL_EINVAL as soon as it is malformed or of a type not expected here
 * (the first byte is enough to tell). */
int dbl_pg_parse_message(const uint8_t *buf, size_t n,
			 struct dbl_pg_greeting *g);

/* What a libpq protocol trace of one login (PQtrace with timestamps
 * suppressed or not; libpq 15 prints "F\t<length>\t<text>" per message
 * the frontend sent and does not trace the server's authentication
 * requests) proves of the request the server made: the password-family
 * messages ('p', which libpq 15 prints as "Unknown message: 70") before
 * the first backend line. Two or more: SASL (a SASLInitialResponse and a
 * SASLResponse); one of 40 bytes: MD5 ("md5" + 32 hex digits + NUL), when
 * the password's length (pw_len, -1 when unknown) is not 35; one of
 * another length: a cleartext password. DBL_PG_AUTH_NONE when the trace
 * shows none of that (no password sent, or another libpq's format). */
int dbl_pg_auth_from_trace(const char *trace, size_t n, long pw_len);

#endif
