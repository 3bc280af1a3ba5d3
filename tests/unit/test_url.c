/* Target URLs: libpq forms (multi-host, host=/dir, percent-encoded socket
 * paths), MySQL forms, tcp://, redaction and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "discover/url.h"

static void test_pg_multi_host(void **state)
{
	(void)state;
	struct dbl_url u;
	char err[256];
	assert_int_equal(
		dbl_url_parse("postgresql://app:pw@h1:5433,[::1]:5434/appdb"
			      "?sslmode=require",
			      &u, err, sizeof(err)),
		0);
	assert_int_equal(u.n, 2);
	assert_string_equal(u.eps[0].host, "h1");
	assert_int_equal(u.eps[0].port, 5433);
	assert_string_equal(u.eps[1].host, "::1");
	assert_int_equal(u.eps[1].port, 5434);
	assert_string_equal(u.eps[1].password, "pw");
	assert_string_equal(u.eps[1].ssl_mode, "require");
	assert_string_equal(u.label, "postgresql://app@h1:5433,[::1]:5434/appdb"
				     "?sslmode=require");
	dbl_url_release(&u);
}

static void test_pg_socket_forms(void **state)
{
	(void)state;
	struct dbl_url u;
	char err[256];
	assert_int_equal(
		dbl_url_parse("postgres://%2Fvar%2Frun%2Fpostgresql/db", &u,
			      err, sizeof(err)),
		0);
	assert_string_equal(u.eps[0].host, "/var/run/postgresql");
	assert_string_equal(u.eps[0].database, "db");
	dbl_url_release(&u);
	assert_int_equal(dbl_url_parse("postgresql:///db?host=/tmp/s&port=5439"
				       "&password=x",
				       &u, err, sizeof(err)),
			 0);
	assert_string_equal(u.eps[0].host, "/tmp/s");
	assert_int_equal(u.eps[0].port, 5439);
	assert_string_equal(u.label, "postgresql:///db?host=/tmp/s&port=5439");
	dbl_url_release(&u);
	assert_int_equal(dbl_url_parse("host=/tmp port=5440 password='a b'", &u,
				       err, sizeof(err)),
			 0);
	assert_int_equal(u.eps[0].port, 5440);
	assert_null(strstr(u.label, "a b"));
	dbl_url_release(&u);
}

static void test_mysql_forms(void **state)
{
	(void)state;
	struct dbl_url u;
	char err[256];
	assert_int_equal(dbl_url_parse("mysql://app:p%40ss@localhost:3307/appdb"
				       "?socket=%2Ftmp%2Fmysql.sock"
				       "&ssl-mode=REQUIRED",
				       &u, err, sizeof(err)),
			 0);
	assert_int_equal(u.eps[0].engines, 1u << DBL_ENGINE_MYSQL);
	assert_string_equal(u.eps[0].password, "p@ss");
	assert_string_equal(u.eps[0].socket, "/tmp/mysql.sock");
	assert_string_equal(u.eps[0].ssl_mode, "REQUIRED");
	assert_int_equal(u.eps[0].port, 3307);
	assert_string_equal(u.label, "mysql://app@localhost:3307/appdb"
				     "?socket=%2Ftmp%2Fmysql.sock"
				     "&ssl-mode=REQUIRED");
	dbl_url_release(&u);
	assert_int_equal(dbl_url_parse("mariadb://root@(/run/x.sock)/", &u, err,
				       sizeof(err)),
			 0);
	assert_string_equal(u.eps[0].socket, "/run/x.sock");
	assert_null(u.eps[0].host);
	dbl_url_release(&u);
	assert_int_equal(
		dbl_url_parse("tcp://[::1]:5432", &u, err, sizeof(err)), 0);
	assert_true(u.eps[0].tcp_only);
	assert_int_equal(u.eps[0].engines, 3u);
	dbl_url_release(&u);
}

static void test_errors(void **state)
{
	(void)state;
	struct dbl_url u;
	char err[256];
	assert_int_equal(dbl_url_parse("postgres://[::1", &u, err, sizeof(err)),
			 -DBL_EUSAGE);
	assert_string_equal(err, "invalid URL 'postgres://[::1': "
				 "unterminated IPv6 address");
	assert_int_equal(dbl_url_parse("mysql://u:secret@h:99999/", &u, err,
				       sizeof(err)),
			 -DBL_EUSAGE);
	assert_string_equal(err, "invalid URL 'mysql://u@h:99999/': invalid "
				 "port");
	assert_int_equal(dbl_url_parse("mysql://h/%zz", &u, err, sizeof(err)),
			 -DBL_EUSAGE);
	assert_int_equal(dbl_url_parse("tcp://host", &u, err, sizeof(err)),
			 -DBL_EUSAGE);
	assert_int_equal(dbl_url_parse("http://x", &u, err, sizeof(err)),
			 -DBL_EUSAGE);
	assert_int_equal(
		dbl_url_parse("postgresql://h:x/db", &u, err, sizeof(err)),
		-DBL_EUSAGE);
	assert_null(strstr(err, "\n"));
	assert_int_equal(dbl_url_parse("host=h1,h2 port=1,2,3 password=pw", &u,
				       err, sizeof(err)),
			 -DBL_EUSAGE);
	assert_null(strstr(err, "pw"));
}

static void test_ssl_mode_names(void **state)
{
	(void)state;
	enum dbl_ssl_mode m;
	assert_int_equal(dbl_ssl_mode_from_text("VERIFY_IDENTITY", &m), 0);
	assert_int_equal(m, DBL_SSL_VERIFY_FULL);
	assert_int_equal(dbl_ssl_mode_from_text("disabled", &m), 0);
	assert_int_equal(m, DBL_SSL_DISABLE);
	assert_int_equal(dbl_ssl_mode_from_text("sometimes", &m), -DBL_EINVAL);
}

/* Issue 8, F11: trailing blanks after a word made the redactor copy the
 * terminating NUL and read past it (ASan: heap-buffer-overflow). */
