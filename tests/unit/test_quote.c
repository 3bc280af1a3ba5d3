/* util/quote: each quoter's exact output, hostile values, the formatter,
 * and the check that no fix command template takes an unquoted value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/quote.h"

typedef void (*quoter)(struct dbl_buf *, const char *);

static void expect_q(quoter q, const char *in, const char *out)
{
	struct dbl_buf b = {0};
	q(&b, in);
	assert_false(b.oom);
	assert_string_equal(b.data, out);
	dbl_buf_release(&b);
}

static void shell(void **state)
{
	(void)state;
	expect_q(dbl_q_shell, "app_user", "app_user");
	expect_q(dbl_q_shell, "/run/postgresql", "/run/postgresql");
	expect_q(dbl_q_shell, "", "''");
	expect_q(dbl_q_shell, NULL, "''");
	expect_q(dbl_q_shell, "a b", "'a b'");
	expect_q(dbl_q_shell, "it's", "'it'\\''s'");
	expect_q(dbl_q_shell, "$(id)", "'$(id)'");
	expect_q(dbl_q_shell, "`id`;x", "'`id`;x'");
	expect_q(dbl_q_shell, "a\nb", "'a\nb'");
	expect_q(dbl_q_shell, "-rf", "-rf");
}

static void pg(void **state)
{
	(void)state;
	expect_q(dbl_q_pg_literal, "app", "'app'");
	expect_q(dbl_q_pg_literal, "o'neil", "'o''neil'");
	expect_q(dbl_q_pg_literal, "a\\b'", "E'a\\\\b'''");
	expect_q(dbl_q_pg_literal, "", "''");
	expect_q(dbl_q_pg_ident, "app", "\"app\"");
	expect_q(dbl_q_pg_ident, "we\"ird", "\"we\"\"ird\"");
	expect_q(dbl_q_pg_ident, "x; DROP", "\"x; DROP\"");
}

static void mysql(void **state)
{
	(void)state;
	expect_q(dbl_q_my_literal, "app", "'app'");
	expect_q(dbl_q_my_literal, "o'n\\e\"il", "'o\\'n\\\\e\\\"il'");
	expect_q(dbl_q_my_literal, "a\nb\r\032", "'a\\nb\\r\\Z'");
	expect_q(dbl_q_my_ident, "db", "`db`");
	expect_q(dbl_q_my_ident, "d`b", "`d``b`");
}

static void conf(void **state)
{
	(void)state;
	assert_true(dbl_q_conf_ok("port=5433"));
	assert_true(dbl_q_conf_ok("listen_addresses = localhost"));
	const char *bad[] = {"",    "a\nb", "a#b", "a'b", "a\"b", "a\\b",
			     "a|b", "a&b",  "a`b", "a$b", "a\tb", "\x7f"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dbl_q_conf_ok(bad[i]))
			fail_msg("config value %zu was accepted", i);
	assert_false(dbl_q_conf_ok(NULL));
}

static void formatter(void **state)
{
	(void)state;
	char *s = dbl_qfmt_new("sudo -u postgres createdb -O %q %q # %d%%",
			       "o'k", "db", 5);
	assert_non_null(s);
	assert_string_equal(s,
			    "sudo -u postgres createdb -O 'o'\\''k' db # 5%");
	free(s);
	char *sql =
		dbl_qfmt_new("GRANT ALL ON %B.* TO %M@%M;", "d`b", "u'", "h");
	assert_string_equal(sql, "GRANT ALL ON `d``b`.* TO 'u\\''@'h';");
	char *cmd = dbl_qfmt_new("sudo mariadb -e %q", sql);
	assert_string_equal(cmd, "sudo mariadb -e 'GRANT ALL ON `d``b`.* TO "
				 "'\\''u\\'\\'''\\''@'\\''h'\\'';'");
	free(sql);
	free(cmd);
	s = dbl_qfmt_new("ALTER ROLE %I PASSWORD %L", "R", "p'w");
	assert_string_equal(s, "ALTER ROLE \"R\" PASSWORD 'p''w'");
	free(s);
	/* %s is not a directive: the command is dropped. */
	assert_null(dbl_qfmt_new("echo %s", "x"));
}

