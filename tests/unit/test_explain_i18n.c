/* dbloop explain on translated messages (issue 19, part 5):
 *  - every translation of the phrases explain knows, rendered with real
 *    values from Debian's catalogues (tests/fixtures/explain/
 *    i18n_rendered.txt, written by scripts/gen_explain_i18n.py), must
 *    give the class its English original gives;
 *  - real messages from public threads (tests/fixtures/explain/i18n.txt,
 *    split once by thread before tuning) are scored by half, and the
 *    held-out half must stay above its committed floors. */
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

/* Committed floors for i18n.txt's held-out half, in percent. Measured
 * (class / cause, 24 messages, 3 with a confirmed cause): main before the
 * catalogue table held 87 / 100, dev 100 / 66; with it held 95 / 100.
 * Raise them, never lower. */
#define HELD_CLASS_FLOOR 90
#define HELD_CAUSE_FLOOR 66

struct score {
	int n, class_ok, n_cause, cause_ok;
};

static int pct(int a, int b)
{
	return b ? a * 100 / b : 100;
}

/* Misses are printed for the development half only: the held-out half is
 * not looked into. */
static void judge(struct score *s, bool dev, const char *expect,
		  const char *cause, const char *msg, const char *source)
{
	struct dbl_explanation e;
	assert_int_equal(dbl_explain(msg, strlen(msg), &e), 0);
	bool verbose = dev && getenv("DBL_CORPUS_VERBOSE") != NULL;
	s->n++;
	bool ok = class_accepted(expect, e.cls);
	s->class_ok += ok;
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

static void test_threads_halves(void **state)
{
	(void)state;
	FILE *f = fopen(DBL_FIXTURES "/explain/i18n.txt", "r");
	assert_non_null(f);
	struct score dev = {0}, held = {0};
	char line[4096], expect[128] = "", cause[64] = "", split[16] = "",
			 source[512] = "", skip[256], dup[256] = "";
	struct dbl_buf msg = {0};
	bool in = false;
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);
		if ((eof || strncmp(line, "=== ", 4) == 0) && in) {
			bool is_dev = strcmp(split, "dev") == 0;
			assert_true(is_dev || strcmp(split, "held") == 0);
			/* "skip: duplicate thread of FILE": scored in FILE,
			 * an earlier set, on the other half; not here. */
			if (!dup[0])
				judge(is_dev ? &dev : &held, is_dev, expect,
				      cause, msg.data ? msg.data : "", source);
			dbl_buf_release(&msg);
			memset(&msg, 0, sizeof(msg));
		}
		if (eof)
			break;
		if (strncmp(line, "=== ", 4) == 0) {
			in = true;
			if (sscanf(line + 4, "%127s", expect) != 1)
				fail_msg("bad record header: %s", line);
			cause[0] = split[0] = source[0] = dup[0] = '\0';
			continue;
		}
		if (!in)
			continue;
		if (!msg.len &&
		    (field(line, "source: ", source, sizeof(source)) ||
		     field(line, "skip: ", dup, sizeof(dup)) ||
		     field(line, "cause: ", cause, sizeof(cause)) ||
		     field(line, "split: ", split, sizeof(split)) ||
		     field(line, "thread: ", skip, sizeof(skip)) ||
		     field(line, "stack: ", skip, sizeof(skip)) ||
		     field(line, "lang: ", skip, sizeof(skip))))
			continue;
		dbl_buf_puts(&msg, line);
	}
	fclose(f);
	printf("explain i18n threads: dev %d messages, class right first "
	       "%d%%, cause listed %d%% of %d\n",
	       dev.n, pct(dev.class_ok, dev.n), pct(dev.cause_ok, dev.n_cause),
	       dev.n_cause);
	printf("explain i18n threads: held-out %d messages, class right first "
	       "%d%%, cause listed %d%% of %d\n",
	       held.n, pct(held.class_ok, held.n),
	       pct(held.cause_ok, held.n_cause), held.n_cause);
	assert_true(dev.n >= 20 && held.n >= 20);
	assert_true(pct(held.class_ok, held.n) >= HELD_CLASS_FLOOR);
	assert_true(pct(held.cause_ok, held.n_cause) >= HELD_CAUSE_FLOOR);
}

static void test_rendered(void **state)
{
	(void)state;
	FILE *f = fopen(DBL_FIXTURES "/explain/i18n_rendered.txt", "r");
	assert_non_null(f);
	char line[4096], head[256] = "";
	struct dbl_buf msg = {0};
	int n = 0, ok = 0;
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);
		if ((eof || strncmp(line, "=== ", 4) == 0) && head[0]) {
			char expect[128] = "";
			sscanf(head, "%127s", expect);
			const char *m = msg.data ? msg.data : "";
			struct dbl_explanation e;
			assert_int_equal(dbl_explain(m, strlen(m), &e), 0);
			n++;
			if (class_accepted(expect, e.cls))
				ok++;
			else
				printf("  miss: %s: got %s\n    %s", head,
				       dbl_class_name(e.cls), m);
			dbl_explanation_release(&e);
			dbl_buf_release(&msg);
			memset(&msg, 0, sizeof(msg));
			head[0] = '\0';
		}
		if (eof)
			break;
		if (strncmp(line, "=== ", 4) == 0) {
			dbl_strlcpy(head, line + 4, sizeof(head));
			head[strcspn(head, "\n")] = '\0';
			continue;
		}
		if (head[0])
			dbl_buf_puts(&msg, line);
	}
	fclose(f);
	printf("explain i18n rendered: %d of %d messages right\n", ok, n);
	assert_true(n > 300);
	assert_int_equal(ok, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rendered),
		cmocka_unit_test(test_threads_halves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
