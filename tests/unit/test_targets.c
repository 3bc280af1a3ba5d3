/* dbl_discover_targets: precedence and provenance of every setting. The
 * option files are the Debian tree of fixtures/conf/mysql-root; HOME is a
 * temporary directory or fixtures/conf/home. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbloop/discover.h"

static char home[64];
static char root[512], fixture_home[512];

static const char *const env_vars[] = {
	"PGHOST",	"PGHOSTADDR",	  "PGPORT",
	"PGUSER",	"PGDATABASE",	  "PGPASSWORD",
	"PGPASSFILE",	"PGSERVICE",	  "PGSERVICEFILE",
	"PGSYSCONFDIR", "PGSSLMODE",	  "PGCONNECT_TIMEOUT",
	"MYSQL_HOST",	"MYSQL_TCP_PORT", "MYSQL_UNIX_PORT",
	"MYSQL_PWD",	"DATABASE_URL",	  "POSTGRES_USER",
	"MYSQL_HOME",	"MARIADB_HOME",	  NULL};

static int setup(void **state)
{
	(void)state;
	for (int i = 0; env_vars[i]; i++)
		unsetenv(env_vars[i]);
	snprintf(home, sizeof(home), "/tmp/dbl-home-XXXXXX");
	if (!mkdtemp(home))
		return -1;
	snprintf(root, sizeof(root), "%s/conf/mysql-root", DBL_FIXTURES);
	snprintf(fixture_home, sizeof(fixture_home), "%s/conf/home",
		 DBL_FIXTURES);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/.pgpass", home);
	unlink(path);
	rmdir(home);
	return 0;
}

struct run {
	struct dbl_facts *f;
	struct dbl_target **t;
	size_t n;
	int rc;
	char err[256];
};

static void run(struct run *r, const struct dbl_options *o, const char *h)
{
	struct dbl_discover_paths p = {.home = h ? h : home, .root = root};
	r->f = dbl_facts_new();
	r->rc = dbl_discover_targets(o, r->f, &p, &r->t, &r->n, r->err,
				     sizeof(r->err));
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->n; i++)
		dbl_target_free(r->t[i]);
	free(r->t);
	dbl_facts_free(r->f);
}

static const struct dbl_target *of_engine(const struct run *r,
					  enum dbl_engine e)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->t[i]->engine == e)
			return r->t[i];
	fail_msg("no target of engine %d", e);
	return NULL;
}

static bool has_text(const struct dbl_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strstr(l->items[i], s))
			return true;
	return false;
}

static void test_defaults_both_engines(void **state)
{
	(void)state;
	struct dbl_options o;
	dbl_options_init(&o);
	struct run r;
	run(&r, &o, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 2);
	const struct dbl_target *pg = of_engine(&r, DBL_ENGINE_POSTGRES);
	assert_string_equal(pg->host, "localhost");
	assert_int_equal(pg->transports, DBL_TRANSPORTS_LOCAL);
	assert_string_equal(pg->socket_path,
			    "/var/run/postgresql/.s.PGSQL.5432");
	assert_string_equal(pg->origin[DBL_SET_SOCKET].source, "default");
	assert_string_equal(pg->database, pg->user);
	assert_string_equal(pg->label, "discovered");
	const struct dbl_target *my = of_engine(&r, DBL_ENGINE_MYSQL);
	assert_string_equal(my->socket_path, "/run/mysqld/mysqld.sock");
	assert_string_equal(my->origin[DBL_SET_SOCKET].source,
			    "/etc/mysql/my.cnf line 25");
	assert_int_equal(my->port, 3306);
	assert_null(my->password);
	assert_string_equal(r.f->mysql_default_socket,
			    "/run/mysqld/mysqld.sock");
	assert_string_equal(r.f->option_files_read.items[0],
			    "/etc/mysql/my.cnf");
	run_free(&r);
}

static void test_pghost_dir_and_env(void **state)
{
	(void)state;
	setenv("PGHOST", "/tmp/pgdir", 1);
	setenv("PGPORT", "5433", 1);
	setenv("PGCONNECT_TIMEOUT", "7", 1);
	setenv("POSTGRES_USER", "appuser", 1);
	struct dbl_options o;
	dbl_options_init(&o);
	o.engines = 1u << DBL_ENGINE_POSTGRES;
	struct run r;
	run(&r, &o, NULL);
	assert_int_equal(r.n, 1);
	const struct dbl_target *pg = r.t[0];
	assert_int_equal(pg->transports, DBL_TRANSPORT_BIT(DBL_TRANSPORT_UNIX));
	assert_string_equal(pg->socket_path, "/tmp/pgdir/.s.PGSQL.5433");
	assert_string_equal(pg->origin[DBL_SET_SOCKET].source, "PGHOST");
	assert_string_equal(pg->origin[DBL_SET_PORT].source, "PGPORT");
	assert_int_equal(pg->timeout_ms, 7000);
	assert_true(has_text(&r.f->hints, "POSTGRES_USER=appuser"));
	assert_int_equal(r.f->n_env_hosts, 0); /* no *_HOST variable */
	run_free(&r);
	unsetenv("PGHOST");
	unsetenv("PGPORT");
	unsetenv("PGCONNECT_TIMEOUT");
	unsetenv("POSTGRES_USER");
}

