/* dbloop explain: what each class means for a pasted message, the fix to
 * make, and the other causes the same text is known to arise from, each
 * with what tells it apart. */
#include <stddef.h>

#include "explain/explain_int.h"

static const struct dbl_xtext texts[] = {
	{DBL_CLASS_SERVER_NOT_RUNNING,
	 "nothing listens where the client connects: the server is not "
	 "running, or not at that address or port",
	 "start the server, or point the client at the host and port where "
	 "it listens",
	 NULL,
	 {{DBL_CLASS_WRONG_PORT,
	   "the server is up but on another port (a container published as "
	   "5433:5432, a second cluster)"},
	  {DBL_CLASS_TCP_DISABLED,
	   "the server runs with TCP off (listen_addresses='', "
	   "skip-networking) and only its socket works"},
	  {DBL_CLASS_LOCALHOST_RESOLUTION,
	   "localhost resolved to ::1 while the server listens on 127.0.0.1 "
	   "only"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the client runs in a container (or a VM), where localhost and "
	   "127.0.0.1 are its own and not those of the host the server runs "
	   "on"}}},
	{DBL_CLASS_CONNECTION_REFUSED,
	 "the TCP endpoint refused the connection: nothing accepts at that "
	 "address and port (the text proves no more than that)",
	 "run dbloop diagnose to see which of the causes below it is; "
	 "start the server, or point the client at the host and port where "
	 "it listens",
	 NULL,
	 /* Near the order the development halves' confirmed causes of a
	  * refusal came (endpoint_mismatch 20 of 41, server_not_running 7,
	  * server_starting 5, all PostgreSQL, wrong_port 4, tcp_disabled 1,
	  * MySQL), the stopped server kept first as the commonest cause on a
	  * developer's own machine; a refusal naming ::1 leaves two slots
	  * after the IPv6 causes, and these are the two the data ranks
	  * first. tcp_disabled and server_starting are worded per engine
	  * (other_engine_words drops the other's): skip-networking is
	  * MySQL's usual way to be socket-only, an entrypoint's first-start
	  * server PostgreSQL's usual refusal in a compose file; wrong_port
	  * before server_starting cost no development message. */
	 {{DBL_CLASS_SERVER_NOT_RUNNING,
	   "no server runs at all (no socket either, no process)"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the client connects to another host than the server's: inside a "
	   "container 127.0.0.1 is the container itself"},
	  {DBL_CLASS_TCP_DISABLED,
	   "the MySQL/MariaDB server runs with skip-networking (MAMP's, "
	   "cPanel's and some packages' default) and only its socket works"},
	  {DBL_CLASS_WRONG_PORT,
	   "the server is up but on another port (a container published as "
	   "5433:5432, a second cluster)"},
	  {DBL_CLASS_SERVER_STARTING,
	   "the PostgreSQL server is still starting: an image's entrypoint "
	   "runs its first-start server with TCP off, so a client started "
	   "with the container is refused until the real server is up"},
	  {DBL_CLASS_TCP_DISABLED,
	   "the server runs with TCP off (listen_addresses='') and only its "
	   "socket works"}}},
	{DBL_CLASS_LOCALHOST_RESOLUTION,
	 "the name localhost resolved to ::1 first while the server listens "
	 "on 127.0.0.1 only, and the client tried no other address (Node.js "
	 "17 to 19; Node.js 20, libpq, Go's and the JDBC drivers go on to "
	 "127.0.0.1), or the hosts file maps localhost to ::1 alone",
	 "connect to 127.0.0.1 instead of localhost, or make the server "
	 "listen on ::1 too (listen_addresses = '127.0.0.1,::1' / "
	 "bind-address = 127.0.0.1,::1)",
	 NULL,
	 {{DBL_CLASS_SERVER_NOT_RUNNING,
	   "127.0.0.1 is refused as well: nothing listens at all"},
	  {DBL_CLASS_IPV6_NOT_LISTENING,
	   "the client asked for ::1 explicitly and the server binds IPv4 "
	   "only"},
	  {DBL_CLASS_WRONG_PORT, "the server is up on another port"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the client runs in a container (or a VM), where localhost and "
	   "127.0.0.1 are its own and not those of the host the server runs "
	   "on"}}},
	{DBL_CLASS_SOCKET_MISSING,
	 "no socket file at the path the client uses: the server is not "
	 "running, or it puts its socket elsewhere",
	 "find where the server's socket really is and point the client "
	 "there (PGHOST=/dir, socket= under [client]), or start the server",
	 "find the server's socket (SELECT @@socket over TCP) and set "
	 "socket= under [client], or use host 127.0.0.1 to go over TCP",
	 {{DBL_CLASS_SERVER_NOT_RUNNING,
	   "no socket of the engine exists anywhere and TCP is refused too"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the server runs but keeps its socket at another path (another "
	   "package's or a container's default), so the client's is empty"},
	  {DBL_CLASS_SOCKET_PORT_IGNORED,
	   "a MySQL client took host localhost to mean the socket; the "
	   "server is reachable over TCP (use 127.0.0.1)"},
	  {DBL_CLASS_WRONG_PORT,
	   "the server runs on another port, and the socket name carries the "
	   "port (.s.PGSQL.5433) or the server sets another socket path"},
	  /* not socket_permission: a directory the user may not search
	   * gives EACCES, never "No such file" */
	  {DBL_CLASS_SERVER_STARTING,
	   "the server is still starting (a compose service started before "
	   "its database, a boot that ran the client first): the socket "
	   "appears a moment later"}}},
	{DBL_CLASS_SOCKET_STALE,
	 "a socket file exists but nothing accepts on it: the server died "
	 "and left it behind",
	 "start the server again (check its log for why it stopped); remove "
	 "the stale file if it is in the way",
	 NULL,
	 {{DBL_CLASS_SERVER_NOT_RUNNING, "the server is not running at all"},
	  {DBL_CLASS_SERVER_STARTING, "the server is restarting right now"},
	  {DBL_CLASS_WRONG_PORT,
	   "the server now runs on another port, whose socket has another "
	   "name (.s.PGSQL.<port>) or path; this file is left from before"}}},
	{DBL_CLASS_SOCKET_PERMISSION,
	 "this OS user may not reach the socket or a directory above it",
	 "add the user to the group that owns the socket's directory, or "
	 "connect over TCP (127.0.0.1)",
	 NULL,
	 {{DBL_CLASS_SOCKET_MISSING, "the path points somewhere else"},
	  {DBL_CLASS_UNKNOWN, ""},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_ACCESS_DENIED,
	 "the server rejected the user name or password",
	 "check the password the application really sends (environment, "
	 ".env, .pgpass, option files); reset it on the server if needed",
	 "check the password the application really sends (environment, "
	 "~/.my.cnf, MYSQL_PWD); reset it with ALTER USER ... IDENTIFIED BY",
	 {{DBL_CLASS_HOST_NOT_ALLOWED,
	   "the account exists only for another client host ('app'@'localhost' "
	   "vs a TCP client seen as 127.0.0.1)"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "another server answers where the client connects (a container "
	   "published on the same port, a second local install) and its "
	   "accounts and passwords are not the ones set up"},
	  {DBL_CLASS_TLS_MISMATCH,
	   "MariaDB with require_secure_transport=ON answers 1045 to a client "
	   "without TLS"},
	  {DBL_CLASS_AUTH_METHOD_MISMATCH,
	   "the account authenticates by a method other than a password"},
	  {DBL_CLASS_ACCOUNT_UNUSABLE,
	   "a PostgreSQL server answers the same to a role whose password "
	   "expired (VALID UNTIL) or was never set: its log's DETAIL line "
	   "says which"},
	  {DBL_CLASS_WRONG_PORT,
	   "a second server on another port (another cluster, an older "
	   "install) has the account as it was set up; the port the client "
	   "uses reaches the other one"}}},
	{DBL_CLASS_HOST_NOT_ALLOWED,
	 "no account or pg_hba.conf rule covers the address the client comes "
	 "from",
	 "add a pg_hba.conf line for the client address (then reload), or "
	 "create the MySQL account for that host with the same grants",
	 "create the account for the client's host with the same grants "
	 "(CREATE USER 'app'@'127.0.0.1' ...; GRANT ...), or connect over the "
	 "socket (host=localhost)",
	 {{DBL_CLASS_TLS_MISMATCH,
	   "pg_hba.conf has only hostssl lines and the client disabled TLS"},
	  {DBL_CLASS_ACCESS_DENIED, "the user does not exist at all"},
	  {DBL_CLASS_AUTH_METHOD_MISMATCH,
	   "the account exists but authenticates by unix_socket"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the client reached another server (a container, a second "
	   "install) than the one whose accounts or rules were changed"},
	  {DBL_CLASS_LOCALHOST_RESOLUTION,
	   "the name localhost took the client to ::1 where the rule or "
	   "account covers 127.0.0.1 only, or the other way round (a host "
	   "line for 127.0.0.1/32 and none for ::1/128)"},
	  {DBL_CLASS_WRONG_PORT,
	   "a second server on another port (another cluster, an older "
	   "install) has the rule or account as it was set up; the port the "
	   "client uses reaches the other one"}}},
	{DBL_CLASS_AUTH_METHOD_MISMATCH,
	 "the authentication method works only on another transport or the "
	 "client cannot do it (peer/ident on the socket, unix_socket for "
	 "root, caching_sha2_password or SCRAM in an old driver)",
	 "peer/ident on the socket: connect over TCP (host=127.0.0.1), where "
	 "pg_hba.conf usually asks for a password, or change the matching "
	 "'local' line of pg_hba.conf from peer to scram-sha-256 and reload; "
	 "SCRAM refused by the client: upgrade the driver (libpq >= 10)",
	 "create a dedicated account with a password (root uses unix_socket: "
	 "sudo mariadb works), or switch the account to "
	 "mysql_native_password / upgrade the driver for caching_sha2_password",
	 {{DBL_CLASS_HOST_NOT_ALLOWED,
	   "MariaDB 1698 for a non-root user from 127.0.0.1: the account "
	   "exists for 'localhost' only"},
	  {DBL_CLASS_ACCESS_DENIED, "the password is simply wrong"},
	  {DBL_CLASS_TLS_MISMATCH,
	   "caching_sha2_password needs TLS or the server's RSA key"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "another server than the one set up answers (a container's, "
	   "another install's), with other authentication rules for the "
	   "account"},
	  {DBL_CLASS_WRONG_PORT,
	   "a second server on another port (another cluster, an older "
	   "install) has the method as it was set up; the port the client "
	   "uses reaches the other one"}}},
	{DBL_CLASS_DATABASE_MISSING,
	 "authenticated, but the database named does not exist",
	 "create the database (createdb / CREATE DATABASE) or fix its name "
	 "in the connection settings",
	 "CREATE DATABASE and GRANT it to the account, or fix the database "
	 "name in the connection settings",
	 {{DBL_CLASS_ACCESS_DENIED,
	   "MySQL 1044: the user has no privilege on that database, which "
	   "may exist"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the client reached another server than the one holding the "
	   "database"},
	  {DBL_CLASS_SOCKET_PORT_IGNORED,
	   "a MySQL client took host localhost to mean the socket, ignored "
	   "the port, and reached another server"},
	  {DBL_CLASS_SERVER_STARTING,
	   "the database is made at first start (an image's init, an init "
	   "script or a migration job) and the client came before it was "
	   "done: the same connection works a little later"},
	  {DBL_CLASS_WRONG_PORT,
	   "a second cluster on another port holds the database; the port "
	   "the client uses reaches one without it"}}},
	{DBL_CLASS_TLS_MISMATCH,
	 "one side requires TLS that the other will not or cannot do",
	 "align sslmode / ssl-mode with the server: require TLS in the client "
	 "when the server demands it, or enable ssl on the server",
	 "use TLS in the client (--ssl, ssl-mode=REQUIRED) when the server has "
	 "require_secure_transport=ON, or connect over the socket",
	 {{DBL_CLASS_HOST_NOT_ALLOWED,
	   "pg_hba.conf has no line for this address at all, TLS or not"},
	  {DBL_CLASS_PROTOCOL_MISMATCH, "something else answers on the port"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the client reached another server than the one set up for TLS "
	   "(a container's, a second install) that has no certificate, or "
	   "demands one"},
	  {DBL_CLASS_AUTH_METHOD_MISMATCH,
	   "caching_sha2_password over a connection without TLS needs the "
	   "server's RSA public key (MySQL 2061), which the client does not "
	   "ask for"},
	  {DBL_CLASS_WRONG_PORT,
	   "the port reaches another listener than the server set up for TLS "
	   "(a pooler or proxy that does no TLS, another cluster)"}}},
	{DBL_CLASS_TIMEOUT,
	 "the connection or handshake did not finish in time: a filtered "
	 "port, a proxy with no backend, or an overloaded server",
	 "check what accepts on the port (ss -ltnp) and any firewall; give a "
	 "starting server more time",
	 NULL,
	 {{DBL_CLASS_SERVER_STARTING,
	   "a container's published port accepts before the server inside is "
	   "up"},
	  {DBL_CLASS_WRONG_PORT,
	   "a firewall drops packets to a port nothing listens on: the "
	   "server is on another port"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the address is in another network than the server's: a "
	   "container's address used from the host, or the other way round"},
	  {DBL_CLASS_SERVER_NOT_RUNNING,
	   "nothing listens and the host drops rather than refuses (a "
	   "firewall's default, Windows' own): a stopped server times out"},
	  /* the rarest, and only for a MySQL client: last, so that four
	   * alternatives leave it out */
	  {DBL_CLASS_PROTOCOL_MISMATCH,
	   "a PostgreSQL server on the MySQL port stays silent the same way"}}},
	{DBL_CLASS_PROTOCOL_MISMATCH,
	 "something other than the engine asked for answers on that port",
	 "find which program owns the port (ss -ltnp) and use the engine's "
	 "real port",
	 NULL,
	 {{DBL_CLASS_TIMEOUT, "nothing answers at all"},
	  {DBL_CLASS_TLS_MISMATCH, "a TLS-only endpoint"},
	  {DBL_CLASS_WRONG_PORT,
	   "the client uses the port of another service (the other engine's, "
	   "a proxy's admin port): the server it means listens on another"},
	  {DBL_CLASS_SERVER_STARTING,
	   "a container's published port accepts and closes (Docker's proxy) "
	   "while the server inside is not up yet"}}},
	{DBL_CLASS_SERVER_STARTING,
	 "the server is up but not accepting connections yet (starting, in "
	 "recovery, shutting down, or an entrypoint's temporary server)",
	 "wait until it is ready (dbloop wait, a compose healthcheck with "
	 "depends_on: condition: service_healthy); if it persists, read the "
	 "server log",
	 NULL,
	 {{DBL_CLASS_SERVER_NOT_RUNNING,
	   "the server crashed and is not coming back"},
	  {DBL_CLASS_TIMEOUT,
	   "an idle connection was cut (wait_timeout, a firewall or NAT): only "
	   "long-lived pooled connections fail, new ones work"},
	  /* Docker's proxy accepts on a published port and closes when
	   * nothing listens behind it: -p 5555:5555 for a server on 5432
	   * inside (threads11's dev half) */
	  {DBL_CLASS_WRONG_PORT,
	   "a container's port is published to one the server inside does "
	   "not listen on (-p 5555:5555 for a server on 5432): Docker's proxy "
	   "accepts and closes"},
	  {DBL_CLASS_PROTOCOL_MISMATCH,
	   "a proxy or another service closed the connection"},
	  {DBL_CLASS_TOO_MANY_CONNECTIONS,
	   "the server closes new connections at its limit"}}},
	{DBL_CLASS_TOO_MANY_CONNECTIONS,
	 "the server's connection limit is reached",
	 "find who holds the connections (pg_stat_activity / SHOW "
	 "PROCESSLIST), fix leaks or pool sizes, or raise max_connections",
	 NULL,
	 {{DBL_CLASS_ACCOUNT_UNUSABLE,
	   "the role's own CONNECTION LIMIT or max_user_connections"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "a pooler or proxy in front (PgBouncer's max_client_conn, "
	   "ProxySQL, a cloud proxy) or another instance with a smaller "
	   "max_connections answers, not the server whose limit was raised"},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_HOST_BLOCKED,
	 "the server blocks this client host after too many interrupted "
	 "connection attempts",
	 "run FLUSH HOSTS (mariadb-admin flush-hosts) and raise "
	 "max_connect_errors; fix the health check that aborts handshakes",
	 NULL,
	 {{DBL_CLASS_TIMEOUT,
	   "the handshakes that counted against the host timed out (a "
	   "connect_timeout shorter than the handshake, a saturated server)"},
	  {DBL_CLASS_DNS_FAILURE,
	   "the server's reverse lookup of the client address fails or hangs "
	   "(skip_name_resolve off), so handshakes abort and count as errors"},
	  {DBL_CLASS_UNKNOWN, ""}}},
	{DBL_CLASS_ACCOUNT_UNUSABLE,
	 "the account exists but may not log in now: locked, password "
	 "expired, no LOGIN, or at its connection limit",
	 "unlock or renew it (ALTER USER ... ACCOUNT UNLOCK / IDENTIFIED BY; "
	 "ALTER ROLE ... LOGIN / CONNECTION LIMIT -1)",
	 NULL,
	 {{DBL_CLASS_ACCESS_DENIED, "wrong credentials"},
	  {DBL_CLASS_TOO_MANY_CONNECTIONS,
	   "the server's own max_connections is reached, not the account's "
	   "limit: the message names the role or user when it is the "
	   "account's"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "another server (a container's, a restored copy) holds the account "
	   "in this state, not the one that was unlocked or renewed"}}},
	{DBL_CLASS_DNS_FAILURE,
	 "the host name does not resolve (in Docker compose: the service "
	 "name is only known inside the compose network, or the service is "
	 "not up)",
	 "use the right host name: the compose service name from a container "
	 "on the same network, localhost/127.0.0.1 with the published port "
	 "from the host",
	 NULL,
	 {{DBL_CLASS_LOCALHOST_RESOLUTION,
	   "the name is localhost and the hosts file lacks it"},
	  {DBL_CLASS_SERVER_NOT_RUNNING,
	   "the compose service is stopped, so its name is gone"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the name is right only elsewhere: a compose service name used "
	   "from the host, or a host name from another environment"},
	  {DBL_CLASS_SERVER_STARTING,
	   "Docker's resolver knows a service's name only while its container "
	   "runs: a client started before the database's container (no "
	   "depends_on) fails to resolve it"}}},
	{DBL_CLASS_IPV6_NOT_LISTENING,
	 "::1 is not usable: IPv6 is off on the loopback or the server binds "
	 "IPv4 only",
	 "connect to 127.0.0.1, or make the server listen on ::1 too",
	 NULL,
	 {{DBL_CLASS_LOCALHOST_RESOLUTION,
	   "the client used the name localhost"},
	  {DBL_CLASS_SERVER_NOT_RUNNING, "127.0.0.1 is refused too"},
	  {DBL_CLASS_WRONG_PORT,
	   "every address refuses the port, the server listens on another "
	   "(a client that reports its last address only names ::1)"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the client runs in a container, whose ::1 is its own and not "
	   "the host's"}}},
	{DBL_CLASS_TCP_DISABLED,
	 "the server accepts on its Unix socket only",
	 "enable TCP (listen_addresses = 'localhost' / remove skip-networking) "
	 "and restart, or connect over the socket",
	 NULL,
	 {{DBL_CLASS_SERVER_NOT_RUNNING, "the socket fails too"},
	  {DBL_CLASS_WRONG_PORT, "TCP is on, but on another port"},
	  {DBL_CLASS_ENDPOINT_MISMATCH,
	   "the client runs in a container (or a VM), where localhost and "
	   "127.0.0.1 are its own and not those of the host the server runs "
	   "on"},
	  {DBL_CLASS_SERVER_STARTING,
	   "an image's entrypoint runs its first-start server with TCP off "
	   "(skip-networking, listen_addresses=''); the real one listens a "
	   "moment later"}}},
	/* Classes a pasted text rarely proves by itself, worded for when
	 * they are listed as a cause of another text's class */
	{DBL_CLASS_WRONG_PORT,
	 "the server is up, but on another port than the one the client "
	 "asked for",
	 "point the client at the port the server listens on (ss -ltnp "
	 "shows it)",
	 NULL,
	 {{0, NULL}}},
	{DBL_CLASS_ENDPOINT_MISMATCH,
	 "the client reaches another server, or another machine, than the "
	 "one meant: a container's own loopback, a second instance",
	 "connect to the address the intended server listens on (from a "
	 "container: the compose service name, not localhost)",
	 NULL,
	 {{0, NULL}}},
	{DBL_CLASS_IPV4_NOT_LISTENING,
	 "::1 works but 127.0.0.1 is refused: the server binds IPv6 only",
	 "connect to ::1, or make the server listen on 127.0.0.1 too",
	 NULL,
	 {{0, NULL}}},
	{DBL_CLASS_SOCKET_PORT_IGNORED,
	 "the MySQL/MariaDB client took localhost to mean the Unix socket, so "
	 "the port given was ignored",
	 "connect to 127.0.0.1 (or --protocol=TCP) to use the port",
	 NULL,
	 {{0, NULL}}},
};

const struct dbl_xtext *dbl_xtext_of(enum dbl_class c)
{
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].cls == c)
			return &texts[i];
	return NULL;
}
