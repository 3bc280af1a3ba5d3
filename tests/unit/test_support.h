/* What many unit tests need around the code under test: fixture paths and
 * bytes, whole files read and written. Header-only, after <cmocka.h>:
 * static inline helpers that fail the test on a broken fixture. */
#ifndef DBLOOP_TEST_SUPPORT_H
#define DBLOOP_TEST_SUPPORT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dbloop/util.h"

/* DBL_FIXTURES/rel. The four latest answers stay valid, so one call of
 * the code under test can take several. */
static inline const char *fixture_path(const char *rel)
{
	static char path[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", DBL_FIXTURES, rel);
	return path[i];
}

/* At most cap bytes of fixture rel into buf; the length, never 0. */
static inline size_t fixture_bytes(const char *rel, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(fixture_path(rel), "rb");
	assert_non_null(f);
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	assert_true(n > 0);
	return n;
}

/* The whole of path, NUL-terminated, its length in *len when len is not
 * NULL; NULL when path cannot be opened. The caller frees it. */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct dbl_buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		dbl_buf_append(&b, chunk, n);
	fclose(f);
	if (len)
		*len = b.len;
	return dbl_buf_detach(&b);
}

/* path holds exactly the len bytes of data. */
static inline void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* path holds exactly text. */
static inline void write_text(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

#endif