static void test_socket_option_and_mysql_port_warning(void **state)
{
	(void)state;
	struct dbl_options o;
	dbl_options_init(&o);
	o.socket = "/tmp/elsewhere/.s.PGSQL.5439";
	o.port = 0;
	struct run r;
	run(&r, &o, NULL);
	const struct dbl_target *pg = of_engine(&r, DBL_ENGINE_POSTGRES);
	assert_int_equal(pg->port, 5439);
	assert_string_equal(pg->socket_path, "/tmp/elsewhere/.s.PGSQL.5439");
	assert_string_equal(pg->origin[DBL_SET_PORT].source, "--socket");
	/* A .s.PGSQL file is PostgreSQL's: MySQL keeps its own socket. */
	const struct dbl_target *my = of_engine(&r, DBL_ENGINE_MYSQL);
	assert_string_equal(my->socket_path, "/run/mysqld/mysqld.sock");
	run_free(&r);

	o.socket = NULL;
	o.port = 3307;
	o.engines = 1u << DBL_ENGINE_MYSQL;
	o.transports = DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4);
	run(&r, &o, NULL);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.t[0]->transports,
			 DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4));
	assert_true(
		has_text(&r.f->warnings, "port 3307 from --port is ignored"));
	run_free(&r);
}

static void test_url_target_password(void **state)
{
	(void)state;
	const char *targets[] = {"mysql://app:hunter2@127.0.0.1:3310/appdb"};
	struct dbl_options o;
	dbl_options_init(&o);
	o.targets = targets;
	o.n_targets = 1;
	o.user = "override";
	struct run r;
	run(&r, &o, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 1);
	const struct dbl_target *t = r.t[0];
	assert_string_equal(t->label, "mysql://app@127.0.0.1:3310/appdb");
	assert_string_equal(t->password, "hunter2");
	assert_string_equal(t->origin[DBL_SET_PASSWORD].value, "set");
	assert_string_equal(t->origin[DBL_SET_PASSWORD].source, "URL");
	assert_string_equal(t->user, "override");
	assert_int_equal(t->port, 3310);
	assert_int_equal(t->transports, DBL_TRANSPORT_BIT(DBL_TRANSPORT_TCP4));
	assert_true(has_text(&r.f->warnings, "process list"));
	assert_false(has_text(&r.f->warnings, "hunter2"));
	run_free(&r);

	targets[0] = "postgres://[::1";
	run(&r, &o, NULL);
	assert_int_equal(r.rc, -DBL_EUSAGE);
	assert_int_equal(r.n, 0);
	assert_string_equal(r.err, "invalid URL 'postgres://[::1': "
				   "unterminated IPv6 address");
	run_free(&r);
}

static void test_option_file_include_sets_socket(void **state)
{
	(void)state;
	struct dbl_options o;
	dbl_options_init(&o);
	o.engines = 1u << DBL_ENGINE_MYSQL;
	struct run r;
	run(&r, &o, fixture_home);
	const struct dbl_target *my = r.t[0];
	assert_string_equal(my->socket_path, "/tmp/my sql.sock");
	assert_non_null(strstr(my->origin[DBL_SET_SOCKET].source,
			       "conf/home/extra.cnf line 2"));
	assert_string_equal(my->password, "s3cr\\et");
	assert_string_equal(my->origin[DBL_SET_PASSWORD].value, "set");
	assert_int_equal(my->ssl_mode, DBL_SSL_REQUIRE);
	assert_string_equal(my->user, "app");
	run_free(&r);

	o.no_defaults = true;
	run(&r, &o, fixture_home);
	assert_string_equal(r.t[0]->socket_path, "/run/mysqld/mysqld.sock");
	assert_string_equal(r.t[0]->origin[DBL_SET_SOCKET].source, "default");
	run_free(&r);
}

static void test_pgpass_one_transport(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/.pgpass", home);
	FILE *fp = fopen(path, "w");
	fputs("# only TCP to 127.0.0.1\n127.0.0.1:5432:*:app:pw\n", fp);
	fclose(fp);
	chmod(path, 0600);
	struct dbl_options o;
	dbl_options_init(&o);
	o.engines = 1u << DBL_ENGINE_POSTGRES;
	o.user = "app";
	struct run r;
	run(&r, &o, NULL);
	const struct dbl_target *pg = r.t[0];
	assert_null(pg->password); /* libpq reads .pgpass itself */
	assert_int_equal(r.f->pgpass.match_line[DBL_TRANSPORT_TCP4], 2);
	assert_int_equal(r.f->pgpass.match_line[DBL_TRANSPORT_UNIX], 0);
	assert_int_equal(r.f->pgpass.match_line[DBL_TRANSPORT_TCP6], 0);
	assert_false(r.f->pgpass.ignored);
	assert_non_null(strstr(pg->origin[DBL_SET_PASSWORD].source, " line 2"));
	run_free(&r);

	chmod(path, 0640);
	run(&r, &o, NULL);
	assert_true(r.f->pgpass.ignored);
	assert_true(has_text(&r.f->warnings, "group or other access"));
	assert_null(r.t[0]->origin[DBL_SET_PASSWORD].value);
	run_free(&r);
}

