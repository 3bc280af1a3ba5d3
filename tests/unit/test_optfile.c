/* MySQL option files: Debian's /etc/mysql tree (fixtures/conf/mysql-root),
 * includes with provenance, loops, bad input. */
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

#include "dbloop/common.h"
#include "discover/includes.h"
#include "discover/optfile.h"
#include "test_support.h"
#include "util/textfile.h"

static void test_debian_client_tree(void **state)
{
	(void)state;
	struct dbl_optfile of = {0};
	struct dbl_strlist w = {0};
	char err[256] = "";
	struct dbl_optfile_spec s = {.root = fixture_path("conf/mysql-root"),
				     .groups = dbl_optfile_client_groups};
	assert_int_equal(dbl_optfile_load(&of, &s, &w, err, sizeof(err)), 0);
	const struct dbl_optval *sock = dbl_optfile_get(&of, "socket");
	assert_non_null(sock);
	assert_string_equal(sock->value, "/run/mysqld/mysqld.sock");
	assert_string_equal(sock->source, "/etc/mysql/my.cnf line 25");
	/* !includedir pulled in the conf.d files, sorted, as shown paths. */
	assert_true(dbl_strlist_contains(
		&of.files_read, "/etc/mysql/mariadb.conf.d/50-client.cnf"));
	assert_string_equal(of.files_read.items[0], "/etc/mysql/my.cnf");
	/* [mysqld] settings are not the client's. */
	assert_null(dbl_optfile_get(&of, "bind-address"));
	assert_int_equal(w.n, 0);
	dbl_optfile_release(&of);
	dbl_strlist_release(&w);
}

static void test_debian_server_groups(void **state)
{
	(void)state;
	struct dbl_optfile of = {0};
	assert_int_equal(dbl_optfile_read(&of, "/etc/mysql/my.cnf",
					  dbl_optfile_server_groups,
					  fixture_path("conf/mysql-root"),
					  NULL),
			 0);
	const struct dbl_optval *bind = dbl_optfile_get(&of, "bind_address");
	assert_non_null(bind);
	assert_string_equal(bind->value, "127.0.0.1");
	assert_string_equal(bind->source,
			    "/etc/mysql/mariadb.conf.d/50-server.cnf line 27");
	dbl_optfile_release(&of);
}

static void test_user_file_include_quotes(void **state)
{
	(void)state;
	struct dbl_optfile of = {0};
	struct dbl_strlist w = {0};
	char err[256];
	struct dbl_optfile_spec s = {.root = fixture_path("conf/mysql-root"),
				     .home = fixture_path("conf/home"),
				     .groups = dbl_optfile_client_groups};
	assert_int_equal(dbl_optfile_load(&of, &s, &w, err, sizeof(err)), 0);
	const struct dbl_optval *sock = dbl_optfile_get(&of, "socket");
	assert_string_equal(sock->value, "/tmp/my sql.sock");
	assert_non_null(strstr(sock->source, "conf/home/extra.cnf line 2"));
	assert_string_equal(dbl_optfile_get(&of, "password")->value,
			    "s3cr\\et");
	assert_string_equal(dbl_optfile_get(&of, "ssl-mode")->value,
			    "REQUIRED");
	assert_string_equal(dbl_optfile_get(&of, "user")->value, "app");
	assert_null(dbl_optfile_get(&of, "port")); /* [mysqld] only */
	dbl_optfile_release(&of);
	dbl_strlist_release(&w);
}

static void test_include_loop_is_bounded(void **state)
{
	(void)state;
	struct dbl_optfile of = {0};
	struct dbl_strlist w = {0};
	assert_int_equal(dbl_optfile_read(&of, fixture_path("conf/loop/a.cnf"),
					  dbl_optfile_client_groups, NULL, &w),
			 0);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.items[0], "includes itself (a loop)"));
	assert_string_equal(dbl_optfile_get(&of, "port")->value, "3307");
	dbl_optfile_release(&of);
	dbl_strlist_release(&w);
}

static void test_defaults_file_unreadable_is_usage(void **state)
{
	(void)state;
	struct dbl_optfile of = {0};
	char err[256] = "";
	struct dbl_optfile_spec s = {.defaults_file = "/nonexistent/my.cnf",
				     .groups = dbl_optfile_client_groups};
	assert_int_equal(dbl_optfile_load(&of, &s, NULL, err, sizeof(err)),
			 -DBL_EUSAGE);
	assert_string_equal(err, "cannot read --defaults-file "
				 "'/nonexistent/my.cnf': No such file or "
				 "directory");
	struct dbl_optfile_spec none = {.no_defaults = true,
					.root = fixture_path("conf/mysql-root"),
					.groups = dbl_optfile_client_groups};
	assert_int_equal(dbl_optfile_load(&of, &none, NULL, err, sizeof(err)),
			 0);
	assert_int_equal(of.n, 0);
	dbl_optfile_release(&of);
}

