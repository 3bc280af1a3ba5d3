/* Golden tests of the report writers: each sample report of
 * report_samples.h rendered in every format and mode is compared with
 * tests/fixtures/golden/<sample><variant>. DBLOOP_UPDATE_GOLDEN=1
 * rewrites the files (review the diff by eye before committing).
 * Every golden JSON must validate against docs/report.schema.json, every
 * golden XML against the JUnit schema in tests/fixtures/junit/, and a
 * report read back from its JSON must render exactly as the original. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report_samples.h"
#include "test_support.h"

#define GOLDEN DBL_FIXTURES "/golden/"
#define TOOLS DBL_FIXTURES "/../tools/"

struct variant {
	const char *suffix;
	enum dbl_format format;
	bool color, utf8;
	int verbosity;
};

static const struct variant variants[] = {
	{".txt", DBL_FORMAT_TEXT, false, true, 0},
	{".ascii.txt", DBL_FORMAT_TEXT, false, false, 0},
	{".color.txt", DBL_FORMAT_TEXT, true, true, 0},
	{".quiet.txt", DBL_FORMAT_TEXT, false, true, -1},
	{".verbose.txt", DBL_FORMAT_TEXT, false, true, 1},
	{".md", DBL_FORMAT_MARKDOWN, false, true, 0},
	{".json", DBL_FORMAT_JSON, false, true, 0},
	{".xml", DBL_FORMAT_JUNIT, false, true, 0},
};
#define N_VARIANTS (sizeof(variants) / sizeof(variants[0]))

static char *render(const struct dbl_report *rep, const struct variant *v)
{
	struct dbl_render_opts ro = {v->color, v->utf8, v->verbosity, 80};
	struct dbl_buf out = {0};
	assert_int_equal(dbl_report_render(rep, v->format, &ro, &out), 0);
	char *s = dbl_buf_detach(&out);
	assert_non_null(s);
	return s;
}

static bool updating(void)
{
	const char *u = getenv("DBLOOP_UPDATE_GOLDEN");
	return u && strcmp(u, "1") == 0;
}

static void check_golden(const char *path, const char *got)
{
	if (updating()) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fputs(got, f);
		assert_int_equal(fclose(f), 0);
		return;
	}
	char *want = slurp(path, NULL);
	if (!want)
		fail_msg("missing golden file %s (DBLOOP_UPDATE_GOLDEN=1 makes "
			 "it)",
			 path);
	if (strcmp(want, got) != 0) {
		fprintf(stderr, "--- %s\n+++ got\n%s", path, got);
		fail_msg("%s differs from the writer's output", path);
	}
	free(want);
}

static void test_golden(void **state)
{
	(void)state;
	for (size_t s = 0; s < N_SAMPLES; s++) {
		struct dbl_report *rep = samples[s].make();
		for (size_t v = 0; v < N_VARIANTS; v++) {
			char path[512];
			snprintf(path, sizeof(path), GOLDEN "%s%s",
				 samples[s].name, variants[v].suffix);
			char *got = render(rep, &variants[v]);
			check_golden(path, got);
			free(got);
		}
		dbl_report_free(rep);
	}
}

/* What `dbloop show` does with a saved report: read it back and render. */
static void test_round_trip(void **state)
{
	(void)state;
	for (size_t s = 0; s < N_SAMPLES; s++) {
		struct dbl_report *rep = samples[s].make();
		char *json = render(rep, &variants[6]);
		struct dbl_report *back = NULL;
		char err[256];
		int rc = dbl_report_read_json(json, strlen(json), &back, err,
					      sizeof(err));
		if (rc < 0)
			fail_msg("%s: %s", samples[s].name, err);
		for (size_t v = 0; v < N_VARIANTS; v++) {
			char *a = render(rep, &variants[v]);
			char *b = render(back, &variants[v]);
			if (strcmp(a, b) != 0) {
				fprintf(stderr, "%s%s:\n%s\n---\n%s\n",
					samples[s].name, variants[v].suffix, a,
					b);
				fail_msg("%s%s: read back renders differently",
					 samples[s].name, variants[v].suffix);
			}
			free(a);
			free(b);
		}
		free(json);
		dbl_report_free(back);
		dbl_report_free(rep);
	}
}

/* The committed golden JSON files, read as `show` reads them, render the
 * committed golden text and markdown. */
static void test_show_golden_files(void **state)
{
	(void)state;
	for (size_t s = 0; s < N_SAMPLES; s++) {
		char path[512];
		size_t len = 0;
		snprintf(path, sizeof(path), GOLDEN "%s.json", samples[s].name);
		char *json = slurp(path, &len);
		assert_non_null(json);
		struct dbl_report *back = NULL;
		char err[256];
		assert_int_equal(dbl_report_read_json(json, len, &back, err,
						      sizeof(err)),
				 0);
		for (size_t v = 0; v < N_VARIANTS; v++) {
			snprintf(path, sizeof(path), GOLDEN "%s%s",
				 samples[s].name, variants[v].suffix);
			char *want = slurp(path, NULL);
			char *got = render(back, &variants[v]);
			assert_non_null(want);
			assert_string_equal(got, want);
			free(want);
			free(got);
		}
		free(json);
		dbl_report_free(back);
	}
}

/* A report of schema minor 0 (written before findings had steps, the
 * golden files of 9a473f6) reads and renders as it did: commands, no
 * steps. */
static void test_show_minor0(void **state)
{
	(void)state;
	static const char *const base =
		DBL_FIXTURES "/reports/minor0_my_skip_networking";
	char path[1024];
	size_t len = 0;
	snprintf(path, sizeof(path), "%s.json", base);
	char *json = slurp(path, &len);
	assert_non_null(json);
	struct dbl_report *back = NULL;
	char err[256];
	assert_int_equal(
		dbl_report_read_json(json, len, &back, err, sizeof(err)), 0);
	size_t commands = 0;
	for (size_t i = 0; i < back->targets[0].n_findings; i++) {
		assert_int_equal(back->targets[0].findings[i].n_steps, 0);
		commands += back->targets[0].findings[i].commands.n;
	}
	assert_true(commands > 0);
	static const size_t which[] = {0, 5}; /* .txt, .md */
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s%s", base,
			 variants[which[i]].suffix);
		char *want = slurp(path, NULL);
		char *got = render(back, &variants[which[i]]);
		assert_non_null(want);
		assert_string_equal(got, want);
		free(want);
		free(got);
	}
	free(json);
	dbl_report_free(back);
}

static void test_golden_json_validates(void **state)
{
	(void)state;
	char cmd[2048];
	int n = snprintf(cmd, sizeof(cmd),
			 "/usr/bin/python3 " TOOLS "validate_report.py");
	for (size_t s = 0; s < N_SAMPLES; s++)
		n += snprintf(cmd + n, sizeof(cmd) - (size_t)n,
			      " " GOLDEN "%s.json", samples[s].name);
	assert_int_equal(system(cmd), 0);
}

static void test_golden_junit_validates(void **state)
{
	(void)state;
	char cmd[2048];
	int n = snprintf(cmd, sizeof(cmd),
			 "xmllint --noout --schema " DBL_FIXTURES
			 "/junit/junit-10.xsd");
	for (size_t s = 0; s < N_SAMPLES; s++)
		n += snprintf(cmd + n, sizeof(cmd) - (size_t)n,
			      " " GOLDEN "%s.xml", samples[s].name);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_show_golden_files),
		cmocka_unit_test(test_show_minor0),
		cmocka_unit_test(test_golden_json_validates),
		cmocka_unit_test(test_golden_junit_validates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
