/* dbloop explain: the fixed phrases of the servers and client libraries
 * (some localised), and the splits of codes that cover several causes.
 * A phrase found inside a longer phrase that also matched does not count
 * again: "too many connections for role" is not MySQL's "Too many
 * connections". */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain_int.h"

struct phrase {
	const char *text; /* lower-case */
	enum dbl_class cls;
	int weight;
	int engine; /* -1 either, else the engine it implies */
};

#define PG DBL_ENGINE_POSTGRES
#define MY DBL_ENGINE_MYSQL

static const struct phrase phrases[] = {
	/* PostgreSQL server, some localised */
	{"password authentication failed", DBL_CLASS_ACCESS_DENIED, 100, PG},
	{"passwort-authentifizierung", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"authentification par mot de passe", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"autentificación password falló", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"autenticação do tipo senha falhou", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"не прошёл проверку подлинности", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"パスワード認証に失敗", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"no password supplied", DBL_CLASS_ACCESS_DENIED, 90, PG},
	/* PgJDBC's own words for the same (ConnectionFactoryImpl,
	 * AuthenticationPluginManager): the driver had no password to send */
	{"authentication, but no password was provided",
	 DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"but the password is an empty string", DBL_CLASS_ACCESS_DENIED, 90,
	 PG},
	/* node-postgres with no password (seen: test_explain_drivers) */
	{"client password must be a string", DBL_CLASS_ACCESS_DENIED, 90, PG},
	/* Npgsql's (NpgsqlConnector.Auth): "No password has been provided
	 * but the backend requires one (in MD5)", or (in SASL) */
	{"no password has been provided", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"no pg_hba.conf entry", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"kein pg_hba.conf-eintrag", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"aucune entrée dans pg_hba.conf", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"no hay una línea en pg_hba.conf", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"pg_hba.conf нет записи", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"pg_hba.conf rejects", DBL_CLASS_HOST_NOT_ALLOWED, 90, PG},
	{"peer authentication failed", DBL_CLASS_AUTH_METHOD_MISMATCH, 110, PG},
	{"ident authentication failed", DBL_CLASS_AUTH_METHOD_MISMATCH, 110,
	 PG},
	/* the other methods' failed logins (auth.c's auth_failed): PAM,
	 * LDAP, RADIUS or BSD authentication rejected the credentials (RDS
	 * IAM tokens go through PAM), or the certificate's name did not
	 * match; GSSAPI and SSPI are a method the client side could not do */
	{"pam authentication failed", DBL_CLASS_ACCESS_DENIED, 100, PG},
	{"ldap authentication failed", DBL_CLASS_ACCESS_DENIED, 100, PG},
	{"radius authentication failed", DBL_CLASS_ACCESS_DENIED, 100, PG},
	{"bsd authentication failed", DBL_CLASS_ACCESS_DENIED, 100, PG},
	{"certificate authentication failed", DBL_CLASS_ACCESS_DENIED, 100, PG},
	{"gssapi authentication failed", DBL_CLASS_AUTH_METHOD_MISMATCH, 100,
	 PG},
	{"sspi authentication failed", DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG},
	{"invalid authentication method", DBL_CLASS_AUTH_METHOD_MISMATCH, 100,
	 PG},
	/* the rest of the server's connection-stage FATALs a client sees
	 * (the same keys in explain_i18n.c read their translations) */
	{"\": host rejected", DBL_CLASS_HOST_NOT_ALLOWED, 100, PG},
	{"ldap login failed for user", DBL_CLASS_ACCESS_DENIED, 100, PG},
	{"pam_authenticate failed", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"empty password returned by client", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"no match in usermap", DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG},
	{"and authenticated user name", DBL_CLASS_AUTH_METHOD_MISMATCH, 90, PG},
	{"could not connect to ident server", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 90, PG},
	{"canceling authentication due to timeout", DBL_CLASS_TIMEOUT, 100, PG},
	{"replication role to start walsender", DBL_CLASS_ACCOUNT_UNUSABLE, 90,
	 PG},
	{"cannot connect to invalid database", DBL_CLASS_DATABASE_MISSING, 90,
	 PG},
	{"terminating connection due to administrator command",
	 DBL_CLASS_SERVER_STARTING, 70, PG},
	{"terminating connection due to immediate shutdown",
	 DBL_CLASS_SERVER_STARTING, 70, PG},
	{"terminating connection because of crash of another server",
	 DBL_CLASS_SERVER_STARTING, 80, PG},
	{"terminating connection due to idle-session timeout",
	 DBL_CLASS_TIMEOUT, 70, PG},
	{"terminating connection due to idle-in-transaction timeout",
	 DBL_CLASS_TIMEOUT, 70, PG},
	{"invalid length of startup packet", DBL_CLASS_PROTOCOL_MISMATCH, 70,
	 PG},
	{"could not accept ssl connection", DBL_CLASS_TLS_MISMATCH, 70, PG},
	{"is not permitted to log in", DBL_CLASS_ACCOUNT_UNUSABLE, 110, PG},
	{"too many connections for role", DBL_CLASS_ACCOUNT_UNUSABLE, 120, PG},
	/* The DETAIL the server logs under "password authentication failed"
	 * (src/backend/libpq/auth.c, crypt.c): what the client never sees,
	 * and what a pasted server log shows. */
	{"has an expired password", DBL_CLASS_ACCOUNT_UNUSABLE, 130, PG},
	/* a role with no password, met with password authentication: the
	 * real threads read it as a credential to set right (threads9,
	 * threads27, threads31: access_denied, twice confirmed), not as an
	 * account barred from logging in */
	{"has no password assigned", DBL_CLASS_ACCESS_DENIED, 130, PG},
	{"does not have a valid scram secret", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 130, PG},
	{"cannot be used with md5 authentication",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 130, PG},
	{"password does not match for user", DBL_CLASS_ACCESS_DENIED, 110, PG},
	{"sorry, too many clients", DBL_CLASS_TOO_MANY_CONNECTIONS, 100, PG},
	{"remaining connection slots are reserved",
	 DBL_CLASS_TOO_MANY_CONNECTIONS, 100, PG},
	{"the database system is starting up", DBL_CLASS_SERVER_STARTING, 100,
	 PG},
	/* older servers' words for 57P03, still quoted (threads5) */
	{"the database is starting up", DBL_CLASS_SERVER_STARTING, 100, PG},
	{"the database system is shutting down", DBL_CLASS_SERVER_STARTING, 90,
	 PG},
	{"the database system is in recovery", DBL_CLASS_SERVER_STARTING, 90,
	 PG},
	{"not accepting connections", DBL_CLASS_SERVER_STARTING, 90, PG},
	{"not yet accepting connections", DBL_CLASS_SERVER_STARTING, 90, PG},
	{"server does not support ssl", DBL_CLASS_TLS_MISMATCH, 100, -1},
	{"ssl is not enabled on the server", DBL_CLASS_TLS_MISMATCH, 100, PG},
	/* a cert line of pg_hba.conf, or clientcert=verify-ca/-full */
	{"connection requires a valid client certificate",
	 DBL_CLASS_TLS_MISMATCH, 100, PG},
	/* hosted servers' proxies that demand TLS (PlanetScale's vtgate,
	 * Neon's proxy: it routes by the TLS SNI, so a plaintext or
	 * SNI-less client is refused) */
	{"does not allow insecure connections", DBL_CLASS_TLS_MISMATCH, 100,
	 -1},
	{"client must use ssl/tls", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"connection is insecure", DBL_CLASS_TLS_MISMATCH, 80, PG},
	{"endpoint id is not specified", DBL_CLASS_TLS_MISMATCH, 80, PG},
	{"sni is missing", DBL_CLASS_TLS_MISMATCH, 80, PG},
	{"password doesn't match", DBL_CLASS_ACCESS_DENIED, 90, -1},
	{"the server does not support ssl", DBL_CLASS_TLS_MISMATCH, 100, -1},
	{"ssl connection is required", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"ssl is required", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"ssl required", DBL_CLASS_TLS_MISMATCH, 60, -1},
	{"certificate verify failed", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"self signed certificate", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"self-signed certificate", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"unable to verify the first certificate", DBL_CLASS_TLS_MISMATCH, 80,
	 -1},
	{"tls requested but server does not", DBL_CLASS_TLS_MISMATCH, 100, MY},
	/* MariaDB Connector/J with useSSL/sslMode on and a server that
	 * offers no TLS: 3.x's words and 2.x's (threads12) */
	{"ssl connection required, but not provided by server",
	 DBL_CLASS_TLS_MISMATCH, 100, MY},
	{"trying to connect with ssl, but ssl not enabled in the server",
	 DBL_CLASS_TLS_MISMATCH, 100, MY},
	{"ssl connection error", DBL_CLASS_TLS_MISMATCH, 80, -1},
	/* MySqlConnector's (ServerSession.InitSslAsync) when SslStream's
	 * handshake fails: a certificate it rejects, a TLS version or
	 * cipher the two sides do not share (threads16) */
	{"ssl authentication error", DBL_CLASS_TLS_MISMATCH, 90, MY},
	{"invalid response to gssapi negotiation", DBL_CLASS_PROTOCOL_MISMATCH,
	 90, PG},
	{"invalid response to ssl negotiation", DBL_CLASS_PROTOCOL_MISMATCH,
	 100, PG},
	{"expected authentication request from server",
	 DBL_CLASS_PROTOCOL_MISMATCH, 100, PG},
	/* libpq's own catalogue (libpq5-15.mo's msgids), the connection
	 * stage's messages explain did not read: another protocol on the
	 * port ("first received character was" a MySQL greeting's byte) */
	{"first received character was", DBL_CLASS_PROTOCOL_MISMATCH, 90, PG},
	{"unexpected message from server during startup",
	 DBL_CLASS_PROTOCOL_MISMATCH, 70, PG},
	{"lost synchronization with server", DBL_CLASS_PROTOCOL_MISMATCH, 40,
	 PG},
	/* an authentication request the build has no code for (the older
	 * methods, any number) and SCRAM's channel binding asked for but not
	 * possible */
	{"crypt authentication not supported", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100, PG},
	{"kerberos 4 authentication not supported",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG},
	{"kerberos 5 authentication not supported",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG},
	{"scm_cred authentication method not supported",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG},
	{"channel binding is required", DBL_CLASS_AUTH_METHOD_MISMATCH, 90, PG},
	{"channel binding required, but ssl not in use", DBL_CLASS_TLS_MISMATCH,
	 100, PG},
	{"channel binding required", DBL_CLASS_AUTH_METHOD_MISMATCH, 90, PG},
	{"scram-sha-256-plus authentication over a non-ssl connection",
	 DBL_CLASS_TLS_MISMATCH, 90, PG},
	/* GSSAPI encryption, the transport's other encryption */
	{"gssapi encryption required but was impossible",
	 DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"doesn't support gssapi encryption, but it was required",
	 DBL_CLASS_TLS_MISMATCH, 100, PG},
	{"invalid when gssapi support is not compiled in",
	 DBL_CLASS_TLS_MISMATCH, 100, PG},
	/* the client's certificate, key and TLS set-up; an old server's
	 * error answer to the SSL request */
	{"certificate present, but not private key", DBL_CLASS_TLS_MISMATCH, 90,
	 PG},
	{"does not match private key file", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"could not read certificate file", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"could not load private ssl key", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"could not read private ssl key", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"is not a regular file", DBL_CLASS_TLS_MISMATCH, 30, PG},
	{"could not create ssl context", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"could not establish ssl connection", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"server sent an error response during ssl exchange",
	 DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"received unencrypted data after ssl response", DBL_CLASS_TLS_MISMATCH,
	 90, PG},
	{"does not support any ssl protocol version between",
	 DBL_CLASS_TLS_MISMATCH, 100, PG},
	{"host name must be specified for a verified ssl connection",
	 DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"could not get server's host name from server certificate",
	 DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"ssl certificate's name entry is missing", DBL_CLASS_TLS_MISMATCH, 90,
	 PG},
	{"ssl certificate's address entry is missing", DBL_CLASS_TLS_MISMATCH,
	 90, PG},
	{"could not set ssl server name indication", DBL_CLASS_TLS_MISMATCH, 80,
	 PG},
	{"ssl error:", DBL_CLASS_TLS_MISMATCH, 50, -1},
	/* PostgreSQL drivers meeting another server's greeting (seen:
	 * test_explain_drivers, a MariaDB port): lib/pq, pgx, node-postgres
	 * (which takes the greeting's first byte for CopyData and throws),
	 * PgJDBC (whose SSLRequest got no 'S' or 'N') */
	{"unknown response for startup", DBL_CLASS_PROTOCOL_MISMATCH, 90, PG},
	{"received unexpected message", DBL_CLASS_PROTOCOL_MISMATCH, 50, PG},
	{"(reading 'handlecopydata')", DBL_CLASS_PROTOCOL_MISMATCH, 60, PG},
	{"error occurred while setting up the ssl connection",
	 DBL_CLASS_TLS_MISMATCH, 60, PG},
	{"got packets out of order", DBL_CLASS_PROTOCOL_MISMATCH, 60, MY},
	/* mysqljs's words for the same (Protocol.js) */
	{"packets out of order", DBL_CLASS_PROTOCOL_MISMATCH, 60, MY},
	{"protocol_packets_out_of_order", DBL_CLASS_PROTOCOL_MISMATCH, 60, MY},
	/* MySql.Data's (Resources: SslNotSupported): "The host localhost
	 * does not support SSL connections." */
	{"does not support ssl connections", DBL_CLASS_TLS_MISMATCH, 100, MY},
	{"malformed packet", DBL_CLASS_PROTOCOL_MISMATCH, 50, MY},
	/* libmysqlclient's 2007 (CR_VERSION_ERROR): the greeting's protocol
	 * byte was not 10, so what answered is not a MySQL server */
	{"protocol mismatch; server version =", DBL_CLASS_PROTOCOL_MISMATCH,
	 100, MY},
	/* OpenSSL's reason for an alert the peer sent during the handshake
	 * ("sslv3 alert handshake failure", "tlsv1 alert protocol version",
	 * node's "SSL alert number 40"): the two sides' TLS did not agree */
	{"sslv3 alert", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"tlsv1 alert", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"tlsv13 alert", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"ssl alert number", DBL_CLASS_TLS_MISMATCH, 80, -1},
	/* pgjdbc before 42.2.0, and pgloader's Postmodern meeting the
	 * SASL request (10) it has no case for */
	{"scram authentication is not supported",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG},
	{"10 fell through ecase expression", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100, PG},
	/* the server's answer to a startup packet without a user (an empty
	 * user setting: DuckDB's ATTACH '', a URL without one) */
	{"no postgresql user name specified", DBL_CLASS_ACCESS_DENIED, 90, PG},
	/* HikariCP's pool that got no connection in time (its older
	 * wording), and the exception a JDBC pool throws for it */
	{"of waiting for a connection", DBL_CLASS_TIMEOUT, 70, -1},
	{"sqltimeoutexception", DBL_CLASS_TIMEOUT, 60, -1},
	{"scram authentication requires libpq", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100, PG},
	{"authentication method 10 not supported",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG},
	{"authentication type 10 is not supported",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, PG},
	/* Dart's package:postgres for an authentication request it has no
	 * code for ("Unsupported authentication type 3, closing
	 * connection.": cleartext; 10: SCRAM) */
	{"unsupported authentication type", DBL_CLASS_AUTH_METHOD_MISMATCH, 90,
	 PG},
	{"sasl authentication", DBL_CLASS_AUTH_METHOD_MISMATCH, 50, PG},
	/* PgBouncer's words for a SCRAM login that failed (the server's own
	 * are "password authentication failed") */
	{"sasl authentication failed", DBL_CLASS_ACCESS_DENIED, 90, PG},
	{"could not translate host name", DBL_CLASS_DNS_FAILURE, 100, PG},
	/* psycopg 3 resolves the host itself before libpq connects:
	 * "failed to resolve host 'db': [Errno -2] Name or service not
	 * known" */
	{"failed to resolve host", DBL_CLASS_DNS_FAILURE, 100, -1},
	{"server closed the connection unexpectedly", DBL_CLASS_SERVER_STARTING,
	 25, PG},
	{"terminated abnormally", DBL_CLASS_TIMEOUT, 10, PG},
	{": eof detected", DBL_CLASS_SERVER_STARTING, 30, PG},
	/* libpq's "SSL SYSCALL error: ..." is a read or write of a TLS
	 * connection that failed (EOF: the server or a proxy went away,
	 * ECONNRESET, a socket the program broke after fork). TLS is a
	 * cause to list (a middlebox that cuts TLS), not what the text
	 * says: below the weight that places a class, the words after it
	 * decide. */
	{"ssl syscall", DBL_CLASS_TLS_MISMATCH, 10, PG},
	{"connection terminated unexpectedly", DBL_CLASS_SERVER_STARTING, 20,
	 PG},
	/* PgBouncer's own answers to a login (it speaks for the server):
	 * no [databases] entry, no auth_file/auth_query user */
	{"no such database", DBL_CLASS_DATABASE_MISSING, 90, PG},
	{"no such user", DBL_CLASS_ACCESS_DENIED, 90, PG},
	/* The docker-library images' entrypoints, in a compose log beside
	 * the client's error: the database was still being initialised
	 * (a temporary server on the socket only, then a restart) when the
	 * client tried. Light: a cause to rank, not what the error says. */
	{"init process complete; ready for start up", DBL_CLASS_SERVER_STARTING,
	 20, PG},
	{"init process done. ready for start up", DBL_CLASS_SERVER_STARTING, 20,
	 MY},
	{"temporary server started", DBL_CLASS_SERVER_STARTING, 20, MY},
	{"stopping temporary server", DBL_CLASS_SERVER_STARTING, 20, MY},
	/* MySQL / MariaDB servers and clients */
	{"unknown database", DBL_CLASS_DATABASE_MISSING, 100, MY},
	/* a tool's heading, not the server's 1049 ("Help: Unknown database
	 * error", Ghost-CLI's): masked, it weighs nothing */
	{"unknown database error", DBL_CLASS_UNKNOWN, 0, -1},
	/* ProxySQL's 9001 (it speaks for the server): no backend of the
	 * hostgroup answered in connect_timeout_server_max */
	{"max connect timeout reached", DBL_CLASS_TIMEOUT, 90, MY},
	{"is not allowed to connect to this", DBL_CLASS_HOST_NOT_ALLOWED, 100,
	 MY},
	{"is blocked because of many connection errors", DBL_CLASS_HOST_BLOCKED,
	 100, MY},
	/* the rest of 1129's text, whatever is cut or reworded before it:
	 * "... blocked because of many connection errors; unblock with
	 * 'mysqladmin flush-hosts'" (MariaDB 10.5+: mariadb-admin) */
	{"blocked because of many connection errors", DBL_CLASS_HOST_BLOCKED,
	 100, MY},
	{"mysqladmin flush-hosts", DBL_CLASS_HOST_BLOCKED, 90, MY},
	{"mariadb-admin flush-hosts", DBL_CLASS_HOST_BLOCKED, 90, MY},
	{"too many connections", DBL_CLASS_TOO_MANY_CONNECTIONS, 90, MY},
	{"has more than 'max_user_connections'", DBL_CLASS_ACCOUNT_UNUSABLE,
	 100, MY},
	{"account is locked", DBL_CLASS_ACCOUNT_UNUSABLE, 100, MY},
	/* ER_USER_LIMIT_REACHED: max_user_connections, max_questions... */
	{"' resource (current value:", DBL_CLASS_ACCOUNT_UNUSABLE, 100, MY},
	{"password has expired", DBL_CLASS_ACCOUNT_UNUSABLE, 100, -1},
	{"must reset your password", DBL_CLASS_ACCOUNT_UNUSABLE, 100, MY},
	/* MariaDB's 1820: a client that handles expired passwords got in, in
	 * sandbox mode, and its first statement is refused (seen:
	 * test_explain_drivers, without the code in mysql2's and Ruby's) */
	{"you must set password before executing", DBL_CLASS_ACCOUNT_UNUSABLE,
	 100, MY},
	{"insecure transport are prohibited", DBL_CLASS_TLS_MISMATCH, 100, MY},
	{"authentication plugin", DBL_CLASS_AUTH_METHOD_MISMATCH, 60, MY},
	{"does not support authentication protocol",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, MY},
	{"public key retrieval is not allowed", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100, MY},
	/* MariaDB Connector/J's words for the same: caching_sha2_password's
	 * full authentication without TLS, and no RSA key given */
	{"rsa public key is not available client side",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, MY},
	{"unknown mysql server host", DBL_CLASS_DNS_FAILURE, 100, MY},
	{"unknown server host", DBL_CLASS_DNS_FAILURE, 100, MY},
	{"initial communication packet", DBL_CLASS_TIMEOUT, 30, MY},
	{"access denied for user", DBL_CLASS_ACCESS_DENIED, 60, MY},
	{"authentication method unknown to the client",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, MY},
	{"could not be loaded", DBL_CLASS_AUTH_METHOD_MISMATCH, 60, -1},
	{"cannot be loaded", DBL_CLASS_AUTH_METHOD_MISMATCH, 60, -1},
	{"caching_sha2_password", DBL_CLASS_AUTH_METHOD_MISMATCH, 50, MY},
	{"auth_gssapi_client", DBL_CLASS_AUTH_METHOD_MISMATCH, 50, MY},
	{"enotfound", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"getaddrinfo enoent", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"server shutdown in progress", DBL_CLASS_SERVER_STARTING, 90, MY},
	{"mysql init process in progress", DBL_CLASS_SERVER_STARTING, 90, MY},
	/* name resolution, any client */
	{"getaddrinfo enotfound", DBL_CLASS_DNS_FAILURE, 100, -1},
	{"getaddrinfo eai_again", DBL_CLASS_DNS_FAILURE, 100, -1},
	{"no such host", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"name or service not known", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"temporary failure in name resolution", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"nodename nor servname provided", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"name does not resolve", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"no address associated with hostname", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"unknownhostexception", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"getaddrinfo failed", DBL_CLASS_DNS_FAILURE, 90, -1},
	/* getaddrinfo's EAI_NONAME and EAI_FAIL in the words of the other
	 * libraries that print them: FreeBSD's libc, LuaSocket (pgmoon,
	 * Kong, OpenResty), Windows' WSAHOST_NOT_FOUND (.NET, Winsock) */
	{"hostname nor servname provided", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"host or service not provided, or not known", DBL_CLASS_DNS_FAILURE,
	 90, -1},
	{"non-recoverable failure in name resolution", DBL_CLASS_DNS_FAILURE,
	 90, -1},
	{"no such host is known", DBL_CLASS_DNS_FAILURE, 90, -1},
	/* Go's resolver: "lookup db on 127.0.0.11:53: server misbehaving" */
	{"server misbehaving", DBL_CLASS_DNS_FAILURE, 80, -1},
	/* connect, worded by drivers */
	{"can't reach database server", DBL_CLASS_CONNECTION_REFUSED, 30, -1},
	/* Prisma's P1000, with or without its code */
	{"authentication failed against database server",
	 DBL_CLASS_ACCESS_DENIED, 90, -1},
	/* Prisma's P1000 as its later versions word it, and P1010 */
	{"authentication failed against the database server",
	 DBL_CLASS_ACCESS_DENIED, 90, -1},
	{"was denied access on the database", DBL_CLASS_ACCESS_DENIED, 90, -1},
	/* the MariaDB Node.js connector's pool that got no connection in
	 * time ("retrieve connection from pool timeout after 10001ms") */
	{"connection from pool timeout", DBL_CLASS_TIMEOUT, 80, MY},
	/* node-postgres' words when a hosted server requires TLS, as
	 * frameworks pass them on ("Details: SSL/TLS required") */
	{"ssl/tls required", DBL_CLASS_TLS_MISMATCH, 90, -1},
	/* a pool that got no connection in time: knex, tarn */
	{"timeout acquiring a connection", DBL_CLASS_TIMEOUT, 60, -1},
	{"permission denied for database", DBL_CLASS_ACCESS_DENIED, 80, PG},
	{"communications link failure", DBL_CLASS_CONNECTION_REFUSED, 30, MY},
	{"unable to connect to any of the specified mysql hosts",
	 DBL_CLASS_CONNECTION_REFUSED, 30, MY},
	{"non-existing domain", DBL_CLASS_DNS_FAILURE, 90, -1},
	{"tcp connect: nxdomain", DBL_CLASS_DNS_FAILURE, 90, -1},
	/* Erlang's inet error for a name that does not resolve, in any
	 * wrapper ("{error,nxdomain}", ":nxdomain") */
	{"nxdomain", DBL_CLASS_DNS_FAILURE, 90, -1},
	/* Go's context that ran out while dialing (pgx's "dial error
	 * (timeout: context deadline exceeded)") */
	{"context deadline exceeded", DBL_CLASS_TIMEOUT, 60, -1},
	/* deadpool's pool (Rust) when creating a connection ran out of
	 * its timeout */
	{"timeout occurred while creating a new object", DBL_CLASS_TIMEOUT, 80,
	 -1},
	/* Postgrex: the server answered the SSL request with no */
	{"ssl not available", DBL_CLASS_TLS_MISMATCH, 90, PG},
	/* libpq's hint after any failed TCP connect (refused, timed out,
	 * unreachable): alone, it proves a connect that failed, no more */
	{"is the server running on host", DBL_CLASS_CONNECTION_REFUSED, 20, PG},
	/* and its hint after a failed connect on the socket: alone (the
	 * first line cut off), a socket that did not answer at that path */
	{"is the server running locally", DBL_CLASS_SOCKET_MISSING, 20, PG},
	{"is the server running", DBL_CLASS_SERVER_NOT_RUNNING, 20, PG},
	{"check that the hostname and port are correct",
	 DBL_CLASS_SERVER_NOT_RUNNING, 20, PG},
	/* the framework's name for the failure, below the server's own
	 * words beside it (Rails raised it for a missing role too) */
	{"activerecord::nodatabaseerror", DBL_CLASS_DATABASE_MISSING, 60, -1},
	{"sorry, too many", DBL_CLASS_TOO_MANY_CONNECTIONS, 40, PG},
	/* The drivers' own words for a failed connect, read from the
	 * drivers installed here (driver_templates.txt's dev half). TLS the
	 * client cannot set up: its key, certificate or context */
	{"ssl hostname verification failed", DBL_CLASS_TLS_MISMATCH, 90, MY},
	{"failed to find keystore file", DBL_CLASS_TLS_MISMATCH, 80, MY},
	{"fingerprint verification of server certificate",
	 DBL_CLASS_TLS_MISMATCH, 90, MY},
	{"could not initialize ssl context", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"ssl certificate file", DBL_CLASS_TLS_MISMATCH, 80, PG},
	{"ssl key file", DBL_CLASS_TLS_MISMATCH, 80, PG},
	{"private key has world access", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"or u=rw (0600), or less", DBL_CLASS_TLS_MISMATCH, 80, PG},
	{"should be u=rw (0600) or less", DBL_CLASS_TLS_MISMATCH, 80, PG},
	{"in sslrootcert", DBL_CLASS_TLS_MISMATCH, 80, PG},
	{"ssl module not found", DBL_CLASS_TLS_MISMATCH, 80, MY},
	{"server does not support secure connection", DBL_CLASS_TLS_MISMATCH,
	 100, MY},
	{"handshake_no_ssl_support", DBL_CLASS_TLS_MISMATCH, 100, MY},
	{"cannot connect to mysql using ssl", DBL_CLASS_TLS_MISMATCH, 100, MY},
	/* GSSAPI encryption asked for (gssEncMode=require), not offered */
	{"does not support gss encryption", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"does not support gss encoding", DBL_CLASS_TLS_MISMATCH, 90, PG},
	/* an authentication the client cannot do */
	{"gss authentication failed", DBL_CLASS_AUTH_METHOD_MISMATCH, 90, PG},
	{"sspi not available", DBL_CLASS_AUTH_METHOD_MISMATCH, 90, PG},
	{"unknown authentication response", DBL_CLASS_AUTH_METHOD_MISMATCH, 90,
	 PG},
	{"only mechanism scram-sha-256 is currently supported",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 90, PG},
	{"requires old password authentication", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100, MY},
	{"old authentication protocol refused", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100, MY},
	{"in place of rsa public key", DBL_CLASS_AUTH_METHOD_MISMATCH, 90, MY},
	{"error while receiving public key", DBL_CLASS_AUTH_METHOD_MISMATCH, 80,
	 MY},
	/* what answered does not speak the protocol expected */
	{"protocol exchange error", DBL_CLASS_PROTOCOL_MISMATCH, 70, MY},
	{"does not support required protocol 41", DBL_CLASS_PROTOCOL_MISMATCH,
	 100, MY},
	{"packet sequence number wrong", DBL_CLASS_PROTOCOL_MISMATCH, 80, MY},
	{"error in server handshake", DBL_CLASS_PROTOCOL_MISMATCH, 70, MY},
	{"wrong or unknown protocol", DBL_CLASS_PROTOCOL_MISMATCH, 80, MY},
	{"3.23 & 4.0 is not supported", DBL_CLASS_PROTOCOL_MISMATCH, 100, MY},
	{"greet packet shorter than expected", DBL_CLASS_PROTOCOL_MISMATCH, 70,
	 MY},
	{"invalid scram server-first-message", DBL_CLASS_PROTOCOL_MISMATCH, 70,
	 PG},
	/* no greeting: as "reading initial communication packet" */
	{"error while reading greeting packet", DBL_CLASS_TIMEOUT, 30, MY},
	/* the name, the pipe, the time */
	{"hostname resolving error", DBL_CLASS_DNS_FAILURE, 90, PG},
	{"could not connect to named pipe", DBL_CLASS_SOCKET_MISSING, 60, MY},
	{"timeout exceeded when trying to connect", DBL_CLASS_TIMEOUT, 90, PG},
	{"connection terminated due to connection timeout", DBL_CLASS_TIMEOUT,
	 90, PG},
	/* Npgsql's NpgsqlReadBuffer when the server's reply did not come in
	 * time, and .NET's TimeoutException in its German resources
	 * ("The operation has timed out.") (threads16) */
	{"timeout during reading attempt", DBL_CLASS_TIMEOUT, 80, PG},
	{"timeout für den vorgang wurde überschritten", DBL_CLASS_TIMEOUT, 80,
	 -1},
	/* The JVM's own words under any driver (threads15): JSSE's trust
	 * and handshake failures (the server's certificate chain not in the
	 * trust store; TLSv1/1.1 disabled in the JDK while an old driver
	 * offers nothing else), and a pool's wait that ran out
	 * (java.util.concurrent's, as agroal throws it) */
	{"pkix path building failed", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"unable to find valid certification path", DBL_CLASS_TLS_MISMATCH, 90,
	 -1},
	{"no appropriate protocol", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"sslhandshakeexception", DBL_CLASS_TLS_MISMATCH, 60, -1},
	/* JSSE's message of that exception when the server closed during
	 * the handshake (no TLS version or cipher in common, or no TLS on
	 * that port), printed without the class name by GUI tools */
	{"remote host terminated the handshake", DBL_CLASS_TLS_MISMATCH, 80,
	 -1},
	/* A server certificate the client would not accept, in each TLS
	 * library's own words (the verify step fails the same way under
	 * any driver): OpenSSL's X509 verify errors, libpq's host-name and
	 * root-certificate checks, Node's codes, Go's crypto/x509, JSSE's
	 * validator, rustls, Schannel and .NET's SslStream, Npgsql's own
	 * TLS client, Erlang's ssl; and a client built without TLS */
	{"unable to get local issuer certificate", DBL_CLASS_TLS_MISMATCH, 90,
	 -1},
	{"unable to get issuer certificate", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"certificate has expired", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"certificate is not yet valid", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"does not match host name", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"root certificate file", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"could not open certificate file", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"could not load private key file", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"invalid when ssl support is not compiled in", DBL_CLASS_TLS_MISMATCH,
	 100, PG},
	{"match certificate's altnames", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"err_tls_cert_altname_invalid", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"self_signed_cert_in_chain", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"depth_zero_self_signed_cert", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"unable_to_verify_leaf_signature", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"unable_to_get_issuer_cert_locally", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"cert_has_expired", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"x509: certificate", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"x509: cannot validate certificate", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"tls: failed to verify certificate", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"first record does not look like a tls handshake",
	 DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"pkix path validation failed", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"certpathvalidatorexception", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"no subject alternative names", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"invalid peer certificate", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"cn name does not match", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"terminated in a root certificate which is not trusted",
	 DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"the remote certificate is invalid", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"remote certificate was rejected", DBL_CLASS_TLS_MISMATCH, 90, -1},
	{"server certificate was not accepted", DBL_CLASS_TLS_MISMATCH, 90, PG},
	{"fatal - unknown ca", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"fatal - bad certificate", DBL_CLASS_TLS_MISMATCH, 80, -1},
	/* OpenSSL's reasons when the two sides speak no TLS version in
	 * common, or one side speaks no TLS at all on the port (a TLS
	 * client against a plain one reads "wrong version number") */
	{"wrong version number", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"ssl_choose_client_version", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"ssl error: unsupported protocol", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"ssl routines", DBL_CLASS_TLS_MISMATCH, 60, -1},
	{"tls/ssl error", DBL_CLASS_TLS_MISMATCH, 60, -1},
	/* libmariadb's Schannel (Windows) TLS: "Unknown SSL error
	 * 0x80090308" (SEC_E_INVALID_TOKEN) and its kin */
	{"unknown ssl error", DBL_CLASS_TLS_MISMATCH, 80, MY},
	{"0x80090308", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"0x80090325", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"0x80090322", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"0x80090326", DBL_CLASS_TLS_MISMATCH, 80, -1},
	{"0x80090331", DBL_CLASS_TLS_MISMATCH, 80, -1},
	/* a client side without the method the server asked for: libpq
	 * built without GSSAPI or SSPI, pgx's name for an AuthenticationGSS
	 * request (7) it has no code for */
	{"gssapi authentication not supported", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100, PG},
	{"sspi authentication not supported", DBL_CLASS_AUTH_METHOD_MISMATCH,
	 100, PG},
	{"unknown authentication type", DBL_CLASS_AUTH_METHOD_MISMATCH, 90, PG},
	/* Npgsql reading a message byte no PostgreSQL server sends (a MySQL
	 * greeting: "Unknown message code: 91"), and its pool's timeouts */
	{"unknown message code", DBL_CLASS_PROTOCOL_MISMATCH, 80, PG},
	{"timeout while getting a connection from pool", DBL_CLASS_TIMEOUT, 80,
	 PG},
	{"the connection pool has been exhausted", DBL_CLASS_TIMEOUT, 80, PG},
	/* Connector/NET's for an account's plugin it has no code for */
	{"not supported by any of the available plugins",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 90, MY},
	/* the server's answer to a startup packet of a protocol version it
	 * does not speak: another client protocol on the port */
	{"unsupported frontend protocol", DBL_CLASS_PROTOCOL_MISMATCH, 90, PG},
	/* asyncpg's connect timeout surfaces as asyncio's own exception */
	{"asyncio.exceptions.timeouterror", DBL_CLASS_TIMEOUT, 60, -1},
	{"asyncio.timeouterror", DBL_CLASS_TIMEOUT, 60, -1},
	/* MySqlConnector's words for Connector/J's "Public Key Retrieval is
	 * not allowed": caching_sha2 over plain TCP without the key */
	{"retrieval of the rsa public key is not enabled",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 100, MY},
	{"concurrent.timeoutexception", DBL_CLASS_TIMEOUT, 60, -1},
	/* a client that meets an authentication request it does not handle
	 * (Skunk's "Unexpected backend message: AuthenticationSASL(...)") */
	{"unexpected backend message: authentication",
	 DBL_CLASS_AUTH_METHOD_MISMATCH, 90, PG},
	/* r2dbc-postgresql's wrapper of a failed connect, below the cause
	 * it wraps when that is in the text */
	{"postgresconnectionexception: cannot connect to",
	 DBL_CLASS_CONNECTION_REFUSED, 40, PG},
	/* crystal-db's exception for a connection its driver could not
	 * open (crystal-pg, crystal-mysql: " (DB::ConnectionRefused)"), below
	 * the cause it wraps when that is in the text */
	{"db::connectionrefused", DBL_CLASS_CONNECTION_REFUSED, 40, -1},
};

