/* The server codes dbloop knows, one X-macro list each (libuv's
 * UV_ERRNO_MAP is the model): MySQL/MariaDB error numbers, SQLSTATEs,
 * errno names and the fixed phrases of the servers and client libraries.
 * The probe classifier (classify/classify.c) and `dbloop explain`
 * (explain/) both expand these lists; neither keeps its own copy.
 *
 * Each list has a column per reader where they differ: a probe knows the
 * transport and the other probes (so a 28000 is split there), explain
 * only has the text (so it weighs). A class of UNKNOWN in a column means
 * that reader does not decide by the entry. Header only, no state. */
#ifndef DBLOOP_CODES_H
#define DBLOOP_CODES_H

/* MySQL/MariaDB error numbers:
 *   X(code, ER_NAME, kind, probe class, explain class, explain weight)
 * kind SERVER: a server error (error packet, auth answer, wrapped);
 * CLIENT: a client library error (2000-2999). Probe classes are
 * DBL_CLASS_ suffixes; the probe classifier reads SERVER entries before
 * the SQLSTATE and CLIENT entries after it. */
#define DBL_MYSQL_CODE_MAP(X)                                                  \
	X(1045, ER_ACCESS_DENIED_ERROR, SERVER, ACCESS_DENIED, ACCESS_DENIED,  \
	  90)                                                                  \
	X(1698, ER_ACCESS_DENIED_NO_PASSWORD_ERROR, SERVER,                    \
	  AUTH_METHOD_MISMATCH, AUTH_METHOD_MISMATCH, 80)                      \
	X(1044, ER_DBACCESS_DENIED_ERROR, SERVER, ACCESS_DENIED,               \
	  ACCESS_DENIED, 80)                                                   \
	X(1049, ER_BAD_DB_ERROR, SERVER, DATABASE_MISSING, DATABASE_MISSING,   \
	  100)                                                                 \
	X(1130, ER_HOST_NOT_PRIVILEGED, SERVER, HOST_NOT_ALLOWED,              \
	  HOST_NOT_ALLOWED, 100)                                               \
	X(1040, ER_CON_COUNT_ERROR, SERVER, TOO_MANY_CONNECTIONS,              \
	  TOO_MANY_CONNECTIONS, 100)                                           \
	X(1129, ER_HOST_IS_BLOCKED, SERVER, HOST_BLOCKED, HOST_BLOCKED, 100)   \
	X(1053, ER_SERVER_SHUTDOWN, SERVER, SERVER_STARTING, SERVER_STARTING,  \
	  90)                                                                  \
	X(3118, ER_ACCOUNT_HAS_BEEN_LOCKED, SERVER, ACCOUNT_UNUSABLE,          \
	  ACCOUNT_UNUSABLE, 100)                                               \
	X(4151, ER_ACCOUNT_LOCKED, SERVER, ACCOUNT_UNUSABLE, ACCOUNT_UNUSABLE, \
	  100) /* MariaDB: account locked */                                   \
	X(1862, ER_MUST_CHANGE_PASSWORD_LOGIN, SERVER, ACCOUNT_UNUSABLE,       \
	  ACCOUNT_UNUSABLE, 100)                                               \
	X(1820, ER_MUST_CHANGE_PASSWORD, SERVER, ACCOUNT_UNUSABLE,             \
	  ACCOUNT_UNUSABLE, 90)                                                \
	X(1203, ER_TOO_MANY_USER_CONNECTIONS, SERVER, ACCOUNT_UNUSABLE,        \
	  ACCOUNT_UNUSABLE, 90) /* max_user_connections */                     \
	X(1226, ER_USER_LIMIT_REACHED, SERVER, ACCOUNT_UNUSABLE,               \
	  ACCOUNT_UNUSABLE, 90) /* resource limit */                           \
	X(1251, ER_NOT_SUPPORTED_AUTH_MODE, SERVER, AUTH_METHOD_MISMATCH,      \
	  AUTH_METHOD_MISMATCH, 100)                                           \
	X(1524, ER_PLUGIN_IS_NOT_LOADED, SERVER, AUTH_METHOD_MISMATCH,         \
	  AUTH_METHOD_MISMATCH, 90) /* an account's auth plugin not loaded */  \
	X(3159, ER_SECURE_TRANSPORT_REQUIRED, SERVER, TLS_MISMATCH,            \
	  TLS_MISMATCH, 100)                                                   \
	X(1043, ER_HANDSHAKE_ERROR, SERVER, PROTOCOL_MISMATCH,                 \
	  PROTOCOL_MISMATCH, 60) /* bad handshake */                           \
	X(2005, CR_UNKNOWN_HOST, CLIENT, DNS_FAILURE, DNS_FAILURE, 100)        \
	X(2026, CR_SSL_CONNECTION_ERROR, CLIENT, TLS_MISMATCH, TLS_MISMATCH,   \
	  90)                                                                  \
	X(2059, CR_AUTH_PLUGIN_CANNOT_LOAD, CLIENT, AUTH_METHOD_MISMATCH,      \
	  AUTH_METHOD_MISMATCH, 100)                                           \
	X(2061, CR_AUTH_PLUGIN_ERR, CLIENT, AUTH_METHOD_MISMATCH,              \
	  AUTH_METHOD_MISMATCH, 90)                                            \
	X(2027, CR_MALFORMED_PACKET, CLIENT, PROTOCOL_MISMATCH, UNKNOWN, 0)    \
	X(2054, CR_SERVER_LOST_EXTENDED, CLIENT, UNKNOWN,                      \
	  AUTH_METHOD_MISMATCH, 100)                                           \
	X(2013, CR_SERVER_LOST, CLIENT, UNKNOWN, TIMEOUT, 20)                  \
	X(2006, CR_SERVER_GONE_ERROR, CLIENT, UNKNOWN, TIMEOUT, 20)            \
	X(2002, CR_CONNECTION_ERROR, CLIENT, UNKNOWN, CONNECTION_REFUSED, 20)  \
	X(2003, CR_CONN_HOST_ERROR, CLIENT, UNKNOWN, CONNECTION_REFUSED, 20)

