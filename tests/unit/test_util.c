/* Durations, ports, bounded copies and the string helpers. */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbloop/common.h"
#include "dbloop/util.h"
#include "discover/hosts.h"
#include "util/space.h"
#include "util/textfile.h"

static void durations(void **state)
{
	(void)state;
	int ms = 0;
	assert_int_equal(dbl_parse_duration_ms("3s", &ms), 0);
	assert_int_equal(ms, 3000);
	assert_int_equal(dbl_parse_duration_ms("250ms", &ms), 0);
	assert_int_equal(ms, 250);
	assert_int_equal(dbl_parse_duration_ms("2", &ms), 0);
	assert_int_equal(ms, 2000);
	assert_int_equal(dbl_parse_duration_ms("1.5m", &ms), 0);
	assert_int_equal(ms, 90000);
	assert_int_equal(dbl_parse_duration_ms("0.5", &ms), 0);
	assert_int_equal(ms, 500);
	const char *bad[] = {"",   "0",	    "0s",  "-1s", "3x",	 "s",	"1 s",
			     " 1", "1e999", "nan", "inf", "25h", "1ms2"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dbl_parse_duration_ms(bad[i], &ms) == 0)
			fail_msg("duration '%s' was accepted", bad[i]);
}

static void ports(void **state)
{
	(void)state;
	int port = 0;
	assert_int_equal(dbl_parse_port("5432", &port), 0);
	assert_int_equal(port, 5432);
	assert_int_equal(dbl_parse_port("65535", &port), 0);
	const char *bad[] = {"", "0", "65536", "-1", "12a", "99999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dbl_parse_port(bad[i], &port) == 0)
			fail_msg("port '%s' was accepted", bad[i]);
}

static void strings(void **state)
{
	(void)state;
	char small[4];
	assert_int_equal(dbl_strlcpy(small, "abcdef", sizeof(small)), 6);
	assert_string_equal(small, "abc");

	struct dbl_buf b = {0};
	dbl_buf_printf(&b, "%s=%d", "port", 5432);
	dbl_buf_puts(&b, ";");
	char *s = dbl_buf_detach(&b);
	assert_string_equal(s, "port=5432;");
	free(s);

	struct dbl_strlist l = {0};
	for (int i = 0; i < 20; i++)
		assert_int_equal(dbl_strlist_pushf(&l, "item%d", i), 0);
	assert_int_equal(l.n, 20);
	assert_true(dbl_strlist_contains(&l, "item19"));
	assert_false(dbl_strlist_contains(&l, "item20"));
	dbl_strlist_release(&l);
	assert_int_equal(l.n, 0);
}

/* One idea of whitespace (util/space.h) for every tokenizer: exactly what
 * isspace() means in the C locale, and what dbl_trim and the hosts parser
 * skip. */
static void blanks(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++)
		assert_int_equal(dbl_is_space(c), isspace(c) != 0);
	assert_int_equal(strlen(DBL_SPACE_CHARS), 6);
	for (const char *b = DBL_SPACE_CHARS; *b; b++)
		assert_true(dbl_is_space((unsigned char)*b));
	assert_int_equal(dbl_space_span("\v\f x"), 3);
	assert_int_equal(dbl_word_span("ab\vc"), 2);
	char t[] = "\v\f value \r\t";
	assert_string_equal(dbl_trim(t), "value");
	char hosts[] = "127.0.0.1\vlocalhost\fother\n::1\tip6-localhost\n";
	struct dbl_strlist l = {0};
	assert_int_equal(dbl_hosts_parse(hosts, "hosts", &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0],
			    "hosts line 1: 127.0.0.1 localhost other");
	dbl_strlist_release(&l);
}

/* dbloop's codes and the OS's errno are two spaces: no value of one is a
 * value of the other, and dbl_is_os_error tells them apart. */
static void error_spaces(void **state)
{
	(void)state;
	static const int ours[] = {DBL_EUSAGE, DBL_ENOMEM,    DBL_EIO,
				   DBL_EINVAL, DBL_EINTERNAL, DBL_ECANCELED};
	static const int os[] = {ENOENT,    ENOMEM,	  EIO,	     EINVAL,
				 ECANCELED, ECONNREFUSED, ETIMEDOUT, EACCES};
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		assert_false(dbl_is_os_error(-ours[i]));
		for (size_t j = 0; j < sizeof(os) / sizeof(os[0]); j++)
			assert_int_not_equal(ours[i], os[j]);
	}
	for (size_t j = 0; j < sizeof(os) / sizeof(os[0]); j++)
		assert_true(dbl_is_os_error(-os[j]));
	assert_false(dbl_is_os_error(0));
	assert_false(dbl_is_os_error(3)); /* a byte count, a socket */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations), cmocka_unit_test(error_spaces),
		cmocka_unit_test(ports),     cmocka_unit_test(strings),
		cmocka_unit_test(blanks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
