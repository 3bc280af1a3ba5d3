/* Bounded reading of the small text files discovery parses: config files,
 * /proc/net tables, /etc/hosts. Never blocks on a FIFO, refuses huge or
 * binary files with a warning, and splits lines in place. */
#ifndef DBLOOP_TEXTFILE_H
#define DBLOOP_TEXTFILE_H

#include <stddef.h>

#include "dbloop/util.h"

#define DBL_TEXTFILE_MAX (1024 * 1024)

/* Reads path whole into *out (NUL-terminated, caller frees). Refuses files
 * that are not regular (FIFOs, devices), larger than DBL_TEXTFILE_MAX or
 * holding NUL bytes. On failure appends one warning naming the file to
 * warnings (may be NULL) and returns -DBL_EIO; *errno_out (may be NULL)
 * gets the errno of the failing call, 0 for refused content. A missing
 * file (ENOENT) is not warned about: most files we look for are optional. */
int dbl_textfile_read(const char *path, struct dbl_strlist *warnings,
		      char **out, int *errno_out);

/* dbl_textfile_read for a file the user named with option opt
 * ("--defaults-file"), which must be readable: -DBL_EUSAGE with one line
 * in err ("cannot read --defaults-file 'x': not a regular file") for
 * anything dbl_textfile_read refuses, missing files included. 0 and *out
 * (caller frees), or -DBL_ENOMEM. */
int dbl_textfile_read_named(const char *opt, const char *path, char **out,
			    char *err, size_t errlen);

/* Splits the next line off *cursor in place (strips "\r\n"); NULL at the
 * end. *cursor starts at the buffer dbl_textfile_read returned. */
char *dbl_textfile_next_line(char **cursor);

/* Appends a printf-formatted warning unless the same text is already in the
 * list, so files read twice warn once. 0 or -DBL_ENOMEM. */
int dbl_warn(struct dbl_strlist *warnings, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Copies src into dst (size bytes, always NUL-terminated) fit for one
 * line of a message: control characters and DEL become \n, \r, \t or
 * \xNN, and a src that does not fit is cut between characters and ends in
 * "...". Returns dst. For quoting untrusted text in error messages. */
char *dbl_line_escape(char *dst, size_t size, const char *src);

/* Trims ASCII whitespace at both ends, in place; returns the new start. */
char *dbl_trim(char *s);

/* root + path when root is non-empty ("" or NULL: path as is). Caller
 * frees; NULL on allocation failure. */
char *dbl_rooted_path(const char *root, const char *path);

#endif
