/* Include bookkeeping shared by the option-file, postgresql.conf and
 * pg_hba.conf readers: the stack of files being read (a file already on it
 * is a loop, found by device and inode), a depth limit, and a budget of
 * files and bytes per reading, so k includes of the same file cannot cost
 * k^depth reads. */
#ifndef DBLOOP_INCLUDES_H
#define DBLOOP_INCLUDES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "dbloop/util.h"

#define DBL_INCLUDES_MAX_DEPTH 10
#define DBL_INCLUDES_MAX_FILES 256
#define DBL_INCLUDES_MAX_BYTES (16u * 1024 * 1024)

/* Zero-initialise. Holds no heap memory. */
struct dbl_includes {
	struct {
		dev_t dev;
		ino_t ino;
		bool known; /* false when stat failed: matches nothing */
	} stack[DBL_INCLUDES_MAX_DEPTH + 1];
	int depth;
	unsigned files;
	size_t bytes;
	bool over_budget; /* warned once */
};

/* Before reading real (the path opened): 0 and pushed on the stack, or 1
 * when it is refused (nested too deep, already being read, over the
 * budget) with one warning naming from line lineno (from NULL for a file
 * not included by another), shown the path as the user knows it. Every 0
 * needs a dbl_includes_leave. */
int dbl_includes_enter(struct dbl_includes *g, const char *real,
		       const char *shown, const char *from, int lineno,
		       struct dbl_strlist *w);
void dbl_includes_leave(struct dbl_includes *g);

/* Reads one file named by a PostgreSQL include directive. ctx is the
 * reader's; 0, -DBL_EIO (cannot read, warned unless missing), or
 * -DBL_ENOMEM. */
struct dbl_includes_reader {
	int (*read)(void *ctx, const char *path, struct dbl_strlist *w);
	void *ctx;
	struct dbl_includes *guard;
};

/* include, include_if_exists and include_dir of postgresql.conf and
 * pg_hba.conf: arg resolved against the directory of from, include_dir
 * reads its *.conf in name order, every file through r->read inside the
 * guard. Problems are warnings naming from and lineno; 0 or -DBL_ENOMEM. */
int dbl_includes_pg_directive(const struct dbl_includes_reader *r,
			      const char *kind, const char *arg,
			      const char *from, int lineno,
			      struct dbl_strlist *w);

/* Reads path through r inside the guard as a top-level file: 0, -DBL_EIO,
 * -DBL_ENOMEM (a refusal by the guard is -DBL_EIO). */
int dbl_includes_read_top(const struct dbl_includes_reader *r, const char *path,
			  struct dbl_strlist *w);

#endif