/* SQLSTATEs: X(state, probe class, explain class, explain weight,
 * PostgreSQL score). The probe classifier splits 28000 and 53300 by the
 * other probes and the message; explain weighs 28000 low and lets the
 * phrases split it. 08001 and 08006 (unable to connect, connection
 * failure) prove nothing about why: PDO puts 08006 before every libpq
 * failure, a missing socket file as much as a wrong password. 08S01
 * (ODBC's and JDBC's communication link failure) only lists a stopped
 * server: below the weight that places a class, so that the errno
 * beside it decides (a missing socket through unixODBC). */
#define DBL_SQLSTATE_MAP(X)                                                    \
	X("28P01", ACCESS_DENIED, ACCESS_DENIED, 100, 6)                       \
	X("28000", HOST_NOT_ALLOWED, ACCESS_DENIED, 25, 0)                     \
	X("3D000", DATABASE_MISSING, DATABASE_MISSING, 100, 6)                 \
	X("53300", TOO_MANY_CONNECTIONS, TOO_MANY_CONNECTIONS, 90, 6)          \
	X("57P03", SERVER_STARTING, SERVER_STARTING, 100, 6)                   \
	X("57P01", SERVER_STARTING, SERVER_STARTING, 60, 6)                    \
	X("57P02", SERVER_STARTING, UNKNOWN, 0, 0)                             \
	X("42501", ACCESS_DENIED, ACCESS_DENIED, 50, 3)                        \
	X("08P01", PROTOCOL_MISMATCH, UNKNOWN, 0, 0)                           \
	X("08004", ACCESS_DENIED, TOO_MANY_CONNECTIONS, 30, 0)                 \
	X("08001", UNKNOWN, UNKNOWN, 0, 2)                                     \
	X("08006", UNKNOWN, UNKNOWN, 0, 2)                                     \
	X("08S01", UNKNOWN, SERVER_NOT_RUNNING, 10, -4)

/* The errno names a connection failure can carry:
 * X(NAME, strerror text as glibc prints it, "" when not a connect error).
 * Names only (values come from <errno.h>), so the list is the same on
 * every libc. */