static void test_redact_trailing_blanks(void **state)
{
	(void)state;
	char *r = dbl_url_redact("t t in ");
	assert_string_equal(r, "t t in ");
	free(r);
	r = dbl_url_redact("host=h password=x \t\n");
	assert_string_equal(r, "host=h  \t\n");
	free(r);
	struct dbl_url u;
	char err[256];
	assert_int_equal(dbl_url_parse("t t in ", &u, err, sizeof(err)),
			 -DBL_EUSAGE);
	assert_non_null(strstr(err, "'t t in '"));
}

/* Issue 8, F4: a target with control characters is still one line, with
 * them escaped, and a long one is cut. */
static void test_error_is_one_line(void **state)
{
	(void)state;
	struct dbl_url u;
	char err[256];
	assert_int_equal(dbl_url_parse("pass\x9d"
				       "filer://%5Fvar%2Fru\nns\r",
				       &u, err, sizeof(err)),
			 -DBL_EUSAGE);
	assert_null(strchr(err, '\n'));
	assert_null(strchr(err, '\r'));
	assert_non_null(strstr(err, "ru\\nns\\r"));
	assert_int_equal(dbl_url_parse("postgres://u:secret@h:5432/d\n?x=%zz",
				       &u, err, sizeof(err)),
			 -DBL_EUSAGE);
	assert_null(strchr(err, '\n'));
	assert_null(strstr(err, "secret"));
	char long_target[2000];
	memset(long_target, 'a', sizeof(long_target) - 1);
	long_target[sizeof(long_target) - 1] = '\0';
	assert_int_equal(dbl_url_parse(long_target, &u, err, sizeof(err)),
			 -DBL_EUSAGE);
	assert_non_null(strstr(err, "...'"));
	assert_non_null(strstr(err, "expected postgres://"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg_multi_host),
		cmocka_unit_test(test_pg_socket_forms),
		cmocka_unit_test(test_mysql_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_ssl_mode_names),
		cmocka_unit_test(test_redact_trailing_blanks),
		cmocka_unit_test(test_error_is_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