static void test_bad_input(void **state)
{
	(void)state;
	char dir[] = "/tmp/dbl-optfile-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char bin[600], big[600], bad[600];
	snprintf(bin, sizeof(bin), "%s/bin.cnf", dir);
	snprintf(big, sizeof(big), "%s/big.cnf", dir);
	snprintf(bad, sizeof(bad), "%s/bad.cnf", dir);
	write_file(bin, "[client]\0\xff\xfe", 11);
	char *huge = malloc(DBL_TEXTFILE_MAX + 100);
	memset(huge, '#', DBL_TEXTFILE_MAX + 100);
	write_file(big, huge, DBL_TEXTFILE_MAX + 100);
	free(huge);
	const char text[] = "port=1\n[client\nsocket=x\n[client]\n"
			    "socket = \"/tmp/x\ntwo words = 3\nhost=h\n"
			    "!bogus x\n!i\n";
	write_file(bad, text, sizeof(text) - 1);
	struct dbl_optfile of = {0};
	struct dbl_strlist w = {0};
	const char *const *g = dbl_optfile_client_groups;
	assert_int_equal(dbl_optfile_read(&of, bin, g, NULL, &w), -DBL_EIO);
	assert_int_equal(dbl_optfile_read(&of, big, g, NULL, &w), -DBL_EIO);
	assert_int_equal(dbl_optfile_read(&of, bad, g, NULL, &w), 0);
	assert_string_equal(dbl_optfile_get(&of, "host")->value, "h");
	assert_int_equal(of.n, 1);
	/* binary, huge, outside any group, bad group header, unterminated
	 * quote, two-word name, unknown directives (a short one read past
	 * the line's end: issue 8, fuzz) */
	assert_int_equal(w.n, 8);
	assert_non_null(strstr(w.items[1], "larger than 1 MiB"));
	assert_non_null(strstr(w.items[2], "bad.cnf line 1"));
	dbl_optfile_release(&of);
	dbl_strlist_release(&w);
	unlink(bin);
	unlink(big);
	unlink(bad);
	rmdir(dir);
}

/* ~/.my.cnf that includes itself 4 times plus a directory that includes
 * itself and the file (issue 8, F2): without the loop check that is 4^10
 * reads. Each file is read once and each loop warned about. */
static void test_self_include_read_once(void **state)
{
	(void)state;
	char dir[] = "/tmp/dbl-optfile-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char me[600], confd[600], loop[700], text[4096];
	snprintf(me, sizeof(me), "%s/my.cnf", dir);
	snprintf(confd, sizeof(confd), "%s/conf.d", dir);
	snprintf(loop, sizeof(loop), "%s/loop.cnf", confd);
	assert_int_equal(mkdir(confd, 0700), 0);
	int n = snprintf(text, sizeof(text),
			 "[client]\nuser=app\n!include %s\n!include %s\n"
			 "!include %s\n!include %s\n!includedir %s\n",
			 me, me, me, me, confd);
	write_file(me, text, (size_t)n);
	n = snprintf(text, sizeof(text),
		     "[client]\n!includedir %s\n!include %s\n", confd, me);
	write_file(loop, text, (size_t)n);
	struct dbl_optfile of = {0};
	struct dbl_strlist w = {0};
	assert_int_equal(
		dbl_optfile_read(&of, me, dbl_optfile_client_groups, NULL, &w),
		0);
	assert_int_equal(of.files_read.n, 2);
	assert_int_equal(w.n, 6); /* 4 self-includes, 2 in loop.cnf */
	for (size_t i = 0; i < w.n; i++)
		assert_non_null(strstr(w.items[i], "includes itself (a loop)"));
	assert_non_null(strstr(w.items[0], "my.cnf line 3: '"));
	assert_string_equal(dbl_optfile_get(&of, "user")->value, "app");
	dbl_optfile_release(&of);
	dbl_strlist_release(&w);
	unlink(loop);
	unlink(me);
	rmdir(confd);
	rmdir(dir);
}

/* A directory of 300 option files: the budget of files read stops at 256
 * with one warning naming the including file and line. */
static void test_include_budget(void **state)
{
	(void)state;
	char dir[] = "/tmp/dbl-optfile-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char top[600], path[700];
	snprintf(top, sizeof(top), "%s/my.cnf", dir);
	const char text[] = "[client]\n!includedir d\n";
	write_file(top, text, sizeof(text) - 1);
	snprintf(path, sizeof(path), "%s/d", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "%s/d/%03d.cnf", dir, i);
		write_file(path, "[client]\nport=1\n", 16);
	}
	struct dbl_optfile of = {0};
	struct dbl_strlist w = {0};
	assert_int_equal(
		dbl_optfile_read(&of, top, dbl_optfile_client_groups, NULL, &w),
		0);
	assert_int_equal(of.files_read.n, DBL_INCLUDES_MAX_FILES);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.items[0], "my.cnf line 2: more than 256"));
	dbl_optfile_release(&of);
	dbl_strlist_release(&w);
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "%s/d/%03d.cnf", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/d", dir);
	rmdir(path);
	unlink(top);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian_client_tree),
		cmocka_unit_test(test_debian_server_groups),
		cmocka_unit_test(test_user_file_include_quotes),
		cmocka_unit_test(test_include_loop_is_bounded),
		cmocka_unit_test(test_defaults_file_unreadable_is_usage),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_self_include_read_once),
		cmocka_unit_test(test_include_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