#define N_PHRASES (sizeof(phrases) / sizeof(phrases[0]))

static int longer_first(const void *a, const void *b)
{
	size_t la = strlen(phrases[*(const size_t *)a].text);
	size_t lb = strlen(phrases[*(const size_t *)b].text);
	return la < lb ? 1 : la > lb ? -1 : 0;
}

/* Blanks every occurrence of what in work, so shorter phrases inside it
 * no longer match; false when it does not occur. */
static bool consume(char *work, const char *what)
{
	size_t n = strlen(what);
	bool found = false;
	/* a phrase that starts a word starts one in the text too: Node's
	 * "enotfound" is not inside Python's "FileNotFoundError" */
	bool word = isalpha((unsigned char)what[0]);
	for (char *p = work; (p = strstr(p, what)) != NULL; p += n) {
		if (word && !dbl_xword_at(work, p))
			continue;
		memset(p, 1, n);
		found = true;
	}
	return found;
}

static void weigh_phrase(struct dbl_xscan *s, const struct phrase *ph)
{
	if (ph->cls != DBL_CLASS_UNKNOWN)
		dbl_xadd(s, ph->cls, ph->weight);
	dbl_xtoken(s, DBL_XTOK_PHRASE, 0, ph->text);
	if (ph->engine == PG)
		s->pg += 3;
	else if (ph->engine == MY)
		s->my += 3;
}

