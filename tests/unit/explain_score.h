/* What the explain tests count as a right answer, shared by the tests of
 * each message set (test_explain.c, test_explain_sets.c). */
#ifndef DBLOOP_TEST_EXPLAIN_SCORE_H
#define DBLOOP_TEST_EXPLAIN_SCORE_H

#include <stdbool.h>
#include <string.h>

#include "dbloop/explain.h"
#include "dbloop/util.h"

/* Whether got is one of the classes of expect ("a" or "a|b"). */
static inline bool class_accepted(const char *expect, enum dbl_class got)
{
	char buf[128];
	dbl_strlcpy(buf, expect, sizeof(buf));
	for (char *save = NULL, *tok = strtok_r(buf, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save))
		if (strcmp(tok, dbl_class_name(got)) == 0)
			return true;
	return false;
}

/* Whether the explanation names cls as its class or an alternative. */
static inline bool listed(const struct dbl_explanation *e, const char *cls)
{
	if (strcmp(dbl_class_name(e->cls), cls) == 0)
		return true;
	for (size_t i = 0; i < e->n_alts; i++)
		if (strcmp(dbl_class_name(e->alts[i].cls), cls) == 0)
			return true;
	return false;
}

/* The confirmed cause, or where the thread confirmed none ("-") one of
 * the classes the text proves, among the class and the alternatives. */
static inline bool cause_or_class_listed(const struct dbl_explanation *e,
					 const char *expect, const char *cause)
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

#endif
