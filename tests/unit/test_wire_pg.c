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

/* The SCRAM first round: the client-first dbloop sends, and a
 * server-first message as PostgreSQL 15 sent it in the lab
 * (pg_second_instance): "r=<client nonce><server nonce>,s=SALT,i=4096". */
static void test_scram_first(void **state)
{
	uint8_t out[256], body[160];
	struct dbl_pg_greeting g;
	static const char first[] = "n,,n=,r=abcDEF123";
	static const char server[] =
		"r=abcDEF123XyZ0q7mK9fP2sT4vW8bN1cD3eF,s=YzHpGd0YE5qi/"
		"evafHk/IA==,i=4096";
	int n;

	(void)state;
	n = dbl_pg_build_sasl_initial(out, sizeof(out), "abcDEF123");
	assert_int_equal(n, 1 + 4 + 14 + 4 + (int)strlen(first));
	assert_int_equal(out[0], 'p');
	assert_int_equal(out[4], n - 1);
	assert_memory_equal(out + 5, "SCRAM-SHA-256\0", 14);
	assert_int_equal(out[22], (int)strlen(first));
	assert_memory_equal(out + 23, first, strlen(first));
	assert_int_equal(dbl_pg_build_sasl_initial(out, 20, "abcDEF123"),
			 -DBL_EINVAL);
	assert_int_equal(dbl_pg_build_sasl_initial(out, sizeof(out), "a,b"),
			 -DBL_EINVAL);

	init_greeting(&g);
	memcpy(body, "\0\0\0\x0b", 4);
	memcpy(body + 4, server, strlen(server));
	assert_int_equal(
		dbl_pg_parse_sasl_continue(body, 4 + strlen(server), &g), 0);
	assert_string_equal(g.scram_salt, "YzHpGd0YE5qi/evafHk/IA==");
	assert_int_equal(g.scram_iterations, 4096);

	/* Not a SASLContinue, no salt, a salt that is not base64, an
	 * iteration count that is not a number: refused, nothing kept. */
	init_greeting(&g);
	memcpy(body, "\0\0\0\x0c", 4);
	assert_int_equal(
		dbl_pg_parse_sasl_continue(body, 4 + strlen(server), &g),
		-DBL_EINVAL);
	static const char *const bad[] = {"r=x,i=4096", "r=x,s=a'b,i=1",
					  "r=x,s=abc,i=4x", "r=x,s=,i=1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(body, "\0\0\0\x0b", 4);
		memcpy(body + 4, bad[i], strlen(bad[i]));
		assert_int_equal(dbl_pg_parse_sasl_continue(
					 body, 4 + strlen(bad[i]), &g),
				 -DBL_EINVAL);
		assert_string_equal(g.scram_salt, "");
	}
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

/* The method a login met, from libpq 15's own trace of it
 * (tests/fixtures/pgtrace). */
static int trace_auth(const char *rel, long pw_len)
{
	size_t n = 0;
	char *t = slurp(fixture_path(rel), &n);
	assert_non_null(t);
	int a = dbl_pg_auth_from_trace(t, n, pw_len);
	free(t);
	return a;
}

static void test_auth_from_trace(void **state)
{
	(void)state;
	assert_int_equal(trace_auth("pgtrace/scram.txt", 6), DBL_PG_AUTH_SASL);
	assert_int_equal(trace_auth("pgtrace/scram_timestamps.txt", -1),
			 DBL_PG_AUTH_SASL);
	assert_int_equal(trace_auth("pgtrace/md5.txt", 6), DBL_PG_AUTH_MD5);
	assert_int_equal(trace_auth("pgtrace/password.txt", 1),
			 DBL_PG_AUTH_CLEARTEXT);
	assert_int_equal(trace_auth("pgtrace/trust.txt", 1), DBL_PG_AUTH_NONE);
	/* 40 bytes is also a cleartext password of 35 characters, or of a
	 * length not known (libpq read it from .pgpass) */
	assert_int_equal(trace_auth("pgtrace/md5.txt", 35), DBL_PG_AUTH_NONE);
	assert_int_equal(trace_auth("pgtrace/md5.txt", -1), DBL_PG_AUTH_NONE);
	/* a password message after the first backend line is not the login's;
	 * other shapes and partial lines prove nothing */
	static const char late[] = "F\t41\tUnknown message: length is 41\n"
				   "B\t5\tReadyForQuery\t I\n"
				   "F\t54\tUnknown message: 70\n"
				   "F\t108\tUnknown message: 70\n";
	assert_int_equal(dbl_pg_auth_from_trace(late, sizeof(late) - 1, 6),
			 DBL_PG_AUTH_NONE);
	static const char odd[] = "F\t\tUnknown message: 70\n"
				  "F\t12x\tUnknown message: 70\n"
				  "X\tY\tF\t54\tUnknown message: 70\n"
				  "F\t54\tUnknown message: 700\n"
				  "F\t54\tUnknown message: 7";
	assert_int_equal(dbl_pg_auth_from_trace(odd, sizeof(odd) - 1, 6),
			 DBL_PG_AUTH_NONE);
	assert_int_equal(dbl_pg_auth_from_trace(NULL, 0, 6), DBL_PG_AUTH_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_auth_requests),
		cmocka_unit_test(test_scram_first),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_auth_from_trace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
