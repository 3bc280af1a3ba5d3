/* The MySQL/MariaDB server greeting (handshake v10 or error packet), and a
 * sniff of the first bytes any server sent. Pure functions over byte
 * buffers: every length is checked. */
#ifndef DBLOOP_WIRE_MYSQL_H
#define DBLOOP_WIRE_MYSQL_H

#include <stddef.h>
#include <stdint.h>

#include "dbloop/common.h"
#include "dbloop/result.h"

#define DBL_MYSQL_HEADER_LEN 4
/* Largest greeting payload we accept: a handshake is about 100 bytes, an
 * error packet a few hundred. A claimed 16 MB packet is refused unread. */
#define DBL_MYSQL_GREET_MAX 4096
#define DBL_MYSQL_CLIENT_SSL 0x0800u

/* Reads a packet header: payload length and sequence number. 0, or
 * -DBL_EINVAL when fewer than 4 bytes are given. */
int dbl_mysql_parse_header(const uint8_t *buf, size_t n, uint32_t *len,
			   uint8_t *seq);

/* Parses a handshake v10 payload into g (seen, versions, capabilities,
 * tls_offered, auth_plugin). 0, or -DBL_EINVAL. */
int dbl_mysql_parse_handshake(const uint8_t *payload, size_t n,
			      struct dbl_mysql_greeting *g);

/* Parses an error packet payload (0xff, code, optional #SQLSTATE, text)
 * into g->error_code / error_message, and sqlstate (6 bytes, may be
 * NULL) when present. 0, or -DBL_EINVAL. */
int dbl_mysql_parse_error(const uint8_t *payload, size_t n,
			  struct dbl_mysql_greeting *g, char *sqlstate);

/* Parses a whole first packet (header + payload). Returns 0xff for an
 * error packet, 10 for a handshake, 0 when buf holds only part of a
 * plausible packet, -DBL_EINVAL when it is not a greeting or claims more
 * than DBL_MYSQL_GREET_MAX bytes. */
int dbl_mysql_parse_greeting(const uint8_t *buf, size_t n,
			     struct dbl_mysql_greeting *g, char *sqlstate);

/* The server error a client error message wraps: libmariadb reports an
 * error packet met before TLS as 2002 "... cannot be verified: 1130 -
 * Host '...' is not allowed ...". The 4-digit code before the first " - "
 * that starts the message or follows a space; 0 when none. */
int dbl_mysql_wrapped_error(const char *msg);

/* The errno a client message ends with, "... on '127.0.0.1' (111)";
 * 0 when it does not end so or the number is not a plausible errno. */
int dbl_mysql_trailing_errno(const char *msg);

/* Tells which protocol the first bytes a server sent belong to:
 * PostgreSQL ('S'/'N' SSL answers, 'E'/'R' messages), a TLS record, an
 * HTTP response, a MySQL greeting; DBL_PROTO_CLOSED for n == 0,
 * DBL_PROTO_UNKNOWN otherwise. */
enum dbl_protocol dbl_wire_sniff(const uint8_t *buf, size_t n);

#endif
