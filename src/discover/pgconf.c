/* postgresql.conf parser: name [=] value lines, quoting as guc-file.l
 * reads it, and the three include directives. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbloop/common.h"
#include "discover/includes.h"
#include "discover/pgconf.h"
#include "util/space.h"
#include "util/textfile.h"

struct conf_line {
	const char *path;
	int lineno;
};

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
	p += dbl_space_span(p);
	if (*p == '=')
		p++;
	p += dbl_space_span(p);
	*name_end = '\0';
	if (*p == '\'') {
		*value = quoted_value(p);
		return *value ? 0 : -1;
	}
	*value = p;
	p += strcspn(p, DBL_SPACE_CHARS "#");
	char *rest = p + dbl_space_span(p);
	if (*rest && *rest != '#')
		return -1; /* two tokens: guc-file.l rejects it too */
	*p = '\0';
	return **value ? 0 : -1;
}

static int read_conf(void *ctx, const char *path, struct dbl_strlist *w);

static int directive(struct dbl_pgconf *c, const char *name, const char *arg,
		     const struct conf_line *at, struct dbl_strlist *w)
{
	struct dbl_includes_reader r = {read_conf, c, &c->includes};
	return dbl_includes_pg_directive(&r, name, arg, at->path, at->lineno,
					 w);
}

static bool is_directive(const char *name)
{
	return strcmp(name, "include") == 0 ||
	       strcmp(name, "include_if_exists") == 0 ||
	       strcmp(name, "include_dir") == 0;
}

static int conf_line(struct dbl_pgconf *c, char *line,
		     const struct conf_line *at, struct dbl_strlist *w)
{
	line = dbl_trim(line);
	if (!*line || *line == '#')
		return 0;
	char *name, *value;
	if (split_line(line, &name, &value) < 0)
		return dbl_warn(w, "%s line %d: malformed line ignored",
				at->path, at->lineno);
	if (is_directive(name))
		return directive(c, name, value, at, w);
	return add_item(c, name, value, at);
}

static int read_conf(void *ctx, const char *path, struct dbl_strlist *w)
{
	struct dbl_pgconf *c = ctx;
	char *text = NULL;
	int rc = dbl_textfile_read(path, w, &text, NULL);
	if (rc < 0)
		return rc;
	rc = dbl_strlist_push(&c->files_read, path);
	struct conf_line at = {.path = path};
	char *cursor = text, *line;
	while (rc == 0 && (line = dbl_textfile_next_line(&cursor))) {
		at.lineno++;
		rc = conf_line(c, line, &at, w);
	}
	free(text);
	return rc;
}

int dbl_pgconf_read(struct dbl_pgconf *c, const char *path,
		    struct dbl_strlist *warnings)
{
	struct dbl_includes_reader r = {read_conf, c, &c->includes};
	return dbl_includes_read_top(&r, path, warnings);
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