/* The table longest phrase first, sorted once: explain scans every error
 * line of a pasted log on its own (up to 200), and sorting per scan cost
 * a tenth of a long log's time (3,000 lines, 200 of them errors: 82 ->
 * 74 ms of CPU). */
static size_t phrase_order[N_PHRASES];
static pthread_once_t phrase_order_once = PTHREAD_ONCE_INIT;

static void sort_phrases(void)
{
	for (size_t i = 0; i < N_PHRASES; i++)
		phrase_order[i] = i;
	qsort(phrase_order, N_PHRASES, sizeof(phrase_order[0]), longer_first);
}

static void find_table_phrases(struct dbl_xscan *s)
{
	pthread_once(&phrase_order_once, sort_phrases);
	const size_t *order = phrase_order;
	char *work = malloc(s->len + 1);
	if (!work) {
		s->oom = true;
		return;
	}
	memcpy(work, s->low, s->len + 1);
	for (size_t i = 0; i < N_PHRASES; i++)
		if (consume(work, phrases[order[i]].text) &&
		    phrases[order[i]].weight > 0) /* 0: a mask */
			weigh_phrase(s, &phrases[order[i]]);
	free(work);
}

/* "database "x" does not exist" in any of its forms, and role ones. */
static void weigh_does_not_exist(struct dbl_xscan *s)
{
	if (!dbl_xhas(s, "does not exist") && !dbl_xhas(s, "existiert nicht") &&
	    !dbl_xhas(s, "n'existe pas") && !dbl_xhas(s, "не существует") &&
	    !dbl_xhas(s, "no existe la base") &&
	    !dbl_xhas(s, "não existe")) /* pt_BR: no catalogue in Debian's */
		return;
	/* the name's quote may stay escaped in a JSON log or string pasted
	 * whole ("database \\"app\\" does not exist") */
	if (dbl_xhas(s, "database \"") || dbl_xhas(s, "database \\\"") ||
	    dbl_xhas(s, "database «") || /* French quotes, English words */
	    dbl_xhas(s, "datenbank »") || dbl_xhas(s, "la base de données") ||
	    dbl_xhas(s, "база данных") || dbl_xhas(s, "no existe la base") ||
	    dbl_xhas(s, "database '") || dbl_xhas(s, "banco de dados \""))
		dbl_xadd(s, DBL_CLASS_DATABASE_MISSING, 90);
	else if (dbl_xhas(s, "role \"") || dbl_xhas(s, "rolle »") ||
		 dbl_xhas(s, "le rôle") ||
		 /* before 8.1, and as the manual still quotes it */
		 dbl_xhas(s, "user \""))
		dbl_xadd(s, DBL_CLASS_ACCESS_DENIED, 80);
	else
		return;
	s->pg += 3; /* MySQL words it "Unknown database" */
}

