/* Helpers shared by the fuzz targets: a private scratch directory created
 * once per process, and writing the input to a file in it for the parsers
 * that read files. */
#ifndef DBLOOP_FUZZ_COMMON_H
#define DBLOOP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scratch directory ("$TMPDIR/dbloop-fuzz-XXXXXX"; scripts/fuzz.sh
 * points TMPDIR into the build dir), made on first use. */
static inline const char *fuzz_dir(void)
{
	static char dir[64];
	if (!dir[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(dir, sizeof(dir), "%s/dbloop-fuzz-XXXXXX",
			 tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

/* dir + "/" + rel, in a static buffer per slot. */
static inline const char *fuzz_path(int slot, const char *rel)
{
	static char paths[4][512];
	snprintf(paths[slot], sizeof(paths[slot]), "%s/%s", fuzz_dir(), rel);
	return paths[slot];
}

/* mkdir -p for the directories above path. */
static inline void fuzz_mkdirs(const char *path)
{
	char tmp[512];
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0700);
		*p = '/';
	}
}

/* Writes data to path with mode; aborts when it cannot (not a finding of
 * the parser, but the target would test nothing). */
static inline void fuzz_write(const char *path, const uint8_t *data,
			      size_t size, mode_t mode)
{
	fuzz_mkdirs(path);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	chmod(path, mode);
}

/* An exact-size heap copy of the input, so ASan sees a read one past its
 * end (at least one byte; caller frees); NULL when out of memory. */
static inline void *fuzz_copy(const uint8_t *data, size_t size)
{
	void *copy = malloc(size ? size : 1);
	if (copy && size)
		memcpy(copy, data, size);
	return copy;
}

/* Whether the char array field still holds its terminating NUL. */
#define fuzz_terminated(field) (memchr((field), '\0', sizeof(field)) != NULL)

/* A NUL-terminated heap copy of the input (caller frees). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
