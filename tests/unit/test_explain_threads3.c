/* dbloop explain on tests/fixtures/explain/threads3.txt (issue 19): a
 * fifth set of real messages from public threads, none of them in the
 * other sets, chosen where the thread confirms the root cause, split once
 * by thread before explain was scored on it. Both halves are scored — the
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
 * Measured before any tuning on this set (main at e8ebd0e, untouched):
 * held 98 % (61/62) / 100 % (29/29), dev 92 % (58/63) / 84 % (22/26).
 * After the fixes for the dev half's misses (MySQL 1698 deciding over the
 * words it shares with 1045, 1524 and an auth plugin "is not loaded", an
 * application's "access denied to user@host"): held 98 % (61/62) / 100 %
 * (29/29), dev 100 % / 100 %. Floors: about two messages below the
 * held-out class figure, two causes below the cause figure. Raise them,
 * never lower. */
#define HELD_CLASS_FLOOR 95
#define HELD_CAUSE_FLOOR 93

static void test_threads3_halves(void **state)
{
	(void)state;
	struct corpus_halves h;
	corpus_score_file(DBL_FIXTURES "/explain/threads3.txt", &h);
	corpus_check("threads3", &h, 60, HELD_CLASS_FLOOR, HELD_CAUSE_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads3_halves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