/* libpq and pgJDBC name the SASL request by its number, 10, in any
 * language: "authentication method 10 not supported", "The authentication
 * type 10 is not supported", "Der Authentifizierungstyp 10 wird nicht
 * unterstützt". */
static void weigh_sasl_number(struct dbl_xscan *s)
{
	for (const char *p = s->low; (p = strstr(p, "authenti")) != NULL; p++) {
		for (size_t i = 8; i < 40 && p[i]; i++) {
			if (p[i] == '1' && p[i + 1] == '0' &&
			    dbl_xlone(s->low, p + i, 2)) {
				dbl_xadd(s, DBL_CLASS_AUTH_METHOD_MISMATCH,
					 100);
				s->pg += 3;
				dbl_xevidence(s, "SASL (SCRAM) requested, "
						 "code 10");
				return;
			}
		}
	}
}

/* Codes that cover several causes, split by what surrounds them. */
static void split_pg_hba(struct dbl_xscan *s)
{
	/* A hostssl-only server rejects a plaintext client with the same
	 * pg_hba text. */
	if (dbl_xhas(s, "no pg_hba.conf entry") &&
	    (dbl_xhas(s, "no encryption") || dbl_xhas(s, "ssl off")))
		dbl_xadd(s, DBL_CLASS_TLS_MISMATCH, 30);
	/* The same text in a translation the terminal garbled (a Cyrillic
	 * one read in the wrong encoding): "pg_hba.conf" and a quoted
	 * client address soon after it are all that is left. */
	const char *p = strstr(s->low, "pg_hba.conf");
	if (p && !dbl_xhas(s, "no pg_hba.conf entry") &&
	    !dbl_xhas(s, "pg_hba.conf rejects")) {
		const char *q = p + 11;
		for (int i = 0; i < 80 && q[i] && q[i] != '\n'; i++)
			if (q[i] == '"' && isdigit((unsigned char)q[i + 1])) {
				dbl_xadd(s, DBL_CLASS_HOST_NOT_ALLOWED, 60);
				break;
			}
	}
}

