/* The one idea of whitespace every tokenizer of discover/ uses (pg_hba,
 * postgresql.conf, option files, .pgpass, pg_service.conf, /etc/hosts,
 * conninfo): the six ASCII blanks isspace() knows in the C locale, whatever
 * locale the process runs in. One definition, so a loop that skips with one
 * and stops with another can never disagree about a byte (issue 18: \v after
 * a comma stepped the pg_hba tokenizer back onto the same byte forever). */
#ifndef DBLOOP_SPACE_H
#define DBLOOP_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define DBL_SPACE_CHARS " \t\n\v\f\r"

static inline bool dbl_is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Bytes of whitespace at s (0 when none). */
static inline size_t dbl_space_span(const char *s)
{
	return strspn(s, DBL_SPACE_CHARS);
}

/* Bytes up to the first whitespace or the end. */
static inline size_t dbl_word_span(const char *s)
{
	return strcspn(s, DBL_SPACE_CHARS);
}

#endif
