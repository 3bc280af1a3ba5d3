/* postgresql.conf parser: name [=] value lines, quoting as guc-file.l
 * reads it, and the three include directives. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbloop/common.h"
#include "pgconf.h"
#include "textfile.h"

#define MAX_INCLUDE_DEPTH 10

struct conf_line {
	const char *path;
	int lineno;
};

static int read_conf(struct dbl_pgconf *c, const char *path,
		     struct dbl_strlist *w, int depth);

static int add_item(struct dbl_pgconf *c, const char *name, const char *value,
		    const struct conf_line *at)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct dbl_pgconf_item *items =
			realloc(c->items, cap * sizeof(*items));
		if (!items)
			return -DBL_ENOMEM;
		c->items = items;
		c->cap = cap;
	}
	struct dbl_pgconf_item *it = &c->items[c->n++];
	it->name = strdup(name);
	it->value = strdup(value);
	it->source = dbl_asprintf("%s line %d", at->path, at->lineno);
	for (char *p = it->name; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return it->name && it->value && it->source ? 0 : -DBL_ENOMEM;
}

/* A quoted value: '' and \' are quotes inside. In place; NULL when the
 * quote is not closed. */
static char *quoted_value(char *v)
{
	char *start = ++v, *out = v;
	for (; *v; v++) {
		if (*v == '\'' && v[1] == '\'') {
			*out++ = *++v;
		} else if (*v == '\\' && v[1]) {
			*out++ = *++v;
		} else if (*v == '\'') {
			*out = '\0';
			return start;
		} else {
			*out++ = *v;
		}
	}
	return NULL;
}

/* Splits "name = value # comment" into name and value; -1 if malformed. */
static int split_line(char *line, char **name, char **value)
{
	char *p = line;
	*name = p;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '.')
		p++;
	if (p == *name)
		return -1;
	char *name_end = p;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '=')
		p++;
	while (isspace((unsigned char)*p))
		p++;
	*name_end = '\0';
	if (*p == '\'') {
		*value = quoted_value(p);
		return *value ? 0 : -1;
	}
	*value = p;
	p += strcspn(p, " \t#");
	char *rest = p + strspn(p, " \t");
	if (*rest && *rest != '#')
		return -1; /* two tokens: guc-file.l rejects it too */
	*p = '\0';
	return **value ? 0 : -1;
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

static int include_dir(struct dbl_pgconf *c, const char *dir,
		       const struct conf_line *at, struct dbl_strlist *w,
		       int depth)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, filter_conf, alphasort);
	if (n < 0)
		return dbl_warn(w, "%s line %d: cannot read directory '%s'",
				at->path, at->lineno, dir);
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char *path = rc ? NULL
				: dbl_asprintf("%s/%s", dir, names[i]->d_name);
		if (path)
			rc = read_conf(c, path, w, depth);
		rc = rc == -DBL_EIO ? 0 : rc;
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int directive(struct dbl_pgconf *c, const char *name, const char *arg,
		     const struct conf_line *at, struct dbl_strlist *w,
		     int depth)
{
	if (depth >= MAX_INCLUDE_DEPTH)
		return dbl_warn(w,
				"%s line %d: includes nested too deep (a "
				"loop?), '%s' not read",
				at->path, at->lineno, arg);
	char *path = resolve(at->path, arg);
	if (!path)
		return -DBL_ENOMEM;
	int rc;
	if (strcmp(name, "include_dir") == 0) {
		rc = include_dir(c, path, at, w, depth + 1);
	} else {
		rc = read_conf(c, path, w, depth + 1);
		if (rc == -DBL_EIO && strcmp(name, "include") == 0)
			dbl_warn(w, "%s line %d: cannot include '%s'", at->path,
				 at->lineno, path);
	}
	free(path);
	return rc == -DBL_ENOMEM ? rc : 0;
}

static bool is_directive(const char *name)
{
	return strcmp(name, "include") == 0 ||
	       strcmp(name, "include_if_exists") == 0 ||
	       strcmp(name, "include_dir") == 0;
}

static int conf_line(struct dbl_pgconf *c, char *line,
		     const struct conf_line *at, struct dbl_strlist *w,
		     int depth)
{
	line = dbl_trim(line);
	if (!*line || *line == '#')
		return 0;
	char *name, *value;
	if (split_line(line, &name, &value) < 0)
		return dbl_warn(w, "%s line %d: malformed line ignored",
				at->path, at->lineno);
	if (is_directive(name))
		return directive(c, name, value, at, w, depth);
	return add_item(c, name, value, at);
}

static int read_conf(struct dbl_pgconf *c, const char *path,
		     struct dbl_strlist *w, int depth)
{
	char *text = NULL;
	int rc = dbl_textfile_read(path, w, &text, NULL);
	if (rc < 0)
		return rc;
	rc = dbl_strlist_push(&c->files_read, path);
	struct conf_line at = {.path = path};
	char *cursor = text, *line;
	while (rc == 0 && (line = dbl_textfile_next_line(&cursor))) {
		at.lineno++;
		rc = conf_line(c, line, &at, w, depth);
	}
	free(text);
	return rc;
}

int dbl_pgconf_read(struct dbl_pgconf *c, const char *path,
		    struct dbl_strlist *warnings)
{
	return read_conf(c, path, warnings, 0);
}

const struct dbl_pgconf_item *dbl_pgconf_get(const struct dbl_pgconf *c,
					     const char *name)
{
	for (size_t i = c->n; i-- > 0;)
		if (strcasecmp(c->items[i].name, name) == 0)
			return &c->items[i];
	return NULL;
}

void dbl_pgconf_release(struct dbl_pgconf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].name);
		free(c->items[i].value);
		free(c->items[i].source);
	}
	free(c->items);
	dbl_strlist_release(&c->files_read);
	memset(c, 0, sizeof(*c));
}
