/* PostgreSQL files: pg_hba.conf and postgresql.conf as initdb (fixtures/
 * conf/pg) and Debian (conf/pg-debian) write them, includes, .pgpass and
 * pg_service.conf. */
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

#include "dbloop/facts.h"
#include "discover/pgconf.h"
#include "discover/pgfiles.h"
#include "discover/pghba.h"
#include "test_support.h"

static void test_hba_debian_peer_local(void **state)
{
	(void)state;
	struct dbl_pg_server_conf c = {0};
	struct dbl_strlist w = {0};
	assert_int_equal(
		dbl_hba_read(&c, fixture_path("conf/pg-debian/pg_hba.conf"),
			     &w),
		0);
	assert_int_equal(c.n_hba, 7);
	assert_int_equal(w.n, 0);
	const struct dbl_hba_rule *r = dbl_hba_match(
		&c, DBL_TRANSPORT_UNIX, NULL, "app", "appdb", false);
	assert_non_null(r);
	assert_int_equal(r->line, 95);
	assert_string_equal(r->method, "peer");
	assert_string_equal(r->raw,
			    "local   all             all"
			    "                                     peer");
	r = dbl_hba_match(&c, DBL_TRANSPORT_TCP6, "::1", "app", "appdb", false);
	assert_int_equal(r->line, 99);
	r = dbl_hba_match(&c, DBL_TRANSPORT_TCP4, NULL, "app", "appdb", true);
	assert_int_equal(r->line, 97);
	assert_string_equal(r->address, "127.0.0.1/32");
	/* A non-loopback client matches nothing: "no pg_hba.conf entry". */
	assert_null(dbl_hba_match(&c, DBL_TRANSPORT_HOST, "10.0.0.5", "app",
				  "appdb", false));
	dbl_hba_clear(&c);
	dbl_strlist_release(&w);
}

static void test_hba_initdb_and_rules(void **state)
{
	(void)state;
	struct dbl_pg_server_conf c = {0};
	assert_int_equal(
		dbl_hba_read(&c, fixture_path("conf/pg/pg_hba.conf"), NULL), 0);
	assert_int_equal(c.n_hba, 6);
	assert_string_equal(c.hba[0].method, "scram-sha-256");
	dbl_hba_clear(&c);

	char dir[] = "/tmp/dbl-hba-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[600], inc[600];
	snprintf(path, sizeof(path), "%s/pg_hba.conf", dir);
	snprintf(inc, sizeof(inc), "%s/more.conf", dir);
	write_text(path, "hostssl all all ::1/128 scram-sha-256\n"
			 "host \"all\" all 127.0.0.1 255.255.255.255 md5\n"
			 "host sameuser,other app,\\\n  bob 127.0.0.0/8 trust\n"
			 "host all +admins 0.0.0.0/0 trust\n"
			 "include more.conf\n"
			 "include_if_exists missing.conf\n"
			 "nonsense line here\n"
			 "host all\n");
	write_text(inc, "host all all ::/0 reject\ninclude pg_hba.conf\n");
	struct dbl_strlist w = {0};
	assert_int_equal(dbl_hba_read(&c, path, &w), 0);
	/* hostssl needs TLS; without it ::1 falls through to the include. */
	const struct dbl_hba_rule *r =
		dbl_hba_match(&c, DBL_TRANSPORT_TCP6, NULL, "bob", "x", false);
	assert_string_equal(r->method, "reject");
	assert_int_equal(r->line, 1);
	r = dbl_hba_match(&c, DBL_TRANSPORT_TCP6, NULL, "bob", "x", true);
	assert_string_equal(r->method, "scram-sha-256");
	/* "all" quoted is a database named all, so line 3 (continued) wins. */
	r = dbl_hba_match(&c, DBL_TRANSPORT_TCP4, NULL, "bob", "bob", false);
	assert_int_equal(r->line, 3);
	assert_string_equal(r->method, "trust");
	r = dbl_hba_match(&c, DBL_TRANSPORT_TCP4, NULL, "app", "all", false);
	assert_string_equal(r->method, "md5");
	assert_null(
		dbl_hba_match(&c, DBL_TRANSPORT_UNIX, NULL, "bob", "x", false));
	bool loop = false, malformed = false;
	for (size_t i = 0; i < w.n; i++) {
		loop |= strstr(w.items[i], "includes itself (a loop)") != NULL;
		malformed |= strstr(w.items[i], "line 8: malformed") != NULL;
	}
	assert_true(loop);
	assert_true(malformed);
	dbl_hba_clear(&c);
	dbl_strlist_release(&w);
	unlink(path);
	unlink(inc);
	rmdir(dir);
}

