/* libFuzzer target: the quoters of util/quote.h. Property: quoting a
 * value and parsing the result back by the language's own rules gives
 * the value, and the quoted form is one token (its quotes close only at
 * the end). Shell: POSIX single quotes ('\'' for a quote) or a bare word
 * of safe bytes; PostgreSQL literal ('' doubled, E'...' with \\ doubled)
 * and identifier ("" doubled); MySQL literal (backslash escapes) and
 * identifier (`` doubled). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/quote.h"

/* Shell: the words bash would make of q, as one word; NULL when q is not
 * exactly one word. */
static char *shell_parse(const char *q)
{
	size_t n = strlen(q);
	char *out = malloc(n + 1), *o = out;
	bool in = false;
	for (const char *p = q; *p; p++) {
		if (*p == '\'') {
			in = !in;
			continue;
		}
		if (!in &&
		    !strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
			    "vwxyz0123456789@%+=:,./_-\\",
			    *p))
			abort(); /* a byte the shell would act on, unquoted */
		if (!in && *p == '\\') {
			if (!p[1])
				abort();
			p++;
		}
		*o++ = *p;
	}
	if (in)
		abort(); /* unterminated */
	*o = '\0';
	return out;
}

/* A quoted SQL token: open quote q, doubled q inside, escapes when bs.
 * The token must end exactly at the end of s. */
static char *sql_parse(const char *s, char q, bool bs, bool my)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1), *o = out;
	const char *p = s;
	if (*p == 'E' && !my) {
		bs = true;
		p++;
	}
	if (*p++ != q)
		abort();
	for (;; p++) {
		if (!*p)
			abort(); /* unterminated */
		if (bs && *p == '\\') {
			char c = *++p;
			if (!c)
				abort();
			*o++ = my && c == 'n'	? '\n'
			       : my && c == 'r' ? '\r'
			       : my && c == 'Z' ? '\032'
			       : my && c == '0' ? '\0'
						: c;
			continue;
		}
		if (*p == q) {
			if (p[1] == q) {
				*o++ = q;
				p++;
				continue;
			}
			if (p[1])
				abort(); /* the token ends before the string */
			break;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static void check(const char *v, void (*quote)(struct dbl_buf *, const char *),
		  char *(*parse)(const char *))
{
	struct dbl_buf b = {0};
	quote(&b, v);
	if (b.oom)
		goto out;
	char *back = parse(b.data ? b.data : "");
	if (strcmp(back, v) != 0)
		abort();
	free(back);
out:
	dbl_buf_release(&b);
}

static char *pg_lit(const char *s)
{
	return sql_parse(s, '\'', false, false);
}
static char *pg_id(const char *s)
{
	return sql_parse(s, '"', false, false);
}
static char *my_lit(const char *s)
{
	return sql_parse(s, '\'', true, true);
}
static char *my_id(const char *s)
{
	return sql_parse(s, '`', false, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *v = malloc(size + 1);
	if (!v)
		return 0;
	memcpy(v, data, size);
	v[size] = '\0'; /* a C string: the value up to its first NUL */
	check(v, dbl_q_shell, shell_parse);
	check(v, dbl_q_pg_literal, pg_lit);
	check(v, dbl_q_pg_ident, pg_id);
	check(v, dbl_q_my_literal, my_lit);
	check(v, dbl_q_my_ident, my_id);
	/* A value fit for a config line holds no byte that ends or bends it. */
	if (dbl_q_conf_ok(v) && strpbrk(v, "\n\r#'\"\\|&`$"))
		abort();
	free(v);
	return 0;
}