static bool from_address(const struct dbl_xscan *s)
{
	return dbl_xhas(s, "'@'127.0.0.1'") || dbl_xhas(s, "'@'::1'") ||
	       dbl_xhas(s, "'@'172.") || dbl_xhas(s, "'@'192.168.");
}

/* Whether the code scanner found MySQL error n where the syntax makes it
 * one (a PID "[1044]" is not). */
static bool has_code(const struct dbl_xscan *s, int n)
{
	for (size_t i = 0; i < s->n_tokens; i++)
		if (s->tokens[i].kind == DBL_XTOK_MYSQL_ERROR &&
		    s->tokens[i].value == n)
			return true;
	return false;
}

/* Whether the text speaks of a MySQL/MariaDB refusal at all: only then
 * may a loose number be its error code ("job 1044 in 12ms" is not). */
static bool mysql_context(const struct dbl_xscan *s)
{
	return dbl_xhas(s, "access denied") || dbl_xhas(s, "mysql") ||
	       dbl_xhas(s, "mariadb") || dbl_xhas(s, "hy000") ||
	       dbl_xhas(s, "28000") || dbl_xhas(s, "42000");
}

static bool word_is(const char *w, size_t len, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == len && memcmp(w, *list, len) == 0)
			return true;
	return false;
}

