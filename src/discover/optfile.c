/* MySQL option-file parser with provenance: groups, quoting and escapes,
 * !include and !includedir, in the clients' reading order. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbloop/common.h"
#include "discover/includes.h"
#include "discover/optfile.h"
#include "util/space.h"
#include "util/textfile.h"

const char *const dbl_optfile_client_groups[] = {
	"client", "client-server", "client-mariadb", "mysql", NULL};
const char *const dbl_optfile_server_groups[] = {
	"mysqld", "server", "mariadb", "mariadbd", "client-server", NULL};

struct parse_state {
	struct dbl_optfile *of;
	const char *const *groups;
	const char *root;
	struct dbl_strlist *warnings;
	const char *shown; /* path as shown */
	int lineno;
	char group[64];
	bool in_group, wanted;
};

static int read_guarded(struct dbl_optfile *of, const char *shown,
			const char *const *groups, const char *root,
			struct dbl_strlist *w, const struct parse_state *from);

static bool group_wanted(const char *const *groups, const char *g)
{
	for (size_t i = 0; groups[i]; i++)
		if (strcasecmp(groups[i], g) == 0)
			return true;
	return false;
}

/* "loose-skip_name_resolve" -> "skip-name-resolve" */
static void normalise_name(char *name)
{
	if (strncmp(name, "loose-", 6) == 0 || strncmp(name, "loose_", 6) == 0)
		memmove(name, name + 6, strlen(name + 6) + 1);
	for (char *c = name; *c; c++)
		*c = *c == '_' ? '-' : (char)tolower((unsigned char)*c);
}

static char unescape(char c)
{
	switch (c) {
	case 'b':
		return '\b';
	case 't':
		return '\t';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 's':
		return ' ';
	default:
		return c;
	}
}

/* Value as my_default.c reads it: a quoted value ends at its quote, an
 * unquoted one at '#'; backslash escapes in both. In place; returns the
 * value's start, NULL for an unterminated quote. */
static char *parse_value(char *v)
{
	char quote = (*v == '"' || *v == '\'') ? *v++ : 0;
	char *start = v, *out = v;
	for (; *v; v++) {
		if (quote && *v == quote)
			break;
		if (!quote && *v == '#')
			break;
		if (*v == '\\' && v[1])
			*out++ = unescape(*++v);
		else
			*out++ = *v;
	}
	if (quote && *v != quote)
		return NULL;
	*out = '\0';
	return quote ? start : dbl_trim(start);
}

static int add_option(struct parse_state *ps, const char *name,
		      const char *value)
{
	struct dbl_optfile *of = ps->of;
	if (of->n == of->cap) {
		size_t cap = of->cap ? of->cap * 2 : 32;
		struct dbl_optval *items =
			realloc(of->items, cap * sizeof(*items));
		if (!items)
			return -DBL_ENOMEM;
		of->items = items;
		of->cap = cap;
	}
	struct dbl_optval *o = &of->items[of->n];
	o->group = strdup(ps->group);
	o->name = strdup(name);
	o->value = value ? strdup(value) : NULL;
	o->source = dbl_asprintf("%s line %d", ps->shown, ps->lineno);
	of->n++;
	if (!o->group || !o->name || (value && !o->value) || !o->source)
		return -DBL_ENOMEM;
	return 0;
}

static int parse_group(struct parse_state *ps, char *line)
{
	char *close = strchr(line, ']');
	if (!close) {
		dbl_warn(ps->warnings, "%s line %d: malformed group header",
			 ps->shown, ps->lineno);
		ps->in_group = true; /* skip its options quietly */
		ps->wanted = false;
		return 0;
	}
	*close = '\0';
	char *g = dbl_trim(line + 1);
	dbl_strlcpy(ps->group, g, sizeof(ps->group));
	ps->in_group = true;
	ps->wanted = group_wanted(ps->groups, g);
	return 0;
}

