/* The option parser of diagnose and wait (src/cli.c): every option, every
 * bad value, conflicts, "--", and the scrubbing of passwords from argv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"

#define MAX_ARGS 32

/* argv with writable copies, as the kernel gives them. */
struct args {
	char *v[MAX_ARGS + 1];
	int n;
};

static void args_release(struct args *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	a->n = 0;
}

static struct dbl_cli cli;
static struct args av;
static char err[512];

static int parse_v(enum dbl_cli_cmd cmd, const char *const *list)
{
	dbl_cli_release(&cli);
	args_release(&av);
	av.v[av.n++] = strdup(cmd == DBL_CLI_WAIT ? "wait" : "diagnose");
	for (; *list && av.n < MAX_ARGS; list++)
		av.v[av.n++] = strdup(*list);
	av.v[av.n] = NULL;
	return dbl_cli_parse(&cli, cmd, av.n, av.v, err, sizeof(err));
}

#define DIAG(...)                                                              \
	parse_v(DBL_CLI_DIAGNOSE, (const char *const[]){__VA_ARGS__, NULL})
#define WAIT(...)                                                              \
	parse_v(DBL_CLI_WAIT, (const char *const[]){__VA_ARGS__, NULL})
#define DIAG0() parse_v(DBL_CLI_DIAGNOSE, (const char *const[]){NULL})
#define WAIT0() parse_v(DBL_CLI_WAIT, (const char *const[]){NULL})

/* The arguments parse, leaving option field of cli.o equal to want. */
#define assert_diag(field, want, ...)                                          \
	do {                                                                   \
		assert_int_equal(DIAG(__VA_ARGS__), 0);                        \
		assert_int_equal(cli.o.field, (want));                         \
	} while (0)
#define assert_wait(field, want, ...)                                          \
	do {                                                                   \
		assert_int_equal(WAIT(__VA_ARGS__), 0);                        \
		assert_int_equal(cli.o.field, (want));                         \
	} while (0)

/* A usage error whose one-line message contains needle. */
#define assert_usage(rc, needle)                                               \
	do {                                                                   \
		assert_int_equal((rc), -DBL_EUSAGE);                           \
		assert_non_null(strstr(err, (needle)));                        \
		assert_null(strchr(err, '\n'));                                \
	} while (0)

#define TBIT(t) DBL_TRANSPORT_BIT(DBL_TRANSPORT_##t)

static int teardown(void **state)
{
	(void)state;
	dbl_cli_release(&cli);
	args_release(&av);
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(DIAG0(), 0);
	const struct dbl_options *o = &cli.o;
	assert_int_equal(o->engines, 0);
	assert_int_equal(o->require, DBL_REQUIRE_ALL);
	assert_int_equal(o->format, DBL_FORMAT_TEXT);
	assert_int_equal(o->timeout_ms, 3000);
	assert_int_equal(o->max_stage, DBL_STAGE_QUERY);
	assert_int_equal(o->ssl_mode, DBL_SSL_PREFER);
	assert_int_equal(o->verbosity, 0);
	assert_int_equal(o->n_targets, 0);
	assert_int_equal(o->transports, 0);
	assert_null(o->exec_argv);
	assert_int_equal(WAIT0(), 0);
	assert_int_equal(cli.o.require, DBL_REQUIRE_ANY);
	assert_int_equal(cli.o.interval_ms, 1000);
	assert_int_equal(cli.o.wait_timeout_ms, 60000);
}

static void test_engine(void **state)
{
	(void)state;
	assert_diag(engines, 1u << DBL_ENGINE_POSTGRES, "-e", "postgres");
	assert_diag(engines, 1u << DBL_ENGINE_MYSQL, "--engine=mariadb");
	assert_diag(engines, 0, "--engine", "pg,mysql");
	assert_diag(engines, 0, "-e", "all");
	assert_usage(DIAG("-e", "oracle"), "--engine");
	assert_usage(DIAG("-e", "postgres,"), "--engine");
	assert_usage(DIAG("-e", ""), "non-empty");
}

