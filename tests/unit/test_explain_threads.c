/* dbloop explain on real messages it was not tuned on (tests/fixtures/
 * explain/threads.txt, issue 19): scores the development and the held-out
 * half — the class the text proves right first, and the cause the thread
 * confirmed among the class and the alternatives — and fails when the
 * held-out scores drop below their committed floors. */
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

/* Committed floors for the held-out half, in percent. Measured (class /
 * cause): before any tuning held 56 / 79, dev 61 / 86; with main's explain
 * after 5a0a58b held 91 / 81, dev 93 / 88; after the dev-half fixes of
 * issue 19 point 3 (refusal ranking, socket and DNS alternatives, compose
 * prefixes, PgJDBC's refusal, ER_USER_LIMIT_REACHED) held 93 / 88, dev
 * 98 / 96. With the records whose thread sits on the other half of
 * corpus.txt not scored (skip:), and the fixes for threads2.txt's dev
 * half: held 93 / 89 (118 messages, 39 causes), dev 99 / 95; the cause
 * floor raised to 86. Raise them, never lower. */
#define HELD_CLASS_FLOOR 90
#define HELD_CAUSE_FLOOR 86

struct score {
	int n, class_ok, n_cause, cause_ok;
};

static void judge(struct score *s, const char *expect, const char *cause,
		  const char *msg, const char *source, bool verbose)
{
	struct dbl_explanation e;
	assert_int_equal(dbl_explain(msg, strlen(msg), &e), 0);
	s->n++;
	bool ok = class_accepted(expect, e.cls);
	s->class_ok += ok;
	if (!ok && verbose)
		printf("  miss: %s: want %s, got %s\n", source, expect,
		       dbl_class_name(e.cls));
	if (strcmp(cause, "-") != 0) {
		s->n_cause++;
		bool c = listed(&e, cause);
		s->cause_ok += c;
		if (!c && verbose)
			printf("  cause missing: %s: %s\n", source, cause);
	}
	dbl_explanation_release(&e);
}

static int pct(int a, int b)
{
	return b ? a * 100 / b : 100;
}

static void test_corpus_halves(void **state)
{
	(void)state;
	FILE *f = fopen(DBL_FIXTURES "/explain/threads.txt", "r");
	assert_non_null(f);
	struct score dev = {0}, held = {0};
	char line[4096], expect[128] = "", cause[64] = "", split[16] = "",
			 source[512] = "";
	bool skipped = false;
	int n_skipped = 0;
	struct dbl_buf msg = {0};
	bool in = false;
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);
		if ((eof || strncmp(line, "=== ", 4) == 0) && in) {
			const char *m = msg.data ? msg.data : "";
			bool is_held = strcmp(split, "held") == 0;
			if (skipped)
				n_skipped++;
			else
				judge(is_held ? &held : &dev, expect, cause, m,
				      source,
				      !is_held &&
					      getenv("DBL_CORPUS_VERBOSE") !=
						      NULL);
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
			skipped = false;
			continue;
		}
		if (!in)
			continue;
		if (!msg.len && sscanf(line, "source: %511s", source) == 1)
			continue;
		if (!msg.len && strncmp(line, "stack: ", 7) == 0)
			continue;
		if (!msg.len && strncmp(line, "lang: ", 6) == 0)
			continue;
		if (!msg.len && sscanf(line, "cause: %63s", cause) == 1)
			continue;
		if (!msg.len && sscanf(line, "split: %15s", split) == 1)
			continue;
		/* "skip: duplicate thread of FILE": the thread is scored in
		 * FILE, on the other half; not scored here. */
		if (!msg.len && strncmp(line, "skip: ", 6) == 0) {
			skipped = true;
			continue;
		}
		dbl_buf_puts(&msg, line);
	}
	fclose(f);
	printf("explain corpus: dev %d messages, class right first %d%%, "
	       "cause listed %d%% of %d\n",
	       dev.n, pct(dev.class_ok, dev.n), pct(dev.cause_ok, dev.n_cause),
	       dev.n_cause);
	printf("explain corpus: held-out %d messages, class right first %d%%, "
	       "cause listed %d%% of %d\n",
	       held.n, pct(held.class_ok, held.n),
	       pct(held.cause_ok, held.n_cause), held.n_cause);
	printf("explain corpus: %d records not scored (duplicate threads of "
	       "another file)\n",
	       n_skipped);
	assert_true(dev.n > 100 && held.n > 100);
	assert_true(pct(held.class_ok, held.n) >= HELD_CLASS_FLOOR);
	assert_true(pct(held.cause_ok, held.n_cause) >= HELD_CAUSE_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_halves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
