/* Shared vocabulary of dbloop: engines, transports, stages, classes.
 *
 * Every name that reaches the JSON report comes from one X-macro list here,
 * so the enum, the report and the docs cannot drift apart. */
#ifndef DBLOOP_COMMON_H
#define DBLOOP_COMMON_H

#include <stdbool.h>
#include <stddef.h>

/* The version is project(VERSION) in CMakeLists.txt, its one home. */
#ifndef DBL_VERSION_STRING
#error "DBL_VERSION_STRING comes from CMakeLists.txt's project(VERSION)"
#endif
#define DBL_VERSION DBL_VERSION_STRING

/* Tool failures (not target failures) are negative codes of these. They
 * have their own range, above every errno (Linux's are below 4096): the
 * socket layer (probes/net.h) returns -errno, and a value in one space is
 * never read as one of the other. An OS error that a result must keep is
 * data (dbl_result.sys_errno), not a return code of these. */
#define DBL_E_BASE 4096
enum dbl_err {
	DBL_OK = 0,
	DBL_EUSAGE = DBL_E_BASE + 1, /* bad option, bad URL: exit 2 */
	DBL_ENOMEM,		     /* out of memory */
	DBL_EIO,		     /* a file could not be read or written */
	DBL_EINVAL,		     /* malformed input */
	DBL_EINTERNAL,		     /* a bug: exit 3 */
	DBL_ECANCELED,		     /* a signal asked dbloop to stop */
};

/* rc < 0 carries an OS errno (-rc), not one of enum dbl_err. */
static inline bool dbl_is_os_error(int rc)
{
	return rc < 0 && -rc < DBL_E_BASE;
}

/* X(ENUM, "json-name") */
#define DBL_ENGINE_MAP(X)                                                      \
	X(POSTGRES, "postgres")                                                \
	X(MYSQL, "mysql")

enum dbl_engine {
#define X(e, n) DBL_ENGINE_##e,
	DBL_ENGINE_MAP(X)
#undef X
		DBL_ENGINE__COUNT
};

#define DBL_TRANSPORT_MAP(X)                                                   \
	X(UNIX, "unix")                                                        \
	X(TCP4, "tcp4")                                                        \
	X(TCP6, "tcp6")                                                        \
	X(LOCALHOST, "localhost")                                              \
	X(HOST, "host")

enum dbl_transport {
#define X(e, n) DBL_TRANSPORT_##e,
	DBL_TRANSPORT_MAP(X)
#undef X
		DBL_TRANSPORT__COUNT
};

#define DBL_TRANSPORT_BIT(t) (1u << (t))
#define DBL_TRANSPORTS_LOCAL                                                   \
	(DBL_TRANSPORT_BIT(DBL_TRANSPORT_UNIX) |                               \
	 DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4) |                               \
	 DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP6) |                               \
	 DBL_TRANSPORT_BIT(DBL_TRANSPORT_LOCALHOST))

/* Stages in the order a probe walks them. */
#define DBL_STAGE_MAP(X)                                                       \
	X(RESOLVE, "resolve")                                                  \
	X(CONNECT, "connect")                                                  \
	X(GREET, "greet")                                                      \
	X(AUTH, "auth")                                                        \
	X(QUERY, "query")

enum dbl_stage {
#define X(e, n) DBL_STAGE_##e,
	DBL_STAGE_MAP(X)
#undef X
		DBL_STAGE__COUNT
};

#define DBL_SEVERITY_MAP(X)                                                    \
	X(INFO, "info")                                                        \
	X(WARNING, "warning")                                                  \
	X(ERROR, "error")

enum dbl_severity {
#define X(e, n) DBL_SEV_##e,
	DBL_SEVERITY_MAP(X)
#undef X
		DBL_SEV__COUNT
};

/* The failure classes of ../shared/spec/classes.md.
 * X(ENUM, "json-name", is_pattern): is_pattern marks the classes that
 * describe a pattern across transports and so are findings only. */