/* A readable regular file standing in for a certificate. */
static const char *tls_file(void)
{
	static char path[] = "/tmp/dbl-cli-tls-XXXXXX";
	static bool made;
	if (!made) {
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		close(fd);
		made = true;
	}
	return path;
}

/* Issue 8, F8: a TLS file that is missing, a directory or unreadable is a
 * usage error naming option and file, not a failed probe. */
static void test_tls_files_checked(void **state)
{
	(void)state;
	assert_usage(
		DIAG("--ssl-ca", "/nonexistent/ca.pem"),
		"cannot read --ssl-ca '/nonexistent/ca.pem': No such file");
	assert_usage(DIAG("--ssl-cert", "/tmp"),
		     "cannot read --ssl-cert '/tmp': is a directory");
	assert_usage(DIAG("--ssl-key", "/dev/null"), "not a regular file");
	assert_int_equal(DIAG("--ssl-key", tls_file()), 0);
	unlink(tls_file());
}

/* Issue 8, F4: what the user typed is quoted escaped, so the usage error
 * stays one line. */
static void test_error_one_line(void **state)
{
	(void)state;
	assert_usage(DIAG("-P", "1\n2"), "'1\\n2'");
	assert_usage(DIAG("x\ny\r"), "'x\\ny\\r'");
	assert_usage(DIAG("host=a password=secret x://y"),
		     "unsupported URL scheme 'host=a  x'");
}

static void test_strings(void **state)
{
	(void)state;
	assert_int_equal(DIAG("-H", "db", "-S", "/tmp/s", "-u", "app", "-d",
			      "appdb", "--password-env", "PW",
			      "--password-file", "/pw", "--ssl-ca", tls_file(),
			      "--ssl-cert", tls_file(), "--ssl-key", tls_file(),
			      "--defaults-file", "my.cnf",
			      "--defaults-extra-file", "x.cnf"),
			 0);
	const struct dbl_options *o = &cli.o;
	assert_string_equal(o->host, "db");
	assert_string_equal(o->socket, "/tmp/s");
	assert_string_equal(o->user, "app");
	assert_string_equal(o->database, "appdb");
	assert_string_equal(o->password_env, "PW");
	assert_string_equal(o->password_file, "/pw");
	assert_string_equal(o->ssl_ca, tls_file());
	assert_string_equal(o->ssl_cert, tls_file());
	assert_string_equal(o->ssl_key, tls_file());
	assert_string_equal(o->defaults_file, "my.cnf");
	assert_string_equal(o->defaults_extra_file, "x.cnf");
	assert_usage(DIAG("-u", ""), "'--user' needs a non-empty value");
	assert_usage(DIAG("--host="), "'--host' needs a non-empty value");
	assert_usage(DIAG("--password-env", ""), "--password-env");
	assert_usage(DIAG("-o", ""), "--output");
}

static void test_port(void **state)
{
	(void)state;
	assert_diag(port, 5433, "-P", "5433");
	assert_diag(port, 65535, "--port=65535");
	assert_usage(DIAG("-P", "0"), "invalid value '0' for '--port'");
	assert_usage(DIAG("-P", "65536"), "--port");
	assert_usage(DIAG("-P", "54a"), "--port");
	assert_usage(DIAG("-P", "-1"), "--port");
	assert_usage(DIAG("-P"), "'--port' needs a value");
}

static void test_durations(void **state)
{
	(void)state;
	assert_diag(timeout_ms, 500, "-t", "500ms");
	assert_true(cli.o.timeout_set);
	assert_diag(timeout_ms, 2000, "--timeout", "2");
	assert_diag(timeout_ms, 60000, "-t", "1m");
	assert_usage(DIAG("-t", "0"), "--timeout");
	assert_usage(DIAG("-t", "-3s"), "--timeout");
	assert_usage(DIAG("-t", "3h"), "--timeout");
	assert_usage(DIAG("-t", "s"), "--timeout");
	assert_int_equal(WAIT("--interval", "250ms", "--wait-timeout", "2m"),
			 0);
	assert_int_equal(cli.o.interval_ms, 250);
	assert_int_equal(cli.o.wait_timeout_ms, 120000);
	assert_usage(WAIT("--interval", "0ms"), "--interval");
	assert_usage(WAIT("--wait-timeout", "soon"), "--wait-timeout");
	assert_usage(DIAG("--interval", "1s"), "'dbloop wait' only");
	assert_usage(DIAG("--wait-timeout", "1s"), "'--wait-timeout'");
}