/* Issue 18: a blank after a comma that is not a space or tab (\v, \f)
 * stepped the tokenizer back onto the same byte forever. Each of the six
 * blanks after a comma now continues the list; the alarm turns a hang back
 * into a failure instead of a ctest timeout. */
static void test_hba_every_blank_after_comma(void **state)
{
	(void)state;
	static const char blanks[] = " \t\v\f\r";
	char dir[] = "/tmp/dbl-hba-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[600];
	snprintf(path, sizeof(path), "%s/pg_hba.conf", dir);
	for (const char *b = blanks; *b; b++) {
		char text[128];
		snprintf(text, sizeof(text),
			 "host all app,%c%cx 127.0.0.1/32 trust\n"
			 "host%call%call%c127.0.0.1/32%creject\n",
			 *b, *b, *b, *b, *b, *b);
		write_text(path, text);
		struct dbl_pg_server_conf c = {0};
		alarm(10);
		assert_int_equal(dbl_hba_read(&c, path, NULL), 0);
		alarm(0);
		assert_int_equal(c.n_hba, 2);
		assert_string_equal(c.hba[0].user, "app,x");
		assert_string_equal(c.hba[1].method, "reject");
		const struct dbl_hba_rule *r = dbl_hba_match(
			&c, DBL_TRANSPORT_TCP4, NULL, "x", "appdb", false);
		assert_non_null(r);
		assert_string_equal(r->method, "trust");
		dbl_hba_clear(&c);
	}
	/* the reproducer as fuzz_pghba found it, byte for byte */
	write_text(path, "host all app,\vx 127.0.0.1/32 trust\n");
	struct dbl_pg_server_conf c = {0};
	alarm(10);
	assert_int_equal(dbl_hba_read(&c, path, NULL), 0);
	alarm(0);
	assert_int_equal(c.n_hba, 1);
	dbl_hba_clear(&c);
	unlink(path);
	rmdir(dir);
}

static void test_pgconf_debian_and_includes(void **state)
{
	(void)state;
	struct dbl_pgconf c = {0};
	struct dbl_strlist w = {0};
	assert_int_equal(
		dbl_pgconf_read(
			&c, fixture_path("conf/pg-debian/postgresql.conf"), &w),
		0);
	const struct dbl_pgconf_item *it = dbl_pgconf_get(&c, "port");
	assert_string_equal(it->value, "5432");
	assert_non_null(strstr(it->source, "postgresql.conf line 64"));
	assert_string_equal(
		dbl_pgconf_get(&c, "unix_socket_directories")->value,
		"/var/run/postgresql");
	assert_string_equal(dbl_pgconf_get(&c, "hba_file")->value,
			    "/etc/postgresql/15/main/pg_hba.conf");
	assert_null(dbl_pgconf_get(&c, "listen_addresses")); /* commented */
	dbl_pgconf_release(&c);
	dbl_strlist_release(&w);

	assert_int_equal(
		dbl_pgconf_read(&c,
				fixture_path("conf/pg-include/postgresql.conf"),
				&w),
		0);
	assert_string_equal(
		dbl_pgconf_get(&c, "unix_socket_directories")->value,
		"/tmp/it's");
	assert_string_equal(dbl_pgconf_get(&c, "listen_addresses")->value,
			    "127.0.0.1");
	bool loop = false, malformed = false;
	for (size_t i = 0; i < w.n; i++) {
		loop |= strstr(w.items[i], "includes itself (a loop)") != NULL;
		malformed |= strstr(w.items[i], "line 6: malformed") != NULL;
	}
	assert_true(loop);
	assert_true(malformed);
	dbl_pgconf_release(&c);
	dbl_strlist_release(&w);
}