static int parse_option(struct parse_state *ps, char *line)
{
	if (!ps->in_group) {
		dbl_warn(ps->warnings,
			 "%s line %d: option outside any group ignored",
			 ps->shown, ps->lineno);
		return 0;
	}
	if (!ps->wanted)
		return 0;
	char *eq = strchr(line, '=');
	char *value = NULL;
	if (eq) {
		*eq = '\0';
		value = parse_value(dbl_trim(eq + 1));
		if (!value) {
			dbl_warn(ps->warnings,
				 "%s line %d: unterminated quote, line ignored",
				 ps->shown, ps->lineno);
			return 0;
		}
	}
	char *name = dbl_trim(line);
	if (!*name || dbl_word_span(name) != strlen(name)) {
		dbl_warn(ps->warnings, "%s line %d: malformed option ignored",
			 ps->shown, ps->lineno);
		return 0;
	}
	normalise_name(name);
	return add_option(ps, name, value);
}

/* An include path: absolute ones live under root, relative ones next to
 * the including file. Returns the path as shown; caller frees. */
static char *include_path(const struct parse_state *ps, const char *arg)
{
	if (arg[0] == '/')
		return strdup(arg);
	const char *slash = strrchr(ps->shown, '/');
	int dirlen = slash ? (int)(slash - ps->shown) : 1;
	return dbl_asprintf("%.*s/%s", dirlen, slash ? ps->shown : ".", arg);
}

static int filter_cnf(const struct dirent *e)
{
	size_t len = strlen(e->d_name);
	return len > 4 && strcmp(e->d_name + len - 4, ".cnf") == 0;
}

