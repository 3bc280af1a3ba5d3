/* dbloop explain on translated messages (issue 19, part 5):
 *  - every translation of the phrases explain knows, rendered with real
 *    values from Debian's catalogues (tests/fixtures/explain/
 *    i18n_rendered.txt, written by scripts/gen_explain_i18n.py), must
 *    give the class its English original gives (the real translated
 *    messages from public threads, i18n.txt and i18n2.txt, are scored
 *    by half in test_explain_sets.c). */
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