static void test_database_url(void **state)
{
	(void)state;
	setenv("DATABASE_URL", "postgresql://dbuser:pw@localhost:5435/shop", 1);
	struct dbl_options o;
	dbl_options_init(&o);
	o.database = "other";
	struct run r;
	run(&r, &o, NULL);
	assert_int_equal(r.n, 1);
	const struct dbl_target *pg = r.t[0];
	assert_int_equal(pg->engine, DBL_ENGINE_POSTGRES);
	assert_string_equal(pg->origin[DBL_SET_PORT].source, "DATABASE_URL");
	assert_string_equal(pg->user, "dbuser");
	assert_string_equal(pg->database, "other");
	assert_string_equal(pg->origin[DBL_SET_DATABASE].source, "--database");
	assert_string_equal(pg->password, "pw");
	assert_true(has_text(&r.f->hints, "DATABASE_URL is set"));
	assert_false(has_text(&r.f->hints, ":pw@"));
	/* the host as a typed fact, for the classifier */
	assert_int_equal(r.f->n_env_hosts, 1);
	assert_int_equal(r.f->env_hosts[0].kind, DBL_ENV_HOST_URL);
	assert_string_equal(r.f->env_hosts[0].host, "localhost");
	assert_int_equal(r.f->env_hosts[0].port, 5435);
	assert_int_equal(r.f->env_hosts[0].engines, 1u << DBL_ENGINE_POSTGRES);
	assert_string_equal(r.f->env_hosts[0].from, "DATABASE_URL");
	run_free(&r);
	unsetenv("DATABASE_URL");

	/* a container image's *_HOST variable names a host too */
	setenv("POSTGRES_SERVER_HOST", "db", 1);
	dbl_options_init(&o);
	o.engines = 1u << DBL_ENGINE_POSTGRES;
	run(&r, &o, NULL);
	assert_int_equal(r.f->n_env_hosts, 1);
	assert_int_equal(r.f->env_hosts[0].kind, DBL_ENV_HOST_VAR);
	assert_string_equal(r.f->env_hosts[0].host, "db");
	assert_int_equal(r.f->env_hosts[0].port, 0);
	assert_string_equal(r.f->env_hosts[0].from, "POSTGRES_SERVER_HOST");
	run_free(&r);
	unsetenv("POSTGRES_SERVER_HOST");
}

static void test_unreadable_password_file(void **state)
{
	(void)state;
	struct dbl_options o;
	dbl_options_init(&o);
	o.password_file = "/nonexistent/pw";
	struct run r;
	run(&r, &o, NULL);
	assert_int_equal(r.rc, -DBL_EUSAGE);
	assert_string_equal(r.err, "cannot read --password-file "
				   "'/nonexistent/pw': No such file or "
				   "directory");
	run_free(&r);
}

/* Issue 18: protocol=TCP and port=3307 in ~/.my.cnf [client]: the clients
 * connect to TCP port 3307 even for 'localhost', so the socket is not
 * probed (no socket_port_ignored) and no "port is ignored" warning. */
static void test_optfile_protocol_tcp(void **state)
{
	(void)state;
	char path[160];
	snprintf(path, sizeof(path), "%s/.my.cnf", home);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[client]\nprotocol=TCP\nport=3307\n", f);
	fclose(f);
	struct dbl_options o;
	dbl_options_init(&o);
	o.engines = 1u << DBL_ENGINE_MYSQL;
	struct run r;
	run(&r, &o, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.t[0]->port, 3307);
	assert_int_equal(r.t[0]->transports,
			 DBL_TRANSPORTS_LOCAL &
				 ~DBL_TRANSPORT_BIT(DBL_TRANSPORT_UNIX));
	assert_false(has_text(&r.f->warnings, "is ignored"));
	run_free(&r);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[client]\nprotocol=socket\nport=3307\n", f);
	fclose(f);
	run(&r, &o, NULL);
	assert_int_equal(r.t[0]->transports, DBL_TRANSPORTS_LOCAL);
	assert_true(has_text(&r.f->warnings, "port 3307 from"));
	run_free(&r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_both_engines),
		cmocka_unit_test(test_pghost_dir_and_env),
		cmocka_unit_test(test_socket_option_and_mysql_port_warning),
		cmocka_unit_test(test_url_target_password),
		cmocka_unit_test(test_option_file_include_sets_socket),
		cmocka_unit_test(test_pgpass_one_transport),
		cmocka_unit_test(test_database_url),
		cmocka_unit_test(test_unreadable_password_file),
		cmocka_unit_test(test_optfile_protocol_tcp),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
