/* The JSON reader of `dbloop show`: every broken sample of
 * tests/fixtures/reports/ is refused with one line naming what is wrong;
 * the minimal report of report.md reads; the size bound holds; `show`
 * exits 2 on a bad file and the atomic writer leaves nothing behind. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/commands.h"
#include "dbloop/report.h"
#include "test_support.h"

#define REPORTS DBL_FIXTURES "/reports/"

static void expect_error(const char *file, const char *want)
{
	size_t len = 0;
	char *text = slurp(file, &len);
	assert_non_null(text);
	struct dbl_report *rep = (struct dbl_report *)1;
	char err[256];
	int rc = dbl_report_read_json(text, len, &rep, err, sizeof(err));
	assert_int_equal(rc, -DBL_EINVAL);
	assert_null(rep);
	assert_null(strchr(err, '\n'));
	if (!strstr(err, want))
		fail_msg("%s: got '%s', want '%s'", file, err, want);
	free(text);
}

static void test_broken_reports(void **state)
{
	(void)state;
	expect_error(REPORTS "not_json.json", "not JSON");
	expect_error(REPORTS "wrong_schema.json",
		     "not a dbloop report: schema is 'acme.audit/3'");
	expect_error(REPORTS "newer_major.json",
		     "unsupported schema 'dbloop.report/2'");
	expect_error(REPORTS "missing_transport.json",
		     "targets[0].probes[2]: missing \"transport\"");
	expect_error(REPORTS "wrong_type.json",
		     "\"duration_ms\" is a string, expected a number");
	expect_error(REPORTS "unknown_class.json",
		     "targets[0].findings[0]: unknown class 'moon_phase'");
	expect_error(REPORTS "errno_number.json",
		     "targets[0].probes[0].attempts[0]: \"errno\" is a number");
}

static void test_minimal_report_reads(void **state)
{
	(void)state;
	size_t len = 0;
	char *text = slurp(REPORTS "minimal.json", &len);
	assert_non_null(text);
	struct dbl_report *rep = NULL;
	char err[256];
	assert_int_equal(
		dbl_report_read_json(text, len, &rep, err, sizeof(err)), 0);
	assert_int_equal(rep->n_targets, 1);
	const struct dbl_target_report *tr = &rep->targets[0];
	assert_int_equal(tr->n_probes, 1);
	assert_int_equal(tr->probes[0].cls, DBL_CLASS_AUTH_METHOD_MISMATCH);
	assert_int_equal(tr->probes[0].r.stage, DBL_STAGE_AUTH);
	assert_string_equal(tr->probes[0].r.sqlstate, "28000");
	assert_false(tr->ok); /* no "ok": an error finding decides */
	struct dbl_render_opts ro = {false, true, 0, 80};
	struct dbl_buf out = {0};
	assert_int_equal(dbl_report_write_text(rep, &ro, &out), 0);
	assert_non_null(strstr(out.data, "auth_method_mismatch"));
	dbl_buf_release(&out);
	dbl_report_free(rep);
	free(text);
}

static void test_size_bound(void **state)
{
	(void)state;
	struct dbl_report *rep = NULL;
	char err[256];
	/* The length is checked before a byte is looked at. */
	assert_int_equal(dbl_report_read_json("{}", DBL_REPORT_MAX_BYTES + 1,
					      &rep, err, sizeof(err)),
			 -DBL_EINVAL);
	assert_non_null(strstr(err, "too large"));
	assert_int_equal(dbl_report_read_json("[1]", 3, &rep, err, sizeof(err)),
			 -DBL_EINVAL);
	assert_non_null(strstr(err, "not a dbloop report"));
}

static void test_show_exit_codes(void **state)
{
	(void)state;
	char *bad[] = {"show", REPORTS "missing_transport.json", NULL};
	char *none[] = {"show", REPORTS "no-such-file.json", NULL};
	char *usage[] = {"show", "--format", "pdf", "x.json", NULL};
	assert_int_equal(dbl_cmd_show(2, bad), 2);
	assert_int_equal(dbl_cmd_show(2, none), 2);
	assert_int_equal(dbl_cmd_show(4, usage), 2);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.' ||
		     strncmp(e->d_name, ".dbloop", 7) == 0;
	closedir(d);
	return n;
}

static void test_write_file_atomic(void **state)
{
	(void)state;
	char dir[] = "/tmp/dbloop-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], err[300];
	snprintf(path, sizeof(path), "%s/report.json", dir);
	assert_int_equal(
		dbl_write_file_atomic(path, "one\n", 4, err, sizeof(err)), 0);
	assert_int_equal(
		dbl_write_file_atomic(path, "two\n", 4, err, sizeof(err)), 0);
	size_t len = 0;
	char *text = slurp(path, &len);
	assert_non_null(text);
	assert_string_equal(text, "two\n");
	free(text);
	assert_int_equal(count_entries(dir), 1); /* no temporary left */
	snprintf(path, sizeof(path), "%s/missing/report.json", dir);
	assert_int_equal(dbl_write_file_atomic(path, "x", 1, err, sizeof(err)),
			 -DBL_EIO);
	assert_non_null(strstr(err, "cannot write '"));
	assert_non_null(strstr(err, "No such file or directory"));
	snprintf(path, sizeof(path), "%s/report.json", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_broken_reports),
		cmocka_unit_test(test_minimal_report_reads),
		cmocka_unit_test(test_size_bound),
		cmocka_unit_test(test_show_exit_codes),
		cmocka_unit_test(test_write_file_atomic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
