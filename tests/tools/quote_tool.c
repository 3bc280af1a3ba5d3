/* Test helper: reads NUL-terminated values on stdin and writes, for each,
 * its shell word, PostgreSQL literal and identifier, MySQL literal and
 * identifier (util/quote.h), each NUL-terminated. Used by
 * tests/integration/test_quote_roundtrip.py to hand the real quoters'
 * output to bash and to the lab's servers. */
#include <stdio.h>
#include <stdlib.h>

#include "util/quote.h"

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	void (*const q[])(struct dbl_buf *, const char *) = {
		dbl_q_shell,	  dbl_q_pg_literal, dbl_q_pg_ident,
		dbl_q_my_literal, dbl_q_my_ident,
	};
	while ((n = getdelim(&line, &cap, '\0', stdin)) > 0) {
		for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
			struct dbl_buf b = {0};
			q[i](&b, line);
			if (b.oom)
				return 1;
			fwrite(b.data, 1, b.len, stdout);
			fputc('\0', stdout);
			dbl_buf_release(&b);
		}
	}
	free(line);
	return 0;
}