/* A number that counts or places something, by the word before or after
 * it: a stack trace's "... 1698 more" (Java's elided frames), "line 1045"
 * (a traceback), "port 1044", "pid 2003", "1045 ms". */
static bool counted_number(const char *low, const char *num, size_t len)
{
	static const char *const before[] = {"line",	"port", "pid",
					     "thread",	"row",	"column",
					     "process", NULL};
	static const char *const after[] = {"more",  "ms",	 "bytes",
					    "lines", "rows",	 "seconds",
					    "times", "attempts", NULL};
	const char *e = num;
	while (e > low && e[-1] == ' ')
		e--;
	const char *b = e;
	while (b > low && isalpha((unsigned char)b[-1]))
		b--;
	if (e > b && e < num && word_is(b, (size_t)(e - b), before))
		return true;
	const char *a = num + len;
	if (*a != ' ')
		return false;
	while (*a == ' ')
		a++;
	const char *w = a;
	while (isalpha((unsigned char)*w))
		w++;
	return w > a && word_is(a, (size_t)(w - a), after);
}

/* has_code, or the number written loosely beside the text ("(HY000/1698)",
 * "1698 access denied") of a MySQL refusal, but not in brackets, where a
 * PID stands: "postgres[1049]:", "UTC [1044] LOG:", nor as a count or a
 * place (counted_number). */