static int include_dir(struct parse_state *ps, const char *dir)
{
	char *real = dbl_rooted_path(ps->root, dir);
	if (!real)
		return -DBL_ENOMEM;
	struct dirent **names = NULL;
	int n = scandir(real, &names, filter_cnf, alphasort);
	free(real);
	if (n < 0) {
		dbl_warn(ps->warnings, "%s line %d: cannot read directory '%s'",
			 ps->shown, ps->lineno, dir);
		return 0;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char *path = NULL;
		if (rc == 0) {
			size_t len = strlen(dir);
			bool slash = len && dir[len - 1] == '/';
			path = dbl_asprintf("%s%s%s", dir, slash ? "" : "/",
					    names[i]->d_name);
			rc = path ? read_guarded(ps->of, path, ps->groups,
						 ps->root, ps->warnings, ps)
				  : -DBL_ENOMEM;
			rc = rc == -DBL_EIO ? 0 : rc;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int parse_directive(struct parse_state *ps, char *line)
{
	bool dir = strncmp(line, "!includedir", 11) == 0;
	bool file = !dir && strncmp(line, "!include", 8) == 0;
	/* only past a directive's name: "!i" is shorter than 8 bytes */
	char *arg = dir || file ? dbl_trim(line + (dir ? 11 : 8)) : NULL;
	if (!arg || !*arg || (arg == line + 8 && file)) {
		dbl_warn(ps->warnings, "%s line %d: unknown directive ignored",
			 ps->shown, ps->lineno);
		return 0;
	}
	char *path = include_path(ps, arg);
	if (!path)
		return -DBL_ENOMEM;
	int rc = dir ? include_dir(ps, path)
		     : read_guarded(ps->of, path, ps->groups, ps->root,
				    ps->warnings, ps);
	if (rc == -DBL_EIO)
		dbl_warn(ps->warnings, "%s line %d: cannot include '%s'",
			 ps->shown, ps->lineno, path);
	free(path);
	return rc == -DBL_ENOMEM ? rc : 0;
}

static int parse_line(struct parse_state *ps, char *line)
{
	line = dbl_trim(line);
	if (!*line || *line == '#' || *line == ';')
		return 0;
	if (*line == '[')
		return parse_group(ps, line);
	if (*line == '!')
		return parse_directive(ps, line);
	return parse_option(ps, line);
}

/* Reads real, shown to the user as shown. */
static int read_file(struct dbl_optfile *of, const char *real,
		     const char *shown, const char *const *groups,
		     const char *root, struct dbl_strlist *w)
{
	char *text = NULL;
	int rc = dbl_textfile_read(real, w, &text, NULL);
	if (rc < 0)
		return rc;
	if (dbl_strlist_push(&of->files_read, shown) < 0) {
		free(text);
		return -DBL_ENOMEM;
	}
	struct parse_state ps = {.of = of,
				 .groups = groups,
				 .root = root,
				 .warnings = w,
				 .shown = shown};
	char *cursor = text, *line;
	while (rc == 0 && (line = dbl_textfile_next_line(&cursor))) {
		ps.lineno++;
		rc = parse_line(&ps, line);
	}
	free(text);
	return rc;
}

/* read_file inside the include guard of of; from is the including file,
 * NULL for a file read on its own. A refused include reads nothing and is
 * no error of the file that includes it. */
static int read_guarded(struct dbl_optfile *of, const char *shown,
			const char *const *groups, const char *root,
			struct dbl_strlist *w, const struct parse_state *from)
{
	char *real = dbl_rooted_path(root, shown);
	if (!real)
		return -DBL_ENOMEM;
	int rc;
	if (dbl_includes_enter(&of->includes, real, shown,
			       from ? from->shown : NULL,
			       from ? from->lineno : 0, w)) {
		rc = from ? 0 : -DBL_EIO;
	} else {
		rc = read_file(of, real, shown, groups, root, w);
		dbl_includes_leave(&of->includes);
	}
	free(real);
	return rc;
}

int dbl_optfile_read(struct dbl_optfile *of, const char *path,
		     const char *const *groups, const char *root,
		     struct dbl_strlist *warnings)
{
	return read_guarded(of, path, groups, root, warnings, NULL);
}

/* A file the user named must be readable: usage error otherwise. */
static int read_named(struct dbl_optfile *of, const char *opt, const char *path,
		      const struct dbl_optfile_spec *s, struct dbl_strlist *w,
		      char *err, size_t errlen)
{
	char *text = NULL;
	int rc = dbl_textfile_read_named(opt, path, &text, err, errlen);
	if (rc < 0)
		return rc;
	free(text);
	rc = read_guarded(of, path, s->groups, NULL, w, NULL);
	return rc == -DBL_EIO ? 0 : rc;
}

static int read_optional(struct dbl_optfile *of, const char *path,
			 const struct dbl_optfile_spec *s,
			 struct dbl_strlist *w)
{
	int rc = read_guarded(of, path, s->groups, s->root, w, NULL);
	return rc == -DBL_EIO ? 0 : rc;
}

int dbl_optfile_load(struct dbl_optfile *of, const struct dbl_optfile_spec *s,
		     struct dbl_strlist *warnings, char *err, size_t errlen)
{
	if (s->no_defaults)
		return 0;
	if (s->defaults_file)
		return read_named(of, "--defaults-file", s->defaults_file, s,
				  warnings, err, errlen);
	int rc = read_optional(of, "/etc/my.cnf", s, warnings);
	if (rc == 0)
		rc = read_optional(of, "/etc/mysql/my.cnf", s, warnings);
	const char *mhome = getenv("MARIADB_HOME");
	if (!mhome)
		mhome = getenv("MYSQL_HOME");
	if (rc == 0 && mhome && *mhome) {
		char *path = dbl_asprintf("%s/my.cnf", mhome);
		rc = path ? read_optional(of, path, s, warnings) : -DBL_ENOMEM;
		free(path);
	}
	if (rc == 0 && s->defaults_extra_file)
		rc = read_named(of, "--defaults-extra-file",
				s->defaults_extra_file, s, warnings, err,
				errlen);
	if (rc == 0 && s->home) {
		char *path = dbl_asprintf("%s/.my.cnf", s->home);
		rc = path ? read_guarded(of, path, s->groups, NULL, warnings,
					 NULL)
			  : -DBL_ENOMEM;
		rc = rc == -DBL_EIO ? 0 : rc;
		free(path);
	}
	return rc;
}

const struct dbl_optval *dbl_optfile_get(const struct dbl_optfile *of,
					 const char *name)
{
	char key[128];
	if (dbl_strlcpy(key, name, sizeof(key)) >= sizeof(key))
		return NULL;
	normalise_name(key);
	for (size_t i = of->n; i-- > 0;)
		if (strcmp(of->items[i].name, key) == 0)
			return &of->items[i];
	return NULL;
}

void dbl_optfile_release(struct dbl_optfile *of)
{
	for (size_t i = 0; i < of->n; i++) {
		free(of->items[i].group);
		free(of->items[i].name);
		free(of->items[i].value);
		free(of->items[i].source);
	}
	free(of->items);
	dbl_strlist_release(&of->files_read);
	*of = (struct dbl_optfile){0};
}