#define DBL_CLASS_MAP(X)                                                       \
	X(OK, "ok", 0)                                                         \
	X(SERVER_NOT_RUNNING, "server_not_running", 1)                         \
	X(CONNECTION_REFUSED, "connection_refused", 0)                         \
	X(TCP_DISABLED, "tcp_disabled", 1)                                     \
	X(IPV6_NOT_LISTENING, "ipv6_not_listening", 1)                         \
	X(IPV4_NOT_LISTENING, "ipv4_not_listening", 1)                         \
	X(LOCALHOST_RESOLUTION, "localhost_resolution", 0)                     \
	X(WRONG_PORT, "wrong_port", 1)                                         \
	X(SOCKET_MISSING, "socket_missing", 0)                                 \
	X(SOCKET_STALE, "socket_stale", 0)                                     \
	X(SOCKET_PERMISSION, "socket_permission", 0)                           \
	X(ACCESS_DENIED, "access_denied", 0)                                   \
	X(HOST_NOT_ALLOWED, "host_not_allowed", 0)                             \
	X(AUTH_METHOD_MISMATCH, "auth_method_mismatch", 0)                     \
	X(DATABASE_MISSING, "database_missing", 0)                             \
	X(TLS_MISMATCH, "tls_mismatch", 0)                                     \
	X(TIMEOUT, "timeout", 0)                                               \
	X(PROTOCOL_MISMATCH, "protocol_mismatch", 0)                           \
	X(SERVER_STARTING, "server_starting", 0)                               \
	X(TOO_MANY_CONNECTIONS, "too_many_connections", 0)                     \
	X(ENDPOINT_MISMATCH, "endpoint_mismatch", 1)                           \
	X(SOCKET_PORT_IGNORED, "socket_port_ignored", 1)                       \
	X(HOST_BLOCKED, "host_blocked", 0)                                     \
	X(ACCOUNT_UNUSABLE, "account_unusable", 0)                             \
	X(DNS_FAILURE, "dns_failure", 0)                                       \
	X(UNKNOWN, "unknown", 0)

enum dbl_class {
#define X(e, n, p) DBL_CLASS_##e,
	DBL_CLASS_MAP(X)
#undef X
		DBL_CLASS__COUNT
};

/* What answered during the greet stage. */
#define DBL_PROTOCOL_MAP(X)                                                    \
	X(NONE, "none")		/* greet not reached */                        \
	X(POSTGRES, "postgres") /* a PostgreSQL backend answered */            \
	X(MYSQL, "mysql")     /* a MySQL/MariaDB handshake or error packet */  \
	X(TLS, "tls")	      /* a TLS record arrived unasked */               \
	X(HTTP, "http")	      /* an HTTP response */                           \
	X(SILENT, "silent")   /* nothing arrived before the deadline */        \
	X(CLOSED, "closed")   /* the peer closed without a byte */             \
	X(UNKNOWN, "unknown") /* bytes of no protocol we know */

enum dbl_protocol {
#define X(e, n) DBL_PROTO_##e,
	DBL_PROTOCOL_MAP(X)
#undef X
		DBL_PROTO__COUNT
};

#define DBL_SSL_MODE_MAP(X)                                                    \
	X(DISABLE, "disable")                                                  \
	X(PREFER, "prefer")                                                    \
	X(REQUIRE, "require")                                                  \
	X(VERIFY_CA, "verify-ca")                                              \
	X(VERIFY_FULL, "verify-full")

enum dbl_ssl_mode {
#define X(e, n) DBL_SSL_##e,
	DBL_SSL_MODE_MAP(X)
#undef X
		DBL_SSL__COUNT
};

/* Name of an enum value as the report spells it; "?" when out of range. */
const char *dbl_engine_name(enum dbl_engine e);
const char *dbl_transport_name(enum dbl_transport t);
const char *dbl_stage_name(enum dbl_stage s);
const char *dbl_severity_name(enum dbl_severity s);
const char *dbl_class_name(enum dbl_class c);
const char *dbl_protocol_name(enum dbl_protocol p);
const char *dbl_ssl_mode_name(enum dbl_ssl_mode m);

/* Reverse look-ups: 0 and *out set on a match, -DBL_EINVAL otherwise. */
int dbl_engine_parse(const char *name, enum dbl_engine *out);
int dbl_transport_parse(const char *name, enum dbl_transport *out);
int dbl_stage_parse(const char *name, enum dbl_stage *out);
int dbl_severity_parse(const char *name, enum dbl_severity *out);
int dbl_class_parse(const char *name, enum dbl_class *out);
int dbl_protocol_parse(const char *name, enum dbl_protocol *out);
int dbl_ssl_mode_parse(const char *name, enum dbl_ssl_mode *out);

/* True for the classes that name a pattern across transports. */
bool dbl_class_is_pattern(enum dbl_class c);

/* errno value -> its symbolic name ("ECONNREFUSED"); NULL for 0 or unknown. */
const char *dbl_errno_name(int err);
/* "ECONNREFUSED" -> 111; 0 when unknown. */
int dbl_errno_from_name(const char *name);

#endif
