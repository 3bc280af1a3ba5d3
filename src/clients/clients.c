/* The driver table: what each driver does with the host, port and socket
 * it is configured with. Every row was checked against the real driver at
 * the version in .verified by tests/integration/test_clients.py; a driver
 * that could not be installed is not in the table (docs/clients.md). */
#include <string.h>

#include "dbloop/clients.h"

#define MY DBL_ENGINE_MYSQL
#define PG DBL_ENGINE_POSTGRES

/* libmariadb's MARIADB_UNIX_ADDR as Debian builds it. */
#define LIBMARIADB_SOCKET "/run/mysqld/mysqld.sock"
#define LIBMARIADB_FROM "libmariadb's compiled-in default"
/* PHP's mysqlnd as Debian builds it (--with-mysql-sock). */
#define PHP_SOCKET "/var/run/mysqld/mysqld.sock"
#define PHP_FROM "PHP's compiled-in default"
/* libpq's DEFAULT_PGSOCKET_DIR as Debian builds it. */
#define LIBPQ_DIR "/var/run/postgresql"
#define LIBPQ_FROM "libpq's compiled-in default"

#define LIBPQ_RULES                                                            \
	"no host: the socket in " LIBPQ_DIR "; a host starting with '/': "     \
	"the socket in that directory; any other host, localhost included: "   \
	"TCP to every address it resolves to, in the resolver's order, "       \
	"until one connects"

const char *const dbl_pgx_socket_dirs[] = {"/var/run/postgresql",
					   "/private/tmp", "/tmp", NULL};

