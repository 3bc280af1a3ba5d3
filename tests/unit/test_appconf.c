/* The app-config readers and the driver planner: values with their file
 * and line, expressions kept as named unknowns, and each driver's path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbloop/clients.h"
#include "discover/appconf.h"
#include "discover/phpini.h"
#include "test_support.h"

static void parse(struct dbl_appconf *a, enum dbl_appconf_kind k,
		  const char *name, const char *text)
{
	char *t = strdup(text);
	assert_int_equal(dbl_appconf_parse(a, k, name, t), 0);
	free(t);
}

static void test_dotenv_laravel(void **state)
{
	(void)state;
	struct dbl_appconf a;
	dbl_appconf_init(&a);
	parse(&a, DBL_APPCONF_DOTENV, ".env",
	      "# c\nDB_CONNECTION=pgsql\nexport DB_HOST=\"127.0.0.1\"\n"
	      "DB_PORT=5433 # x\nDB_USERNAME=${USER}\n");
	assert_int_equal(a.engine, DBL_ENGINE_POSTGRES);
	assert_string_equal(a.v[DBL_APP_HOST].value, "127.0.0.1");
	assert_string_equal(a.v[DBL_APP_HOST].source, ".env line 3");
	assert_string_equal(a.v[DBL_APP_PORT].value, "5433");
	assert_true(a.v[DBL_APP_USER].unknown);
	assert_int_equal(a.notes.n, 1);
	dbl_appconf_release(&a);
}

static void test_database_url_no_password(void **state)
{
	(void)state;
	struct dbl_appconf a;
	dbl_appconf_init(&a);
	parse(&a, DBL_APPCONF_DOTENV, ".env",
	      "DATABASE_URL=mysql://app:s3cret@localhost:3307/"
	      "appdb?unix_socket="
	      "%2Ftmp%2Fm.sock\n");
	assert_int_equal(a.engine, DBL_ENGINE_MYSQL);
	assert_string_equal(a.v[DBL_APP_USER].value, "app");
	assert_string_equal(a.v[DBL_APP_HOST].value, "localhost");
	assert_string_equal(a.v[DBL_APP_PORT].value, "3307");
	assert_string_equal(a.v[DBL_APP_SOCKET].value, "/tmp/m.sock");
	assert_string_equal(a.v[DBL_APP_DATABASE].value, "appdb");
	for (int k = 0; k < DBL_APP__COUNT; k++)
		assert_null(strstr(a.v[k].value, "s3cret"));
	dbl_appconf_release(&a);
}

static void test_rails_erb_and_anchor(void **state)
{
	(void)state;
	struct dbl_appconf a;
	dbl_appconf_init(&a);
	parse(&a, DBL_APPCONF_RAILS_YML, "config/database.yml",
	      "default: &default\n  adapter: mysql2\n  socket: /tmp/x.sock\n"
	      "test:\n  host: testhost\ndevelopment:\n  <<: *default\n"
	      "  host: <%= ENV['DB_HOST'] %>\n  database: dev\n");
	assert_int_equal(a.engine, DBL_ENGINE_MYSQL);
	assert_true(a.v[DBL_APP_HOST].unknown);
	assert_string_equal(a.v[DBL_APP_HOST].source,
			    "config/database.yml line 8");
	assert_string_equal(a.v[DBL_APP_SOCKET].value, "/tmp/x.sock");
	assert_string_equal(a.v[DBL_APP_DATABASE].value, "dev");
	dbl_appconf_release(&a);
}

static void test_wp_host_forms(void **state)
{
	(void)state;
	struct dbl_appconf a;
	dbl_appconf_init(&a);
	parse(&a, DBL_APPCONF_WP_CONFIG, "wp-config.php",
	      "<?php\ndefine( 'DB_NAME', 'wp' );\n"
	      "define( 'DB_HOST', 'localhost:/run/m.sock' );\n");
	assert_string_equal(a.v[DBL_APP_HOST].value, "localhost");
	assert_string_equal(a.v[DBL_APP_SOCKET].value, "/run/m.sock");
	assert_string_equal(a.client, "php-mysqli");
	dbl_appconf_release(&a);
	dbl_appconf_init(&a);
	parse(&a, DBL_APPCONF_WP_CONFIG, "wp-config.php",
	      "define('DB_HOST', 'db.example:3307');\n");
	assert_string_equal(a.v[DBL_APP_HOST].value, "db.example");
	assert_string_equal(a.v[DBL_APP_PORT].value, "3307");
	dbl_appconf_release(&a);
}

static void test_spring_and_compose(void **state)
{
	(void)state;
	struct dbl_appconf a;
	dbl_appconf_init(&a);
	parse(&a, DBL_APPCONF_SPRING_PROPERTIES, "application.properties",
	      "spring.datasource.url=jdbc:postgresql://[::1]:5433/app\n");
	assert_string_equal(a.v[DBL_APP_HOST].value, "::1");
	assert_string_equal(a.v[DBL_APP_PORT].value, "5433");
	assert_string_equal(a.client, "jdbc-postgresql");
	dbl_appconf_release(&a);
	dbl_appconf_init(&a);
	parse(&a, DBL_APPCONF_COMPOSE, "compose.yaml",
	      "services:\n  web:\n    image: x\n    environment:\n"
	      "      - DB_HOST=db\n      DB_PORT: \"3307\"\n  db:\n"
	      "    image: mariadb\n");
	assert_string_equal(a.v[DBL_APP_HOST].value, "db");
	assert_string_equal(a.v[DBL_APP_HOST].source,
			    "compose.yaml (service web) line 5");
	assert_string_equal(a.v[DBL_APP_PORT].value, "3307");
	dbl_appconf_release(&a);
}

static void test_deps_follow_engine(void **state)
{
	(void)state;
	struct dbl_appconf a;
	dbl_appconf_init(&a);
	a.engine = DBL_ENGINE_POSTGRES;
	parse(&a, DBL_APPCONF_DEPS, "package.json",
	      "{\n \"mysql2\": \"3\",\n \"pg\": \"8\"\n}\n");
	assert_string_equal(a.client, "node-pg");
	assert_string_equal(a.client_source, "package.json line 3");
	dbl_appconf_release(&a);
}

static void test_phpini_last_wins(void **state)
{
	(void)state;
	char text[] =
		"mysqli.default_socket = /a\n; c\nmysqli.default_socket=\n";
	const char *v = NULL;
	assert_int_equal(dbl_phpini_scan(text, "mysqli.default_socket", &v), 3);
	assert_string_equal(v, "");
}

/* root/etc/php/VER/SAPI/REL holds text (directories made as needed). */
static void put_ini(const char *root, const char *ver, const char *sapi,
		    const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "mkdir -p %s/etc/php/%s/%s/conf.d", root,
		 ver, sapi);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/etc/php/%s/%s/%s", root, ver, sapi,
		 rel);
	write_file(path, text, strlen(text));
}

