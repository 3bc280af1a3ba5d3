/* Host facts (/etc/hosts fixture captured from this sandbox and Debian's
 * stock one) and the server-side configuration read from fixture trees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dbloop/discover.h"
#include "discover/hosts.h"

static void test_hosts_lines(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof(path), "%s/hosts/hosts.debian", DBL_FIXTURES);
	struct dbl_strlist out = {0}, w = {0};
	assert_int_equal(dbl_hosts_localhost_lines(path, &out, &w), 0);
	assert_int_equal(out.n, 2);
	assert_non_null(strstr(out.items[0], "hosts.debian line 1: 127.0.0.1 "
					     "localhost"));
	assert_non_null(strstr(out.items[1], "line 5: ::1 localhost "
					     "ip6-localhost ip6-loopback"));
	dbl_strlist_release(&out);
	assert_int_equal(
		dbl_hosts_localhost_lines("/nonexistent/hosts", &out, &w),
		-DBL_EIO);
	assert_int_equal(w.n, 1);
	dbl_strlist_release(&w);
	char text[] = "# localhost\n10.0.0.1 LocalHost.example localhost\n"
		      "127.0.0.2 notlocalhost\n";
	assert_int_equal(dbl_hosts_parse(text, "h", &out), 0);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.items[0],
			    "h line 2: 10.0.0.1 LocalHost.example localhost");
	dbl_strlist_release(&out);
}

static void test_discover_host_live(void **state)
{
	(void)state;
	struct dbl_facts *f = dbl_facts_new();
	char path[512];
	snprintf(path, sizeof(path), "%s/hosts/hosts.sandbox", DBL_FIXTURES);
	struct dbl_discover_paths p = {.etc_hosts = path};
	assert_int_equal(dbl_discover_host(f, &p), 0);
	/* getaddrinfo reads the machine's own hosts file; it must resolve. */
	assert_int_equal(f->host.localhost_eai, 0);
	assert_true(f->host.localhost_addrs.n >= 1);
	assert_int_equal(f->host.hosts_lines.n, 1);
	dbl_facts_free(f);
}