static void test_enums(void **state)
{
	(void)state;
	assert_diag(ssl_mode, DBL_SSL_VERIFY_FULL, "--ssl-mode", "verify-full");
	assert_true(cli.o.ssl_mode_set);
	assert_usage(DIAG("--ssl-mode", "required"), "--ssl-mode");
	assert_diag(max_stage, DBL_STAGE_GREET, "--stage", "greet");
	assert_diag(max_stage, DBL_STAGE_CONNECT, "--stage=connect");
	assert_usage(DIAG("--stage", "resolve"), "--stage");
	assert_usage(DIAG("--stage", "login"), "--stage");
	assert_diag(color, DBL_COLOR_NEVER, "--color", "never");
	assert_diag(color, DBL_COLOR_ALWAYS, "--color=always");
	assert_usage(DIAG("--color", "yes"), "--color");
}

static void test_transports(void **state)
{
	(void)state;
	assert_diag(transports, TBIT(UNIX) | TBIT(TCP6), "--transports",
		    "unix,tcp6");
	assert_diag(transports, TBIT(TCP4), "-4");
	assert_diag(transports, TBIT(TCP4) | TBIT(TCP6), "-4", "-6");
	assert_diag(transports, TBIT(TCP4) | TBIT(TCP6), "-64");
	assert_diag(transports, TBIT(HOST) | TBIT(TCP4), "--transports", "host",
		    "-4");
	assert_usage(DIAG("--transports", "unix,,tcp4"), "--transports");
	assert_usage(DIAG("--transports", "udp"), "--transports");
	assert_usage(DIAG("--transports", ""), "--transports");
}

static void test_require(void **state)
{
	(void)state;
	assert_diag(require, DBL_REQUIRE_ANY, "--require", "any");
	assert_wait(require, DBL_REQUIRE_ALL, "--require", "all");
	assert_diag(require, DBL_REQUIRE_LIST, "--require", "tcp4,unix");
	assert_int_equal(cli.o.require_mask, TBIT(TCP4) | TBIT(UNIX));
	assert_usage(DIAG("--require", "some"), "--require");
	assert_usage(DIAG("--require", "tcp4,"), "--require");
	assert_usage(DIAG("--require", "unix", "-4"), "--require");
	assert_int_equal(DIAG("--require", "tcp4", "-4", "-6"), 0);
}

static void test_format(void **state)
{
	(void)state;
	assert_diag(format, DBL_FORMAT_JSON, "-f", "json");
	assert_diag(format, DBL_FORMAT_MARKDOWN, "--format", "markdown");
	assert_diag(format, DBL_FORMAT_JUNIT, "-f", "junit");
	assert_usage(DIAG("-f", "yaml"), "--format");
	assert_diag(format, DBL_FORMAT_JSON, "-o", "out/report.json");
	assert_string_equal(cli.o.output, "out/report.json");
	assert_diag(format, DBL_FORMAT_MARKDOWN, "-o", "r.md");
	assert_diag(format, DBL_FORMAT_JUNIT, "-o", "junit.xml");
	assert_diag(format, DBL_FORMAT_TEXT, "-o", "report.txt");
	assert_diag(format, DBL_FORMAT_TEXT, "-o", "dir.json/report");
	/* an explicit -f wins over the extension, in either order */
	assert_diag(format, DBL_FORMAT_TEXT, "-o", "r.json", "-f", "text");
	assert_diag(format, DBL_FORMAT_JUNIT, "-f", "junit", "-o", "r.json");
	assert_diag(format, DBL_FORMAT_TEXT, "-o", "-");
}

