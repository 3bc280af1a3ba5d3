/* Private to the explain modules: the translated phrases generated from
 * Debian's catalogues (explain_phrases_i18n.c, written by
 * scripts/gen_explain_i18n.py) and the scan that matches them
 * (explain_i18n.c). */
#ifndef DBLOOP_EXPLAIN_I18N_H
#define DBLOOP_EXPLAIN_I18N_H

#include <stdbool.h>
#include <stddef.h>

#define DBL_XI18N_PARTS 6

/* Names inline and the parts as an offset: a table of pointers would be
 * relocated when the program starts, page by page (three quarters of the
 * executable's relocations were this table's), on every run, also of a
 * command that never looks at it. */
struct dbl_xi18n_row {
	char lang[8];	 /* locale of the catalogue: "de", "pt_BR" */
	char source[12]; /* "postgres-15", "libpq5-15", "libc", "mariadb" */
	char key[20];	 /* the English msgid's key, see explain_i18n.c */
	/* where the row's parts start in dbl_xi18n_text: the fixed parts of
	 * the translation, lower-cased (ASCII), in the order they occur, each
	 * ending in a NUL, an empty one after the last; at most
	 * DBL_XI18N_PARTS */
	unsigned text;
};

extern const struct dbl_xi18n_row dbl_xi18n_rows[];
extern const size_t dbl_xi18n_n_rows;
extern const char dbl_xi18n_text[];
extern const size_t dbl_xi18n_text_len;

struct dbl_xscan;

/* Weighs the translated phrases in s; sets s->err from a translated
 * strerror when no errno is set yet (before dbl_xscan_errno). */
void dbl_xscan_i18n(struct dbl_xscan *s);

/* Whether the n bytes at low (lower-cased) hold a translated severity
 * ("FEHLER:", "ВАЖНО:") or another translated phrase: a line worth
 * scanning alone. */
bool dbl_xi18n_error_line(const char *low, size_t n);

#endif