static void test_server_conf_from_default_paths(void **state)
{
	(void)state;
	char pgroot[512], myroot[512];
	snprintf(pgroot, sizeof(pgroot), "%s/conf/pg-root", DBL_FIXTURES);
	snprintf(myroot, sizeof(myroot), "%s/conf/mysql-root", DBL_FIXTURES);
	struct dbl_facts *f = dbl_facts_new();
	struct dbl_target *t = dbl_target_new(DBL_ENGINE_POSTGRES);
	t->port = 5432;
	struct dbl_discover_paths p = {.root = pgroot};
	assert_int_equal(dbl_discover_server_conf_at(f, t, NULL, 0, &p), 0);
	assert_non_null(f->pg.conf_file);
	assert_string_equal(f->pg.port.value, "5432");
	assert_string_equal(f->pg.unix_socket_directories.value,
			    "/var/run/postgresql");
	assert_string_equal(f->pg.ssl.value, "off");
	/* hba_file of the conf, found under the same root */
	assert_int_equal(f->pg.n_hba, 7);
	const struct dbl_hba_rule *rule = dbl_hba_match(
		&f->pg, DBL_TRANSPORT_UNIX, NULL, "app", "app", false);
	assert_int_equal(rule->line, 95);
	assert_string_equal(rule->method, "peer");
	dbl_target_free(t);

	t = dbl_target_new(DBL_ENGINE_MYSQL);
	p.root = myroot;
	assert_int_equal(dbl_discover_server_conf_at(f, t, NULL, 0, &p), 0);
	assert_string_equal(f->my.bind_address.value, "127.0.0.1");
	assert_string_equal(f->my.bind_address.source,
			    "/etc/mysql/mariadb.conf.d/50-server.cnf line 27");
	assert_string_equal(f->my.socket.value, "/run/mysqld/mysqld.sock");
	assert_null(f->my.skip_networking.value);
	dbl_target_free(t);
	dbl_facts_free(f);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = s ? strlen(s) : 0, t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* Discovery of one fixture root (tests/fixtures/conf/NAME) for engine. */
static struct dbl_facts *layout(const char *name, enum dbl_engine engine)
{
	char root[512];
	snprintf(root, sizeof(root), "%s/conf/%s", DBL_FIXTURES, name);
	struct dbl_facts *f = dbl_facts_new();
	struct dbl_target *t = dbl_target_new(engine);
	t->port = engine == DBL_ENGINE_POSTGRES ? 5432 : 3306;
	struct dbl_discover_paths p = {.root = root};
	assert_int_equal(dbl_discover_server_conf_at(f, t, NULL, 0, &p), 0);
	dbl_target_free(t);
	return f;
}

static bool has_item(const struct dbl_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

/* The distributions' stock places (issue 14, point 2), each in a fixture
 * root whose files' headers say where their contents come from. */
static void test_server_conf_layouts(void **state)
{
	(void)state;
	/* Red Hat / Fedora: PGDATA /var/lib/pgsql/data, its unit; host lines
	 * ident (postgresql-setup's default). */
	struct dbl_facts *f = layout("rhel-root", DBL_ENGINE_POSTGRES);
	assert_true(ends_with(f->pg.conf_file,
			      "/var/lib/pgsql/data/postgresql.conf"));
	assert_true(ends_with(f->pg.data_dir, "/var/lib/pgsql/data"));
	assert_true(
		ends_with(f->pg.hba_file, "/var/lib/pgsql/data/pg_hba.conf"));
	assert_string_equal(f->pg.unit, "postgresql");
	const struct dbl_hba_rule *r = dbl_hba_match(
		&f->pg, DBL_TRANSPORT_TCP4, "127.0.0.1", "app", "app", false);
	assert_non_null(r);
	assert_string_equal(r->method, "ident");
	assert_int_equal(r->line, 97);
	assert_false(f->pg.files_owned); /* root runs the tests */
	dbl_facts_free(f);

	/* MariaDB on Red Hat: /etc/my.cnf includes /etc/my.cnf.d/. */
	f = layout("rhel-root", DBL_ENGINE_MYSQL);
	assert_string_equal(f->my.conf_file, "/etc/my.cnf");
	assert_string_equal(f->my.server_file,
			    "/etc/my.cnf.d/mariadb-server.cnf");
	assert_string_equal(f->my.socket.value, "/var/lib/mysql/mysql.sock");
	assert_string_equal(f->my.socket.source,
			    "/etc/my.cnf.d/mariadb-server.cnf line 20");
	assert_true(has_item(&f->my.files, "/etc/my.cnf.d/client.cnf"));
	for (size_t i = 0; i < f->my.files.n; i++)
		assert_null(strstr(f->my.files.items[i], "/etc/mysql"));
	dbl_facts_free(f);

	/* PGDG with /var/lib/pgsql unreadable (0700): named from the unit's
	 * PGDATA, not read. */
	f = layout("pgdg-root", DBL_ENGINE_POSTGRES);
	assert_null(f->pg.conf_file);
	assert_null(f->pg.hba_file);
	assert_true(ends_with(f->pg.data_dir, "/var/lib/pgsql/15/data"));
	assert_true(ends_with(f->pg.conf_path,
			      "/var/lib/pgsql/15/data/postgresql.conf"));
	assert_true(ends_with(f->pg.hba_path,
			      "/var/lib/pgsql/15/data/pg_hba.conf"));
	assert_string_equal(f->pg.unit, "postgresql-15");
	dbl_facts_free(f);

	/* Homebrew: var/postgresql@15 (initdb's trust) and etc/my.cnf. */
	f = layout("homebrew-root", DBL_ENGINE_POSTGRES);
	assert_true(ends_with(f->pg.conf_file,
			      "/opt/homebrew/var/postgresql@15/"
			      "postgresql.conf"));
	assert_true(
		ends_with(f->pg.data_dir, "/opt/homebrew/var/postgresql@15"));
	assert_null(f->pg.unit);
	r = dbl_hba_match(&f->pg, DBL_TRANSPORT_TCP6, "::1", "app", "app",
			  false);
	assert_non_null(r);
	assert_string_equal(r->method, "trust");
	dbl_facts_free(f);
	f = layout("homebrew-root", DBL_ENGINE_MYSQL);
	assert_string_equal(f->my.server_file, "/opt/homebrew/etc/my.cnf");
	assert_string_equal(f->my.bind_address.source,
			    "/opt/homebrew/etc/my.cnf line 5");
	dbl_facts_free(f);

	/* The official postgres image: PGDATA /var/lib/postgresql/data with
	 * the image's listen_addresses = '*' and its appended host line. */
	f = layout("pgimage-root", DBL_ENGINE_POSTGRES);
	assert_true(ends_with(f->pg.conf_file,
			      "/var/lib/postgresql/data/postgresql.conf"));
	assert_string_equal(f->pg.listen_addresses.value, "*");
	assert_int_equal(f->pg.hba[f->pg.n_hba - 1].line, 104);
	assert_string_equal(f->pg.hba[f->pg.n_hba - 1].method, "scram-sha-256");
	dbl_facts_free(f);

	/* The official mysql image: /etc/my.cnf's [mysqld], conf.d/. */
	f = layout("mysqlimage-root", DBL_ENGINE_MYSQL);
	assert_string_equal(f->my.server_file, "/etc/my.cnf");
	assert_string_equal(f->my.socket.source, "/etc/my.cnf line 29");
	assert_non_null(f->my.skip_name_resolve.value);
	dbl_facts_free(f);
}

static void test_server_conf_from_results(void **state)
{
	(void)state;
	char dir[512], conf[600];
	snprintf(dir, sizeof(dir), "%s/conf/pg", DBL_FIXTURES);
	snprintf(conf, sizeof(conf), "%s/postgresql.conf", dir);
	struct dbl_result r;
	dbl_result_init(&r, DBL_ENGINE_POSTGRES, DBL_TRANSPORT_UNIX,
			DBL_STAGE_QUERY);
	dbl_result_add_setting(&r, "data_directory", dir, false);
	dbl_result_add_setting(&r, "config_file", conf, false);
	struct dbl_facts *f = dbl_facts_new();
	assert_int_equal(dbl_discover_server_conf(f, NULL, &r, 1), 0);
	assert_string_equal(f->pg.conf_file, conf);
	assert_int_equal(f->pg.n_hba, 6);
	const struct dbl_hba_rule *rule = dbl_hba_match(
		&f->pg, DBL_TRANSPORT_TCP6, NULL, "app", "appdb", false);
	assert_non_null(rule);
	assert_string_equal(rule->address, "::1/128");
	dbl_facts_free(f);
}

/* A role that may not read data_directory: the postmaster's command line
 * (the listener of the socket that logged in) names it instead. */
static void test_server_conf_from_listener(void **state)
{
	(void)state;
	char dir[512], sock[600];
	snprintf(dir, sizeof(dir), "%s/conf/pg", DBL_FIXTURES);
	snprintf(sock, sizeof(sock), "/tmp/x/.s.PGSQL.5432");
	struct dbl_result r;
	dbl_result_init(&r, DBL_ENGINE_POSTGRES, DBL_TRANSPORT_UNIX,
			DBL_STAGE_QUERY);
	r.ok = true;
	dbl_strlcpy(r.address, sock, sizeof(r.address));
	dbl_result_add_setting(&r, "data_directory", "", true);
	struct dbl_facts *f = dbl_facts_new();
	struct dbl_listener l = {
		.family = AF_UNIX, .engine = DBL_ENGINE_POSTGRES, .pid = 4242};
	dbl_strlcpy(l.path, sock, sizeof(l.path));
	dbl_strlcpy(l.process, "postgres", sizeof(l.process));
	char cmd[1200];
	snprintf(cmd, sizeof(cmd),
		 "/usr/lib/postgresql/15/bin/postgres -D %s -c "
		 "config_file=%s/postgresql.conf",
		 dir, dir);
	assert_true(strlen(cmd) < sizeof(l.cmdline));
	dbl_strlcpy(l.cmdline, cmd, sizeof(l.cmdline));
	f->listeners = &l;
	f->n_listeners = 1;
	assert_int_equal(dbl_discover_server_conf(f, NULL, &r, 1), 0);
	assert_int_equal(f->pg.n_hba, 6);
	assert_non_null(f->pg.hba_file);
	/* Not the owner of what logged in (another pid's socket): nothing. */
	struct dbl_facts *g = dbl_facts_new();
	dbl_strlcpy(l.path, "/tmp/other/.s.PGSQL.5432", sizeof(l.path));
	g->listeners = &l;
	g->n_listeners = 1;
	assert_int_equal(dbl_discover_server_conf(g, NULL, &r, 1), 0);
	assert_true(!g->pg.hba_file || !strstr(g->pg.hba_file, dir));
	f->listeners = g->listeners = NULL;
	f->n_listeners = g->n_listeners = 0;
	dbl_facts_free(f);
	dbl_facts_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hosts_lines),
		cmocka_unit_test(test_discover_host_live),
		cmocka_unit_test(test_server_conf_from_default_paths),
		cmocka_unit_test(test_server_conf_layouts),
		cmocka_unit_test(test_server_conf_from_results),
		cmocka_unit_test(test_server_conf_from_listener),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