/* A long hostile value stays whole. */
static void long_values(void **state)
{
	(void)state;
	char v[301];
	for (int i = 0; i < 300; i++)
		v[i] = "'\"`$();\n\xff"[i % 9];
	v[300] = '\0';
	char *s = dbl_qfmt_new("x %q", v);
	assert_non_null(s);
	assert_true(strlen(s) > 300);
	free(s);
}

/* The calls in text that build a step from a template (dbl_fix_cmd,
 * dbl_fix_root_cmd, dbl_fix_sql, dbl_fix_url):
 * the string literals of each call's arguments must hold no printf
 * directive but %d and %% (the quoters are letters dbl_qfmt knows). Counts
 * the calls seen in *calls. */
static int check_templates(const char *name, const char *text, int *calls)
{
	int bad = 0;
	static const char *const fns[] = {"dbl_fix_cmd(", "dbl_fix_root_cmd(",
					  "dbl_fix_sql(", "dbl_fix_url("};
	for (size_t f = 0; f < sizeof(fns) / sizeof(fns[0]); f++) {
		for (const char *p = strstr(text, fns[f]); p;
		     p = strstr(p + 1, fns[f])) {
			if (p > text && (p[-1] == '_' || p[-1] == ' ') &&
			    strncmp(p - 5, "void ", 5) == 0)
				continue; /* the definition */
			(*calls)++;
			int depth = 0;
			bool in_str = false;
			const char *q = p + strlen(fns[f]) - 1;
			for (; *q; q++) {
				if (in_str) {
					if (*q == '\\') {
						q++;
						continue;
					}
					if (*q == '"') {
						in_str = false;
						continue;
					}
					if (*q == '%' &&
					    !strchr("dqLIMBUPHK%", q[1]))
						bad++, print_message(
							       "%s: a command "
							       "template "
							       "takes an "
							       "unquoted "
							       "value "
							       "(%%%c) near: "
							       "%.60s\n",
							       name, q[1], p);
					if (*q == '%')
						q++;
					continue;
				}
				if (*q == '"')
					in_str = true;
				else if (*q == '(')
					depth++;
				else if (*q == ')' && --depth == 0)
					break;
			}
		}
	}
	return bad;
}

static void templates_are_quoted(void **state)
{
	(void)state;
	static const char *const files[] = {
		"fixes.c",	  "fixes_login.c", "fixes_mysql.c",
		"fixes_pg.c",	  "fixes_reach.c", "fixes_server.c",
		"fixes_socket.c", "fixes_split.c",
	};
	int calls = 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/../../src/fixes/%s",
			 DBL_FIXTURES, files[i]);
		FILE *fp = fopen(path, "r");
		if (!fp)
			fail_msg("cannot open '%s'", path);
		static char text[1 << 20];
		size_t n = fread(text, 1, sizeof(text) - 1, fp);
		fclose(fp);
		text[n] = '\0';
		assert_int_equal(check_templates(files[i], text, &calls), 0);
	}
	/* The check saw the calls (a renamed writer would make it vacuous). */
	assert_true(calls > 60);
	/* And it fails on a template that takes a raw value. */
	int c = 0;
	assert_int_equal(check_templates("sample",
					 "dbl_fix_cmd(w, \"echo %q %s\", a, "
					 "f(b));\ndbl_fix_sql(w, "
					 "\"GRANT %.*s\", 1, c);",
					 &c),
			 2);
	assert_int_equal(c, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shell),
		cmocka_unit_test(pg),
		cmocka_unit_test(mysql),
		cmocka_unit_test(conf),
		cmocka_unit_test(formatter),
		cmocka_unit_test(long_values),
		cmocka_unit_test(templates_are_quoted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
