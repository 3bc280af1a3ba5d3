/* --redact: no user, database, host name or path of the sample reports
 * survives in any format, the placeholders are consistent across the
 * report, loopback names stay, and the redacted report is still a valid
 * report that renders the same after a JSON round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report_samples.h"

#define GOLDEN DBL_FIXTURES "/golden/"

static char *render(const struct dbl_report *rep, enum dbl_format f,
		    int verbosity)
{
	struct dbl_render_opts ro = {false, true, verbosity, 80};
	struct dbl_buf out = {0};
	assert_int_equal(dbl_report_render(rep, f, &ro, &out), 0);
	return dbl_buf_detach(&out);
}

/* Every rendering of rep, concatenated. */
static char *render_all(const struct dbl_report *rep)
{
	struct dbl_buf all = {0};
	static const enum dbl_format fs[] = {DBL_FORMAT_TEXT, DBL_FORMAT_JSON,
					     DBL_FORMAT_MARKDOWN,
					     DBL_FORMAT_JUNIT};
	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		char *s = render(rep, fs[i], 1);
		dbl_buf_puts(&all, s);
		free(s);
	}
	return dbl_buf_detach(&all);
}

static const char *const secrets[] = {
	"alice",       "/home",		  "report_user", "billing",
	"db.internal", "10.20.0.7",	  "10.20.0.9",	 "fd00::7",
	"/run/mysqld", "appdb",		  "'app'",	 "\"app\"",
	"user=app ",   "-U app",	  "/etc/mysql",	 ".pg_service",
	"/var/lib",    "customer-portal", "sockets-for",
};

static void test_no_secret_survives(void **state)
{
	(void)state;
	for (size_t s = 0; s < N_SAMPLES; s++) {
		struct dbl_report *rep = samples[s].make();
		assert_int_equal(dbl_report_redact(rep), 0);
		assert_true(rep->redacted);
		char *all = render_all(rep);
		for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]);
		     i++)
			if (strstr(all, secrets[i]))
				fail_msg("%s: '%s' survived --redact:\n%s",
					 samples[s].name, secrets[i], all);
		/* Loopback names are not secrets. */
		assert_non_null(strstr(all, "127.0.0.1"));
		assert_non_null(strstr(all, "[::1]"));
		free(all);
		dbl_report_free(rep);
	}
}

static void test_placeholders_consistent(void **state)
{
	(void)state;
	struct dbl_report *rep = sample_long();
	assert_int_equal(dbl_report_redact(rep), 0);
	const struct dbl_target_report *remote = &rep->targets[1];
	/* The same name gets the same placeholder in the URL, the settings'
	 * provenance, the server message and the finding. */
	assert_string_equal(remote->target,
			    "postgres://<user2>@<host1>:6432/<db2>");
	assert_string_equal(remote->settings.items[0], "host=<host1> from URL");
	assert_string_equal(remote->settings.items[1], "user=<user2> from URL");
	assert_non_null(strstr(remote->probes[0].r.message,
			       "user \"<user2>\", database \"<db2>\""));
	assert_non_null(
		strstr(remote->findings[0].summary,
		       "<host1> has no pg_hba.conf rule for user <user2>"));
	assert_string_equal(remote->probes[0].r.address, "<host1>:6432");
	assert_string_equal(remote->probes[0].r.attempts[0].address,
			    "[<host2>]:6432");
	/* A socket path is one placeholder, the same in the address, the
	 * attempts and the driver's message; the user of the first target
	 * is <user1> in its URL and inside the message. */
	const struct dbl_target_report *local = &rep->targets[0];
	const char *sock = local->probes[0].r.address;
	assert_true(strncmp(sock, "<path", 5) == 0 && !strchr(sock, '/'));
	assert_string_equal(local->probes[0].r.attempts[0].address, sock);
	assert_non_null(strstr(local->probes[0].r.message, sock));
	assert_non_null(
		strstr(local->probes[0].r.message, "for user \"<user1>\""));
	assert_non_null(strstr(local->target, "user=<user1>"));
	dbl_report_free(rep);
}

static void test_skip_networking_redacted(void **state)
{
	(void)state;
	struct dbl_report *rep = sample_my_skip_networking();
	assert_int_equal(dbl_report_redact(rep), 0);
	const struct dbl_target_report *tr = &rep->targets[0];
	assert_string_equal(tr->target, "mysql://<user1>@localhost:3306/<db1>");
	assert_string_equal(tr->probes[0].r.settings[0].value,
			    "<user1>@localhost");
	assert_string_equal(tr->findings[1].evidence.items[0],
			    "unix: connected and logged in as "
			    "'<user1>'@'localhost'");
	/* Product names and engine words are left alone. */
	assert_string_equal(tr->product, "MariaDB");
	assert_non_null(strstr(tr->findings[1].commands.items[1],
			       "systemctl restart mariadb"));
	dbl_report_free(rep);
}

/* A redacted report is still a valid report, and `show` renders it the
 * same; its rendering is pinned by golden files. */
static void test_redacted_golden_and_round_trip(void **state)
{
	(void)state;
	struct dbl_report *rep = sample_long();
	assert_int_equal(dbl_report_redact(rep), 0);
	char *json = render(rep, DBL_FORMAT_JSON, 0);
	char *text = render(rep, DBL_FORMAT_TEXT, 0);
	const char *u = getenv("DBLOOP_UPDATE_GOLDEN");
	if (u && strcmp(u, "1") == 0) {
		FILE *f = fopen(GOLDEN "long_paths.redacted.json", "wb");
		assert_non_null(f);
		fputs(json, f);
		fclose(f);
		f = fopen(GOLDEN "long_paths.redacted.txt", "wb");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
	}
	struct dbl_report *back = NULL;
	char err[256];
	assert_int_equal(dbl_report_read_json(json, strlen(json), &back, err,
					      sizeof(err)),
			 0);
	assert_true(back->redacted);
	char *text2 = render(back, DBL_FORMAT_TEXT, 0);
	assert_string_equal(text, text2);
	FILE *f = fopen(GOLDEN "long_paths.redacted.txt", "rb");
	assert_non_null(f);
	char want[16384];
	size_t n = fread(want, 1, sizeof(want) - 1, f);
	fclose(f);
	want[n] = '\0';
	assert_string_equal(text, want);
	assert_int_equal(system("/usr/bin/python3 " DBL_FIXTURES
				"/../tools/validate_report.py " GOLDEN
				"long_paths.redacted.json"),
			 0);
	free(json);
	free(text);
	free(text2);
	dbl_report_free(back);
	dbl_report_free(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_secret_survives),
		cmocka_unit_test(test_placeholders_consistent),
		cmocka_unit_test(test_skip_networking_redacted),
		cmocka_unit_test(test_redacted_golden_and_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
