/* dbloop explain on tests/fixtures/explain/i18n2.txt (issue 19): a second
 * set of real translated messages from public threads and pages (the
 * server's or the client library's translation, or the operating system's
 * localized socket error), none of them in the other sets, split once by
 * thread before explain was scored on it. Both halves are scored — the
 * class the text proves right first, and the cause the thread confirmed
 * among the class and the alternatives — and the held-out half must stay
 * above its committed floors. Misses are printed for the development half
 * only (DBL_CORPUS_VERBOSE=1): the held-out half is not looked into. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop/explain.h"
#include "explain_corpus.h"

/* Committed floors for the held-out half, in percent (class / cause).
 * Measured before any tuning on this set (main at 9581022, untouched):
 * held 83 % (5/6) / 100 % (2/2), dev 100 % (6/6) / 100 % (1/1). The
 * development half has no miss, so nothing was tuned on this set. Floors:
 * one message below the held-out class figure (one message is 17 points
 * of six), one cause below the cause figure. Raise them, never lower. */
#define HELD_CLASS_FLOOR 66
#define HELD_CAUSE_FLOOR 50

static void test_i18n2_halves(void **state)
{
	(void)state;
	struct corpus_halves h;
	corpus_score_file(DBL_FIXTURES "/explain/i18n2.txt", &h);
	corpus_check("i18n2", &h, 6, HELD_CLASS_FLOOR, HELD_CAUSE_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_i18n2_halves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
