/* MySQL greeting parsers and the protocol sniff, on bytes captured from a
 * real MariaDB 10.11 (tests/fixtures/wire/README.md) and on damaged
 * copies of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "probes/wire_mysql.h"
#include "test_support.h"

static void test_handshake(void **state)
{
	uint8_t buf[512];
	struct dbl_mysql_greeting g = {0};
	size_t n = fixture_bytes("wire/mariadb1011_handshake.bin", buf,
				 sizeof(buf));

	(void)state;
	assert_int_equal(dbl_mysql_parse_greeting(buf, n, &g, NULL), 10);
	assert_true(g.seen);
	assert_int_equal(g.protocol_version, 10);
	assert_string_equal(g.server_version, "10.11.19-MariaDB-0+deb12u1");
	assert_string_equal(g.auth_plugin, "mysql_native_password");
	assert_false(g.tls_offered);
	assert_true(g.connection_id > 0);
	assert_int_equal(dbl_wire_sniff(buf, n), DBL_PROTO_MYSQL);
}

static void test_handshake_tls(void **state)
{
	uint8_t buf[512];
	struct dbl_mysql_greeting g = {0};
	size_t n = fixture_bytes("wire/mariadb1011_handshake_tls.bin", buf,
				 sizeof(buf));

	(void)state;
	assert_int_equal(dbl_mysql_parse_greeting(buf, n, &g, NULL), 10);
	assert_true(g.tls_offered);
}

static void test_error_packets(void **state)
{
	static const struct {
		const char *file;
		int code;
		const char *text;
	} cases[] = {
		{"wire/mariadb1011_error_1130.bin", 1130,
		 "Host '127.0.0.1' is not allowed"},
		{"wire/mariadb1011_error_1130_v6.bin", 1130,
		 "Host '::1' is not"},
		{"wire/mariadb1011_error_1040.bin", 1040,
		 "Too many connections"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[512];
		struct dbl_mysql_greeting g = {0};
		char sqlstate[6] = "";
		size_t n = fixture_bytes(cases[i].file, buf, sizeof(buf));
		assert_int_equal(dbl_mysql_parse_greeting(buf, n, &g, sqlstate),
				 0xff);
		assert_int_equal(g.error_code, cases[i].code);
		assert_non_null(strstr(g.error_message, cases[i].text));
		assert_false(g.seen);
	}
}

/* Every prefix of a real handshake is incomplete, never an error, and
 * never reads past its end (run under ASan/valgrind). */
static void test_truncated(void **state)
{
	uint8_t buf[512];
	size_t n = fixture_bytes("wire/mariadb1011_handshake.bin", buf,
				 sizeof(buf));

	(void)state;
	for (size_t k = 0; k < n; k++) {
		struct dbl_mysql_greeting g = {0};
		uint8_t *copy = malloc(k ? k : 1);
		memcpy(copy, buf, k);
		assert_int_equal(dbl_mysql_parse_greeting(copy, k, &g, NULL),
				 0);
		free(copy);
	}
}

/* A payload cut short but framed as complete is refused, not read past,
 * at every length up to the end of the mandatory part (49 bytes here:
 * protocol, a 32-byte version + NUL, id, scramble, filler, flags). */
static void test_short_payloads(void **state)
{
	uint8_t buf[512];
	size_t n = fixture_bytes("wire/mariadb1011_handshake.bin", buf,
				 sizeof(buf));
	const size_t mandatory = 1 + 33 + 4 + 9 + 2;

	(void)state;
	assert_int_equal(n, 104);
	for (size_t k = 1; k < n - 4; k++) {
		struct dbl_mysql_greeting g = {0};
		uint8_t *copy = malloc(k);
		memcpy(copy, buf + 4, k);
		int rc = dbl_mysql_parse_handshake(copy, k, &g);
		if (k < mandatory)
			assert_int_equal(rc, -DBL_EINVAL);
		else if (k == mandatory)
			assert_int_equal(rc, 0);
		else if (k < mandatory + 16 + 13)
			assert_int_equal(rc, -DBL_EINVAL);
		free(copy);
	}
}

static void test_oversized(void **state)
{
	/* Claims 16 MB - 1: refused from the header alone. */
	static const uint8_t big[] = {0xff, 0xff, 0xff, 0x00, 0x0a, '5', '.'};
	/* Claims 4097 bytes: just over what a greeting may be. */
	static const uint8_t over[] = {0x01, 0x10, 0x00, 0x00, 0x0a, '5'};
	struct dbl_mysql_greeting g = {0};

	(void)state;
	assert_int_equal(dbl_mysql_parse_greeting(big, sizeof(big), &g, NULL),
			 -DBL_EINVAL);
	assert_int_equal(dbl_mysql_parse_greeting(over, sizeof(over), &g, NULL),
			 -DBL_EINVAL);
	assert_false(g.seen);
}

static void test_not_mysql(void **state)
{
	static const uint8_t seq1[] = {0x05, 0, 0, 0x01, 0x0a, 'x'};
	static const uint8_t err_short[] = {0x02, 0, 0, 0, 0xff, 0x6a};
	struct dbl_mysql_greeting g = {0};

	(void)state;
	assert_int_equal(dbl_mysql_parse_greeting(seq1, sizeof(seq1), &g, NULL),
			 -DBL_EINVAL);
	assert_int_equal(dbl_mysql_parse_greeting(err_short, sizeof(err_short),
						  &g, NULL),
			 -DBL_EINVAL);
	assert_int_equal(dbl_mysql_parse_greeting((const uint8_t *)"HTTP/1.1",
						  8, &g, NULL),
			 -DBL_EINVAL);
}

