/* PostgreSQL greeting messages: building SSLRequest and StartupMessage,
 * parsing what a real PostgreSQL 15 answered (tests/fixtures/wire). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "probes/wire_pg.h"
#include "test_support.h"

static void init_greeting(struct dbl_pg_greeting *g)
{
	memset(g, 0, sizeof(*g));
	g->auth_request = DBL_PG_AUTH_NONE;
}

static void test_build(void **state)
{
	uint8_t ssl[DBL_PG_SSLREQUEST_LEN], out[256], tiny[20];
	static const uint8_t want_ssl[] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f};
	int n;

	(void)state;
	dbl_pg_build_ssl_request(ssl);
	assert_memory_equal(ssl, want_ssl, sizeof(want_ssl));
	n = dbl_pg_build_startup(out, sizeof(out), "app", "appdb", "dbloop");
	assert_int_equal(n, 8 + 5 + 4 + 9 + 6 + 17 + 7 + 1);
	assert_int_equal(out[3], n);
	assert_int_equal(out[5], 3); /* protocol 3.0 */
	assert_memory_equal(out + 8, "user\0app\0database\0appdb\0", 24);
	assert_int_equal(out[n - 1], 0);
	n = dbl_pg_build_startup(out, sizeof(out), "app", NULL, NULL);
	assert_int_equal(n, 8 + 5 + 4 + 1);
	assert_int_equal(
		dbl_pg_build_startup(tiny, sizeof(tiny), "app", "appdb", NULL),
		-DBL_EINVAL);
}

static void test_auth_requests(void **state)
{
	uint8_t buf[1024];
	struct dbl_pg_greeting g;
	size_t n;

	(void)state;
	init_greeting(&g);
	n = fixture_bytes("wire/pg15_auth_sasl.bin", buf, sizeof(buf));
	assert_int_equal(dbl_pg_parse_message(buf, n, &g), DBL_PG_MSG_AUTH);
	assert_int_equal(g.auth_request, DBL_PG_AUTH_SASL);
	assert_string_equal(g.sasl_mechanisms, "SCRAM-SHA-256");

	init_greeting(&g);
	n = fixture_bytes("wire/pg15_auth_ok.bin", buf, sizeof(buf));
	assert_int_equal(dbl_pg_parse_message(buf, n, &g), DBL_PG_MSG_AUTH);
	assert_int_equal(g.auth_request, DBL_PG_AUTH_OK);

	/* trust login into a missing database: Ok first, then 3D000 */
	init_greeting(&g);
	n = fixture_bytes("wire/pg15_auth_ok_then_3D000.bin", buf, sizeof(buf));
	assert_int_equal(dbl_pg_parse_message(buf, n, &g), DBL_PG_MSG_AUTH);
	assert_int_equal(dbl_pg_parse_message(buf + 9, n - 9, &g),
			 DBL_PG_MSG_ERROR);
	assert_string_equal(g.sqlstate, "3D000");
	assert_string_equal(g.message, "database \"nosuchdb\" does not exist");
}

static void test_errors(void **state)
{
	static const struct {
		const char *file, *sqlstate, *message, *detail;
	} cases[] = {
		{"wire/pg15_error_28P01.bin", "28P01",
		 "password authentication failed for user \"pwuser\"", ""},
		{"wire/pg15_error_28000_no_hba_entry.bin", "28000",
		 "no pg_hba.conf entry for host \"127.0.0.1\", user \"app\", "
		 "database \"otherdb\", no encryption",
		 ""},
		{"wire/pg15_error_53300.bin", "53300",
		 "sorry, too many clients already", ""},
		{"wire/pg15_error_57P03.bin", "57P03",
		 "the database system is not accepting connections",
		 "Hot standby mode is disabled."},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[1024];
		struct dbl_pg_greeting g;
		size_t n = fixture_bytes(cases[i].file, buf, sizeof(buf));
		init_greeting(&g);
		assert_int_equal(dbl_pg_parse_message(buf, n, &g),
				 DBL_PG_MSG_ERROR);
		assert_string_equal(g.severity, "FATAL");
		assert_string_equal(g.sqlstate, cases[i].sqlstate);
		assert_string_equal(g.message, cases[i].message);
		assert_string_equal(g.detail, cases[i].detail);
	}
}

/* Every prefix is "need more", never a parse past the end. */
static void test_truncated(void **state)
{
	static const char *const files[] = {"wire/pg15_auth_sasl.bin",
					    "wire/pg15_error_57P03.bin"};

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		uint8_t buf[1024];
		size_t n = fixture_bytes(files[f], buf, sizeof(buf));
		for (size_t k = 0; k < n; k++) {
			struct dbl_pg_greeting g;
			uint8_t *copy = malloc(k ? k : 1);
			init_greeting(&g);
			memcpy(copy, buf, k);
			assert_int_equal(dbl_pg_parse_message(copy, k, &g), 0);
			free(copy);
		}
	}
}

/* Bodies framed as complete but cut short inside a field. */
static void test_malformed(void **state)
{
	uint8_t buf[1024];
	struct dbl_pg_greeting g;
	size_t n = fixture_bytes("wire/pg15_error_57P03.bin", buf, sizeof(buf));

	(void)state;
	init_greeting(&g);
	for (size_t k = 0; k + 1 < n - 5; k++)
		assert_int_equal(dbl_pg_parse_error(buf + 5, k, &g),
				 -DBL_EINVAL);
	n = fixture_bytes("wire/pg15_auth_sasl.bin", buf, sizeof(buf));
	for (size_t k = 0; k + 1 < n - 5; k++) {
		int rc = dbl_pg_parse_auth(buf + 5, k, &g);
		assert_int_equal(rc, -DBL_EINVAL);
	}
	/* an auth body of 3 bytes, a message length below 4 */
	assert_int_equal(dbl_pg_parse_auth(buf + 5, 3, &g), -DBL_EINVAL);
	static const uint8_t bad_len[] = {'R', 0, 0, 0, 3, 0, 0, 0, 0};
	assert_int_equal(dbl_pg_parse_message(bad_len, sizeof(bad_len), &g),
			 -DBL_EINVAL);
}

static void test_oversized(void **state)
{
	/* 4 GB - 1 and 16 MB claimed: refused from the header. */
	static const uint8_t huge[] = {'E', 0xff, 0xff, 0xff, 0xff, 'S'};
	static const uint8_t big[] = {'E', 0x01, 0x00, 0x00, 0x00, 'S'};
	struct dbl_pg_greeting g;
	char type;

	(void)state;
	init_greeting(&g);
	assert_int_equal(dbl_pg_parse_message(huge, sizeof(huge), &g),
			 -DBL_EINVAL);
	assert_int_equal(dbl_pg_parse_message(big, sizeof(big), &g),
			 -DBL_EINVAL);
	assert_int_equal(
		dbl_pg_parse_header(huge, sizeof(huge), &type, 1u << 30),
		-DBL_EINVAL);
	/* another protocol's first byte is refused at once */
	assert_int_equal(dbl_pg_parse_message((const uint8_t *)"d", 1, &g),
			 -DBL_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_auth_requests),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_oversized),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
