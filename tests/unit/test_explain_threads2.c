/* dbloop explain on tests/fixtures/explain/threads2.txt (issue 19): a
 * fourth set of real messages from public threads, none of them in the
 * other sets, split once by thread before explain was scored on it. Both
 * halves are scored — the class the text proves right first, and the
 * cause the thread confirmed among the class and the alternatives — and
 * the held-out half must stay above its committed floors. Misses are
 * printed for the development half only (DBL_CORPUS_VERBOSE=1): the
 * held-out half is not looked into. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/explain.h"
#include "explain_score.h"

/* Committed floors for the held-out half, in percent (class / cause).
 * Measured before any tuning on this set (main at ca050d1, untouched):
 * held 94 % (71/75) / 83 % (5/6), dev 88 % (67/76) / 100 % (7/7).
 * After the fixes for the dev half's misses: held 100 % (75/75) / 83 %
 * (5/6), dev 100 % / 100 %; floors: two messages, one cause below.
 * Raise them, never lower. */
#define HELD_CLASS_FLOOR 97
#define HELD_CAUSE_FLOOR 66

struct score {
	int n, class_ok, n_cause, cause_ok, any_ok;
};

/* The confirmed cause, or where the thread confirmed none one of the
 * classes the text proves, among the class and the alternatives (the
 * measure test_explain.c uses for corpus.txt). */
static bool any_listed(const struct dbl_explanation *e, const char *expect,
		       const char *cause)
{
	if (strcmp(cause, "-") != 0)
		return listed(e, cause);
	char buf[128];
	dbl_strlcpy(buf, expect, sizeof(buf));
	for (char *save = NULL, *tok = strtok_r(buf, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save))
		if (listed(e, tok))
			return true;
	return false;
}

static int pct(int a, int b)
{
	return b ? a * 100 / b : 100;
}

static void judge(struct score *s, bool dev, const char *expect,
		  const char *cause, const char *msg, const char *source)
{
	struct dbl_explanation e;
	assert_int_equal(dbl_explain(msg, strlen(msg), &e), 0);
	bool verbose = dev && getenv("DBL_CORPUS_VERBOSE") != NULL;
	s->n++;
	bool ok = class_accepted(expect, e.cls);
	s->class_ok += ok;
	s->any_ok += any_listed(&e, expect, cause);
	if (!ok && verbose)
		printf("  dev miss: %s: want %s, got %s\n", source, expect,
		       dbl_class_name(e.cls));
	if (strcmp(cause, "-") != 0) {
		s->n_cause++;
		bool c = listed(&e, cause);
		s->cause_ok += c;
		if (!c && verbose)
			printf("  dev cause missing: %s: %s\n", source, cause);
	}
	dbl_explanation_release(&e);
}

static bool field(const char *line, const char *name, char *out, size_t n)
{
	size_t k = strlen(name);
	if (strncmp(line, name, k) != 0)
		return false;
	dbl_strlcpy(out, line + k, n);
	out[strcspn(out, "\n")] = '\0';
	return true;
}

static void test_threads2_halves(void **state)
{
	(void)state;
	FILE *f = fopen(DBL_FIXTURES "/explain/threads2.txt", "r");
	assert_non_null(f);
	struct score dev = {0}, held = {0};
	char line[4096], expect[128] = "", cause[64] = "", split[16] = "",
			 source[512] = "", skip[256];
	struct dbl_buf msg = {0};
	bool in = false;
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);
		if ((eof || strncmp(line, "=== ", 4) == 0) && in) {
			bool is_dev = strcmp(split, "dev") == 0;
			assert_true(is_dev || strcmp(split, "held") == 0);
			judge(is_dev ? &dev : &held, is_dev, expect, cause,
			      msg.data ? msg.data : "", source);
			dbl_buf_release(&msg);
			memset(&msg, 0, sizeof(msg));
		}
		if (eof)
			break;
		if (strncmp(line, "=== ", 4) == 0) {
			in = true;
			if (sscanf(line + 4, "%127s", expect) != 1)
				fail_msg("bad record header: %s", line);
			cause[0] = split[0] = source[0] = '\0';
			continue;
		}
		if (!in)
			continue;
		if (!msg.len &&
		    (field(line, "source: ", source, sizeof(source)) ||
		     field(line, "cause: ", cause, sizeof(cause)) ||
		     field(line, "split: ", split, sizeof(split)) ||
		     field(line, "thread: ", skip, sizeof(skip)) ||
		     field(line, "stack: ", skip, sizeof(skip)) ||
		     field(line, "lang: ", skip, sizeof(skip))))
			continue;
		dbl_buf_puts(&msg, line);
	}
	fclose(f);
	printf("explain threads2: dev %d messages, class right first %d%% "
	       "(%d), cause listed %d%% (%d of %d), cause or class listed "
	       "%d%% (%d)\n",
	       dev.n, pct(dev.class_ok, dev.n), dev.class_ok,
	       pct(dev.cause_ok, dev.n_cause), dev.cause_ok, dev.n_cause,
	       pct(dev.any_ok, dev.n), dev.any_ok);
	printf("explain threads2: held-out %d messages, class right first "
	       "%d%% (%d), cause listed %d%% (%d of %d), cause or class "
	       "listed %d%% (%d)\n",
	       held.n, pct(held.class_ok, held.n), held.class_ok,
	       pct(held.cause_ok, held.n_cause), held.cause_ok, held.n_cause,
	       pct(held.any_ok, held.n), held.any_ok);
	assert_true(dev.n >= 60 && held.n >= 60);
	assert_true(pct(held.class_ok, held.n) >= HELD_CLASS_FLOOR);
	assert_true(pct(held.cause_ok, held.n_cause) >= HELD_CAUSE_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads2_halves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