static bool names_code(const struct dbl_xscan *s, int n)
{
	if (has_code(s, n))
		return true;
	if (!mysql_context(s))
		return false;
	char key[8];
	snprintf(key, sizeof(key), "%d", n);
	for (const char *p = s->low; (p = strstr(p, key)) != NULL; p++) {
		char b = p > s->low ? p[-1] : ' ', a = p[4];
		if (!isalnum((unsigned char)b) && !strchr("[.:-", b) &&
		    !isalnum((unsigned char)a) && a != ']' && a != '.' &&
		    !((a == '/' || a == '-') && isdigit((unsigned char)p[5])) &&
		    !counted_number(s->low, p, 4))
			return true;
	}
	return false;
}

static void split_mysql_denied(struct dbl_xscan *s)
{
	bool denied = dbl_xhas(s, "access denied for user");
	/* 1698: an account that logs in by unix_socket/auth_socket (root on
	 * Debian and Ubuntu, or any account so created), or an account for
	 * another host. The code decides over "access denied for user", the
	 * words 1045 and 1698 share. */
	if (names_code(s, 1698) ||
	    dbl_xhas(s, "er_access_denied_no_password_error")) {
		if (from_address(s) && !dbl_xhas(s, "'root'@"))
			dbl_xadd(s, DBL_CLASS_HOST_NOT_ALLOWED, 95);
		else
			dbl_xadd(s, DBL_CLASS_AUTH_METHOD_MISMATCH, 40);
	}
	if (names_code(s, 1044) || dbl_xhas(s, "er_dbaccess_denied_error") ||
	    (denied && dbl_xhas(s, "to database")))
		dbl_xadd(s, DBL_CLASS_DATABASE_MISSING, 40);
	/* 1045 from an IP while an account exists for 'localhost' only. */
	if ((names_code(s, 1045) || denied) && from_address(s))
		dbl_xadd(s, DBL_CLASS_HOST_NOT_ALLOWED, 30);
	/* An authentication plugin one side lacks: the MariaDB client
	 * reports one it cannot load as 1045; the server, one an account
	 * uses but it has not loaded, as 1524 ("Plugin 'unix_socket' is not
	 * loaded") or in its log ("The plugin 'mysql_native_password' used
	 * to authenticate user ... is not loaded"). */
	if (dbl_xhas(s, "plugin ") &&
	    (dbl_xhas(s, "could not be loaded") ||
	     dbl_xhas(s, "cannot be loaded") || dbl_xhas(s, "is not loaded")))
		dbl_xadd(s, DBL_CLASS_AUTH_METHOD_MISMATCH, 80);
	/* An application's own words around the account it was refused:
	 * "Access denied to dbuser@localhost", "access denied for app@db". */
	if (!denied)
		for (const char *p = s->low;
		     (p = strstr(p, "access denied ")) != NULL; p++) {
			const char *a = p + 14;
			if (strncmp(a, "to ", 3) && strncmp(a, "for ", 4))
				continue;
			a = strchr(a, ' ') + 1;
			size_t n = strcspn(a, " \t\r\n,;()");
			const char *at = memchr(a, '@', n);
			if (at && at > a && at + 1 < a + n) {
				dbl_xadd(s, DBL_CLASS_ACCESS_DENIED, 50);
				s->my += 2;
				break;
			}
		}
	/* root@localhost refused without a password: unix_socket/auth_socket
	 * is the usual reason on Debian and Ubuntu */
	if (denied && dbl_xhas(s, "'root'@'localhost'") &&
	    !dbl_xhas(s, "using password: yes"))
		dbl_xadd(s, DBL_CLASS_AUTH_METHOD_MISMATCH, 45);
}

/* "Failed to connect to HOST:PORT" (Npgsql, many drivers): a TCP connect
 * to that endpoint failed; the socket error after it, when the text has
 * one, decides which way. */
static void weigh_failed_endpoint(struct dbl_xscan *s)
{
	for (const char *p = s->low;
	     (p = strstr(p, "failed to connect to ")) != NULL; p++) {
		const char *h = p + 21;
		size_t n = strcspn(h, " \t\r\n\"'`,;)");
		const char *colon = NULL;
		for (size_t i = 0; i < n; i++)
			if (h[i] == ':')
				colon = h + i;
		if (!colon || colon == h || colon + 1 >= h + n)
			continue;
		bool digits = true;
		for (const char *d = colon + 1; d < h + n; d++)
			digits = digits && isdigit((unsigned char)*d);
		if (!digits)
			continue;
		dbl_xadd(s, DBL_CLASS_CONNECTION_REFUSED, 30);
		dbl_xadd(s, DBL_CLASS_TIMEOUT, 20);
		dbl_xtoken(s, DBL_XTOK_PHRASE, 0, "failed to connect to");
		return;
	}
}

/* MariaDB Connector/J: "Socket fail to connect to host:H, port:P. MSG",
 * MSG the Java exception's message. An UnknownHostException's message is
 * the name alone, so MSG that is H again says the name did not
 * resolve. */
static void weigh_socket_fail(struct dbl_xscan *s)
{
	static const char mark[] = "socket fail to connect to host:";
	for (const char *p = s->low; (p = strstr(p, mark)) != NULL; p++) {
		const char *h = p + sizeof(mark) - 1;
		size_t n = strcspn(h, ", \t\r\n");
		if (n == 0 || strncmp(h + n, ", port:", 7))
			continue;
		const char *d = h + n + 7;
		while (isdigit((unsigned char)*d))
			d++;
		if (d == h + n + 7 || strncmp(d, ". ", 2))
			continue;
		const char *m = d + 2;
		if (strncmp(m, h, n))
			continue;
		if (!isalnum((unsigned char)m[n]) && !strchr(".-_:", m[n])) {
			dbl_xadd(s, DBL_CLASS_DNS_FAILURE, 90);
			dbl_xtoken(s, DBL_XTOK_PHRASE, 0,
				   "socket fail to connect to host");
			return;
		}
	}
}

