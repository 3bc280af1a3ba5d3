/* Small helpers shared by every module: string lists, growable buffers,
 * bounded copies and the monotonic clock. */
#ifndef DBLOOP_UTIL_H
#define DBLOOP_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* A growable list of owned strings. Zero-initialise, then _push; _release
 * frees every item. */
struct dbl_strlist {
	char **items;
	size_t n;
	size_t cap;
};

/* Appends a copy of s. 0, or -DBL_ENOMEM. */
int dbl_strlist_push(struct dbl_strlist *l, const char *s);
/* Appends a printf-formatted string. 0, or -DBL_ENOMEM. */
int dbl_strlist_pushf(struct dbl_strlist *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool dbl_strlist_contains(const struct dbl_strlist *l, const char *s);
void dbl_strlist_release(struct dbl_strlist *l);

/* A growable NUL-terminated byte buffer (git's strbuf). Zero-initialise.
 * On allocation failure the buffer sets ->oom and ignores further appends,
 * so callers check once at the end. */
struct dbl_buf {
	char *data; /* NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
	bool oom;
};

void dbl_buf_append(struct dbl_buf *b, const char *s, size_t n);
void dbl_buf_puts(struct dbl_buf *b, const char *s);
void dbl_buf_printf(struct dbl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dbl_buf_vprintf(struct dbl_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Hands the string over to the caller (caller frees); the buffer is empty
 * afterwards. Returns NULL when an allocation failed. */
char *dbl_buf_detach(struct dbl_buf *b);
void dbl_buf_release(struct dbl_buf *b);

/* strdup that accepts NULL (returns NULL). Caller frees. */
char *dbl_strdup(const char *s);
/* printf into a new string. Caller frees; NULL on failure. */
char *dbl_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Copies at most dst_size-1 bytes and always terminates. Returns strlen(src)
 * (like strlcpy) so truncation can be detected. */
size_t dbl_strlcpy(char *dst, const char *src, size_t dst_size);
/* Frees *p and sets it to a copy of s (NULL allowed). 0 or -DBL_ENOMEM. */
int dbl_set_str(char **p, const char *s);

/* Monotonic clock in milliseconds (fractional). */
double dbl_now_ms(void);
/* Milliseconds left until deadline (a dbl_now_ms() value), never < 0. */
int dbl_ms_left(double deadline_ms);

/* Parses a DURATION of cli.md: a number with ms, s or m, a bare number is
 * seconds, > 0. 0 and *out_ms on success, -DBL_EINVAL otherwise. */
int dbl_parse_duration_ms(const char *s, int *out_ms);
/* Parses a TCP port 1..65535. 0 or -DBL_EINVAL. */
int dbl_parse_port(const char *s, int *out_port);

/* Wipes memory the compiler may not optimise away (for passwords). */
void dbl_secure_zero(void *p, size_t n);

#endif