static void test_flags_and_conflicts(void **state)
{
	(void)state;
	assert_int_equal(DIAG("-W", "--redact", "--no-defaults"), 0);
	assert_true(cli.o.password_prompt);
	assert_true(cli.o.redact);
	assert_true(cli.o.no_defaults);
	assert_diag(verbosity, -1, "-q");
	assert_diag(verbosity, 2, "-v", "--verbose");
	assert_diag(verbosity, 2, "-vv");
	assert_usage(DIAG("-q", "-v"), "'--quiet' and '--verbose'");
	assert_usage(DIAG("--no-defaults", "--defaults-file", "a.cnf"),
		     "--no-defaults");
	assert_usage(DIAG("--defaults-extra-file", "a.cnf", "--no-defaults"),
		     "--defaults-extra-file");
}

static void test_healthcheck(void **state)
{
	(void)state;
	assert_int_equal(DIAG("--healthcheck"), 0);
	assert_true(cli.healthcheck);
	assert_int_equal(cli.o.max_stage, DBL_STAGE_GREET);
	assert_int_equal(cli.o.require, DBL_REQUIRE_LIST);
	assert_int_equal(cli.o.require_mask, TBIT(TCP4));
	assert_int_equal(cli.o.verbosity, -1);
	/* what the user says explicitly wins */
	assert_int_equal(
		DIAG("--healthcheck", "--stage", "query", "--require", "unix"),
		0);
	assert_int_equal(cli.o.max_stage, DBL_STAGE_QUERY);
	assert_int_equal(cli.o.require_mask, TBIT(UNIX));
}

static void test_targets(void **state)
{
	(void)state;
	assert_int_equal(DIAG("postgres://app@localhost/db", "-t", "1s",
			      "mysql://root@localhost/?socket=/tmp/m.sock"),
			 0);
	assert_int_equal(cli.o.n_targets, 2);
	assert_string_equal(cli.o.targets[0], "postgres://app@localhost/db");
	assert_string_equal(cli.o.targets[1],
			    "mysql://root@localhost/?socket=/tmp/m.sock");
	assert_null(cli.o.targets[2]);
	assert_int_equal(cli.o.timeout_ms, 1000);
	assert_int_equal(DIAG("tcp://127.0.0.1:5432", "host=/tmp dbname=x",
			      "postgresql://h1,h2/db", "mariadb://x"),
			 0);
	assert_int_equal(cli.o.n_targets, 4);
	assert_usage(DIAG("http://localhost"), "unsupported URL scheme 'http'");
	assert_usage(DIAG("localhost"), "'localhost' is not a target");
	assert_usage(DIAG(""), "empty target");
	/* diagnose: after "--" come more targets */
	assert_int_equal(DIAG("-q", "--", "postgres://x", "-v"), -DBL_EUSAGE);
	assert_diag(n_targets, 1, "-q", "--", "postgres://x");
	assert_int_equal(cli.o.verbosity, -1);
}

static void test_wait_command(void **state)
{
	(void)state;
	assert_wait(n_targets, 1, "postgres://x", "--", "sh", "-c", "exit 3");
	assert_non_null(cli.o.exec_argv);
	assert_string_equal(cli.o.exec_argv[0], "sh");
	assert_string_equal(cli.o.exec_argv[1], "-c");
	assert_string_equal(cli.o.exec_argv[2], "exit 3");
	assert_null(cli.o.exec_argv[3]);
	/* options after "--" belong to the command */
	assert_wait(verbosity, -1, "-q", "--", "ls", "-v", "--port");
	assert_int_equal(cli.o.port, 0);
	assert_string_equal(cli.o.exec_argv[1], "-v");
	assert_usage(WAIT("postgres://x", "--"), "missing command after '--'");
	/* "--" as an option's value is not the separator */
	assert_int_equal(WAIT("-u", "--"), 0);
	assert_string_equal(cli.o.user, "--");
	assert_null(cli.o.exec_argv);
}

