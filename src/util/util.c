/* String lists, growable buffers, bounded copies and the clock. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbloop/common.h"
#include "dbloop/util.h"

int dbl_strlist_push(struct dbl_strlist *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **items = realloc(l->items, cap * sizeof(*items));
		if (!items)
			return -DBL_ENOMEM;
		l->items = items;
		l->cap = cap;
	}
	char *copy = strdup(s ? s : "");
	if (!copy)
		return -DBL_ENOMEM;
	l->items[l->n++] = copy;
	return 0;
}

int dbl_strlist_pushf(struct dbl_strlist *l, const char *fmt, ...)
{
	struct dbl_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	dbl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	int rc =
		b.oom ? -DBL_ENOMEM : dbl_strlist_push(l, b.data ? b.data : "");
	dbl_buf_release(&b);
	return rc;
}

bool dbl_strlist_contains(const struct dbl_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

void dbl_strlist_release(struct dbl_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	*l = (struct dbl_strlist){0};
}

static bool buf_grow(struct dbl_buf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *data = realloc(b->data, cap);
	if (!data) {
		b->oom = true;
		return false;
	}
	b->data = data;
	b->cap = cap;
	return true;
}

void dbl_buf_append(struct dbl_buf *b, const char *s, size_t n)
{
	if (!buf_grow(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void dbl_buf_puts(struct dbl_buf *b, const char *s)
{
	dbl_buf_append(b, s, strlen(s));
}

void dbl_buf_vprintf(struct dbl_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || !buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void dbl_buf_printf(struct dbl_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dbl_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *dbl_buf_detach(struct dbl_buf *b)
{
	char *s = NULL;
	if (!b->oom)
		s = b->data ? b->data : strdup("");
	else
		free(b->data);
	*b = (struct dbl_buf){0};
	return s;
}

void dbl_buf_release(struct dbl_buf *b)
{
	free(b->data);
	*b = (struct dbl_buf){0};
}

char *dbl_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *dbl_asprintf(const char *fmt, ...)
{
	struct dbl_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	dbl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return dbl_buf_detach(&b);
}

size_t dbl_strlcpy(char *dst, const char *src, size_t dst_size)
{
	size_t len = src ? strlen(src) : 0;
	if (dst_size == 0)
		return len;
	size_t n = len < dst_size - 1 ? len : dst_size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
	return len;
}

int dbl_set_str(char **p, const char *s)
{
	char *copy = NULL;
	if (s && !(copy = strdup(s)))
		return -DBL_ENOMEM;
	free(*p);
	*p = copy;
	return 0;
}

double dbl_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int dbl_ms_left(double deadline_ms)
{
	double left = deadline_ms - dbl_now_ms();
	if (left <= 0)
		return 0;
	if (left > 24.0 * 3600 * 1000)
		return 24 * 3600 * 1000;
	return (int)(left + 0.999);
}

int dbl_parse_duration_ms(const char *s, int *out_ms)
{
	if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
		return -DBL_EINVAL;
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (errno || end == s)
		return -DBL_EINVAL;
	double scale;
	if (*end == '\0' || strcmp(end, "s") == 0)
		scale = 1000;
	else if (strcmp(end, "ms") == 0)
		scale = 1;
	else if (strcmp(end, "m") == 0)
		scale = 60000;
	else
		return -DBL_EINVAL;
	double ms = v * scale;
	/* a positive value under 1 ms still means "some time" */
	if (!(ms > 0) || ms > 24.0 * 3600 * 1000)
		return -DBL_EINVAL;
	*out_ms = ms < 1 ? 1 : (int)(ms + 0.5);
	return 0;
}

int dbl_parse_port(const char *s, int *out_port)
{
	if (!s || !*s)
		return -DBL_EINVAL;
	long v = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -DBL_EINVAL;
		v = v * 10 + (*p - '0');
		if (v > 65535)
			return -DBL_EINVAL;
	}
	if (v < 1)
		return -DBL_EINVAL;
	*out_port = (int)v;
	return 0;
}

void dbl_secure_zero(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}