static void test_sniff(void **state)
{
	uint8_t buf[512] = {0};
	size_t n;

	(void)state;
	assert_int_equal(dbl_wire_sniff(buf, 0), DBL_PROTO_CLOSED);
	assert_int_equal(dbl_wire_sniff((const uint8_t *)"S", 1),
			 DBL_PROTO_POSTGRES);
	assert_int_equal(dbl_wire_sniff((const uint8_t *)"N", 1),
			 DBL_PROTO_POSTGRES);
	assert_int_equal(dbl_wire_sniff((const uint8_t *)"HTTP/1.1 400", 12),
			 DBL_PROTO_HTTP);
	assert_int_equal(dbl_wire_sniff((const uint8_t *)"\x16\x03\x01", 3),
			 DBL_PROTO_TLS);
	assert_int_equal(dbl_wire_sniff((const uint8_t *)"\x15\x03\x03", 3),
			 DBL_PROTO_TLS);
	assert_int_equal(dbl_wire_sniff((const uint8_t *)"SSH-2.0-x", 9),
			 DBL_PROTO_UNKNOWN);
	n = fixture_bytes("wire/pg15_error_57P03.bin", buf, sizeof(buf));
	assert_int_equal(dbl_wire_sniff(buf, n), DBL_PROTO_POSTGRES);
	n = fixture_bytes("wire/pg15_auth_sasl.bin", buf, sizeof(buf));
	assert_int_equal(dbl_wire_sniff(buf, n), DBL_PROTO_POSTGRES);
	n = fixture_bytes("wire/mariadb1011_error_1040.bin", buf, sizeof(buf));
	assert_int_equal(dbl_wire_sniff(buf, n), DBL_PROTO_MYSQL);
}

/* The 1130 inside the 2002 libmariadb reports for an error packet met
 * before TLS (captured), and the shapes around it. */
static void test_wrapped_error(void **state)
{
	uint8_t buf[1024];
	size_t n = fixture_bytes("wire/mariadb1011_client_2002_tls_1130.txt",
				 buf, sizeof(buf) - 1);
	char msg[1100];

	(void)state;
	buf[n] = '\0';
	assert_int_equal(dbl_mysql_wrapped_error((const char *)buf), 1130);
	/* the same wrap around another server error */
	snprintf(msg, sizeof(msg), "%s", (const char *)buf);
	memcpy(strstr(msg, "1130"), "1040", 4);
	assert_int_equal(dbl_mysql_wrapped_error(msg), 1040);
	assert_int_equal(dbl_mysql_wrapped_error("1045 - Access denied"), 1045);
	/* no server code: plain client errors, dashes elsewhere */
	assert_int_equal(
		dbl_mysql_wrapped_error(
			"Can't connect to server on '127.0.0.1' (111)"),
		0);
	assert_int_equal(dbl_mysql_wrapped_error("TLS/SSL error - bad"), 0);
	assert_int_equal(dbl_mysql_wrapped_error(" - 1130"), 0);
	assert_int_equal(dbl_mysql_wrapped_error(""), 0);
	assert_int_equal(dbl_mysql_wrapped_error(NULL), 0);
	/* not exactly four digits, or glued to a word */
	assert_int_equal(dbl_mysql_wrapped_error("verified: 113 - Host"), 0);
	assert_int_equal(dbl_mysql_wrapped_error("verified: 11300 - Host"), 0);
	assert_int_equal(dbl_mysql_wrapped_error("verified:1130 - Host"), 0);
	assert_int_equal(dbl_mysql_wrapped_error("port 99999 - x; 1130 - y"),
			 1130);
}

static void test_trailing_errno(void **state)
{
	(void)state;
	assert_int_equal(
		dbl_mysql_trailing_errno(
			"Can't connect to server on '127.0.0.1' (111)"),
		111);
	assert_int_equal(dbl_mysql_trailing_errno(
				 "Can't connect to local server through socket "
				 "'/x (y)/mysqld.sock' (2)"),
			 2);
	assert_int_equal(dbl_mysql_trailing_errno("(111) at the start"), 0);
	assert_int_equal(dbl_mysql_trailing_errno("x (0)"), 0);
	assert_int_equal(dbl_mysql_trailing_errno("x (4096)"), 0);
	assert_int_equal(dbl_mysql_trailing_errno("x (99999999999999999999)"),
			 0);
	assert_int_equal(dbl_mysql_trailing_errno("x (-5)"), 0);
	assert_int_equal(dbl_mysql_trailing_errno("x ()"), 0);
	assert_int_equal(dbl_mysql_trailing_errno("x (11"), 0);
	assert_int_equal(dbl_mysql_trailing_errno(""), 0);
	assert_int_equal(dbl_mysql_trailing_errno(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_handshake_tls),
		cmocka_unit_test(test_error_packets),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_short_payloads),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_not_mysql),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_wrapped_error),
		cmocka_unit_test(test_trailing_errno),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