static void lookup(const char *root, char **v, char **src)
{
	free(*v);
	free(*src);
	assert_int_equal(
		dbl_phpini_lookup(root, "mysqli.default_socket", v, src), 0);
	assert_non_null(*src);
}

/* The SAPI that serves a web app decides: PHP-FPM, else Apache mod_php,
 * else the CLI; the source says which, and what the CLI's php.ini says. */
static void test_phpini_sapi(void **state)
{
	(void)state;
	char root[] = "/tmp/dbl_phpini_XXXXXX";
	assert_non_null(mkdtemp(root));
	char *v = NULL, *src = NULL;
	put_ini(root, "8.2", "cli", "php.ini",
		"mysqli.default_socket = /run/cli.sock\n");
	lookup(root, &v, &src);
	assert_string_equal(v, "/run/cli.sock");
	assert_non_null(strstr(src, "/8.2/cli/php.ini line 1 (the CLI's"));

	/* Apache's mod_php, agreeing with the CLI */
	put_ini(root, "8.2", "apache2", "php.ini",
		"[PHP]\nmysqli.default_socket = /run/cli.sock\n");
	lookup(root, &v, &src);
	assert_non_null(strstr(src, "/8.2/apache2/php.ini line 2 (Apache "
				    "mod_php's php.ini"));
	assert_non_null(strstr(src, "agrees"));

	/* PHP-FPM of an older version still wins: it serves the app; its
	 * conf.d overrides its php.ini; the CLI's differing value is said */
	put_ini(root, "8.1", "fpm", "php.ini", "mysqli.default_socket =\n");
	put_ini(root, "8.1", "fpm", "conf.d/20-mysqli.ini",
		"; site\nmysqli.default_socket = /srv/fpm.sock\n");
	lookup(root, &v, &src);
	assert_string_equal(v, "/srv/fpm.sock");
	assert_non_null(strstr(src, "/8.1/fpm/conf.d/20-mysqli.ini line 2 "
				    "(PHP-FPM's php.ini"));
	assert_non_null(strstr(src, "differs: /run/cli.sock from "));
	assert_non_null(strstr(src, "/8.2/cli/php.ini line 1"));
	free(v);
	free(src);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

static void test_plan_localhost(void **state)
{
	(void)state;
	struct dbl_strlist addrs = {0};
	dbl_strlist_push(&addrs, "::1");
	dbl_strlist_push(&addrs, "127.0.0.1");
	struct dbl_client_in in = {.host = "localhost",
				   .port = 3307,
				   .port_given = true,
				   .localhost_addrs = &addrs};
	struct dbl_app_path ap = {0};
	assert_int_equal(
		dbl_client_plan(dbl_client_find("php-mysqli"), &in, &ap), 0);
	assert_int_equal(ap.n_steps, 1);
	assert_int_equal(ap.steps[0].transport, DBL_TRANSPORT_UNIX);
	assert_string_equal(ap.steps[0].address, "/var/run/mysqld/mysqld.sock");
	dbl_app_path_release(&ap);
	assert_int_equal(dbl_client_plan(dbl_client_find("mysql"), &in, &ap),
			 0);
	assert_int_equal(ap.n_steps, 2);
	assert_string_equal(ap.steps[0].address, "[::1]:3307");
	dbl_app_path_release(&ap);
	assert_int_equal(
		dbl_client_plan(dbl_client_find("jdbc-mariadb"), &in, &ap), 0);
	assert_int_equal(ap.n_steps, 1);
	assert_string_equal(ap.steps[0].address, "127.0.0.1:3307");
	dbl_app_path_release(&ap);
	dbl_strlist_release(&addrs);
	assert_null(dbl_client_find("jdbc-mysql"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dotenv_laravel),
		cmocka_unit_test(test_database_url_no_password),
		cmocka_unit_test(test_rails_erb_and_anchor),
		cmocka_unit_test(test_wp_host_forms),
		cmocka_unit_test(test_spring_and_compose),
		cmocka_unit_test(test_deps_follow_engine),
		cmocka_unit_test(test_phpini_last_wins),
		cmocka_unit_test(test_phpini_sapi),
		cmocka_unit_test(test_plan_localhost),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