static const struct dbl_client table[] = {
	{.name = "libpq",
	 .engine = PG,
	 .driver = "libpq (C)",
	 .verified = "libpq5 15.18 (Debian 12), via psql",
	 .slash_host_socket = true,
	 .nohost = DBL_NOHOST_SOCKET,
	 .default_socket = LIBPQ_DIR,
	 .default_from = LIBPQ_FROM,
	 .rules = LIBPQ_RULES},
	{.name = "psql",
	 .engine = PG,
	 .driver = "psql (libpq)",
	 .verified = "psql 15.18 (Debian 12)",
	 .slash_host_socket = true,
	 .nohost = DBL_NOHOST_SOCKET,
	 .default_socket = LIBPQ_DIR,
	 .default_from = LIBPQ_FROM,
	 .rules = LIBPQ_RULES},
	{.name = "mysql",
	 .engine = MY,
	 .driver = "mysql/mariadb command-line client (libmariadb)",
	 .verified = "mariadb 10.11.19 client (Debian 12)",
	 .localhost_socket = true,
	 .port_means_tcp = true,
	 .default_socket = LIBMARIADB_SOCKET,
	 .default_from = LIBMARIADB_FROM,
	 .rules = "host localhost or none: the Unix socket (--socket, the "
		  "option files, else " LIBMARIADB_SOCKET "), except that a "
		  "port given without a socket means TCP; any other host: "
		  "TCP to every address in the resolver's order"},
	{.name = "php-mysqli",
	 .engine = MY,
	 .driver = "PHP mysqli (mysqlnd)",
	 .verified = "PHP 8.2.36 mysqlnd (Debian 12)",
	 .localhost_socket = true,
	 .default_socket = PHP_SOCKET,
	 .default_from = PHP_FROM,
	 .ini_key = "mysqli.default_socket",
	 .rules = "host localhost or none: the Unix socket (the socket "
		  "argument, else php.ini mysqli.default_socket, "
		  "else " PHP_SOCKET
		  "), the port is ignored; my.cnf is not read; any other host: "
		  "TCP"},
	{.name = "php-pdo-mysql",
	 .engine = MY,
	 .driver = "PHP PDO_MYSQL (mysqlnd)",
	 .verified = "PHP 8.2.36 mysqlnd (Debian 12)",
	 .localhost_socket = true,
	 .default_socket = PHP_SOCKET,
	 .default_from = PHP_FROM,
	 .ini_key = "pdo_mysql.default_socket",
	 .rules = "host=localhost or none in the DSN: the Unix socket "
		  "(unix_socket=, else php.ini pdo_mysql.default_socket, "
		  "else " PHP_SOCKET
		  "), the port is ignored; my.cnf is not read; any other host: "
		  "TCP"},
	{.name = "php-pdo-pgsql",
	 .engine = PG,
	 .driver = "PHP PDO_PGSQL (libpq)",
	 .verified = "PHP 8.2.36, libpq5 15.18 (Debian 12)",
	 .slash_host_socket = true,
	 .nohost = DBL_NOHOST_SOCKET,
	 .default_socket = LIBPQ_DIR,
	 .default_from = LIBPQ_FROM,
	 .rules = LIBPQ_RULES},
	{.name = "jdbc-mariadb",
	 .engine = MY,
	 .driver = "MariaDB Connector/J",
	 .verified = "libmariadb-java 2.7.6, OpenJDK 17.0.15 (Debian 12)",
	 .socket_ignored = true,
	 .addrs = DBL_ADDRS_FIRST_IPV4,
	 .rules = "always TCP, localhost included; only the first address "
		  "of the name, IPv4 first (java.net.preferIPv6Addresses="
		  "false): an IPv6-only server is refused; a socket setting "
		  "is ignored"},
	{.name = "jdbc-postgresql",
	 .engine = PG,
	 .driver = "PostgreSQL JDBC (pgjdbc)",
	 .verified = "libpostgresql-jdbc-java 42.5.5, OpenJDK 17.0.15 "
		     "(Debian 12)",
	 .socket_ignored = true,
	 .addrs = DBL_ADDRS_FIRST_IPV4,
	 .rules = "always TCP (no host: localhost); only the first address of "
		  "the name, IPv4 first: an IPv6-only server is refused; no "
		  "Unix sockets"},
	{.name = "node-mysql2",
	 .engine = MY,
	 .driver = "mysql2 for Node.js",
	 .verified = "mysql2 3.11.5, Node.js 20.20.2",
	 .socket_any_host = true,
	 .rules = "socketPath set: that socket, whatever the host; otherwise "
		  "TCP, localhost included (none: localhost), to every address "
		  "in the resolver's order (Node 17+ keeps it, Node 20 tries "
		  "each)"},
	{.name = "node-pg",
	 .engine = PG,
	 .driver = "node-postgres (pg)",
	 .verified = "pg 8.13.1, Node.js 20.20.2",
	 .slash_host_socket = true,
	 .rules =
		 "a host starting with '/': the socket in that directory; no "
		 "host: localhost over TCP, not a socket; TCP to every address "
		 "in the resolver's order"},
	{.name = "python-mysqlclient",
	 .engine = MY,
	 .driver = "mysqlclient (MySQLdb, libmariadb)",
	 .verified = "python3-mysqldb 1.4.6, libmariadb3 10.11.19 (Debian 12)",
	 .localhost_socket = true,
	 .default_socket = LIBMARIADB_SOCKET,
	 .default_from = LIBMARIADB_FROM,
	 .rules = "host localhost or none: the Unix socket (unix_socket=, "
		  "else " LIBMARIADB_SOCKET "; option files only with "
		  "read_default_file), the port is ignored; any other host: "
		  "TCP"},
	{.name = "python-pymysql",
	 .engine = MY,
	 .driver = "PyMySQL",
	 .verified = "python3-pymysql 1.0.2 (Debian 12)",
	 .socket_any_host = true,
	 .rules = "unix_socket= set: that socket, whatever the host; otherwise "
		  "TCP, localhost included, to every address in the resolver's "
		  "order"},
	{.name = "python-psycopg",
	 .engine = PG,
	 .driver = "psycopg2 (libpq)",
	 .verified = "python3-psycopg2 2.9.5, libpq5 15.18 (Debian 12)",
	 .slash_host_socket = true,
	 .nohost = DBL_NOHOST_SOCKET,
	 .default_socket = LIBPQ_DIR,
	 .default_from = LIBPQ_FROM,
	 .rules = LIBPQ_RULES},
	{.name = "go-mysql",
	 .engine = MY,
	 .driver = "go-sql-driver/mysql",
	 .verified = "golang-github-go-sql-driver-mysql-dev 1.5.0, Go 1.19.8 "
		     "(Debian 12)",
	 .socket_any_host = true,
	 .rules = "the DSN names the transport: unix(/path) is that socket, "
		  "tcp(host:port) is TCP, localhost included, to every address "
		  "in the resolver's order"},
	{.name = "go-pgx",
	 .engine = PG,
	 .driver = "jackc/pgx v4",
	 .verified = "golang-github-jackc-pgx-v4-dev 4.15.0, Go 1.19.8 (Debian "
		     "12)",
	 .slash_host_socket = true,
	 .nohost = DBL_NOHOST_SOCKET_SEARCH,
	 .default_socket = "/var/run/postgresql",
	 .default_from = "pgx's search list /var/run/postgresql, /private/tmp, "
			 "/tmp (the first that exists)",
	 .rules =
		 "no host: the socket in the first existing directory of "
		 "/var/run/postgresql, /private/tmp, /tmp (never TCP: /tmp "
		 "exists); a host starting with '/': that directory; any other "
		 "host: TCP to every address in the resolver's order"},
	{.name = "go-pq",
	 .engine = PG,
	 .driver = "lib/pq",
	 .verified = "golang-github-lib-pq-dev 1.10.7, Go 1.19.8 (Debian 12)",
	 .slash_host_socket = true,
	 .rules = "a host starting with '/': the socket in that directory; no "
		  "host: localhost over TCP; TCP to every address in the "
		  "resolver's order"},
	{.name = "ruby-mysql2",
	 .engine = MY,
	 .driver = "mysql2 gem (libmariadb)",
	 .verified = "ruby-mysql2 0.5.3, libmariadb3 10.11.19 (Debian 12)",
	 .localhost_socket = true,
	 .default_socket = LIBMARIADB_SOCKET,
	 .default_from = LIBMARIADB_FROM,
	 .rules = "host localhost or none: the Unix socket (socket:, "
		  "else " LIBMARIADB_SOCKET
		  "), the port is ignored; any other host: TCP"},
	{.name = "ruby-pg",
	 .engine = PG,
	 .driver = "pg gem (libpq)",
	 .verified = "ruby-pg 1.4.5, libpq5 15.18 (Debian 12)",
	 .slash_host_socket = true,
	 .nohost = DBL_NOHOST_SOCKET,
	 .default_socket = LIBPQ_DIR,
	 .default_from = LIBPQ_FROM,
	 .rules = LIBPQ_RULES},
};

size_t dbl_client_count(void)
{
	return sizeof(table) / sizeof(table[0]);
}

const struct dbl_client *dbl_client_at(size_t i)
{
	return i < dbl_client_count() ? &table[i] : NULL;
}

const struct dbl_client *dbl_client_find(const char *name)
{
	for (size_t i = 0; name && i < dbl_client_count(); i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}