static void split_names(struct dbl_xscan *s)
{
	/* The name that does not resolve is localhost itself. */
	if ((dbl_xhas(s, "host 'localhost'") ||
	     dbl_xhas(s, "name \"localhost\"") ||
	     dbl_xhas(s, "enotfound localhost") ||
	     dbl_xhas(s, "lookup localhost")) &&
	    (dbl_xhas(s, "unknown") || dbl_xhas(s, "could not translate") ||
	     dbl_xhas(s, "enotfound") || dbl_xhas(s, "no such host")))
		dbl_xadd(s, DBL_CLASS_LOCALHOST_RESOLUTION, 300);
	/* MySQL 2002 without errno: "local ... socket" is the socket. */
	if (!s->err && !s->never_connected &&
	    (dbl_xhas(s, "through socket") ||
	     dbl_xhas(s, "local mysql server")))
		dbl_xadd(s, DBL_CLASS_SOCKET_MISSING, 30);
}

/* A MySQL client that takes what came for a greeting: an error packet a
 * server sends before it (1040 at max_connections, 1129 and 1130) reads as
 * packets out of order to mysqljs; an old go-sql-driver meeting an auth
 * plugin switch it cannot follow calls it a malformed packet. Causes to
 * list, not what the text says. */
static void split_packet_errors(struct dbl_xscan *s)
{
	if (dbl_xhas(s, "packets out of order") ||
	    dbl_xhas(s, "protocol_packets_out_of_order")) {
		dbl_xadd(s, DBL_CLASS_TOO_MANY_CONNECTIONS, 14);
		dbl_xadd(s, DBL_CLASS_HOST_NOT_ALLOWED, 13);
		dbl_xadd(s, DBL_CLASS_HOST_BLOCKED, 12);
	}
	if (dbl_xhas(s, "malformed packet"))
		dbl_xadd(s, DBL_CLASS_AUTH_METHOD_MISMATCH, 14);
}

/* Words that name no class, only that something in the way ended the
 * connection; which cause, a log on the other side says. The causes are
 * listed, most likely first, below the weight that places a class. */
static const struct {
	const char *text;
	int engine;
	enum dbl_class causes[4];
	const char *evidence; /* for the reader, NULL: the phrase says it */
} cut_connections[] = {
	/* PgBouncer's answer when its own connect to the server failed
	 * (refused, a name that did not resolve, server_connect_timeout) */
	{"pgbouncer cannot connect to server",
	 PG,
	 {DBL_CLASS_SERVER_NOT_RUNNING, DBL_CLASS_WRONG_PORT,
	  DBL_CLASS_DNS_FAILURE, DBL_CLASS_TIMEOUT},
	 "PgBouncer could not connect to the server"},
	/* MySQL Connector/J's wrapper when no attempt got through: an old
	 * driver against a newer server's authentication plugin or TLS,
	 * its reconnects given up; the chained cause, when pasted, decides */
	{"could not create connection to database server",
	 MY,
	 {DBL_CLASS_AUTH_METHOD_MISMATCH, DBL_CLASS_TLS_MISMATCH,
	  DBL_CLASS_CONNECTION_REFUSED, DBL_CLASS_TIMEOUT},
	 NULL},
	/* libpq's EOF on a TLS connection: the server's process ended (a
	 * restart, a crash, an idle timeout), or an allow-list or proxy in
	 * front of a hosted server dropped the client after the handshake */
	{"ssl connection has been closed unexpectedly",
	 PG,
	 {DBL_CLASS_SERVER_STARTING, DBL_CLASS_HOST_NOT_ALLOWED,
	  DBL_CLASS_TLS_MISMATCH, DBL_CLASS_TIMEOUT},
	 NULL},
};

static void split_cut_connections(struct dbl_xscan *s)
{
	for (size_t i = 0;
	     i < sizeof(cut_connections) / sizeof(cut_connections[0]); i++) {
		if (!dbl_xhas(s, cut_connections[i].text))
			continue;
		for (int k = 0; k < 4; k++)
			dbl_xadd(s, cut_connections[i].causes[k], 14 - k);
		dbl_xtoken(s, DBL_XTOK_PHRASE, 0, cut_connections[i].text);
		if (cut_connections[i].evidence)
			dbl_xevidence(s, cut_connections[i].evidence);
		if (cut_connections[i].engine == PG)
			s->pg += 3;
		else
			s->my += 3;
	}
}

/* Texts that prove a connect failed and no more, pasted without the code
 * or errno that would say how. */
static void weigh_bare_failures(struct dbl_xscan *s)
{
	/* socket(AF_INET6) on a host whose kernel has IPv6 off: libpq's
	 * "could not create socket: Address family not supported by
	 * protocol" for ::1 or localhost (for a socket path it is a
	 * platform without Unix sockets, no IPv6 matter) */
	if (dbl_xhas(s, "address family not supported by protocol") &&
	    !s->unix_sock && (s->v6 || s->localhost))
		dbl_xadd(s, DBL_CLASS_IPV6_NOT_LISTENING, 60);
	/* libmysqlclient's 2003 text (MariaDB's "Can't connect to server
	 * on"), and pg_isready's "host:port - no response", pasted without
	 * a code or an errno: a TCP connect that failed, as 2003 alone */
	bool coded = false;
	for (size_t i = 0; i < s->n_tokens; i++)
		if (s->tokens[i].kind == DBL_XTOK_MYSQL_ERROR)
			coded = true;
	if (!coded && !s->err && !s->eai && !s->never_connected &&
	    (dbl_xhas(s, "can't connect to mysql server on") ||
	     dbl_xhas(s, "can't connect to server on"))) {
		dbl_xadd(s, DBL_CLASS_CONNECTION_REFUSED, 30);
		dbl_xtoken(s, DBL_XTOK_PHRASE, 0, "can't connect to server on");
		s->my += 3;
	}
	if (!s->err && !s->eai && dbl_xhas(s, " - no response")) {
		dbl_xadd(s, DBL_CLASS_CONNECTION_REFUSED, 30);
		dbl_xtoken(s, DBL_XTOK_PHRASE, 0, "- no response");
		s->pg += 3;
	}
	/* Connector/J's detail of a communications link failure, pasted
	 * without its first line: the same refusal-or-timeout */
	if (dbl_xhas(s,
		     "driver has not received any packets from the server") &&
	    !dbl_xhas(s, "communications link failure")) {
		dbl_xadd(s, DBL_CLASS_CONNECTION_REFUSED, 30);
		dbl_xadd(s, DBL_CLASS_TIMEOUT, 25);
		dbl_xtoken(s, DBL_XTOK_PHRASE, 0,
			   "the driver has not received any packets from the "
			   "server");
		s->my += 3;
	}
}

void dbl_xscan_phrases(struct dbl_xscan *s)
{
	find_table_phrases(s);
	weigh_does_not_exist(s);
	weigh_sasl_number(s);
	split_pg_hba(s);
	split_mysql_denied(s);
	weigh_failed_endpoint(s);
	weigh_socket_fail(s);
	split_names(s);
	split_packet_errors(s);
	split_cut_connections(s);
	weigh_bare_failures(s);
}