static void test_unknown_and_help(void **state)
{
	(void)state;
	assert_usage(DIAG("--bogus"), "unknown option '--bogus'");
	assert_usage(DIAG("--bogus=1"), "unknown option '--bogus'");
	assert_usage(DIAG("-x"), "unknown option '-x'");
	assert_usage(DIAG("-p", "secret"), "-P PORT");
	assert_usage(DIAG("--redact=yes"), "option '--redact' takes no value");
	assert_usage(DIAG("--quiet=1"), "option '--quiet' takes no value");
	assert_usage(DIAG("-P", "5", "-x"), "unknown option '-x'");
	assert_int_equal(DIAG("--help"), DBL_CLI_HELP);
	assert_int_equal(DIAG("-t", "1s", "-h"), DBL_CLI_HELP);
	assert_non_null(strstr(dbl_cli_usage(DBL_CLI_WAIT), "--wait-timeout"));
	assert_null(strstr(dbl_cli_usage(DBL_CLI_DIAGNOSE), "--wait-timeout"));
}

static void check_scrub(const char *in, const char *want, int found)
{
	char buf[256];
	strcpy(buf, in);
	assert_int_equal(dbl_cli_scrub_target(buf), found);
	assert_string_equal(buf, want);
}

static void test_scrub(void **state)
{
	(void)state;
	check_scrub("postgres://app:secret@localhost/db",
		    "postgres://app:******@localhost/db", 1);
	check_scrub("mysql://root:p@ss@127.0.0.1:3306/x",
		    "mysql://root:****@127.0.0.1:3306/x", 1);
	check_scrub("postgresql://u:pw@h1:5432,h2:5433/db?sslmode=require",
		    "postgresql://u:**@h1:5432,h2:5433/db?sslmode=require", 1);
	check_scrub("postgres://u@h/db?sslmode=disable&password=abc",
		    "postgres://u@h/db?sslmode=disable&password=***", 1);
	check_scrub("postgres://app@localhost/db",
		    "postgres://app@localhost/db", 0);
	check_scrub("postgres://localhost/db?user=a@b",
		    "postgres://localhost/db?user=a@b", 0);
	check_scrub("host=/tmp password=abc dbname=x",
		    "host=/tmp password=*** dbname=x", 1);
	check_scrub("password = 'a b\\'c' user=x", "password = ******** user=x",
		    1);
	check_scrub("host=x mypassword=y", "host=x mypassword=y", 0);
}

static void test_scrub_argv_keeps_copy(void **state)
{
	(void)state;
	assert_int_equal(DIAG("-q", "postgres://app:hunter2@localhost/db"), 0);
	assert_int_equal(dbl_cli_scrub_argv(&cli), 1);
	assert_string_equal(av.v[2], "postgres://app:*******@localhost/db");
	/* discovery still gets the password from the copy */
	assert_string_equal(cli.o.targets[0],
			    "postgres://app:hunter2@localhost/db");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_engine, teardown),
		cmocka_unit_test_teardown(test_strings, teardown),
		cmocka_unit_test_teardown(test_tls_files_checked, teardown),
		cmocka_unit_test_teardown(test_error_one_line, teardown),
		cmocka_unit_test_teardown(test_port, teardown),
		cmocka_unit_test_teardown(test_durations, teardown),
		cmocka_unit_test_teardown(test_enums, teardown),
		cmocka_unit_test_teardown(test_transports, teardown),
		cmocka_unit_test_teardown(test_require, teardown),
		cmocka_unit_test_teardown(test_format, teardown),
		cmocka_unit_test_teardown(test_flags_and_conflicts, teardown),
		cmocka_unit_test_teardown(test_healthcheck, teardown),
		cmocka_unit_test_teardown(test_targets, teardown),
		cmocka_unit_test_teardown(test_wait_command, teardown),
		cmocka_unit_test_teardown(test_unknown_and_help, teardown),
		cmocka_unit_test_teardown(test_scrub, teardown),
		cmocka_unit_test_teardown(test_scrub_argv_keeps_copy, teardown),
	};
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
