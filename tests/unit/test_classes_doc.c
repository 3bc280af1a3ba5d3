/* docs/classes.md and the DBL_CLASS_MAP list must name the same classes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbloop/common.h"

static char *read_file(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/../../docs/%s", DBL_FIXTURES, name);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	static char buf[262144];
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return buf;
}

static void every_class_is_documented(void **state)
{
	(void)state;
	const char *doc = read_file("classes.md");
	for (int c = 0; c < DBL_CLASS__COUNT; c++) {
		char cell[64];
		snprintf(cell, sizeof(cell), "| `%s` |",
			 dbl_class_name((enum dbl_class)c));
		if (!strstr(doc, cell))
			fail_msg("class %s is not in docs/classes.md",
				 dbl_class_name((enum dbl_class)c));
	}
}

static void every_documented_class_exists(void **state)
{
	(void)state;
	const char *p = read_file("classes.md");
	int rows = 0;
	while ((p = strstr(p, "\n| `")) != NULL) {
		p += 4;
		const char *end = strchr(p, '`');
		assert_non_null(end);
		char name[64] = {0};
		assert_true((size_t)(end - p) < sizeof(name));
		memcpy(name, p, (size_t)(end - p));
		enum dbl_class c;
		if (dbl_class_parse(name, &c) != 0)
			fail_msg("docs/classes.md names unknown class %s",
				 name);
		rows++;
	}
	assert_int_equal(rows, DBL_CLASS__COUNT);
}

/* The JSON schema's enum of class ids is a copy; keep it complete. */
static void schema_lists_every_class(void **state)
{
	(void)state;
	const char *schema = read_file("report.schema.json");
	for (int c = 0; c < DBL_CLASS__COUNT; c++) {
		char quoted[64];
		snprintf(quoted, sizeof(quoted), "\"%s\"",
			 dbl_class_name((enum dbl_class)c));
		if (!strstr(schema, quoted))
			fail_msg("class %s is not in docs/report.schema.json",
				 dbl_class_name((enum dbl_class)c));
	}
}

static void names_round_trip(void **state)
{
	(void)state;
	for (int c = 0; c < DBL_CLASS__COUNT; c++) {
		enum dbl_class back;
		assert_int_equal(
			dbl_class_parse(dbl_class_name((enum dbl_class)c),
					&back),
			0);
		assert_int_equal((int)back, c);
	}
	enum dbl_class dummy;
	assert_int_not_equal(dbl_class_parse("no_such_class", &dummy), 0);
	assert_string_equal(dbl_errno_name(111), "ECONNREFUSED");
	assert_int_equal(dbl_errno_from_name("EADDRNOTAVAIL"), 99);
	assert_null(dbl_errno_name(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_class_is_documented),
		cmocka_unit_test(every_documented_class_exists),
		cmocka_unit_test(schema_lists_every_class),
		cmocka_unit_test(names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
