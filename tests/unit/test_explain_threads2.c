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
#include "explain_corpus.h"

/* Committed floors for the held-out half, in percent (class / cause).
 * Measured before any tuning on this set (main at ca050d1, untouched):
 * held 94 % (71/75) / 83 % (5/6), dev 88 % (67/76) / 100 % (7/7).
 * After the fixes for the dev half's misses: held 100 % (75/75) / 83 %
 * (5/6), dev 100 % / 100 %; floors: two messages, one cause below.
 * Raise them, never lower. */
#define HELD_CLASS_FLOOR 97
#define HELD_CAUSE_FLOOR 66

static void test_threads2_halves(void **state)
{
	(void)state;
	struct corpus_halves h;
	corpus_score_file(DBL_FIXTURES "/explain/threads2.txt", &h);
	corpus_check("threads2", &h, 60, HELD_CLASS_FLOOR, HELD_CAUSE_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads2_halves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