static void test_pgpass_per_transport_and_mode(void **state)
{
	(void)state;
	char path[] = "/tmp/dbl-pgpass-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char text[] = "# comment\n"
			    "127.0.0.1:5432:appdb:app:v4pass\n"
			    "localhost:*:*:app:sock\\:pass\n"
			    "/tmp/pg:5432:*:*:dirpass\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), sizeof(text) - 1);
	close(fd);
	chmod(path, 0600);
	struct dbl_pgpass pp;
	struct dbl_strlist w = {0};
	assert_int_equal(dbl_pgpass_open(&pp, path, &w), 0);
	assert_false(pp.ignored);
	const char *dflt = "/var/run/postgresql";
	char *pw = NULL;
	/* The socket in the default directory matches "localhost". */
	const char *h =
		dbl_pgpass_host(DBL_TRANSPORT_UNIX, "localhost", dflt, dflt);
	assert_int_equal(dbl_pgpass_match(&pp, h, "5432", "appdb", "app", &pw),
			 3);
	assert_string_equal(pw, "sock:pass");
	free(pw);
	h = dbl_pgpass_host(DBL_TRANSPORT_TCP4, "localhost", NULL, dflt);
	assert_int_equal(dbl_pgpass_match(&pp, h, "5432", "appdb", "app", NULL),
			 2);
	h = dbl_pgpass_host(DBL_TRANSPORT_TCP6, "localhost", NULL, dflt);
	assert_int_equal(dbl_pgpass_match(&pp, h, "5432", "appdb", "bob", NULL),
			 0);
	h = dbl_pgpass_host(DBL_TRANSPORT_UNIX, "/tmp/pg", "/tmp/pg", dflt);
	assert_int_equal(dbl_pgpass_match(&pp, h, "5432", "x", "bob", NULL), 4);
	dbl_pgpass_release(&pp);

	chmod(path, 0644);
	assert_int_equal(dbl_pgpass_open(&pp, path, &w), 0);
	assert_true(pp.ignored);
	assert_int_equal(pp.mode, 0644);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.items[0], "group or other access"));
	assert_null(strstr(w.items[0], "pass\n"));
	dbl_pgpass_release(&pp);
	dbl_strlist_release(&w);
	unlink(path);
}

static void test_pg_service(void **state)
{
	(void)state;
	char path[] = "/tmp/dbl-svc-XXXXXX";
	int fd = mkstemp(path);
	const char text[] = "[other]\nhost=elsewhere\n"
			    "# comment\n[app]\nhost = /tmp/pgsock\nport=5433\n"
			    "garbage\n[next]\nport=1\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), sizeof(text) - 1);
	close(fd);
	struct dbl_pgservice s;
	struct dbl_strlist w = {0};
	assert_int_equal(dbl_pgservice_find(path, "app", &s, &w), 1);
	const char *from = NULL;
	assert_string_equal(dbl_pgservice_get(&s, "host", &from),
			    "/tmp/pgsock");
	assert_non_null(strstr(from, " line 5"));
	assert_string_equal(dbl_pgservice_get(&s, "port", NULL), "5433");
	assert_int_equal(w.n, 1);
	dbl_pgservice_release(&s);
	assert_int_equal(dbl_pgservice_find(path, "nope", &s, &w), 0);
	dbl_pgservice_release(&s);
	dbl_strlist_release(&w);
	unlink(path);
}

/* postgresql.conf that includes itself 4 times (issue 8, F3; was 4^10
 * reads): read once, each self-include warned about with file and line;
 * pg_hba.conf likewise. */
static void test_self_include_read_once(void **state)
{
	(void)state;
	char dir[] = "/tmp/dbl-pginc-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char conf[700], hba[700], a[600], b[600];
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	assert_int_equal(mkdir(a, 0700), 0);
	assert_int_equal(mkdir(b, 0700), 0);
	snprintf(conf, sizeof(conf), "%s/main.conf", a);
	snprintf(hba, sizeof(hba), "%s/pg_hba.conf", b);
	write_text(conf, "port = 5432\ninclude 'main.conf'\n"
			 "include 'main.conf'\ninclude 'main.conf'\n"
			 "include_dir '.'\n");
	write_text(hba, "local all all peer\ninclude pg_hba.conf\n"
			"include pg_hba.conf\ninclude_dir .\n");
	struct dbl_pgconf c = {0};
	struct dbl_strlist w = {0};
	assert_int_equal(dbl_pgconf_read(&c, conf, &w), 0);
	assert_int_equal(c.files_read.n, 1);
	assert_int_equal(c.n, 1);
	assert_int_equal(w.n, 4);
	assert_non_null(strstr(w.items[0], "main.conf line 2: '"));
	assert_non_null(strstr(w.items[3], "includes itself (a loop)"));
	dbl_pgconf_release(&c);
	dbl_strlist_release(&w);
	struct dbl_pg_server_conf pg = {0};
	assert_int_equal(dbl_hba_read(&pg, hba, &w), 0);
	assert_int_equal(pg.n_hba, 1);
	assert_int_equal(w.n, 3);
	assert_non_null(strstr(w.items[2], "pg_hba.conf line 4: '"));
	dbl_hba_clear(&pg);
	dbl_strlist_release(&w);
	unlink(conf);
	unlink(hba);
	rmdir(a);
	rmdir(b);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hba_debian_peer_local),
		cmocka_unit_test(test_hba_initdb_and_rules),
		cmocka_unit_test(test_hba_every_blank_after_comma),
		cmocka_unit_test(test_pgconf_debian_and_includes),
		cmocka_unit_test(test_pgpass_per_transport_and_mode),
		cmocka_unit_test(test_pg_service),
		cmocka_unit_test(test_self_include_read_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
