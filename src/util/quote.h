/* Quoting for every value dbloop puts into a suggested command: POSIX
 * shell words, PostgreSQL and MySQL string literals and identifiers, and
 * the check that a value can stand in a config line at all. Each quoter
 * appends to a dbl_buf; a value is always exactly one token of its
 * language afterwards. dbl_qfmt is the one formatter fix commands use:
 * it has no %s, so a raw value cannot reach a template. */
#ifndef DBLOOP_UTIL_QUOTE_H
#define DBLOOP_UTIL_QUOTE_H

#include <stdbool.h>

#include "dbloop/util.h"

/* POSIX shell: left bare when every byte is in [A-Za-z0-9@%+=:,./_-] and
 * the word is not empty (like Python's shlex.quote), else '...' with each
 * ' written as '\''. */
void dbl_q_shell(struct dbl_buf *b, const char *s);

/* PostgreSQL string literal: '...' with ' doubled; a value holding a
 * backslash is written as E'...' with \ doubled too, so the literal means
 * the same whatever standard_conforming_strings is. */
void dbl_q_pg_literal(struct dbl_buf *b, const char *s);
/* PostgreSQL identifier: always "..." with " doubled (quote_ident's rule,
 * quoted even when quote_ident would not: keywords and case stay safe). */
void dbl_q_pg_ident(struct dbl_buf *b, const char *s);

/* MySQL string literal: '...' with \, ', ", NUL, \n, \r and ^Z escaped as
 * mysql_real_escape_string does (valid unless NO_BACKSLASH_ESCAPES). */
void dbl_q_my_literal(struct dbl_buf *b, const char *s);
/* MySQL identifier: `...` with ` doubled. */
void dbl_q_my_ident(struct dbl_buf *b, const char *s);

/* URL: percent-encodes every byte but [A-Za-z0-9._~-] (url_part, for the
 * user, host, database) or but those and '/' (url_path, for a path in a
 * query value such as socket=). */
void dbl_q_url_part(struct dbl_buf *b, const char *s);
void dbl_q_url_path(struct dbl_buf *b, const char *s);
/* The same keeping ':', '[' and ']', for a host[:port] authority. */
void dbl_q_url_host(struct dbl_buf *b, const char *s);

/* libpq conninfo value: bare when non-empty and free of space, ' and \,
 * else '...' with ' and \ backslash-escaped. */
void dbl_q_conninfo(struct dbl_buf *b, const char *s);

/* URL: percent-encodes every byte but [A-Za-z0-9._~-] (url_part, for the
 * user, host, database) or but those and '/' (url_path, for a path in a
 * query value such as socket=). */
void dbl_q_url_part(struct dbl_buf *b, const char *s);
void dbl_q_url_path(struct dbl_buf *b, const char *s);
/* The same keeping ':', '[' and ']', for a host[:port] authority. */
void dbl_q_url_host(struct dbl_buf *b, const char *s);

/* libpq conninfo value: bare when non-empty and free of white space, '
 * and backslash, else '...' with ' and backslash escaped by a backslash. */
void dbl_q_conninfo(struct dbl_buf *b, const char *s);

/* Whether s can be written into a config line (an option file, a
 * postgresql.conf or pg_hba.conf line) and into the sed/printf command
 * that puts it there: no control byte, no '#', no quote, no backslash, no
 * '|' or '&' (sed's delimiter and match), not empty. */
bool dbl_q_conf_ok(const char *s);

/* The formatter of fix commands. Directives: %d (int), %% and one per
 * quoter: %q shell word, %L / %I PostgreSQL literal / identifier, %M / %B
 * MySQL literal / backtick identifier, %U / %P / %H URL part / path / host, %K libpq
 * conninfo value (each takes a const char *; NULL is
 * written as the empty value). There is no verbatim string directive: SQL
 * run through a shell is built with dbl_qfmt_new, then passed as %q. An
 * unknown directive writes "%?" and sets b->oom so the command is
 * dropped, never written unquoted. */
void dbl_qfmt(struct dbl_buf *b, const char *fmt, ...);
void dbl_vqfmt(struct dbl_buf *b, const char *fmt, va_list ap);
/* The same into a new string (caller frees); NULL on failure. */
char *dbl_qfmt_new(const char *fmt, ...);

#endif
