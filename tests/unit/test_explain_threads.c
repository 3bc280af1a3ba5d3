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
#include "explain_corpus.h"

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

static void test_corpus_halves(void **state)
{
	(void)state;
	struct corpus_halves h;
	corpus_score_file(DBL_FIXTURES "/explain/threads.txt", &h);
	corpus_check("threads", &h, 101, HELD_CLASS_FLOOR, HELD_CAUSE_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_halves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