#define DBL_ERRNO_MAP(X)                                                       \
	X(EPERM, "operation not permitted")                                    \
	X(ENOENT, "no such file or directory")                                 \
	X(EINTR, "")                                                           \
	X(EIO, "")                                                             \
	X(EBADF, "")                                                           \
	X(EAGAIN, "resource temporarily unavailable")                          \
	X(ENOMEM, "")                                                          \
	X(EACCES, "permission denied")                                         \
	X(EFAULT, "")                                                          \
	X(EBUSY, "")                                                           \
	X(EEXIST, "")                                                          \
	X(ENOTDIR, "not a directory")                                          \
	X(EISDIR, "")                                                          \
	X(EINVAL, "")                                                          \
	X(ENFILE, "")                                                          \
	X(EMFILE, "too many open files")                                       \
	X(ENOSPC, "")                                                          \
	X(EPIPE, "broken pipe")                                                \
	X(ENAMETOOLONG, "")                                                    \
	X(ELOOP, "")                                                           \
	X(ENOTSOCK, "")                                                        \
	X(EPROTOTYPE, "")                                                      \
	X(EPROTONOSUPPORT, "")                                                 \
	X(EOPNOTSUPP, "")                                                      \
	X(EAFNOSUPPORT, "address family not supported by protocol")            \
	X(EADDRINUSE, "")                                                      \
	X(EADDRNOTAVAIL, "cannot assign requested address")                    \
	X(ENETDOWN, "network is down")                                         \
	X(ENETUNREACH, "network is unreachable")                               \
	X(ECONNABORTED, "software caused connection abort")                    \
	X(ECONNRESET, "connection reset by peer")                              \
	X(ENOBUFS, "")                                                         \
	X(EISCONN, "")                                                         \
	X(ENOTCONN, "")                                                        \
	X(ETIMEDOUT, "connection timed out")                                   \
	X(ECONNREFUSED, "connection refused")                                  \
	X(EHOSTDOWN, "host is down")                                           \
	X(EHOSTUNREACH, "no route to host")                                    \
	X(EALREADY, "")                                                        \
	X(EINPROGRESS, "operation now in progress")                            \
	X(EPROTO, "")                                                          \
	X(ECANCELED, "")

/* The fixed English phrases of the PostgreSQL server and libpq the probe
 * classifier reads where no code was captured (libpq gives no SQLSTATE
 * for a failed connection), in the order it tries them:
 *   X(phrase (matched case-insensitively), class)
 * explain reads the same list (its translations come from the catalogues,
 * explain/explain_tr.c) beside its own wider list of driver phrases. */
#define DBL_PG_PHRASE_MAP(X)                                                   \
	X("peer authentication failed", AUTH_METHOD_MISMATCH)                  \
	X("ident authentication failed", AUTH_METHOD_MISMATCH)                 \
	X("password authentication failed", ACCESS_DENIED)                     \
	X("no password supplied", ACCESS_DENIED)                               \
	X("no pg_hba.conf entry", HOST_NOT_ALLOWED)                            \
	X("pg_hba.conf rejects", HOST_NOT_ALLOWED)                             \
	X("is not permitted to log in", ACCOUNT_UNUSABLE)                      \
	X("too many connections for role", ACCOUNT_UNUSABLE)                   \
	X("too many clients", TOO_MANY_CONNECTIONS)                            \
	X("remaining connection slots", TOO_MANY_CONNECTIONS)                  \
	X("not accepting connections", SERVER_STARTING)                        \
	X("is starting up", SERVER_STARTING)                                   \
	X("is shutting down", SERVER_STARTING)                                 \
	X("in recovery mode", SERVER_STARTING)                                 \
	X("does not support ssl", TLS_MISMATCH)                                \
	X("ssl is required", TLS_MISMATCH)                                     \
	X("ssl connection is required", TLS_MISMATCH)                          \
	X("invalid response to ssl negotiation", PROTOCOL_MISMATCH)            \
	X("expected authentication request", PROTOCOL_MISMATCH)                \
	X("timeout expired", TIMEOUT)                                          \
	X("could not translate host name", DNS_FAILURE)                        \
	X("authentication method", AUTH_METHOD_MISMATCH)

#endif
