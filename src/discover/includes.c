/* Include loops and budgets for the config readers (see includes.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dbloop/common.h"
#include "discover/includes.h"
#include "util/textfile.h"

/* "F line N: " or "" for a top-level file, into buf. */
static const char *where(char *buf, size_t len, const char *from, int lineno)
{
	if (from)
		snprintf(buf, len, "%s line %d: ", from, lineno);
	else
		buf[0] = '\0';
	return buf;
}

static bool on_stack(const struct dbl_includes *g, const struct stat *st)
{
	for (int i = 0; i < g->depth; i++)
		if (g->stack[i].known && g->stack[i].dev == st->st_dev &&
		    g->stack[i].ino == st->st_ino)
			return true;
	return false;
}

int dbl_includes_enter(struct dbl_includes *g, const char *real,
		       const char *shown, const char *from, int lineno,
		       struct dbl_strlist *w)
{
	char at[600];
	where(at, sizeof(at), from, lineno);
	if (g->depth >= DBL_INCLUDES_MAX_DEPTH) {
		dbl_warn(w, "%sincludes nested too deep, '%s' not read", at,
			 shown);
		return 1;
	}
	struct stat st;
	bool known = stat(real, &st) == 0;
	if (known && on_stack(g, &st)) {
		dbl_warn(w, "%s'%s' includes itself (a loop), not read again",
			 at, shown);
		return 1;
	}
	size_t size = known && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
	if (g->files >= DBL_INCLUDES_MAX_FILES ||
	    size > DBL_INCLUDES_MAX_BYTES - g->bytes) {
		if (!g->over_budget)
			dbl_warn(w,
				 "%smore than %u files or %u MiB of "
				 "configuration, '%s' and the rest not read",
				 at, DBL_INCLUDES_MAX_FILES,
				 DBL_INCLUDES_MAX_BYTES >> 20, shown);
		g->over_budget = true;
		return 1;
	}
	g->files++;
	g->bytes += size;
	g->stack[g->depth].known = known;
	g->stack[g->depth].dev = known ? st.st_dev : 0;
	g->stack[g->depth].ino = known ? st.st_ino : 0;
	g->depth++;
	return 0;
}

void dbl_includes_leave(struct dbl_includes *g)
{
	if (g->depth > 0)
		g->depth--;
}

/* r->read inside the guard; a refusal reads nothing and is not an error
 * of the including file. */
static int guarded_read(const struct dbl_includes_reader *r, const char *path,
			const char *from, int lineno, struct dbl_strlist *w)
{
	if (dbl_includes_enter(r->guard, path, path, from, lineno, w))
		return from ? 0 : -DBL_EIO;
	int rc = r->read(r->ctx, path, w);
	dbl_includes_leave(r->guard);
	return rc;
}

int dbl_includes_read_top(const struct dbl_includes_reader *r, const char *path,
			  struct dbl_strlist *w)
{
	return guarded_read(r, path, NULL, 0, w);
}

/* Include paths are relative to the directory of the including file. */
static char *resolve(const char *from, const char *path)
{
	if (path[0] == '/')
		return strdup(path);
	const char *slash = strrchr(from, '/');
	if (!slash)
		return strdup(path);
	return dbl_asprintf("%.*s/%s", (int)(slash - from), from, path);
}

static int filter_conf(const struct dirent *e)
{
	size_t len = strlen(e->d_name);
	return e->d_name[0] != '.' && len > 5 &&
	       strcmp(e->d_name + len - 5, ".conf") == 0;
}

static int include_dir(const struct dbl_includes_reader *r, const char *dir,
		       const char *from, int lineno, struct dbl_strlist *w)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, filter_conf, alphasort);
	if (n < 0)
		return dbl_warn(w, "%s line %d: cannot read directory '%s'",
				from, lineno, dir);
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char *path = rc ? NULL
				: dbl_asprintf("%s/%s", dir, names[i]->d_name);
		if (path)
			rc = guarded_read(r, path, from, lineno, w);
		else if (rc == 0)
			rc = -DBL_ENOMEM;
		rc = rc == -DBL_EIO ? 0 : rc;
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int dbl_includes_pg_directive(const struct dbl_includes_reader *r,
			      const char *kind, const char *arg,
			      const char *from, int lineno,
			      struct dbl_strlist *w)
{
	char *path = resolve(from, arg);
	if (!path)
		return -DBL_ENOMEM;
	int rc;
	if (strcmp(kind, "include_dir") == 0) {
		rc = include_dir(r, path, from, lineno, w);
	} else {
		rc = guarded_read(r, path, from, lineno, w);
		if (rc == -DBL_EIO && strcmp(kind, "include") == 0)
			dbl_warn(w, "%s line %d: cannot include '%s'", from,
				 lineno, path);
	}
	free(path);
	return rc == -DBL_ENOMEM ? rc : 0;
}
